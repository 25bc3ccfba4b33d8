/**
 * cli.js: the program's entry. It sets V8 up, finds the compiled-code cache, and loads the
 * engine (engine.js beside it: ./run.ts and everything it imports) through it (./codeCache.ts).
 * It stays small: everything here is parsed and compiled on every run.
 */
import * as nodePath from "path";
import { setFlagsFromString } from "v8";
import { cacheDirFor } from "../cacheDir";
import { MissingPartError } from "../../src/shared/lazyPart";
import { parseArgs } from "./args";
import { codeCacheFile, loadCompiled, type CodeCache } from "./codeCache";
import type * as Engine from "./run";

/** The engine's content hash, put in by the build (scripts/cli-bundle.mjs); without it, no code cache. */
declare const ENGINE_BUILD_ID: string | undefined;

// A run lasts a second or less and meets most of its regular expressions (the email parser's
// hundreds of patterns, in a dozen languages) only a few times. By default V8 compiles each to
// bytecode first and compiles it again to machine code on its second use: for these patterns
// that is two expensive compilations instead of one (a third of the time an email takes to
// parse). Matching is the same either way; only when the compiling happens changes. Set before
// the engine is loaded, so that no pattern has been compiled yet, and before its code cache is
// read, since V8 accepts cached code only under the flags it was made with.
setFlagsFromString("--no-regexp-tier-up");

function codeCache(argv: string[]): CodeCache | null {
	if (typeof ENGINE_BUILD_ID !== "string") return null;
	try {
		const args = parseArgs(argv);
		const dir = cacheDirFor({ cacheDir: args["cache-dir"], noCache: args["no-cache"] }, process.env);
		return dir ? { file: codeCacheFile(dir, ENGINE_BUILD_ID), command: args.command } : null;
	} catch {
		// The engine reports the usage error.
		return null;
	}
}

function loadEngine(argv: string[]): typeof Engine | null {
	try {
		const { exports, store } = loadCompiled(nodePath.join(__dirname, "engine.js"), codeCache(argv));
		// At exit, with every function the run needed compiled; a failed run (a typo in a
		// flag) compiled little and is not worth storing.
		if (store) process.once("exit", (code) => code === 0 && store());
		return exports as typeof Engine;
	} catch (error) {
		if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
		process.stderr.write(`reply-drafter: ${new MissingPartError("engine.js").message}\n`);
		process.exitCode = 1;
		return null;
	}
}

const argv = process.argv.slice(2);
const engine = loadEngine(argv);
if (engine) {
	void engine
		.runCli(argv, {
			stdout: (text) => process.stdout.write(text),
			stderr: (text) => process.stderr.write(text),
			env: process.env,
			stderrIsTTY: process.stderr.isTTY,
		})
		.then((code) => {
			process.exitCode = code;
		});
}
