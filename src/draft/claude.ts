/**
 * Calls Claude through the official SDK. Streams when the transport can (desktop fetch,
 * Node), so the draft appears as it is written; otherwise one buffered request (Obsidian's
 * `requestUrl`, which works everywhere). Every failure becomes a DraftError with a message
 * a person can act on; the API key never appears in one.
 */
import { Anthropic, type ApiUsage, type Message, type MessageCreateParamsNonStreaming, type TextBlock } from "./anthropic";
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
}

export interface ClaudeResult {
	text: string;
	model: string;
	usage: Usage;
	stopReason: string | null;
}

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
	| "timeout"
	| "cancelled"
	| "empty"
	| "unknown";

export class DraftError extends Error {
	constructor(readonly kind: DraftErrorKind, message: string, readonly status?: number) {
		super(message);
		this.name = "DraftError";
	}
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
export function createClient(config: ClaudeConfig): Anthropic {
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

/** Maps an SDK error to what the user should know and do. */
export function toDraftError(error: unknown, model: string, apiKey?: string): DraftError {
	if (error instanceof DraftError) return error;
	const scrub = (s: string): string => (apiKey ? s.split(apiKey).join("[key]") : s);
	if (error instanceof Anthropic.APIUserAbortError) return new DraftError("cancelled", "Drafting was cancelled.");
	if (error instanceof Anthropic.APIConnectionTimeoutError) return new DraftError("timeout", "Claude did not answer in time. Try again in a moment.");
	if (error instanceof Anthropic.APIConnectionError) {
		return new DraftError("network", "Could not reach the Anthropic API. Check your internet connection (and the base URL setting, if you use a proxy).");
	}
	if (error instanceof Anthropic.APIError) {
		const shape = error as ApiErrorShape;
		const status = typeof shape.status === "number" ? shape.status : 0;
		const detail = scrub(apiMessage(shape));
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
	const message = error instanceof Error ? error.message : String(error);
	return new DraftError("unknown", scrub(`Drafting failed: ${message}`));
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
}

export async function requestDraft(config: ClaudeConfig, request: DraftRequest, options: CallOptions = {}): Promise<ClaudeResult> {
	const client = createClient(config);
	const params: MessageCreateParamsNonStreaming = {
		model: request.model,
		max_tokens: request.maxTokens,
		system: request.prompt.system,
		messages: [{ role: "user", content: request.prompt.user }],
	};
	// The SDK's types no longer list sampling parameters (current models reject them), but it
	// passes the body through, so older models still get the temperature the user chose.
	if (request.temperature !== null && request.temperature !== undefined) Object.assign(params, { temperature: request.temperature });
	let streamed = false;
	try {
		let message: Message;
		if (config.stream) {
			const stream = client.messages.stream(params, { signal: options.signal });
			let soFar = "";
			stream.on("text", (delta) => {
				streamed = true;
				soFar += delta;
				options.onText?.(delta, soFar);
			});
			message = await stream.finalMessage();
		} else {
			message = await client.messages.create(params, { signal: options.signal });
			options.onText?.(textOf(message), textOf(message));
		}
		const text = textOf(message);
		if (!text.trim()) throw new DraftError("empty", `Claude returned no text (stop reason: ${message.stop_reason ?? "unknown"}).`);
		return { text, model: message.model || request.model, usage: usageOf(message.usage), stopReason: message.stop_reason ?? null };
	} catch (error) {
		if (options.signal?.aborted) throw new DraftError("cancelled", "Drafting was cancelled.");
		const failure = toDraftError(error, request.model, config.apiKey);
		if (failure.kind === "network" && config.fallback && !streamed) return requestDraft(config.fallback, request, options);
		throw failure;
	}
}

export interface ModelChoice {
	id: string;
	displayName: string;
}

/** The API's own list of active models, newest first. */
export async function listActiveModels(config: ClaudeConfig): Promise<ModelChoice[]> {
	const client = createClient(config);
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
