/**
 * Loading a vault folder into the headless host: the command line's start, which should cost
 * about what reading the notes costs.
 *
 * One pass over the files: each note is stat'ed, then read and parsed unless the on-disk
 * cache (headless/cache.ts) holds it with the same size and times, then registered; links are
 * resolved once every file is known. Reads are synchronous: for many small files that is
 * several times faster than Node's thread pool, and `readFileSync` is one call into Node for
 * open, read and close. (The stat comes first: a note changed after it has a newer stat than
 * the one stored with what was read, so the next run reads it again.) A note taken from the
 * cache is decoded only when something asks for it, and its links and index record are reused
 * while the vault's list of files is the same. A file or folder that cannot be read is skipped
 * and reported once, and the rest of the vault loads. On a first run (no usable cache: every
 * note to read) a worker thread stats and reads files a few batches ahead of this loop
 * (headless/prefetch.ts), so the file system's time overlaps the parse; a file the worker has
 * not got to is read here as usual.
 *
 * The metadata kept per note is what the engine reads (frontmatter, links, embeds, tags), in
 * the compact form of headless/noteMetadata.ts.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { outlineNote } from "../src/host/markdown";
import { joinPath } from "../src/host/path";
import type { IndexSeed, VaultIndex } from "../src/context/vaultIndex";
import { MetadataCacheFile, noteRow, sameList, type CacheWriter } from "./cache";
import { NoteMetadata, type FlatMetadata } from "./noteMetadata";
import { Prefetch } from "./prefetch";
import { collectIfLarge } from "./memory";
import type { HeadlessApp, TFile } from "./host";

/** What the cache stores of an index: its records and lookup tables, under its settings' key. */
export type StorableIndex = Pick<VaultIndex, "optionsKey" | "fieldsOf" | "lookupEntries" | "storedDamage">;

export interface LoadProgress {
	/** Files handled so far, and in all. */
	done: number;
	total: number;
}

export interface LoadOptions {
	/** Folder of the parsed-metadata cache; null or absent: no cache (every note is read). */
	cacheDir?: string | null;
	/** Called every few hundred files while the vault loads, and once at the end. */
	onProgress?: (progress: LoadProgress) => void;
	/** A file or folder that could not be read (once each); it is left out and the rest loads. */
	onUnreadable?: (path: string, reason: string) => void;
	/** The cache could not be written (the run itself succeeded). */
	onCacheError?: (message: string) => void;
	/**
	 * Leave the cache unwritten until `HeadlessApp.saveCache` is called, so that it can hold
	 * the index built afterwards (the command line does this).
	 */
	deferCacheSave?: boolean;
	/**
	 * From how many files to read a first run's files in a worker thread, ahead of the parse
	 * (`Infinity`: never). A run that finds a usable cache reads few notes and never does.
	 */
	prefetchFrom?: number;
}

/** Below this many files a worker's start (tens of milliseconds) costs more than it saves. */
const PREFETCH_FROM = 2000;

export interface LoadReport {
	files: number;
	notes: number;
	/** Notes read and parsed in this run. */
	parsed: number;
	/** Notes taken from the on-disk cache unread. */
	cached: number;
	unreadable: Array<{ path: string; reason: string }>;
	/** Whether the cache file was (re)written. */
	cacheWritten: boolean;
}

/**
 * What the loader keeps of a note (headless/noteMetadata.ts), from `outlineNote`: the same
 * scan as the full parse, without headings, list items or link positions (tested equal, in
 * tests/host/outline.test.ts and below).
 */
export function parseForLoad(text: string): FlatMetadata {
	return readNote(text, new StringPool()).meta;
}

/**
 * Strings kept for the whole run, as copies of their own. A string cut from a note's text
 * (a link, a property value) can hold on to the whole text in V8; and the same link texts
 * and tags recur across thousands of notes, so each is kept once.
 */
export class StringPool {
	private readonly pool = new Map<string, string>();

	/** Forgets the strings kept (they stay wherever they are used). */
	clear(): void {
		this.pool.clear();
	}

	get(s: string): string {
		// V8 copies strings this short when cutting them: they hold nothing else.
		if (s.length < 13) return s;
		let kept = this.pool.get(s);
		if (kept === undefined) {
			// Concatenation then slicing makes a fresh copy rather than a view of the note's text.
			kept = (" " + s).slice(1);
			this.pool.set(kept, kept);
		}
		return kept;
	}

