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
 * and reported once, and the rest of the vault loads.
 *
 * The metadata kept per note is what the engine reads (frontmatter, links, embeds, tags), in
 * the compact form of headless/noteMetadata.ts.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { findFrontmatter, parseMarkdownMetadata } from "../src/host/markdown";
import { joinPath } from "../src/host/path";
import type { IndexRecord } from "../src/context/vaultIndex";
import { MetadataCacheFile, type FileEntry, type FileKey } from "./cache";
import { flatten, NO_LINKS, NoteMetadata, type FlatMetadata } from "./noteMetadata";
import type { HeadlessApp, TFile } from "./host";

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
}

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
 * What the loader keeps of a note. Links, embeds and tags all start with a `[` or a `#`, so a
 * body with neither (most emails) adds nothing kept, and only its frontmatter is parsed.
 */
export function parseForLoad(text: string): FlatMetadata {
	const block = findFrontmatter(text);
	const bodyStart = block ? block.bodyStart : 0;
	if (text.indexOf("[", bodyStart) < 0 && text.indexOf("#", bodyStart) < 0) return flatten(parseMarkdownMetadata(text.slice(0, bodyStart)));
	return flatten(parseMarkdownMetadata(text));
}

function describe(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	if (code === "EACCES" || code === "EPERM") return "permission denied";
	if (code === "ENOENT") return "it disappeared while the vault was loading";
	if (code === "EISDIR") return "it is a folder";
	if (code === "EIO") return "input/output error";
	return error instanceof Error ? error.message : String(error);
}

/** Hidden files and folders (the config folder, `.git`, `.trash`) are not part of the vault. */
function walk(base: string, rel: string, out: string[], unreadable: (path: string, error: unknown) => void): void {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(rel ? nodePath.join(base, ...rel.split("/")) : base, { withFileTypes: true });
	} catch (error) {
		if (rel) unreadable(rel, error);
		else throw error;
		return;
	}
	for (const entry of entries) {
		if (entry.name.startsWith(".")) continue;
		const child = joinPath(rel, entry.name);
		if (entry.isDirectory()) walk(base, child, out, unreadable);
		else if (entry.isFile()) out.push(child);
	}
}

const keyOf = (stat: fs.Stats): FileKey => ({ size: stat.size, mtime: stat.mtimeMs, change: stat.ctimeMs });
const statOf = (stat: fs.Stats): { ctime: number; mtime: number; size: number } => ({ ctime: stat.birthtimeMs || stat.ctimeMs, mtime: stat.mtimeMs, size: stat.size });

function sameList(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && sameList([...a].sort(), [...b].sort());
}

const PROGRESS_EVERY = 500;

/** What the loader leaves for after the index is built: the cache's write and the index's seed. */
export interface LoadResult {
	report: LoadReport;
	/** Records of unchanged notes, stored under these index settings; undefined when none can be reused. */
	indexSeed: (optionsKey: string) => ((path: string) => IndexRecord | undefined) | undefined;
	/** Writes the cache (when anything differs from what is stored), with the index's records if given. */
	save: (index: { optionsKey: string; recordOf: (path: string) => IndexRecord | null } | null) => boolean;
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

	const paths: string[] = [];
	walk(base, "", paths, unreadable);
	const total = paths.length;
	const cache = options.cacheDir ? MetadataCacheFile.open(options.cacheDir, base) : null;
	const stored = cache?.stored === true ? cache : null;
	// The usual case: the same files, listed in the same order; positions then match.
	const sameOrder = stored !== null && sameList(stored.paths, paths);
	const prefix = base + nodePath.sep;
	const absolute = nodePath.sep === "/" ? (p: string): string => prefix + p : (p: string): string => prefix + p.split("/").join(nodePath.sep);
	const mc = app.metadataCache;

