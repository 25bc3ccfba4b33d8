/**
 * The command line's on-disk cache of parsed note metadata, so that a second run over an
 * unchanged vault reads no note at all.
 *
 * One file per vault, outside the vault (the platform's cache folder by default), keyed by
 * the vault's absolute path. Each note's entry holds its size, modification and change times
 * and its parsed metadata; a note whose stat differs in any of them is read and parsed again,
 * and notes that are gone are dropped, so the cache is never stale. Resolved links are kept
 * too and reused only while the vault's list of files is exactly the same (a new or renamed
 * file can change what a link resolves to). The file carries a format version and the build
 * of the tool that wrote it: anything else is ignored and rewritten. Writes go to a temporary
 * file renamed over the old one, so a crash or a concurrent run never leaves half a cache.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { NO_LINKS, type FlatMetadata } from "./noteMetadata";

/** Bump when the stored shape changes. */
export const CACHE_FORMAT = 2;
const APP_FOLDER = "email-reply-drafter";

/**
 * The platform's cache folder for this tool, from the environment: `$XDG_CACHE_HOME` or
 * `~/.cache` on Linux and other Unixes, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
 * Windows. Null when the environment names no home (no cache then, rather than a guess).
 */
export function defaultCacheDir(env: Record<string, string | undefined>, platform: string = process.platform): string | null {
	const nonEmpty = (v: string | undefined): string | null => (v && v.trim() ? v : null);
	if (platform === "win32") {
		const local = nonEmpty(env.LOCALAPPDATA) ?? (nonEmpty(env.USERPROFILE) ? nodePath.win32.join(env.USERPROFILE as string, "AppData", "Local") : null);
		return local ? nodePath.win32.join(local, APP_FOLDER, "Cache") : null;
	}
	const home = nonEmpty(env.HOME);
	if (platform === "darwin") return home ? nodePath.posix.join(home, "Library", "Caches", APP_FOLDER) : null;
	const xdg = nonEmpty(env.XDG_CACHE_HOME);
	// XDG says a relative XDG_CACHE_HOME is invalid and to be ignored.
	if (xdg && nodePath.isAbsolute(xdg)) return nodePath.join(xdg, APP_FOLDER);
	return home ? nodePath.posix.join(home, ".cache", APP_FOLDER) : null;
}

/** What a stat says about a file's content: any change to the file changes one of these. */
export interface FileKey {
	size: number;
	mtime: number;
	/** The inode change time: also moves when a tool restores an old mtime. */
	change: number;
}

export interface CachedNote extends FileKey {
	meta: FlatMetadata;
	resolved?: Record<string, number>;
	unresolved?: Record<string, number>;
}

// A note's metadata is stored in the flat form it has in memory; resolved link targets are
// indexes into the file list, which is stored once.
type Row = [path: number, size: number, mtime: number, change: number, meta: FlatMetadata, resolved: number[], unresolved: Array<string | number>];

interface CacheFile {
	format: number;
	build: string;
	vault: string;
	/** Every file's path, sorted: the vault's file list when the links were resolved. Rows and resolved links refer to them by index. */
	paths: string[];
	notes: Row[];
}

function encode(entry: CachedNote, pathIndex: number, indexOf: Map<string, number>): Row {
	const resolved: number[] = [];
	for (const dest in entry.resolved) {
		const i = indexOf.get(dest);
		if (i !== undefined) resolved.push(i, entry.resolved[dest] ?? 0);
	}
	const unresolved: Array<string | number> = [];
	for (const dest in entry.unresolved) unresolved.push(dest, entry.unresolved[dest] ?? 0);
	return [pathIndex, entry.size, entry.mtime, entry.change, entry.meta, resolved, unresolved];
}

function decode(row: Row, paths: readonly string[]): CachedNote {
	const [, size, mtime, change, meta, resolved, unresolved] = row;
	const entry: CachedNote = { size, mtime, change, meta };
	// Records as the host makes them (headless/noteMetadata.ts, NO_LINKS): no hidden class per note.
	const r = resolved.length ? (Object.create(null) as Record<string, number>) : NO_LINKS;
	for (let i = 0; i < resolved.length; i += 2) r[paths[resolved[i] ?? -1] ?? ""] = resolved[i + 1] ?? 0;
	const u = unresolved.length ? (Object.create(null) as Record<string, number>) : NO_LINKS;
	for (let i = 0; i < unresolved.length; i += 2) u[String(unresolved[i])] = Number(unresolved[i + 1]);
	entry.resolved = r;
	entry.unresolved = u;
	return entry;
}

