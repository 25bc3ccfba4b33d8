/**
 * A `fetch` for the Anthropic SDK built on Obsidian's `requestUrl`, which bypasses CORS and
 * works on every platform, but buffers the whole response (no streaming) and cannot be
 * aborted: a cancelled request is abandoned and its answer ignored.
 */
import { requestUrl } from "obsidian";
import type { FetchLike } from "../draft/claude";

function abortError(): Error {
	const error = new Error("The request was aborted.");
	error.name = "AbortError";
	return error;
}

async function bodyOf(body: BodyInit | null | undefined): Promise<string | ArrayBuffer | undefined> {
	if (body === null || body === undefined) return undefined;
	if (typeof body === "string") return body;
	if (body instanceof ArrayBuffer) return body;
	return new Response(body).arrayBuffer();
}

export function requestUrlFetch(): FetchLike {
	return async (input, init) => {
		const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
		// The SDK passes a Headers object; requestUrl wants a plain record.
		const headers: Record<string, string> = {};
		new Headers(init?.headers).forEach((value, key) => {
			headers[key] = value;
		});
		const signal = init?.signal;
		if (signal?.aborted) throw abortError();
		const request = requestUrl({
			url,
			method: init?.method ?? "GET",
			headers,
			contentType: headers["content-type"],
			body: await bodyOf(init?.body),
			throw: false,
		});
		const response = await new Promise<Awaited<typeof request>>((resolve, reject) => {
			const onAbort = (): void => reject(abortError());
			signal?.addEventListener("abort", onAbort, { once: true });
			request.then(
				(r) => {
					signal?.removeEventListener("abort", onAbort);
					resolve(r);
				},
				(e: unknown) => {
					signal?.removeEventListener("abort", onAbort);
					reject(e instanceof Error ? e : new TypeError(String(e)));
				},
			);
		});
		const noBody = response.status === 204 || response.status === 304;
		return new Response(noBody ? null : response.arrayBuffer, { status: response.status, headers: response.headers });
	};
}
