/**
 * The engine compiled through V8's code cache (headless/cli/codeCache.ts): loaded as `require`
 * loads a CommonJS file, started from stored bytes only when they were made from this very file,
 * and stored again only when a command they do not cover succeeds.
 *
 * Each load runs in a Node process of its own, as a command-line run does: within one process
 * V8 reuses what it compiled before and never looks at the stored bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "child_process";
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from "fs";
import * as path from "path";
import { codeCacheFile } from "../../headless/cli/codeCache";
import { cacheDirFor } from "../../headless/cacheDir";
import { cleanupVaults, tempDir } from "../support/vault";

afterAll(cleanupVaults);

let runner = "";

beforeAll(async () => {
	const { buildSync } = await import("esbuild");
	const dir = tempDir("erd-code-runner-");
	const entry = path.join(dir, "runner.ts");
	// Loads FILE through the cache CACHE (none when empty) for COMMAND, reports, and stores when STORE.
	writeFileSync(
		entry,
		`import { loadCompiled } from ${JSON.stringify(path.resolve(__dirname, "../../headless/cli/codeCache"))};
		const cache = process.env.CACHE ? { file: process.env.CACHE, command: process.env.COMMAND ?? "" } : null;
		const loaded = loadCompiled(process.env.FILE ?? "", cache);
		const engine = loaded.exports as { answer: () => number; sum: () => number; near: string; file: string; dir: string };
		if (process.env.STORE) loaded.store?.();
		const inCache = require.cache[process.env.FILE ?? ""]?.exports === engine;
		process.stdout.write(JSON.stringify({ fromCache: loaded.fromCache, store: loaded.store !== null, answer: engine.answer(), sum: engine.sum(), near: engine.near, file: engine.file, dir: engine.dir, inCache }));`,
	);
	runner = path.join(dir, "runner.js");
	buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", outfile: runner, logLevel: "silent" });
}, 30000);

interface Run {
	fromCache: boolean;
	store: boolean;
	answer: number;
	sum: number;
	near: string;
	file: string;
	dir: string;
	inCache: boolean;
}

function run(file: string, cacheFile: string | null, command = "context", store = true): Run {
	const env = { PATH: process.env.PATH ?? "", FILE: file, CACHE: cacheFile ?? "", COMMAND: command, ...(store ? { STORE: "1" } : {}) };
	return JSON.parse(execFileSync(process.execPath, [runner], { env, encoding: "utf8" })) as Run;
}

/** A CommonJS module with enough code for V8 to cache, and a file it requires beside it. */
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

describe("loadCompiled", () => {
	it("loads a file as require does: its exports, its require resolving beside it, its own __filename, in require.cache", () => {
		const { dir, file } = setUp();
		expect(run(file, null)).toEqual({ fromCache: false, store: false, answer: 42, sum: 4 + 42 + 16 + 42, near: "beside", file, dir, inCache: true });
	});

	it("a missing file fails as require's does (MODULE_NOT_FOUND), so the entry can name it", async () => {
		const { loadCompiled } = await import("../../headless/cli/codeCache");
		const dir = tempDir("erd-code-");
		expect(() => loadCompiled(path.join(dir, "engine.js"), null)).toThrow(expect.objectContaining({ code: "MODULE_NOT_FOUND" }));
	});

	it("stores the bytes once per command, and the next run starts from them", () => {
		const { file, cacheFile } = setUp();
		expect(run(file, cacheFile)).toMatchObject({ fromCache: false, store: true, sum: 104 });
		expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
		expect(run(file, cacheFile)).toMatchObject({ fromCache: true, store: false, answer: 42 });
		// Another command's run adds its functions: stored again, and then covered, the first too.
		expect(run(file, cacheFile, "triage")).toMatchObject({ fromCache: true, store: true });
		expect(run(file, cacheFile, "triage")).toMatchObject({ fromCache: true, store: false });
		expect(run(file, cacheFile, "context")).toMatchObject({ fromCache: true, store: false });
	});

	it("never uses bytes made from another version of the file, even one of the same size", () => {
		const { file, cacheFile } = setUp(42);
		run(file, cacheFile);
		// Same length, other code (V8's own check is by length), and a later modification time.
		writeFileSync(file, moduleSource(43));
		utimesSync(file, new Date(), new Date(Date.now() + 5000));
		expect(run(file, cacheFile)).toMatchObject({ fromCache: false, store: true, answer: 43 });
		// It stored bytes for the file as it now is.
		expect(run(file, cacheFile)).toMatchObject({ fromCache: true, answer: 43 });
	});

	it("a damaged or foreign cache file is ignored: the file compiles as usual and the cache is stored anew", () => {
		const { file, cacheFile } = setUp();
		run(file, cacheFile);
		const good = readFileSync(cacheFile);
		for (const bad of [Buffer.from("not a cache"), good.subarray(0, 20), Buffer.concat([good.subarray(0, 12), Buffer.from("{broken"), good.subarray(40)]), Buffer.alloc(good.length, 7)]) {
			writeFileSync(cacheFile, bad);
			expect(run(file, cacheFile, "context", false)).toMatchObject({ fromCache: false, store: true, sum: 104 });
		}
		// V8's bytes damaged behind a valid header: without its checksum V8 would deserialise them
		// and abort the process; with it, it refuses them.
		const headerEnd = 12 + good.readUInt32LE(8);
		const flipped = Buffer.from(good);
		for (let i = headerEnd + 64; i < flipped.length; i += 7) flipped[i] = flipped[i]! ^ 0xff;
		writeFileSync(cacheFile, flipped);
		expect(run(file, cacheFile)).toMatchObject({ fromCache: false, store: true, sum: 104 });
		expect(run(file, cacheFile)).toMatchObject({ fromCache: true, store: false, sum: 104 });
	});

	it("a cache folder that cannot be written costs nothing but the cache", () => {
		const { dir, file } = setUp();
		writeFileSync(path.join(dir, "occupied"), "a file where the cache folder would be");
		const blocked = codeCacheFile(path.join(dir, "occupied"), "0123456789abcdef");
		expect(run(file, blocked)).toMatchObject({ fromCache: false, answer: 42 });
		expect(existsSync(blocked)).toBe(false);
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
