/**
 * The engine compiled through V8's code cache (headless/cli/codeCache.ts): loaded as `require`
 * loads a CommonJS file, started from stored bytes only when they were made from this very file,
 * and stored again only when a command they do not cover succeeds.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from "fs";
import * as path from "path";
import { codeCacheFile, loadCompiled } from "../../headless/cli/codeCache";
import { cacheDirFor } from "../../headless/cacheDir";
import { cleanupVaults, tempDir } from "../support/vault";

afterAll(cleanupVaults);

/** A CommonJS module with enough code for V8 to cache, and a lazy function it calls when asked. */
function moduleSource(answer: number): string {
	const helpers = Array.from({ length: 40 }, (_, i) => `function helper${i}(x) { return x * ${i + 1} + ${answer}; }`).join("\n");
	return `"use strict";\n${helpers}\nconst near = require("./near.js");\nmodule.exports = { answer: () => ${answer}, sum: () => helper3(1) + helper7(2), near, file: __filename, dir: __dirname };\n`;
}

function setUp(answer = 42): { dir: string; file: string; cacheFile: string } {
	const dir = tempDir("erd-code-");
	writeFileSync(path.join(dir, "engine.js"), moduleSource(answer));
	writeFileSync(path.join(dir, "near.js"), `module.exports = "beside";\n`);
	return { dir, file: path.join(dir, "engine.js"), cacheFile: codeCacheFile(path.join(dir, "cache"), "0123456789abcdef0123") };
}

type Engine = { answer: () => number; sum: () => number; near: string; file: string; dir: string };

describe("loadCompiled", () => {
	it("loads a file as require does: its exports, its require resolving beside it, its own __filename", () => {
		const { dir, file } = setUp();
		const loaded = loadCompiled(file, null);
		const engine = loaded.exports as Engine;
		expect([engine.answer(), engine.sum(), engine.near, engine.file, engine.dir]).toEqual([42, 4 + 42 + 16 + 42, "beside", file, dir]);
		expect([loaded.fromCache, loaded.store]).toEqual([false, null]);
	});

	it("a missing file fails as require's does (MODULE_NOT_FOUND), so the entry can name it", () => {
		const dir = tempDir("erd-code-");
		expect(() => loadCompiled(path.join(dir, "engine.js"), null)).toThrow(expect.objectContaining({ code: "MODULE_NOT_FOUND" }));
	});

	it("stores the bytes once per command, and the next run starts from them", () => {
		const { file, cacheFile } = setUp();
		const first = loadCompiled(file, { file: cacheFile, command: "context" });
		expect(first.fromCache).toBe(false);
		expect((first.exports as Engine).sum()).toBe(104);
		first.store?.();
		expect(existsSync(cacheFile)).toBe(true);
		expect(statSync(cacheFile).mode & 0o777).toBe(0o600);

		const second = loadCompiled(file, { file: cacheFile, command: "context" });
		expect(second.fromCache).toBe(true);
		expect(second.store).toBeNull();
		expect((second.exports as Engine).answer()).toBe(42);

		// Another command's run adds its functions: stored again, and then covered.
		const triage = loadCompiled(file, { file: cacheFile, command: "triage" });
		expect(triage.fromCache).toBe(true);
		triage.store?.();
		expect(loadCompiled(file, { file: cacheFile, command: "triage" }).store).toBeNull();
		expect(loadCompiled(file, { file: cacheFile, command: "context" }).store).toBeNull();
	});

	it("never uses bytes made from another version of the file, even one of the same size", () => {
		const { file, cacheFile } = setUp(42);
		loadCompiled(file, { file: cacheFile, command: "context" }).store?.();
		// Same length, other code (V8's own check is by length), and a later modification time.
		writeFileSync(file, moduleSource(43));
		utimesSync(file, new Date(), new Date(Date.now() + 5000));
		const changed = loadCompiled(file, { file: cacheFile, command: "context" });
		expect(changed.fromCache).toBe(false);
		expect((changed.exports as Engine).answer()).toBe(43);
		// It stores bytes for the file as it now is.
		changed.store?.();
		expect(loadCompiled(file, { file: cacheFile, command: "context" }).fromCache).toBe(true);
	});

	it("a damaged or foreign cache file is ignored: the file compiles as usual and the cache is stored anew", () => {
		const { file, cacheFile } = setUp();
		loadCompiled(file, { file: cacheFile, command: "context" }).store?.();
		const good = readFileSync(cacheFile);
		for (const bad of [Buffer.from("not a cache"), good.subarray(0, 20), Buffer.concat([good.subarray(0, 12), Buffer.from("{broken"), good.subarray(40)]), Buffer.alloc(good.length, 7)]) {
			writeFileSync(cacheFile, bad);
			const loaded = loadCompiled(file, { file: cacheFile, command: "context" });
			expect(loaded.fromCache).toBe(false);
			expect((loaded.exports as Engine).sum()).toBe(104);
			expect(loaded.store).not.toBeNull();
		}
		// V8's bytes damaged behind a valid header: V8 itself would take them (it checks their
		// integrity only in debug builds); the checksum refuses them.
		const headerEnd = 12 + good.readUInt32LE(8);
		const flipped = Buffer.from(good);
		for (let i = headerEnd + 16; i < flipped.length; i += 7) flipped[i] = flipped[i]! ^ 0xff;
		writeFileSync(cacheFile, flipped);
		const loaded = loadCompiled(file, { file: cacheFile, command: "context" });
		expect(loaded.fromCache).toBe(false);
		expect((loaded.exports as Engine).sum()).toBe(104);
	});

	it("a cache folder that cannot be written costs nothing but the cache", () => {
		const { dir, file } = setUp();
		writeFileSync(path.join(dir, "occupied"), "a file where the cache folder would be");
		const blocked = codeCacheFile(path.join(dir, "occupied"), "0123456789abcdef");
		const loaded = loadCompiled(file, { file: blocked, command: "context" });
		expect(() => loaded.store?.()).not.toThrow();
		expect((loaded.exports as Engine).answer()).toBe(42);
	});

	it("the cache file's name carries the build, the processor and V8's version", () => {
		const name = path.basename(codeCacheFile("/c", "feedfacecafebeef0000"));
		expect(name).toBe(`code-feedfacecafebeef-${process.arch}-v8-${process.versions.v8}.cache`);
	});
});

describe("cacheDirFor", () => {
	it("--no-cache: none; --cache-dir: that folder, absolute; else the platform's", () => {
		expect(cacheDirFor({ noCache: true, cacheDir: "/x" }, { HOME: "/home/ana" })).toBeNull();
		expect(cacheDirFor({ cacheDir: "rel" }, {})).toBe(path.resolve("rel"));
		expect(cacheDirFor({}, { HOME: "/home/ana", XDG_CACHE_HOME: "/var/c" })).toBe(process.platform === "win32" || process.platform === "darwin" ? expect.any(String) : "/var/c/email-reply-drafter");
	});
});
