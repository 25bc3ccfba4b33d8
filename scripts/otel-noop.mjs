/**
 * main.js's stand-in for `@opentelemetry/api`, which the Anthropic SDK imports for tracing. The
 * plugin turns tracing off (`openTelemetry: false` in createClient) and nothing in Obsidian
 * registers a tracer, so the API would only ever answer as it does with nothing registered:
 * no spans, no context, no propagated headers. This is that behaviour, in 1 KB instead of 10.
 * An SDK import of anything else fails the build (esbuild: no matching export).
 */
const ROOT_CONTEXT = Object.freeze({
	getValue: () => undefined,
	setValue() {
		return this;
	},
	deleteValue() {
		return this;
	},
});

const noopSpan = {
	spanContext: () => ({ traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 }),
	setAttribute() {
		return this;
	},
	setAttributes() {
		return this;
	},
	addEvent() {
		return this;
	},
	addLink() {
		return this;
	},
	addLinks() {
		return this;
	},
	setStatus() {
		return this;
	},
	updateName() {
		return this;
	},
	end() {},
	isRecording: () => false,
	recordException() {},
};

const noopTracer = {
	startSpan: () => noopSpan,
	startActiveSpan: (...args) => args[args.length - 1](noopSpan),
};

export const context = {
	active: () => ROOT_CONTEXT,
	with: (_context, fn, thisArg, ...args) => fn.call(thisArg, ...args),
	bind: (_context, target) => target,
};

export const trace = {
	getTracerProvider: () => ({ getTracer: () => noopTracer }),
	getTracer: () => noopTracer,
	setSpan: (ctx) => ctx,
	getSpan: () => undefined,
	getActiveSpan: () => undefined,
	isSpanContextValid: () => false,
};

export const propagation = {
	inject: () => undefined,
	extract: (ctx) => ctx,
	fields: () => [],
};

export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 };
export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 };
