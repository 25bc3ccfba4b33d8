/** A large run collects its garbage before writing the cache (headless/memory.ts). */
import { describe, it, expect } from "@jest/globals";
import { getHeapStatistics } from "v8";
import { collectIfLarge } from "../../headless/memory";

describe("collecting before the cache is written", () => {
	it("runs a full collection when the heap is over the threshold, and frees the garbage", () => {
		let junk: number[][] | null = Array.from({ length: 100 }, () => new Array<number>(100_000).fill(1.5));
		expect(junk.length).toBe(100);
		junk = null;
		const before = getHeapStatistics().used_heap_size;
		expect(collectIfLarge(0)).toBe(true);
		// About 80 MB of arrays were garbage.
		expect(before - getHeapStatistics().used_heap_size).toBeGreaterThan(40 * 1024 * 1024);
	});

	it("leaves a small heap to V8", () => {
		expect(collectIfLarge(Number.MAX_SAFE_INTEGER)).toBe(false);
	});
});