	/**
	 * The same value with every string in it a copy of its own (objects and arrays changed in
	 * place). Property values are mostly unique to their note: copied, not pooled.
	 */
	static detach(v: unknown): unknown {
		if (typeof v === "string") return v.length < 13 ? v : (" " + v).slice(1);
		if (Array.isArray(v)) {
			for (let i = 0; i < v.length; i++) v[i] = StringPool.detach(v[i]);
			return v;
		}
		if (v && typeof v === "object" && !(v instanceof Date)) {
			const o = v as Record<string, unknown>;
			for (const k in o) o[k] = StringPool.detach(o[k]);
		}
		return v;
	}
}

/** A note's metadata as the loader keeps it, and its row for the on-disk cache. */
function readNote(text: string, pool: StringPool): { meta: FlatMetadata; row: string } {
	const o = outlineNote(text);
	const meta: FlatMetadata = {};
	// The outline's own arrays, their strings pooled in place.
	const texts = (xs: string[]): string[] => {
		for (let i = 0; i < xs.length; i++) xs[i] = pool.get(xs[i] as string);
		return xs;
	};
	if (o.frontmatter !== undefined) meta.f = StringPool.detach(o.frontmatter) as Record<string, unknown>;
	if (o.hasFrontmatter) meta.fp = 1;
	if (o.frontmatterLinks.length) meta.fl = texts(o.frontmatterLinks);
	if (o.links.length) meta.l = texts(o.links);
	if (o.embeds.length) meta.e = texts(o.embeds);
	if (o.tags.length) meta.t = o.tags.map(({ tag, position: p }) => [pool.get(tag), p.start.line, p.start.col, p.start.offset, p.end.line, p.end.col, p.end.offset]);
	return { meta, row: noteRow(o.yaml, meta) };
}

function describe(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	if (code === "EACCES" || code === "EPERM") return "permission denied";
	if (code === "ENOENT") return "it disappeared while the vault was loading";
	if (code === "EISDIR") return "it is a folder";
	if (code === "EIO") return "input/output error";
	return error instanceof Error ? error.message : String(error);
}

/**
 * The vault's files, in listing order. Hidden files and folders (the config folder, `.git`,
 * `.trash`) are not part of the vault, nor are symbolic links. With `stats`, each file's stat is
 * taken as it is listed (size, modification, change and birth time: four numbers per file), for
 * a run that stats every file anyway (a run with a cache): names alone are listed and `lstat`
 * tells the type, so no object is made per entry. Without, the entries' types come with the
 * listing (a first run's stats are taken by the worker reading ahead).
 */
function walk(base: string, rel: string, out: string[], unreadable: (path: string, error: unknown) => void, stats: number[] | null = null): void {
	const dir = rel ? nodePath.join(base, ...rel.split("/")) : base;
	let entries: Array<string | fs.Dirent>;
	try {
		entries = stats ? fs.readdirSync(dir) : fs.readdirSync(dir, { withFileTypes: true });
	} catch (error) {
		if (rel) unreadable(rel, error);
		else throw error;
		return;
	}
	const prefix = dir + nodePath.sep;
	for (const entry of entries) {
		const name = typeof entry === "string" ? entry : entry.name;
		if (name.startsWith(".")) continue;
		const child = joinPath(rel, name);
		let type: fs.Dirent | fs.Stats;
		if (typeof entry !== "string") type = entry;
		else {
			try {
				type = fs.lstatSync(prefix + name);
			} catch (error) {
				unreadable(child, error);
				continue;
			}
		}
		if (type.isDirectory()) walk(base, child, out, unreadable, stats);
		else if (type.isFile()) {
			out.push(child);
			// With `stats`, the type came from `lstat`.
			if (stats) {
				const stat = type as fs.Stats;
				stats.push(stat.size, stat.mtimeMs, stat.ctimeMs, stat.birthtimeMs);
			}
		}
	}
}

/** The part of a file's stat the loader reads (from `fs.statSync`, or the prefetching worker). */
type FileStats = Pick<fs.Stats, "size" | "mtimeMs" | "ctimeMs" | "birthtimeMs">;

