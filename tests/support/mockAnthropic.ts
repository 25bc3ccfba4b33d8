/**
 * A local server on 127.0.0.1 that speaks the Anthropic Messages API as the real one does:
 * JSON messages, the server-sent event sequence for streams, error bodies
 * `{type: "error", error: {type, message}}`, `retry-after`, and the models list.
 * Tests queue the responses they want and read back every request.
 *
 * Prompt caching behaves as Anthropic documents it: a system prefix marked with
 * `cache_control` is cached only when it reaches the model's minimum cacheable length
 * (counted here as characters / 4); the first such request writes it, and later requests
 * with the byte-identical prefix read it (`cache_read_input_tokens`, and `cacheReads`).
 */
import { afterAll, beforeAll } from "@jest/globals";
import * as http from "http";
import type { AddressInfo } from "net";
import { minCacheableTokens } from "../../src/draft/cache";

export interface RecordedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Record<string, unknown> | null;
}

export type Reply =
	| { kind: "message"; text: string; usage?: Partial<UsageShape>; model?: string; stopReason?: string }
	| {
			kind: "stream";
			chunks: string[];
			usage?: Partial<UsageShape>;
			model?: string;
			delayMs?: number;
			hangAfter?: number;
			breakAfter?: StreamBreak;
			pingsFirst?: { count: number; everyMs: number };
			stopReason?: string;
	  }
	| { kind: "error"; status: number; type: string; message: string; headers?: Record<string, string> }
	| { kind: "models"; models: Array<{ id: string; display_name: string; lifecycle?: string }> }
	| { kind: "drop" }
	/** Accepts the request and never answers. */
	| { kind: "hang" };

/**
 * How a stream goes wrong after `at` text chunks: the connection is reset, the API sends an
 * `error` event (as it does when it overloads mid-reply), or an event that is not JSON (a
 * gateway mangling the stream; `data` is what it sends, and may echo a secret).
 */
export type StreamBreak = { at: number; how: "reset" } | { at: number; how: "error-event"; errorType: string; message?: string } | { at: number; how: "malformed"; data: string };

interface UsageShape {
	input_tokens: number;
	output_tokens: number;
	cache_creation_input_tokens: number;
	cache_read_input_tokens: number;
}

const ERROR_TYPES: Record<number, string> = {
	400: "invalid_request_error",
	401: "authentication_error",
	403: "permission_error",
	404: "not_found_error",
	413: "request_too_large",
	429: "rate_limit_error",
	500: "api_error",
	529: "overloaded_error",
};

export function errorReply(status: number, message = "error", headers?: Record<string, string>): Reply {
	return { kind: "error", status, type: ERROR_TYPES[status] ?? "api_error", message, headers };
}

export class MockAnthropic {
	readonly requests: RecordedRequest[] = [];
	private readonly queue: Reply[] = [];
	/** Used when the queue is empty. */
	fallback: Reply = { kind: "message", text: "Hello from the mock." };
	private server: http.Server | null = null;
	private readonly sockets = new Set<import("net").Socket>();
	url = "";
	/** Requests that read their prefix from the cache. */
	cacheReads = 0;
	/** Prefixes written to the cache, as sent. */
	readonly cachedPrefixes = new Set<string>();

	/** Forgets queued replies and recorded requests (between cases that may leave some unused). */
	reset(): void {
		this.queue.length = 0;
		this.requests.length = 0;
	}

	enqueue(...replies: Reply[]): void {
		this.queue.push(...replies);
	}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.on("connection", (s) => {
			this.sockets.add(s);
			s.on("close", () => this.sockets.delete(s));
		});
		await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		for (const s of this.sockets) s.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	/** What the real API would report for caching, from the request's system blocks. */
	private cacheUsage(body: Record<string, unknown> | null, model: string): Partial<UsageShape> {
		const system = Array.isArray(body?.system) ? (body.system as Array<{ text?: string; cache_control?: unknown }>) : [];
		const marked = system.map((b) => !!b.cache_control).lastIndexOf(true);
		if (marked < 0) return {};
		const prefix = system
			.slice(0, marked + 1)
			.map((b) => b.text ?? "")
			.join("");
		const tokens = Math.ceil(prefix.length / 4);
		if (tokens < minCacheableTokens(model)) return {};
		if (this.cachedPrefixes.has(prefix)) {
			this.cacheReads++;
			return { cache_read_input_tokens: tokens, cache_creation_input_tokens: 0 };
		}
		this.cachedPrefixes.add(prefix);
		return { cache_creation_input_tokens: tokens, cache_read_input_tokens: 0 };
	}

