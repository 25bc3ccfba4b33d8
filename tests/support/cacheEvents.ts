/**
 * Awaiting the metadata cache's events in tests, as plugin code must in the app: a write
 * returns before the note is parsed (`changed`) and its links resolved (`resolve`, `resolved`).
 * Subscribe before the write, then await.
 */
import type { EventRef } from "obsidian";

interface Emitter {
	on(name: string, callback: (...args: never[]) => unknown): EventRef;
	offref(ref: EventRef): void;
}

/** The next `name` event (for which `accept` holds), with its arguments. */
export function nextEvent<A extends unknown[] = unknown[]>(emitter: Emitter, name: string, accept: (...args: A) => boolean = () => true, timeoutMs = 2000): Promise<A> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			emitter.offref(ref);
			reject(new Error(`no "${name}" event within ${timeoutMs} ms`));
		}, timeoutMs);
		const ref = emitter.on(name, (...args: never[]) => {
			const values = args as unknown as A;
			if (!accept(...values)) return;
			clearTimeout(timer);
			emitter.offref(ref);
			resolve(values);
		});
	});
}

/** Runs a write and waits for the cache's `resolved` that follows it. */
export async function writeAndSettle<T>(cache: Emitter, write: () => Promise<T>): Promise<T> {
	const settled = nextEvent(cache, "resolved");
	const result = await write();
	await settled;
	return result;
}