const statOf = (stat: FileStats): { ctime: number; mtime: number; size: number } => ({ ctime: stat.birthtimeMs || stat.ctimeMs, mtime: stat.mtimeMs, size: stat.size });

/** A failure the worker reported, as the error `describe` reads. */
function failure(error: { code?: string; message: string } | null): Error {
	return Object.assign(new Error(error?.message ?? "could not be read"), { code: error?.code });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && sameList([...a].sort(), [...b].sort());
}

const PROGRESS_EVERY = 500;

/** What the loader leaves for after the index is built: the cache's write and the index's seed. */
export interface LoadResult {
	report: LoadReport;
	/**
	 * What the index can start from: the links of every note as a table (the cache's for
	 * unchanged notes while the files are the same, else the host's), and the records the
	 * cache stored for unchanged notes under these index settings.
	 */
	indexSeed: (optionsKey: string) => IndexSeed | undefined;
	/** Writes the cache (when anything differs from what is stored), with the index's records if given. */
	save: (index: StorableIndex | null) => boolean;
}

/** Lists, reads and parses the vault folder into the app's vault and metadata cache. */
export function loadVaultInto(app: HeadlessApp, options: LoadOptions = {}): LoadResult {
	const base = app.vault.basePath;
	const report: LoadReport = { files: 0, notes: 0, parsed: 0, cached: 0, unreadable: [], cacheWritten: false };
	const unreadable = (path: string, error: unknown): void => {
		const reason = describe(error);
		report.unreadable.push({ path, reason });
		options.onUnreadable?.(path, reason);
	};

	const cache = options.cacheDir ? MetadataCacheFile.open(options.cacheDir, base) : null;
	const stored = cache?.stored === true ? cache : null;
	const paths: string[] = [];
	// With a cache every file is stat'ed here, as it is listed; without one, the loop (or the
	// worker reading ahead) does.
	const listedStats: number[] | null = stored ? [] : null;
	walk(base, "", paths, unreadable, listedStats);
	const total = paths.length;
	// The usual case: the same files, listed in the same order; positions then match.
	const sameOrder = stored !== null && sameList(stored.paths, paths);
	const prefix = base + nodePath.sep;
	const absolute = nodePath.sep === "/" ? (p: string): string => prefix + p : (p: string): string => prefix + p.split("/").join(nodePath.sep);
	const mc = app.metadataCache;

	// Per loaded file, in order: its path, stat key and where the stored cache has it unchanged
	// (-1: read now; -2: not a note). Objects for the cache's write are made only if it writes.
	// Keys and places in typed arrays sized for every listed file (no growing, no boxed numbers).
	const loaded: string[] = [];
	let keys = new Float64Array(total * 3);
	let reuse = new Int32Array(total);
	const keep = (path: string, size: number, mtimeMs: number, ctimeMs: number, at: number): void => {
		const n = loaded.length;
		loaded.push(path);
		keys[n * 3] = size;
		keys[n * 3 + 1] = mtimeMs;
		keys[n * 3 + 2] = ctimeMs;
		reuse[n] = at;
	};
	/** The stat of a file listed with its stat: one object, filled again for each file. */
	const listed: FileStats = { size: 0, mtimeMs: 0, ctimeMs: 0, birthtimeMs: 0 };
	// The next cache's note rows are written as notes are read, not kept (headless/cache.ts).
	const writer: CacheWriter | null = cache ? cache.writer() : null;
	const cleanUp = (): void => writer?.abandon();
	if (writer) process.once("exit", cleanUp);
	/** Notes whose stored row turned out damaged, read again: their new rows. */
	const reread = new Map<string, string>();
	const parsed: TFile[] = [];
	const unchanged: TFile[] = [];
	const pool = new StringPool();
	/** Unchanged notes: their place in the stored cache. */
	const storedAt = new Map<string, number>();
	// A first run reads every note: a worker stats and reads ahead while this thread parses.
	const prefetch = stored === null && total >= (options.prefetchFrom ?? PREFETCH_FROM) ? new Prefetch(base, paths, (p) => p.endsWith(".md")) : null;
	try {
		for (let i = 0; i < total; i++) {
			if (options.onProgress && i % PROGRESS_EVERY === 0 && i > 0) options.onProgress({ done: i, total });
			const path = paths[i] as string;
			// What the worker has read of this file, if it got there first.
			const ahead = prefetch?.take(i);
			let stat: FileStats;
			if (ahead) {
				if (!ahead.stat) {
					unreadable(path, failure(ahead.error));
					continue;
				}
				stat = ahead.stat;
			} else if (listedStats) {
				const k = i * 4;
				listed.size = listedStats[k] as number;
				listed.mtimeMs = listedStats[k + 1] as number;
				listed.ctimeMs = listedStats[k + 2] as number;
				listed.birthtimeMs = listedStats[k + 3] as number;
				stat = listed;
			} else {
				try {
					stat = fs.statSync(absolute(path));
				} catch (error) {
					unreadable(path, error);
					continue;
				}
			}
			if (!path.endsWith(".md")) {
				mc.addLoaded(app.vault.addExisting(path, statOf(stat)));
				keep(path, 0, 0, 0, -2);
				writer?.add(null);
				continue;
			}
			const at = stored ? (sameOrder ? i : stored.positionOf(path)) : -1;
			if (stored && at >= 0 && stored.unchanged(at, stat.size, stat.mtimeMs, stat.ctimeMs)) {
				const file = app.vault.addExisting(path, statOf(stat));
				mc.addLoaded(file);
				unchanged.push(file);
				storedAt.set(path, at);
				keep(path, stat.size, stat.mtimeMs, stat.ctimeMs, at);
				writer?.add(at);
				continue;
			}
			let text: string;
			if (ahead) {
				if (ahead.text === null) {
					unreadable(path, failure(ahead.error));
					continue;
				}
				text = ahead.text;
			} else {
				try {
					text = fs.readFileSync(absolute(path), "utf8");
				} catch (error) {
					unreadable(path, error);
					continue;
				}
			}
			const file = app.vault.addExisting(path, statOf(stat));
			mc.addLoaded(file);
			const note = readNote(text, pool);
			mc.remember(path, new NoteMetadata(note.meta, base, file), file);
			parsed.push(file);
			keep(path, stat.size, stat.mtimeMs, stat.ctimeMs, -1);
			writer?.add(note.row);
		}
	} finally {
		prefetch?.close();
	}
	report.parsed = parsed.length;
	report.cached = storedAt.size;

	/** An unchanged note whose stored entry is damaged: read again. */
	const readAgain = (path: string): FlatMetadata => {
		try {
			const note = readNote(fs.readFileSync(absolute(path), "utf8"), pool);
			reread.set(path, note.row);
			return note.meta;
		} catch {
			// Gone since: no metadata, as for a note that cannot be read.
			reread.set(path, noteRow(undefined, {}));
			return {};
		}
	};

	// Every file is known now, so links resolve as they will in the app. Unchanged notes keep
	// their stored links while the list of files is the same, and are decoded only when asked for.
	const sameFiles = stored !== null && (sameOrder || sameSet(stored.paths, loaded));
	// The same files in the same order: names are found through the stored order of their keys.
	if (stored?.hasNames && sameOrder && loaded.length === stored.paths.length) mc.nameLoadedFrom((key) => stored.filesNamed(key).map((i) => stored.paths[i] ?? ""));
	if (sameFiles && stored) {
		const decoded = new Set<string>();
		mc.defer({
			has: (path) => storedAt.has(path) && !decoded.has(path),
			paths: () => [...storedAt.keys()].filter((p) => !decoded.has(p)),
			take: (path) => {
				const at = storedAt.get(path);
				if (at === undefined || decoded.has(path)) return null;
				decoded.add(path);
				const file = app.vault.getAbstractFileByPath(path) ?? { path };
				try {
					const note = stored.note(at);
					return { meta: new NoteMetadata(note.meta, base, file), resolved: stored.resolved(at), unresolved: stored.unresolved(at) };
				} catch {
					// A damaged entry: the note is unchanged, so read it again, and mend the cache.
					return { meta: new NoteMetadata(readAgain(path), base, file), resolved: null, unresolved: null };
				}
			},
		});
	} else if (stored) {
		for (const file of unchanged) {
			let meta: FlatMetadata;
			try {
				meta = stored.note(storedAt.get(file.path) ?? -1).meta;
			} catch {
				meta = readAgain(file.path);
			}
			mc.remember(file.path, new NoteMetadata(meta, base, file), file);
			mc.resolveFile(file);
		}
	}
	for (const file of parsed) mc.resolveFile(file);
	report.files = loaded.length;
	report.notes = parsed.length + storedAt.size;
	options.onProgress?.({ done: total, total });

	const files = {
		paths: loaded,
		// Read when the cache is written; a getter, so the released arrays are not kept by it.
		get keys(): Float64Array {
			return keys.subarray(0, loaded.length * 3);
		},
		isNote: (i: number) => reuse[i] !== -2,
		// An unchanged note keeps its stored links while the files are the same.
		storedLinks: (i: number) => {
			const at = reuse[i] ?? -1;
			return at >= 0 && sameFiles && !reread.has(loaded[i] ?? "") ? at : -1;
		},
		links: (path: string) => mc.linksOf(path),
	};

	const result: LoadResult = {
		report,
		indexSeed: (optionsKey) => {
			if (sameFiles && stored) {
				const records = stored.indexKey === optionsKey;
				const has = (path: string): boolean => records && storedAt.has(path);
				return {
					// Records only under the same settings; other notes are classified again.
					record: (path) => {
						const at = records ? storedAt.get(path) : undefined;
						return at === undefined ? undefined : stored.record(at, optionsKey);
					},
					// The stored links of unchanged notes (the same files: they resolve as they did).
					links: {
						has: (path) => storedAt.has(path),
						linksOf: (path) => stored.linkTargets(storedAt.get(path) ?? -1),
						backlinksOf: (path) => {
							// An unchanged note's place is known; another file's is looked up.
							const at = storedAt.get(path) ?? stored.positionOf(path);
							return at < 0 ? [] : stored.linkSources(at).filter((source) => storedAt.has(source));
						},
					},
					// The stored build's lookup tables: a record is read when a lookup finds its note.
					lookups: records ? { has, find: (table, key) => stored.lookup(table, key) } : undefined,
				};
			}
			// Nothing stored applies: every note is classified, its links read from the host's
			// table as it is now (the index takes over a note's links when an event changes them).
			const now = mc.resolvedAsNow();
			let inverse: Map<string, string[]> | null = null;
			return {
				record: () => undefined,
				links: {
					has: (path) => path in now.table,
					linksOf: (path) => Object.keys(now.table[path] ?? {}),
					backlinksOf: (path) => {
						if (!inverse) {
							const built = new Map<string, string[]>();
							const table = now.table;
							for (const source in table) {
								for (const dest in table[source]) {
									const list = built.get(dest);
									if (list) list.push(source);
									else built.set(dest, [source]);
								}
							}
							inverse = built;
						}
						return inverse.get(path) ?? [];
					},
				},
			};
		},
		save: (index) => {
			if (released) return false;
			const written = write(index);
			// Written (a writer writes once), or nothing to write to: the loader's lists, kept
			// alive by the seed's closures (one scope), are emptied and stop costing memory.
			// A save that found nothing to write keeps them: a later one may still write.
			if (written || !cache || !writer) {
				released = true;
				for (const list of [paths, loaded, parsed, unchanged]) list.length = 0;
				keys = new Float64Array(0);
				reuse = new Int32Array(0);
				pool.clear();
			}
			return written;
		},
	};
	let released = false;
	const write = (index: StorableIndex | null): boolean => {
		if (!cache || !writer) return false;
		// Nothing differs from what is stored: no write.
		if (sameOrder && parsed.length === 0 && reread.size === 0 && (index === null || index.optionsKey === stored?.indexKey)) {
			writer.abandon();
			return false;
		}
		let written = false;
		// A large run's garbage is collected first, so the write reuses it (headless/memory.ts).
		collectIfLarge();
		try {
			written = writer.finish(files, (path) => reread.get(path) ?? null, index?.optionsKey ?? null, index ? { record: (path) => index.fieldsOf(path), lookupEntries: (table) => index.lookupEntries(table), damaged: () => index.storedDamage } : null);
			if (written) report.cacheWritten = true;
		} catch (error) {
			options.onCacheError?.(`could not write the metadata cache ${cache.file}: ${describe(error)}`);
		} finally {
			process.removeListener("exit", cleanUp);
		}
		return written;
	};
	if (!options.deferCacheSave) result.save(null);
	return result;
}
