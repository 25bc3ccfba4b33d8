/**
 * Calls Claude through the official SDK. Streams when the transport can (desktop fetch,
 * Node), so the draft appears as it is written; otherwise one buffered request (Obsidian's
 * `requestUrl`, which works everywhere). Every failure becomes a DraftError with a message
 * a person can act on; the API key never appears in one.
 */
import { loadPart } from "../shared/lazyPart";
import type { Anthropic, ApiUsage, Message, MessageCreateParamsNonStreaming, TextBlock } from "./anthropic";
import type { BuiltPrompt } from "./prompt";
import { NO_USAGE, type Usage } from "./pricing";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClaudeConfig {
	apiKey: string;
	baseURL?: string;
	/** A custom transport (Obsidian's requestUrl); the global fetch otherwise. */
	fetch?: FetchLike;
	/** False when the transport buffers whole responses (requestUrl). */
	stream: boolean;
	maxRetries?: number;
	timeoutMs?: number;
	/** Inside Obsidian the SDK runs in a browser-like window. */
	browser?: boolean;
	/** How long anything may take; missing fields take DEFAULT_LIMITS. */
	limits?: Partial<TransportLimits>;
	/**
	 * Tried when this transport cannot connect at all (a proxy without CORS, say) before any
	 * text arrived: Obsidian's buffered requestUrl.
	 */
	fallback?: ClaudeConfig;
}

export interface DraftRequest {
	model: string;
	maxTokens: number;
	/** Null: none sent (the model's default). */
	temperature?: number | null;
	prompt: BuiltPrompt;
	/**
	 * A follow-up after an answer stopped at max_tokens: the answer so far as the assistant's
	 * turn, then this instruction, so the model continues instead of starting over.
	 */
	continuation?: { partial: string; instruction: string };
}

export interface ClaudeResult {
	text: string;
	model: string;
	usage: Usage;
	stopReason: string | null;
}

/**
 * Every wait while drafting is bounded. All in milliseconds; the settings hold them in seconds.
 * Retries are ours (the SDK's are off), so a `retry-after` can be capped and the deadline holds.
 */
export interface TransportLimits {
	/** Until the response starts (headers), on each attempt. */
	requestTimeoutMs: number;
	/** Longest silence between two stream events once the reply has started. */
	stallTimeoutMs: number;
	/** The whole draft: every attempt and every wait between them. */
	deadlineMs: number;
	/** A `retry-after` longer than this is not waited for: the draft fails at once and says so. */
	maxRetryAfterMs: number;
	/** Retries after the first attempt, for 429, 529, 5xx and connections that break before any text. */
	retries: number;
}

export const DEFAULT_LIMITS: TransportLimits = {
	requestTimeoutMs: 60_000,
	stallTimeoutMs: 30_000,
	deadlineMs: 180_000,
	maxRetryAfterMs: 60_000,
	retries: 2,
};

export type DraftErrorKind =
	| "auth"
	| "permission"
	| "model"
	| "too-long"
	| "bad-request"
	| "rate-limit"
	| "overloaded"
	| "server"
	| "network"
	/** The reply stream broke: an error event, a malformed event, a connection cut mid-reply. */
	| "stream"
	| "timeout"
	| "cancelled"
	| "empty"
	| "refused"
	| "unknown";

export class DraftError extends Error {
	constructor(readonly kind: DraftErrorKind, message: string, readonly status?: number) {
		super(message);
		this.name = "DraftError";
	}
}

type Sdk = typeof import("./anthropic");
let sdk: Sdk | null = null;

/**
 * The SDK, evaluated when Claude is first called: a command-line run that never calls it
 * (`context`, `triage`) and a plugin that has not drafted yet do not pay for loading it. The
 * CLI build keeps it in a file of its own (scripts/cli-bundle.mjs); main.js inside itself.
 */
async function loadSdk(): Promise<Sdk> {
	sdk ??= await loadPart("anthropic.js", () => import("./anthropic"));
	return sdk;
}

/** Where requests go when the base URL setting is empty. */
export const ANTHROPIC_API = "https://api.anthropic.com";

/**
 * A client configured only by `config`. The SDK falls back to the process environment for
 * what it is not given (ANTHROPIC_BASE_URL, ANTHROPIC_LOG, the OpenTelemetry switches, a
 * webhook key), and Obsidian's desktop window has the user's shell environment: a base URL
 * set there for another tool would receive the key and the vault context. So every one of
 * those is given here. ANTHROPIC_CUSTOM_HEADERS the SDK reads unconditionally; the builds
 * replace the SDK's environment reader (see esbuild.config.mjs), so main.js and the CLI never
 * read it. The CLI passes the two variables it documents (key and base URL) explicitly.
 */