	messageRequests(): RecordedRequest[] {
		return this.requests.filter((r) => r.url.startsWith("/v1/messages"));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks).toString("utf8");
		let body: Record<string, unknown> | null = null;
		try {
			body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
		} catch {
			body = null;
		}
		this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
		let reply = this.queue.shift() ?? this.fallback;
		// Answer in the form the request asked for, as the real API does.
		const wantsStream = body?.stream === true;
		if (reply.kind === "stream" && !wantsStream) {
			const { delayMs, chunks, usage: u, model: m, stopReason } = reply;
			if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
			reply = { kind: "message", text: chunks.join(""), usage: u, model: m, stopReason };
		} else if (reply.kind === "message" && wantsStream) reply = { kind: "stream", chunks: [reply.text], usage: reply.usage, model: reply.model, stopReason: reply.stopReason };
		const model = typeof body?.model === "string" ? body.model : "claude-sonnet-5-5";
		const cache = reply.kind === "message" || reply.kind === "stream" ? this.cacheUsage(body, model) : {};
		// A test's own figures win over the computed ones.
		const usage = (u?: Partial<UsageShape>): UsageShape => ({ input_tokens: 120, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...cache, ...u });
		const requestId = `req_${this.requests.length}`;

		switch (reply.kind) {
			case "drop":
				req.socket.destroy();
				return;
			case "hang":
				return;
			case "error": {
				res.writeHead(reply.status, { "content-type": "application/json", "request-id": requestId, ...(reply.headers ?? {}) });
				res.end(JSON.stringify({ type: "error", error: { type: reply.type, message: reply.message } }));
				return;
			}
			case "models": {
				res.writeHead(200, { "content-type": "application/json" });
				const data = reply.models.map((m) => ({ type: "model", id: m.id, display_name: m.display_name, created_at: "2026-06-30T00:00:00Z", lifecycle: m.lifecycle ?? "active" }));
				res.end(JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null }));
				return;
			}
			case "message": {
				res.writeHead(200, { "content-type": "application/json", "request-id": requestId });
				res.end(
					JSON.stringify({
						id: "msg_mock",
						type: "message",
						role: "assistant",
						model: reply.model ?? model,
						content: [{ type: "text", text: reply.text }],
						stop_reason: reply.stopReason ?? "end_turn",
						stop_sequence: null,
						usage: usage(reply.usage),
					}),
				);
				return;
			}
			case "stream": {
				res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": requestId });
				const send = (event: string, data: unknown): void => {
					res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
				};
				const u = usage(reply.usage);
				send("message_start", {
					type: "message_start",
					message: { id: "msg_mock", type: "message", role: "assistant", model: reply.model ?? model, content: [], stop_reason: null, stop_sequence: null, usage: { ...u, output_tokens: 1 } },
				});
				// A model that thinks for a while: only pings, as the API sends them, before any text.
				for (let i = 0; i < (reply.pingsFirst?.count ?? 0); i++) {
					await new Promise((r) => setTimeout(r, reply.pingsFirst?.everyMs ?? 0));
					send("ping", { type: "ping" });
				}
				send("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
				send("ping", { type: "ping" });
				for (let i = 0; i < reply.chunks.length; i++) {
					if (reply.hangAfter !== undefined && i === reply.hangAfter) return; // keep the connection open, send nothing more
					const broken = reply.breakAfter;
					if (broken && i === broken.at) {
						if (broken.how === "reset") {
							// Let what was written reach the client first, then cut the connection.
							await new Promise((r) => setTimeout(r, 50));
							req.socket.destroy();
						}
						else if (broken.how === "error-event") {
							send("error", { type: "error", error: { type: broken.errorType, message: broken.message ?? "Overloaded" } });
							res.end();
						} else {
							res.write(`event: content_block_delta\ndata: ${broken.data}\n\n`);
							res.end();
						}
						return;
					}
					send("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: reply.chunks[i] } });
					if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
				}
				send("content_block_stop", { type: "content_block_stop", index: 0 });
				send("message_delta", { type: "message_delta", delta: { stop_reason: reply.stopReason ?? "end_turn", stop_sequence: null }, usage: { output_tokens: u.output_tokens } });
				send("message_stop", { type: "message_stop" });
				res.end();
				return;
			}
		}
	}
}

/** A local server for the whole test file: started before its tests, stopped after them. */
export function useMockAnthropic(): MockAnthropic {
	const mock = new MockAnthropic();
	beforeAll(async () => {
		await mock.start();
	});
	afterAll(async () => {
		await mock.stop();
	});
	return mock;
}
