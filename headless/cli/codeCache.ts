/**
 * Loading the engine (engine.js, beside cli.js) through V8's code cache.
 *
 * Before a run does anything, Node parses the engine's 700 KB and then compiles each function on
 * its first call: about 30 ms of a warm `context` run that takes 300 ms. V8 can serialise what it
 * compiled and start from that the next time (Node 22 does this for every module with
 * `module.enableCompileCache()`, which Node 20 does not have). So the engine is compiled as a
 * `vm.Script` given the bytes an earlier run stored, and a run whose command the stored bytes do
 * not yet cover stores them again at exit, with the functions this run compiled added.
 *
 * The stored bytes sit in the same folder as the vault cache (`--cache-dir`, or the platform's
 * cache folder; `--no-cache` uses and writes neither). They are only ever used for the build they
 * were made from: the file's name carries the engine's content hash (put into cli.js when it is
 * built), the processor and V8's version, and the header the engine's size and modification time.
 * V8 refuses bytes made with other flags or by another V8, and, with --verify-snapshot-checksum
 * (off outside V8's debug builds, so set here), damaged bytes, which it would otherwise
 * deserialise and abort the process on. A run that cannot use the bytes compiles as usual and
 * stores new ones; failing to read or write the cache costs nothing else.
 */
import * as fs from "fs";
import { createRequire, Module } from "module";
import * as nodePath from "path";
import { setFlagsFromString } from "v8";
import * as vm from "vm";

const MAGIC = "ERDCODE1";
/** Magic, then the header's length (a little-endian u32); then the JSON header, then V8's bytes. */
const PREFIX_BYTES = 12;

interface Header {
	/** The engine file the bytes were compiled from. */
	size: number;
	mtimeMs: number;
	/** The commands whose runs' compiled functions the bytes include. */
	commands: string[];
}

export interface CodeCache {
	/** The cache file. */
	file: string;
	/** The command this run is for (`context`, `draft`...). */
	command: string;
}

/** The cache file for an engine build in a cache folder. */
export function codeCacheFile(cacheDir: string, buildId: string): string {
	const v8 = process.versions.v8.replace(/[^\w.-]/g, "_");
	return nodePath.join(cacheDir, `code-${buildId.slice(0, 16)}-${process.arch}-v8-${v8}.cache`);
}

function readCache(file: string, engine: fs.Stats): { header: Header; data: Buffer } | null {
	let bytes: Buffer;
	try {
		bytes = fs.readFileSync(file);
	} catch {
		return null;
	}
	if (bytes.length < PREFIX_BYTES || bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) return null;
	const headerEnd = PREFIX_BYTES + bytes.readUInt32LE(MAGIC.length);
	if (headerEnd > bytes.length) return null;
	try {
		const header = JSON.parse(bytes.toString("utf8", PREFIX_BYTES, headerEnd)) as Header;
		if (header.size !== engine.size || header.mtimeMs !== engine.mtimeMs || !Array.isArray(header.commands)) return null;
		return { header, data: bytes.subarray(headerEnd) };
	} catch {
		return null;
	}
}

function writeCache(file: string, header: Header, data: Buffer): void {
	const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
	try {
		fs.mkdirSync(nodePath.dirname(file), { recursive: true, mode: 0o700 });
		const json = Buffer.from(JSON.stringify(header), "utf8");
		const prefix = Buffer.alloc(PREFIX_BYTES);
		prefix.write(MAGIC, 0, "latin1");
		prefix.writeUInt32LE(json.length, MAGIC.length);
		fs.writeFileSync(temp, Buffer.concat([prefix, json, data]), { mode: 0o600 });
		fs.renameSync(temp, file);
	} catch {
		try {
			fs.unlinkSync(temp);
		} catch {
			// Nothing was written.
		}
	}
}

export interface Compiled {
	exports: unknown;
	/** Whether V8 started from the stored bytes. */
	fromCache: boolean;
	/**
	 * Stores the bytes with this run's compiled functions added, for the caller to call once the
	 * run succeeded; null when the stored bytes already cover the command (or there is no cache).
	 */
	store: (() => void) | null;
}

/**
 * Loads a CommonJS file as `require` would (its exports; it is in `require.cache`; its own
 * `require` resolves beside it), compiled from the cache's bytes when they fit.
 * Errors reading the file are `require`'s (a missing file: code MODULE_NOT_FOUND).
 */
export function loadCompiled(file: string, cache: CodeCache | null): Compiled {
	// V8 writes a checksum into the bytes it makes and checks it on reading only with this flag;
	// set before both, as flags must match between the two.
	if (cache) setFlagsFromString("--verify-snapshot-checksum");
	let source: string;
	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
		source = fs.readFileSync(file, "utf8");
	} catch (error) {
		if ((error as { code?: unknown }).code === "ENOENT") throw Object.assign(new Error(`Cannot find module '${file}'`), { code: "MODULE_NOT_FOUND" });
		throw error;
	}
	const stored = cache ? readCache(cache.file, stat) : null;
	// The wrapper Node gives every CommonJS module; a first line "#!" stays a comment.
	const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source.startsWith("#!") ? `//${source}` : source}\n})`, {
		filename: file,
		cachedData: stored?.data,
	});
	const mod = new Module(file, require.main);
	mod.filename = file;
	require.cache[file] = mod;
	const wrapper = script.runInThisContext() as (exports: unknown, require: ReturnType<typeof createRequire>, module: Module, filename: string, dirname: string) => void;
	wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, nodePath.dirname(file));
	mod.loaded = true;

	const fromCache = stored !== null && !script.cachedDataRejected;
	let store: (() => void) | null = null;
	if (cache && !(fromCache && stored.header.commands.includes(cache.command))) {
		const commands = fromCache ? [...stored.header.commands, cache.command] : [cache.command];
		store = () => writeCache(cache.file, { size: stat.size, mtimeMs: stat.mtimeMs, commands }, script.createCachedData());
	}
	return { exports: mod.exports, fromCache, store };
}