	const entries: FileEntry[] = [];
	/** What the cache stores of a note that is not copied from the stored cache. */
	const noteOf = (path: string): FileEntry["note"] => () => {
		const meta = mc.getCache(path);
		return { meta: meta instanceof NoteMetadata ? meta.flat : flatten(meta ?? {}), resolved: mc.resolvedLinks[path] ?? NO_LINKS, unresolved: mc.unresolvedLinks[path] ?? NO_LINKS };
	};
	/** Set when a stored entry turned out damaged: the cache is written again. */
	let repair = false;
	const parsed: TFile[] = [];
	const reused: Array<{ file: TFile; at: number; entry: FileEntry }> = [];
	for (let i = 0; i < total; i++) {
		if (options.onProgress && i % PROGRESS_EVERY === 0 && i > 0) options.onProgress({ done: i, total });
		const path = paths[i] as string;
		const abs = absolute(path);
		let stat: fs.Stats;
		try {
			stat = fs.statSync(abs);
		} catch (error) {
			unreadable(path, error);
			continue;
		}
		if (!path.endsWith(".md")) {
			mc.addToNameIndex(app.vault.addExisting(path, statOf(stat)));
			entries.push({ path, key: null, note: null, reuse: -1 });
			continue;
		}
		const key = keyOf(stat);
		const at = stored ? (sameOrder ? i : stored.positionOf(path)) : -1;
		if (stored && at >= 0 && stored.unchanged(at, key)) {
			const file = app.vault.addExisting(path, statOf(stat));
			mc.addToNameIndex(file);
			const entry: FileEntry = { path, key, note: null, reuse: sameOrder ? at : -1 };
			entries.push(entry);
			reused.push({ file, at, entry });
			continue;
		}
		let text: string;
		try {
			text = fs.readFileSync(abs, "utf8");
		} catch (error) {
			unreadable(path, error);
			continue;
		}
		const file = app.vault.addExisting(path, statOf(stat));
		mc.addToNameIndex(file);
		mc.remember(path, new NoteMetadata(parseForLoad(text), base, file));
		parsed.push(file);
		entries.push({ path, key, note: null, reuse: -1 });
	}
	report.parsed = parsed.length;
	report.cached = reused.length;

	// Every file is known now, so links resolve as they will in the app. Unchanged notes keep
	// their stored links while the list of files is the same, and are decoded only when asked for.
	const loaded = entries.map((e) => e.path);
	const sameFiles = stored !== null && (sameOrder || sameSet(stored.paths, loaded));
	const reusedAt = new Map<string, number>();
	if (sameFiles && stored) {
		for (const { file, at } of reused) reusedAt.set(file.path, at);
		// Decoded once each; after that the metadata cache holds them.
		const pending = new Set(reusedAt.keys());
		mc.defer({
			has: (path) => pending.has(path),
			drop: (path) => void pending.delete(path),
			paths: () => pending,
			take: (path) => {
				const at = reusedAt.get(path);
				if (at === undefined) return null;
				const file = app.vault.getAbstractFileByPath(path) ?? { path };
				try {
					const note = stored.note(at);
					return { meta: new NoteMetadata(note.meta, base, file), resolved: note.resolved, unresolved: note.unresolved };
				} catch {
					// A damaged entry: the note is unchanged, so read it again, and mend the cache.
					repair = true;
					const entry = reused.find((r) => r.file.path === path)?.entry;
					if (entry) {
						entry.reuse = -1;
						entry.note = noteOf(path);
					}
					let meta: FlatMetadata = {};
					try {
						meta = parseForLoad(fs.readFileSync(absolute(path), "utf8"));
					} catch {
						// Gone since: no metadata, as for a note that cannot be read.
					}
					return { meta: new NoteMetadata(meta, base, file), resolved: null, unresolved: null };
				}
			},
		});
	} else if (stored) {
		for (const { file, at, entry } of reused) {
			mc.remember(file.path, new NoteMetadata(stored.note(at).meta, base, file));
			mc.resolveFile(file);
			entry.reuse = -1;
		}
	}
	for (const file of parsed) mc.resolveFile(file);
	for (const entry of entries) if (entry.key && entry.reuse < 0) entry.note = noteOf(entry.path);
	report.files = entries.length;
	report.notes = parsed.length + reused.length;
	options.onProgress?.({ done: total, total });

	const result: LoadResult = {
		report,
		indexSeed: (optionsKey) => {
			if (!sameFiles || !stored || stored.indexKey !== optionsKey) return undefined;
			return (path) => {
				const at = reusedAt.get(path);
				return at === undefined ? undefined : stored.record(at, optionsKey);
			};
		},
		save: (index) => {
			if (!cache) return false;
			// Nothing differs from what is stored: no write.
			if (sameOrder && parsed.length === 0 && !repair && (index === null || index.optionsKey === stored?.indexKey)) return false;
			try {
				cache.save(entries, index?.optionsKey ?? null, index ? (path) => index.recordOf(path) : null);
				report.cacheWritten = true;
			} catch (error) {
				options.onCacheError?.(`could not write the metadata cache ${cache.file}: ${describe(error)}`);
			}
			return report.cacheWritten;
		},
	};
	if (!options.deferCacheSave) result.save(null);
	return result;
}
