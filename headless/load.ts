/**
 * Loading a vault folder into the headless host: the command line's start, which should cost
 * about what reading the notes costs.
 *
 * One pass over the files: each note is opened, stat'ed through its open file and read (no
 * separate `stat` round trip), parsed, and registered; links are resolved once every file is
 * known. Reads are synchronous: for many small files that is several times faster than
 * Node's thread pool. With an on-disk cache (headless/cache.ts) a note whose size and times
 * are unchanged is not read at all. A file or folder that cannot be read is skipped and
 * reported once, and the rest of the vault loads.
 *
 * The metadata kept per note is what the engine reads (frontmatter, links, embeds, tags), in
 * the compact form of headless/noteMetadata.ts.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { findFrontmatter, parseMarkdownMetadata } from "../src/host/markdown";
import { joinPath } from "../src/host/path";
import { MetadataCacheFile, type CachedNote, type FileKey } from "./cache";
import { flatten, NoteMetadata, type FlatMetadata } from "./noteMetadata";
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

/** Reads a file and its stat through one open file: open, fstat, read, close. */
function readWithStat(abs: string): { text: string; stat: fs.Stats } {
	const fd = fs.openSync(abs, "r");
	try {
		const stat = fs.fstatSync(fd);
		const buffer = Buffer.allocUnsafe(stat.size);
		let length = 0;
		while (length < stat.size) {
			const n = fs.readSync(fd, buffer, length, stat.size - length, null);
			if (n === 0) break;
			length += n;
		}
		return { text: buffer.toString("utf8", 0, length), stat };
	} finally {
		fs.closeSync(fd);
	}
}

/** A note's metadata: from the cache when its stat is unchanged, else read and parsed. */
function readNote(abs: string, path: string, cache: MetadataCacheFile | null): { stat: fs.Stats; stored: FlatMetadata; entry: CachedNote | null } {
	if (cache?.has(path)) {
		const stat = fs.statSync(abs);
		const entry = cache.lookup(path, keyOf(stat));
		if (entry) return { stat, stored: entry.meta, entry };
	}
	const read = readWithStat(abs);
	return { stat: read.stat, stored: parseForLoad(read.text), entry: null };
}

const keyOf = (stat: fs.Stats): FileKey => ({ size: stat.size, mtime: stat.mtimeMs, change: stat.ctimeMs });
const statOf = (stat: fs.Stats): { ctime: number; mtime: number; size: number } => ({ ctime: stat.birthtimeMs || stat.ctimeMs, mtime: stat.mtimeMs, size: stat.size });

const PROGRESS_EVERY = 500;

/** Lists, reads and parses the vault folder into the app's vault and metadata cache. */
export function loadVaultInto(app: HeadlessApp, options: LoadOptions = {}): LoadReport {
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
	const prefix = base + nodePath.sep;
	const absolute = nodePath.sep === "/" ? (p: string): string => prefix + p : (p: string): string => prefix + p.split("/").join(nodePath.sep);

	const notes: Array<{ file: TFile; entry: CachedNote; reused: boolean }> = [];
	for (let i = 0; i < total; i++) {
		if (options.onProgress && i % PROGRESS_EVERY === 0 && i > 0) options.onProgress({ done: i, total });
		const path = paths[i] as string;
		const abs = absolute(path);
		if (!path.endsWith(".md")) {
			let stat: fs.Stats;
			try {
				stat = fs.statSync(abs);
			} catch (error) {
				unreadable(path, error);
				continue;
			}
			app.metadataCache.addToNameIndex(app.vault.addExisting(path, statOf(stat)));
			continue;
		}
		let note: { stat: fs.Stats; stored: FlatMetadata; entry: CachedNote | null };
		try {
			note = readNote(abs, path, cache);
		} catch (error) {
			unreadable(path, error);
			continue;
		}
		const { stat, stored, entry } = note;
		if (entry) report.cached++;
		else report.parsed++;
		const file = app.vault.addExisting(path, statOf(stat));
		app.metadataCache.addToNameIndex(file);
		const meta = new NoteMetadata(stored, base, file);
		app.metadataCache.remember(path, meta);
		const reused = entry !== null;
		notes.push({ file, entry: entry ?? { ...keyOf(stat), meta: stored }, reused });
	}

	// Every file is known now, so links resolve as they will in the app.
	const files = app.vault.getFiles();
	const filePaths = cache ? files.map((f) => f.path).sort() : [];
	const linksStillValid = cache?.sameFiles(filePaths) === true;
	const mc = app.metadataCache;
	for (const { file, entry, reused } of notes) {
		if (reused && linksStillValid && entry.resolved && entry.unresolved) {
			mc.resolvedLinks[file.path] = entry.resolved;
			mc.unresolvedLinks[file.path] = entry.unresolved;
		} else {
			mc.resolveFile(file);
			entry.resolved = mc.resolvedLinks[file.path];
			entry.unresolved = mc.unresolvedLinks[file.path];
		}
		cache?.keep(file.path, entry, reused);
	}
	report.files = files.length;
	report.notes = notes.length;
	options.onProgress?.({ done: total, total });
	if (cache) {
		try {
			report.cacheWritten = cache.save(filePaths);
		} catch (error) {
			options.onCacheError?.(`could not write the metadata cache ${cache.file}: ${describe(error)}`);
		}
	}
	return report;
}
