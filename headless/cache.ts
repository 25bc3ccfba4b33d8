/**
 * The command line's on-disk cache of what a run learned about the vault, so that a second
 * run over an unchanged vault reads no note and classifies none.
 *
 * One file per vault, outside the vault (the platform's cache folder by default), named after
 * the vault's absolute path. It holds every file's path (in the order the folder listing gave
 * them), each note's size, modification and change times, its parsed metadata and resolved
 * links, and the index's record for it (src/context/vaultIndex.ts, `IndexRecord`) under the
 * settings that decided it. A note whose stat differs in any of the three is read and parsed
 * again and notes that are gone are dropped, so nothing is ever stale; links and index records
 * are reused only while the vault's list of files is exactly the same (a new or renamed file
 * can change what a link resolves to), and records only under the same settings.
 *
 * The file is built to be opened cheaply: a short JSON header, then sections. Paths are one
 * JSON array; the stat triples are binary; each note's metadata is its own JSON text, found
 * through a table of byte offsets and decoded only when the note is asked for; the index's
 * records are one JSON array. A run that changed nothing writes nothing. Writes go to a
 * temporary file renamed over the old one, so a crash or a concurrent run never leaves half a
 * cache; the file carries a format version and the build of the tool that wrote it, and
 * anything else (or anything damaged) is ignored and rewritten.
 */
import * as fs from "fs";
import * as nodePath from "path";
import type { IndexRecord } from "../src/context/vaultIndex";
import { NO_LINKS, type FlatMetadata } from "./noteMetadata";

/** Bump when the stored shape changes. */
export const CACHE_FORMAT = 3;
const APP_FOLDER = "email-reply-drafter";
const MAGIC = "ERDCACHE";
/** Magic, then the header's offset and length (two little-endian u32). */
const PREFIX_BYTES = 16;

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

/** A note's stored metadata and links, as decoded from the cache. */
export interface StoredNote {
	meta: FlatMetadata;
	resolved: Record<string, number>;
	unresolved: Record<string, number>;
}

/** One file as the next cache will hold it. */
export interface FileEntry {
	path: string;
	/** Null for a file that is not a note (only its path is kept). */
	key: FileKey | null;
	/** The note's metadata and links (null for other files). */
	note: (() => { meta: FlatMetadata; resolved: Record<string, number>; unresolved: Record<string, number> }) | null;
	/** Where this note sits in the stored cache when it is unchanged and its links still hold: its bytes are copied. */
	reuse: number;
}

type Section = [offset: number, length: number];

interface Header {
	format: number;
	build: string;
	vault: string;
	files: number;
	paths: Section;
	keys: Section;
	offsets: Section;
	notes: Section;
	/** The index's records, under the settings key they were made with. */
	index: Section | null;
	indexKey: string | null;
}

/** A record as stored: entity and email without their path (the row's), links as path numbers. */
type StoredRecord = 0 | [entity: Omit<IndexRecord["entity"] & object, "path"> | 0, email: Omit<IndexRecord["email"] & object, "path"> | 0, links: number[], inline: Record<string, unknown> | 0];

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

/** The cache file's name for a vault (exported for tests). */
export function cacheFileName(vaultPath: string): string {
	return `${nameHash(nodePath.resolve(vaultPath))}.v${CACHE_FORMAT}.cache`;
}

/** A note's links as stored: resolved targets by number in the path list, unresolved as text. */
function encodeNote(note: StoredNote, indexOf: (path: string) => number | undefined): string {
	const resolved: number[] = [];
	for (const dest in note.resolved) {
		const i = indexOf(dest);
		if (i !== undefined) resolved.push(i, note.resolved[dest] ?? 0);
	}
	const unresolved: Array<string | number> = [];
	for (const dest in note.unresolved) unresolved.push(dest, note.unresolved[dest] ?? 0);
	return JSON.stringify([note.meta, resolved, unresolved]);
}

