/**
 * main.js's stand-in for the SDK's `internal/tracing.mjs` (8 KB). The plugin's client is built
 * with `openTelemetry: false` (createClient in src/draft/claude.ts), so `getTracer` gives no
 * tracer, `client._tracer` is undefined, `startApiCallSpan` returns undefined and no request
 * ever carries a span (`__span`): every other function here runs only with a span, so it is
 * never reached. A client with tracing on fails loudly when it is built; a span-only function
 * reached anyway throws, and guardTracing lets that error through instead of swallowing it.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs); imports resolve from there.
 */
const unreachable = (what) => () => {
	const error = new Error(`Email Reply Drafter's build left out the SDK's tracing (${what}): tracing is off in the plugin.`);
	error.stubbedInPluginBuild = true;
	throw error;
};

/** As the SDK's for `false` (and for the frozen value a client gives its `withOptions` copies). */
export function resolveOpenTelemetryOptions(option) {
	if (option !== false && option?.traces?.enabled !== false) unreachable("openTelemetry other than false")();
	return Object.freeze({
		tracerProvider: undefined,
		propagation: option?.propagation ?? true,
		traces: Object.freeze({ enabled: false, contentMode: "metadata_only", maxContentBytes: 750000 }),
	});
}

export function getTracer(option) {
	return option.traces.enabled ? unreachable("getTracer")() : undefined;
}

export function guardTracing(_client, step) {
	try {
		return step();
	} catch (problem) {
		if (problem?.stubbedInPluginBuild) throw problem;
		return undefined;
	}
}

export function startApiCallSpan(client, _name, options) {
	if (options?.__span) return options.__span;
	return client._tracer ? unreachable("startApiCallSpan")() : undefined;
}

export const endApiCallSpan = unreachable("endApiCallSpan");
export const injectTraceHeaders = unreachable("injectTraceHeaders");
export const recordAttempt = unreachable("recordAttempt");
export const setCreatedIDAttribute = unreachable("setCreatedIDAttribute");
export const endApiCallSpanWhenStreamEnds = unreachable("endApiCallSpanWhenStreamEnds");
export const observeStream = unreachable("observeStream");
export const setErrorStatus = unreachable("setErrorStatus");
export const setResponseAttributes = unreachable("setResponseAttributes");
export const setResponseHeaderAttributes = unreachable("setResponseHeaderAttributes");
