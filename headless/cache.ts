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
import { createHash } from "crypto";

/** Bump when the stored shape changes. */
export const CACHE_FORMAT = 1;
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
	/** The note's parsed metadata, as stored by the loader. */
	meta: unknown;
	resolved?: Record<string, number>;
	unresolved?: Record<string, number>;
}

interface CacheFile {
	format: number;
	build: string;
	vault: string;
	/** Hash of the vault's sorted file list when the links were resolved. */
	files: string;
	notes: Record<string, CachedNote>;
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

export function hashFileList(paths: readonly string[]): string {
	const hash = createHash("sha1");
	for (const p of [...paths].sort()) hash.update(p).update("\0");
	return hash.digest("hex");
}

export class MetadataCacheFile {
	private readonly previous: Record<string, CachedNote>;
	private readonly previousFiles: string;
	private readonly next: Record<string, CachedNote> = Object.create(null) as Record<string, CachedNote>;
	private changed = false;
	private seen = 0;

	private constructor(readonly file: string, private readonly vault: string, stored: CacheFile | null) {
		this.previous = stored?.notes ?? (Object.create(null) as Record<string, CachedNote>);
		this.previousFiles = stored?.files ?? "";
		if (!stored) this.changed = true;
	}

	/** The cache file for a vault under `dir`, with what a previous run stored (if usable). */
	static open(dir: string, vaultPath: string): MetadataCacheFile {
		const vault = nodePath.resolve(vaultPath);
		const name = `${createHash("sha1").update(vault).digest("hex").slice(0, 16)}.v${CACHE_FORMAT}.json`;
		const file = nodePath.join(dir, name);
		let stored: CacheFile | null = null;
		try {
			const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<CacheFile>;
			if (parsed.format === CACHE_FORMAT && parsed.build === buildId() && parsed.vault === vault && parsed.notes && typeof parsed.notes === "object") {
				stored = parsed as CacheFile;
			}
		} catch {
			// No cache yet, or one we cannot read: start afresh.
		}
		return new MetadataCacheFile(file, vault, stored);
	}

	/** The stored entry for a note, when its stat is exactly what it was. */
	lookup(path: string, key: FileKey): CachedNote | null {
		const entry = Object.prototype.hasOwnProperty.call(this.previous, path) ? this.previous[path] : undefined;
		if (!entry || entry.size !== key.size || entry.mtime !== key.mtime || entry.change !== key.change) return null;
		return entry;
	}

	/** True when the stored links were resolved against exactly these files. */
	sameFiles(filesHash: string): boolean {
		return this.previousFiles === filesHash;
	}

	/** Records a note for the next run; `reused` when it is the stored entry unchanged. */
	keep(path: string, entry: CachedNote, reused: boolean): void {
		this.next[path] = entry;
		this.seen++;
		if (!reused) this.changed = true;
	}

	/** Writes the cache when anything differs from what was stored (atomically). */
	save(filesHash: string): boolean {
		const removed = Object.keys(this.previous).length !== this.seen;
		if (!this.changed && !removed && this.previousFiles === filesHash) return false;
		const data: CacheFile = { format: CACHE_FORMAT, build: buildId(), vault: this.vault, files: filesHash, notes: this.next };
		fs.mkdirSync(nodePath.dirname(this.file), { recursive: true });
		const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
		try {
			fs.writeFileSync(temp, JSON.stringify(data));
			fs.renameSync(temp, this.file);
		} catch (error) {
			fs.rmSync(temp, { force: true });
			throw error;
		}
		return true;
	}
}