/** Writes all of a buffer (a write to a file may in principle be partial). */
function writeAll(fd: number, bytes: Buffer): void {
	let done = 0;
	while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

export class MetadataCacheFile {
	/** Every stored file's path, in the stored order. */
	readonly paths: readonly string[];
	private readonly buffer: Buffer | null;
	private readonly header: Header | null;
	private records: StoredRecord[] | null = null;
	private positions: Map<string, number> | null = null;

	private constructor(readonly file: string, private readonly vault: string, buffer: Buffer | null, header: Header | null, paths: string[]) {
		this.buffer = buffer;
		this.header = header;
		this.paths = paths;
	}

	/** The cache file for a vault under `dir`, with what a previous run stored (if usable). */
	static open(dir: string, vaultPath: string): MetadataCacheFile {
		const vault = nodePath.resolve(vaultPath);
		const file = nodePath.join(dir, cacheFileName(vault));
		try {
			const buffer = fs.readFileSync(file);
			if (buffer.length < PREFIX_BYTES || buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) throw new Error("not a cache");
			const at = buffer.readUInt32LE(8);
			const header = JSON.parse(buffer.toString("utf8", at, at + buffer.readUInt32LE(12))) as Header;
			if (header.format !== CACHE_FORMAT || header.build !== buildId() || header.vault !== vault) throw new Error("another build's cache");
			const paths = JSON.parse(buffer.toString("utf8", header.paths[0], header.paths[0] + header.paths[1])) as string[];
			const sizes = [header.keys[1] === paths.length * 24, header.offsets[1] === (paths.length + 1) * 4];
			if (paths.length !== header.files || sizes.includes(false)) throw new Error("damaged");
			const end = header.notes[0] + header.notes[1];
			if (end > buffer.length || buffer.readUInt32LE(header.offsets[0] + paths.length * 4) !== header.notes[1]) throw new Error("damaged");
			return new MetadataCacheFile(file, vault, buffer, header, paths);
		} catch {
			// No cache yet, or one we cannot use: start afresh.
			return new MetadataCacheFile(file, vault, null, null, []);
		}
	}

	/** Whether a previous run's cache was found. */
	get stored(): boolean {
		return this.header !== null;
	}

	/** Where a path sits in the stored list, or -1. */
	positionOf(path: string): number {
		if (!this.positions) {
			this.positions = new Map();
			for (let i = 0; i < this.paths.length; i++) this.positions.set(this.paths[i] as string, i);
		}
		return this.positions.get(path) ?? -1;
	}

	/** Whether the stored file at `i` is a note with exactly this stat. */
	unchanged(i: number, size: number, mtime: number, change: number): boolean {
		const h = this.header;
		const b = this.buffer;
		if (!h || !b || i < 0 || i >= this.paths.length) return false;
		const at = h.keys[0] + i * 24;
		return b.readDoubleLE(at) === size && b.readDoubleLE(at + 8) === mtime && b.readDoubleLE(at + 16) === change && this.noteBytes(i)[1] > 0;
	}

	private noteBytes(i: number): [start: number, length: number] {
		const h = this.header as Header;
		const b = this.buffer as Buffer;
		const start = b.readUInt32LE(h.offsets[0] + i * 4);
		return [h.notes[0] + start, b.readUInt32LE(h.offsets[0] + (i + 1) * 4) - start];
	}

	/** The stored note at `i`, decoded (its resolved links against the stored path list). */
	note(i: number): StoredNote {
		const [start, length] = this.noteBytes(i);
		const [meta, resolved, unresolved] = JSON.parse((this.buffer as Buffer).toString("utf8", start, start + length)) as [FlatMetadata, number[], Array<string | number>];
		// Records as the host makes them (headless/noteMetadata.ts, NO_LINKS): no hidden class per note.
		const r = resolved.length ? (Object.create(null) as Record<string, number>) : NO_LINKS;
		for (let k = 0; k < resolved.length; k += 2) r[this.paths[resolved[k] ?? -1] ?? ""] = resolved[k + 1] ?? 0;
		const u = unresolved.length ? (Object.create(null) as Record<string, number>) : NO_LINKS;
		for (let k = 0; k < unresolved.length; k += 2) u[String(unresolved[k])] = Number(unresolved[k + 1]);
		return { meta, resolved: r, unresolved: u };
	}

	/** The stored index record of the note at `i`, when the records were made under `key`. */
	record(i: number, key: string): IndexRecord | undefined {
		const h = this.header;
		if (!h?.index || h.indexKey !== key) return undefined;
		if (!this.records) {
			try {
				this.records = JSON.parse((this.buffer as Buffer).toString("utf8", h.index[0], h.index[0] + h.index[1])) as StoredRecord[];
			} catch {
				this.records = [];
			}
		}
		const row = this.records[i];
		if (!row) return undefined;
		const path = this.paths[i] as string;
		const [entity, email, links, inline] = row;
		const record: IndexRecord = { links: links.map((n) => this.paths[n] ?? "") };
		if (entity) record.entity = { ...entity, path };
		if (email) record.email = { ...email, path };
		if (inline) record.inline = inline;
		return record;
	}

	/** The settings key the stored index records were made under. */
	get indexKey(): string | null {
		return this.header?.index ? this.header.indexKey : null;
	}

	/**
	 * Writes the cache for these files (atomically). `records` gives a note's index record
	 * under `indexKey` (none: no records stored). Note entries with `reuse` set copy their
	 * stored bytes; the others are encoded.
	 */
	save(files: readonly FileEntry[], indexKey: string | null, record: ((path: string) => IndexRecord | null) | null): void {
		const paths = files.map((f) => f.path);
		let indexOf: Map<string, number> | null = null;
		const numberOf = (p: string): number | undefined => {
			if (!indexOf) {
				indexOf = new Map();
				paths.forEach((q, i) => indexOf?.set(q, i));
			}
			return indexOf.get(p);
		};
		// The cache holds every note's frontmatter, excluded notes' too: readable by you alone.
		fs.mkdirSync(nodePath.dirname(this.file), { recursive: true, mode: 0o700 });
		const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
		let fd: number | null = null;
		try {
			fd = fs.openSync(temp, "w", 0o600);
			const out = fd;
			let position = PREFIX_BYTES;
			writeAll(out, Buffer.alloc(PREFIX_BYTES));
			const put = (bytes: Buffer): Section => {
				writeAll(out, bytes);
				const section: Section = [position, bytes.length];
				position += bytes.length;
				return section;
			};
			const pathsSection = put(Buffer.from(JSON.stringify(paths), "utf8"));
			const keys = Buffer.alloc(files.length * 24);
			files.forEach((f, i) => {
				if (!f.key) return;
				keys.writeDoubleLE(f.key.size, i * 24);
				keys.writeDoubleLE(f.key.mtime, i * 24 + 8);
				keys.writeDoubleLE(f.key.change, i * 24 + 16);
			});
			const keysSection = put(keys);
			// Notes: written a few hundred at a time, so a large vault's cache is never one string
			// in memory; the offset table follows them.
			const offsets = Buffer.alloc((files.length + 1) * 4);
			const notesStart = position;
			let length = 0;
			// Encoded notes gather in one string and stored ones are copied as bytes, in order.
			let text = "";
			// Stored bytes to copy: consecutive entries are copied in one write.
			let copy: [number, number] | null = null;
			const flushCopy = (): void => {
				if (copy && this.buffer) put(this.buffer.subarray(copy[0], copy[1]));
				copy = null;
			};
			const flushText = (): void => {
				if (text) put(Buffer.from(text, "utf8"));
				text = "";
			};
			files.forEach((f, i) => {
				offsets.writeUInt32LE(length, i * 4);
				if (f.reuse >= 0 && this.buffer) {
					flushText();
					const [start, n] = this.noteBytes(f.reuse);
					if (copy && copy[1] === start) copy[1] += n;
					else {
						flushCopy();
						copy = [start, start + n];
					}
					length += n;
				} else if (f.note) {
					flushCopy();
					const json = encodeNote(f.note(), numberOf);
					text += json;
					length += Buffer.byteLength(json, "utf8");
					if (text.length >= 1 << 20) flushText();
				}
			});
			flushText();
			flushCopy();
			offsets.writeUInt32LE(length, files.length * 4);
			const notesSection: Section = [notesStart, length];
			const offsetsSection = put(offsets);
			let indexSection: Section | null = null;
			if (record && indexKey !== null) {
				const rows: string[] = [];
				let parts: string[] = [];
				for (const f of files) {
					const r = f.note ? record(f.path) : null;
					if (!r) {
						parts.push("0");
					} else {
						const entity = r.entity ? { ...r.entity, path: undefined } : 0;
						const email = r.email ? { ...r.email, path: undefined } : 0;
						const links = r.links.map((p) => numberOf(p) ?? -1).filter((n) => n >= 0);
						parts.push(JSON.stringify([entity, email, links, r.inline ?? 0]));
					}
					if (parts.length >= 1000) {
						rows.push(parts.join(","));
						parts = [];
					}
				}
				rows.push(parts.join(","));
				indexSection = put(Buffer.from(`[${rows.filter((r) => r).join(",")}]`, "utf8"));
			}
			const header: Header = { format: CACHE_FORMAT, build: buildId(), vault: this.vault, files: files.length, paths: pathsSection, keys: keysSection, offsets: offsetsSection, notes: notesSection, index: indexSection, indexKey: indexSection ? indexKey : null };
			const headerSection = put(Buffer.from(JSON.stringify(header), "utf8"));
			const prefix = Buffer.alloc(PREFIX_BYTES);
			prefix.write(MAGIC, 0, "latin1");
			prefix.writeUInt32LE(headerSection[0], 8);
			prefix.writeUInt32LE(headerSection[1], 12);
			let done = 0;
			while (done < PREFIX_BYTES) done += fs.writeSync(out, prefix, done, PREFIX_BYTES - done, done);
			fs.closeSync(out);
			fd = null;
			fs.renameSync(temp, this.file);
		} catch (error) {
			if (fd !== null) fs.closeSync(fd);
			fs.rmSync(temp, { force: true });
			throw error;
		}
	}
}