export async function createClient(config: ClaudeConfig): Promise<Anthropic> {
	const { Anthropic } = await loadSdk();
	// main.js leaves out the SDK's credential chain and tracing (scripts/sdk-stubs): the key is
	// always passed, and tracing is always off.
	return new Anthropic({
		apiKey: config.apiKey,
		baseURL: config.baseURL || ANTHROPIC_API,
		webhookKey: null,
		logLevel: "warn",
		openTelemetry: false,
		fetch: config.fetch,
		maxRetries: config.maxRetries ?? 2,
		timeout: config.timeoutMs ?? 120_000,
		dangerouslyAllowBrowser: config.browser ?? false,
	});
}

interface ApiErrorShape {
	status?: unknown;
	error?: unknown;
}

function apiMessage(error: ApiErrorShape): string {
	const body = error.error as { error?: { message?: unknown } } | undefined;
	const message = body?.error?.message;
	return typeof message === "string" ? message : "";
}

/** What an `error` event inside a stream says: `{type: "error", error: {type, message}}`. */
function streamErrorType(error: ApiErrorShape): string {
	const body = error.error as { error?: { type?: unknown }; type?: unknown } | undefined;
	const type = body?.error?.type ?? body?.type;
	return typeof type === "string" ? type : "";
}

const STATUS_OF_TYPE: Record<string, number> = {
	rate_limit_error: 429,
	overloaded_error: 529,
	api_error: 500,
	authentication_error: 401,
	permission_error: 403,
	not_found_error: 404,
	request_too_large: 413,
	invalid_request_error: 400,
};

/** Errors of the connection itself (reset, cut, refused) as Node and browsers word them. */
const CONNECTION_CUT = /terminated|ECONNRESET|socket hang up|other side closed|premature close|network ?error|Failed to fetch|EPIPE|aborted/i;

/** Maps an SDK error to what the user should know and do. Never echoes a raw response. */
export function toDraftError(error: unknown, model: string, apiKey?: string, limits: TransportLimits = DEFAULT_LIMITS): DraftError {
	if (error instanceof DraftError) return error;
	const scrub = (s: string): string => (apiKey ? s.split(apiKey).join("[key]") : s);
	// Only a loaded SDK can have thrown one of its errors.
	const Anthropic = sdk?.Anthropic;
	if (Anthropic && error instanceof Anthropic.APIUserAbortError) return new DraftError("cancelled", "Drafting was cancelled.");
	if (Anthropic && error instanceof Anthropic.APIConnectionTimeoutError) {
		return new DraftError("timeout", `Claude did not start answering within ${duration(limits.requestTimeoutMs)} (the "Request timeout" setting). Try again in a moment.`);
	}
	if (Anthropic && error instanceof Anthropic.APIConnectionError) {
		return new DraftError("network", "Could not reach the Anthropic API. Check your internet connection (and the base URL setting, if you use a proxy).");
	}
	if (Anthropic && error instanceof Anthropic.APIError) {
		const shape = error as ApiErrorShape;
		let status = typeof shape.status === "number" ? shape.status : 0;
		// One line of the API's own words at most, never a raw body.
		const detail = scrub(apiMessage(shape)).replace(/\s+/g, " ").slice(0, 300).replace(/[.\s]+$/, "");
		if (!status) {
			// An `error` event inside a stream that had started: the API's error type says what it was.
			const type = streamErrorType(shape);
			status = STATUS_OF_TYPE[type] ?? 0;
			if (status === 529 || status === 429 || status >= 500 || !status) {
				const what = status === 529 ? "Claude is overloaded (529)" : status === 429 ? "Rate limited by the Anthropic API (429)" : `The Anthropic API reported an error${type ? ` (${type.replace(/[^\w.-]/g, "")})` : ""}`;
				return new DraftError(status === 529 ? "overloaded" : status === 429 ? "rate-limit" : "stream", `${what} in the middle of the reply; nothing was written. Try again later.`, status || undefined);
			}
		}
		if (status === 401) return new DraftError("auth", "The Anthropic API key was rejected (401). Check the key in the plugin's settings.", status);
		if (status === 403) return new DraftError("permission", `The API key is not allowed to use this (403)${detail ? `: ${detail}` : ""}. Check the key's workspace and permissions.`, status);
		if (status === 404) return new DraftError("model", `The model "${model}" was not found (404). Choose another model in the settings.`, status);
		if (status === 413 || (status === 400 && /too long|too many tokens|context (?:window|length)|prompt is too long|maximum/i.test(detail))) {
			return new DraftError("too-long", `The request was too long for the model (${status})${detail ? `: ${detail}` : ""}.`, status);
		}
		if (status === 400 && /temperature|sampling/i.test(detail)) {
			return new DraftError("bad-request", `The model "${model}" does not accept a temperature (400). Clear the Temperature setting to use the model's default.`, status);
		}
		if (status === 400) return new DraftError("bad-request", `Claude rejected the request (400)${detail ? `: ${detail}` : ""}.`, status);
		if (status === 429) return new DraftError("rate-limit", "Rate limited by the Anthropic API (429), even after retrying. Try again in a minute.", status);
		if (status === 529) return new DraftError("overloaded", "Claude is overloaded right now (529), even after retrying. Try again later.", status);
		if (status >= 500) return new DraftError("server", `The Anthropic API had an error (${status}), even after retrying. Try again later.`, status);
		return new DraftError("unknown", `The Anthropic API returned ${status}${detail ? `: ${detail}` : ""}.`, status);
	}
	if (error instanceof Error && error.name === "AbortError") return new DraftError("cancelled", "Drafting was cancelled.");
	// A stream event that is not JSON: a proxy or gateway mangled the reply. Its text may hold anything.
	if (error instanceof SyntaxError || (error instanceof Error && error.cause instanceof SyntaxError)) {
		return new DraftError("stream", "The reply stream from the Anthropic API was malformed (a proxy or gateway in between?); nothing was written. Try again.");
	}
	const message = error instanceof Error ? error.message : String(error);
	const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
	if (CONNECTION_CUT.test(message) || CONNECTION_CUT.test(cause)) {
		return new DraftError("network", "The connection to the Anthropic API was cut off in the middle of the reply; nothing was written. Try again.");
	}
	return new DraftError("unknown", `Drafting failed: ${scrub(message).replace(/\s+/g, " ").slice(0, 200)}`);
}