/** Identifies the running build of the tool: a new version starts a new cache. */
function buildId(): string {
	try {
		const st = fs.statSync(__filename);
		return `${CACHE_FORMAT}:${st.size}:${st.mtimeMs}:${process.version}`;
	} catch {
		return `${CACHE_FORMAT}:${process.version}`;
	}
}

/** FNV-1a, 64 bits in two lanes: a file name for a vault path (no crypto module to load). */
function nameHash(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995);
	}
	return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** Writes all of a string (a write to a file may in principle be partial). */
function writeAll(fd: number, text: string): void {
	const bytes = Buffer.from(text, "utf8");
	let done = 0;
	while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

export class MetadataCacheFile {
	/** Stored rows by path, decoded only when looked up. */
	private readonly previous = new Map<string, Row>();
	private readonly previousPaths: readonly string[];
	private readonly next = new Map<string, CachedNote>();
	private changed = false;

	private constructor(readonly file: string, private readonly vault: string, stored: CacheFile | null) {
		this.previousPaths = stored?.paths ?? [];
		for (const row of stored?.notes ?? []) {
			const path = this.previousPaths[row[0]];
			if (path !== undefined) this.previous.set(path, row);
		}
		if (!stored) this.changed = true;
	}

	/** The cache file for a vault under `dir`, with what a previous run stored (if usable). */
	static open(dir: string, vaultPath: string): MetadataCacheFile {
		const vault = nodePath.resolve(vaultPath);
		const name = `${nameHash(vault)}.v${CACHE_FORMAT}.json`;
		const file = nodePath.join(dir, name);
		let stored: CacheFile | null = null;
		try {
			const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<CacheFile>;
			if (parsed.format === CACHE_FORMAT && parsed.build === buildId() && parsed.vault === vault && Array.isArray(parsed.notes) && Array.isArray(parsed.paths)) {
				stored = parsed as CacheFile;
			}
		} catch {
			// No cache yet, or one we cannot read: start afresh.
		}
		return new MetadataCacheFile(file, vault, stored);
	}

	/** Whether a previous run stored this note (only then is a `stat` before reading worth it). */
	has(path: string): boolean {
		return this.previous.has(path);
	}

	/** The stored entry for a note, when its stat is exactly what it was. */
	lookup(path: string, key: FileKey): CachedNote | null {
		const row = this.previous.get(path);
		if (!row || row[1] !== key.size || row[2] !== key.mtime || row[3] !== key.change) return null;
		try {
			return decode(row, this.previousPaths);
		} catch {
			return null;
		}
	}

	/** True when the stored links were resolved against exactly these files (sorted). */
	sameFiles(sortedPaths: readonly string[]): boolean {
		return sameList(this.previousPaths, sortedPaths);
	}

	/** Records a note for the next run; `reused` when it is the stored entry unchanged. */
	keep(path: string, entry: CachedNote, reused: boolean): void {
		this.next.set(path, entry);
		if (!reused) this.changed = true;
	}

	/** Writes the cache when anything differs from what was stored (atomically). */
	save(sortedPaths: readonly string[]): boolean {
		const removed = this.previous.size !== this.next.size;
		if (!this.changed && !removed && this.sameFiles(sortedPaths)) return false;
		const paths = sortedPaths;
		const indexOf = new Map<string, number>();
		paths.forEach((p, i) => indexOf.set(p, i));
		// The cache holds every note's frontmatter, excluded notes' too: readable by you alone.
		fs.mkdirSync(nodePath.dirname(this.file), { recursive: true, mode: 0o700 });
		const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
		let fd: number | null = null;
		try {
			fd = fs.openSync(temp, "w", 0o600);
			// The same JSON as `JSON.stringify(data)` of a CacheFile, written a few hundred rows at
			// a time: a large vault's cache is never one string in memory (nor are all its rows).
			const head: Omit<CacheFile, "notes"> = { format: CACHE_FORMAT, build: buildId(), vault: this.vault, paths: [...paths] };
			writeAll(fd, `${JSON.stringify(head).slice(0, -1)},"notes":[`);
			let chunk: string[] = [];
			let first = true;
			const flush = (): void => {
				if (!chunk.length || fd === null) return;
				writeAll(fd, (first ? "" : ",") + chunk.join(","));
				first = false;
				chunk = [];
			};
			for (const [path, entry] of this.next) {
				const i = indexOf.get(path);
				if (i === undefined) continue;
				chunk.push(JSON.stringify(encode(entry, i, indexOf)));
				if (chunk.length >= 500) flush();
			}
			flush();
			writeAll(fd, "]}");
			fs.closeSync(fd);
			fd = null;
			fs.renameSync(temp, this.file);
		} catch (error) {
			if (fd !== null) fs.closeSync(fd);
			fs.rmSync(temp, { force: true });
			throw error;
		}
		return true;
	}
}