function usageOf(u: ApiUsage | undefined): Usage {
	if (!u) return { ...NO_USAGE };
	return {
		inputTokens: u.input_tokens ?? 0,
		outputTokens: u.output_tokens ?? 0,
		cacheReadTokens: u.cache_read_input_tokens ?? 0,
		cacheCreationTokens: u.cache_creation_input_tokens ?? 0,
	};
}

function textOf(message: Message): string {
	return message.content
		.filter((b): b is TextBlock => b.type === "text")
		.map((b) => b.text)
		.join("");
}

export interface CallOptions {
	signal?: AbortSignal;
	onText?: (delta: string, soFar: string) => void;
	/** Told before each wait between attempts (the CLI shows it; the dialog may too). */
	onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
}

/** "45 s", "2.5 s", "3 minutes": limits as a person reads them. */
export function duration(ms: number): string {
	if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} minutes`;
	if (ms >= 3_600_000) return `${Math.round(ms / 60_000)} minutes`;
	return `${Math.round(ms / 100) / 10} s`;
}

export function resolveLimits(limits: Partial<TransportLimits> | undefined, timeoutMs?: number, maxRetries?: number): TransportLimits {
	const pick = (value: number | undefined, fallback: number): number => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback);
	return {
		requestTimeoutMs: pick(limits?.requestTimeoutMs ?? timeoutMs, DEFAULT_LIMITS.requestTimeoutMs),
		stallTimeoutMs: pick(limits?.stallTimeoutMs, DEFAULT_LIMITS.stallTimeoutMs),
		deadlineMs: pick(limits?.deadlineMs, DEFAULT_LIMITS.deadlineMs),
		maxRetryAfterMs: pick(limits?.maxRetryAfterMs, DEFAULT_LIMITS.maxRetryAfterMs),
		retries: Math.floor(pick(limits?.retries ?? maxRetries, DEFAULT_LIMITS.retries)),
	};
}

/** The wait a 429/529/5xx asks for (`retry-after-ms`, `retry-after` in seconds or as a date), or null. */
export function retryAfterOf(error: unknown, now = Date.now()): number | null {
	const headers = (error as { headers?: unknown } | null)?.headers;
	if (!headers || typeof (headers as Headers).get !== "function") return null;
	const get = (name: string): string | null => (headers as Headers).get(name);
	const ms = Number.parseFloat(get("retry-after-ms") ?? "");
	if (Number.isFinite(ms) && ms >= 0) return ms;
	const raw = get("retry-after");
	if (!raw) return null;
	const secs = Number(raw.trim());
	if (raw.trim() !== "" && Number.isFinite(secs)) return Math.max(0, secs * 1000);
	const date = Date.parse(raw);
	return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

type Watchdog = "deadline" | "stall" | null;

/**
 * The engine runs in Obsidian's window and in Node (the CLI), which has no `window`; the
 * standard timers exist in both. (Popout windows, the reason to prefer `window.setTimeout`,
 * do not concern a network wait.)
 */
const timers = { setTimeout: setTimeout as (fn: () => void, ms: number) => unknown, clearTimeout: clearTimeout as (id: unknown) => void };

const RETRYABLE: ReadonlySet<DraftErrorKind> = new Set(["rate-limit", "overloaded", "server", "network", "stream"]);

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … up to 8 s. */
function backoff(attempt: number): number {
	return Math.min(8_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new DraftError("cancelled", "Drafting was cancelled."));
		const timer = timers.setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		const onAbort = (): void => {
			timers.clearTimeout(timer);
			reject(new DraftError("cancelled", "Drafting was cancelled."));
		};
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}

/**
 * The transport, with every chunk of the response body reported: the stall timeout measures
 * silence on the wire, not between the events the SDK surfaces (it drops pings). Both hosts
 * pass their fetch (Obsidian's window.fetch, Node's); without one, stream events still count.
 */
function fetchThatReportsBytes(base: FetchLike, onBytes: () => void): FetchLike {
	return async (input, init) => {
		const response = await base(input, init);
		onBytes();
		if (!response.body) return response;
		const tap = new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				onBytes();
				controller.enqueue(chunk);
			},
		});
		return new Response(response.body.pipeThrough(tap), { status: response.status, statusText: response.statusText, headers: response.headers });
	};
}

/**
 * One request, bounded: the SDK's own timeout until the response starts, a stall watchdog
 * between stream events, and the draft's deadline. A transport that cannot be aborted
 * (requestUrl) is raced, so the wait still ends on time.
 */
async function attemptOnce(
	client: Anthropic,
	config: ClaudeConfig,
	params: MessageCreateParamsNonStreaming,
	limits: TransportLimits,
	deadlineAt: number,
	options: CallOptions,
	state: { streamed: boolean; watchdog: Watchdog },
): Promise<Message> {
	const { Anthropic } = await loadSdk();
	const controller = new AbortController();
	let rejectWatch: (error: unknown) => void = () => undefined;
	const watched = new Promise<never>((_, reject) => (rejectWatch = reject));
	watched.catch(() => undefined);
	const trip = (why: Watchdog | "cancel"): void => {
		if (why !== "cancel") state.watchdog = why;
		controller.abort();
		rejectWatch(why === "cancel" ? new DraftError("cancelled", "Drafting was cancelled.") : new Anthropic.APIUserAbortError());
	};
	const onCancel = (): void => trip("cancel");
	options.signal?.addEventListener("abort", onCancel, { once: true });
	const deadlineTimer = timers.setTimeout(() => trip("deadline"), Math.max(0, deadlineAt - Date.now()));
	let stallTimer: unknown = null;
	const armStall = (): void => {
		if (stallTimer) timers.clearTimeout(stallTimer);
		stallTimer = timers.setTimeout(() => trip("stall"), limits.stallTimeoutMs);
	};
	const requestOptions = { signal: controller.signal, maxRetries: 0, timeout: Math.max(1, Math.min(limits.requestTimeoutMs, deadlineAt - Date.now())) };
	try {
		if (config.stream) {
			// Any bytes count as life, the API's pings included (it sends them while it thinks).
			const live = config.fetch ? client.withOptions({ fetch: fetchThatReportsBytes(config.fetch, armStall) }) : client;
			const stream = live.messages.stream(params, requestOptions);
			let soFar = "";
			stream.on("connect", armStall);
			stream.on("streamEvent", armStall);
			stream.on("text", (delta) => {
				state.streamed = true;
				soFar += delta;
				options.onText?.(delta, soFar);
			});
			return await Promise.race([stream.finalMessage(), watched]);
		}
		const message = await Promise.race([client.messages.create(params, requestOptions), watched]);
		options.onText?.(textOf(message), textOf(message));
		return message;
	} finally {
		timers.clearTimeout(deadlineTimer);
		if (stallTimer) timers.clearTimeout(stallTimer);
		options.signal?.removeEventListener("abort", onCancel);
	}
}

export async function requestDraft(config: ClaudeConfig, request: DraftRequest, options: CallOptions = {}, deadlineAt?: number): Promise<ClaudeResult> {
	const limits = resolveLimits(config.limits, config.timeoutMs, config.maxRetries);
	const until = deadlineAt ?? Date.now() + limits.deadlineMs;
	// Our own retries (the SDK's are off per request), and no SDK logging: it prints raw stream chunks.
	const client = (await createClient(config)).withOptions({ logLevel: "off" });
	const params: MessageCreateParamsNonStreaming = {
		model: request.model,
		max_tokens: request.maxTokens,
		system: request.prompt.system,
		messages: [{ role: "user", content: request.prompt.user }],
	};
	if (request.continuation) {
		// The API rejects an assistant turn that ends in whitespace.
		params.messages.push({ role: "assistant", content: request.continuation.partial.trimEnd() }, { role: "user", content: request.continuation.instruction });
	}
	// The SDK's types no longer list sampling parameters (current models reject them), but it
	// passes the body through, so older models still get the temperature the user chose.
	if (request.temperature !== null && request.temperature !== undefined) Object.assign(params, { temperature: request.temperature });
	const state: { streamed: boolean; watchdog: Watchdog } = { streamed: false, watchdog: null };
	const deadlineError = (): DraftError =>
		new DraftError("timeout", `No reply within the ${duration(limits.deadlineMs)} allowed per draft (the "Draft deadline" setting); nothing was written. Try again later.`);
	for (let attempt = 0; ; attempt++) {
		state.watchdog = null;
		try {
			const message = await attemptOnce(client, config, params, limits, until, options, state);
			const text = textOf(message);
			// A refusal may come after some text has streamed: it is never a draft.
			if (message.stop_reason === "refusal") {
				throw new DraftError("refused", "Claude declined to draft this reply (stop reason: refusal). No note was written; edit the email's context or draft this one yourself.");
			}
			if (!text.trim()) throw new DraftError("empty", `Claude returned an empty answer (stop reason: ${message.stop_reason ?? "unknown"}). No note was written; try again.`);
			return { text, model: message.model || request.model, usage: usageOf(message.usage), stopReason: message.stop_reason ?? null };
		} catch (error) {
			if (options.signal?.aborted) throw new DraftError("cancelled", "Drafting was cancelled.");
			if (state.watchdog === "deadline") throw deadlineError();
			if (state.watchdog === "stall") {
				throw new DraftError(
					"timeout",
					`Claude's reply stalled: nothing arrived for ${duration(limits.stallTimeoutMs)} (the "Stall timeout" setting); nothing was written. Try again.`,
				);
			}
			const failure = toDraftError(error, request.model, config.apiKey, limits);
			if (failure.kind === "network" && config.fallback && !state.streamed) return requestDraft(config.fallback, request, options, until);
			// Once text has been shown, a retry would show a different reply: fail clearly instead.
			if (!RETRYABLE.has(failure.kind) || state.streamed || attempt >= limits.retries) throw failure;
			const asked = retryAfterOf(error);
			if (asked !== null && asked > limits.maxRetryAfterMs) {
				throw new DraftError(
					failure.kind,
					`${failure.message.replace(/,? even after retrying\.?.*$/, "")}: the API asks to wait ${duration(asked)}, longer than the ${duration(limits.maxRetryAfterMs)} this plugin waits (the "Longest retry wait" setting). Try again later.`,
					failure.status,
				);
			}
			const wait = asked ?? backoff(attempt);
			if (Date.now() + wait >= until) throw deadlineError();
			options.onRetry?.({ attempt: attempt + 1, waitMs: wait, reason: failure.message });
			await sleep(wait, options.signal);
		}
	}
}

export interface ModelChoice {
	id: string;
	displayName: string;
}

/** The API's own list of active models, newest first. */
export async function listActiveModels(config: ClaudeConfig): Promise<ModelChoice[]> {
	const client = await createClient(config);
	const out: ModelChoice[] = [];
	try {
		for await (const model of client.models.list({ limit: 100 })) {
			const lifecycle = (model as { lifecycle?: string }).lifecycle;
			if (lifecycle && lifecycle !== "active") continue;
			out.push({ id: model.id, displayName: model.display_name || model.id });
		}
	} catch (error) {
		throw toDraftError(error, "", config.apiKey);
	}
	return out;
}
