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
import { parseFrontmatterYaml } from "../src/host/markdown";
import { NO_LINKS, type FlatMetadata, type FlatTag } from "./noteMetadata";

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

/** A note's stored metadata and unresolved links, as decoded from the cache. */
export interface StoredNote {
	meta: FlatMetadata;
	unresolved: Record<string, number>;
}

/**
 * A note as the cache stores it, in JSON: its frontmatter's YAML text (parsed again when the
 * note is asked for: storing text is cheaper than storing the parsed object), whether it has
 * a frontmatter block, frontmatter link texts, link and embed texts, tags, unresolved links.
 * Resolved links are stored apart, as numbers (see `links` in the header).
 */
export type NoteRow = [yaml: string | 0, hasFrontmatter: 0 | 1, frontmatterLinks: string[], links: string[], embeds: string[], tags: FlatTag[], unresolved: Array<string | number>];

/** A note's row without its unresolved links (written as soon as the note is parsed). */
export function notePart(yaml: string | undefined, flat: FlatMetadata): string {
	return JSON.stringify([yaml ?? 0, flat.fp ?? 0, flat.fl ?? [], flat.l ?? [], flat.e ?? [], flat.t ?? []]).slice(0, -1);
}

/** One file as the next cache will hold it. */
export interface FileEntry {
	path: string;
	/** Null for a file that is not a note (only its path is kept). */
	key: FileKey | null;
	/** Where this note sits in the stored cache when its stored row is used as it is; else -1. */
	reuse: number;
	/** The note's row without unresolved links (`notePart`), when it is not reused. */
	part: string | null;
	/** Its resolved and unresolved links (as the metadata cache has them). */
	links: () => { resolved: Record<string, number>; unresolved: Record<string, number> };
	/** When set: its resolved links are the stored ones at this position (the list of files is the same). */
	storedLinks: number;
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
	/** Resolved links: per file, an offset into pairs of (target's number, count). */
	linkOffsets: Section;
	links: Section;
	/** The index's records of notes that are people, organizations or emails or have inline fields, by file number. */
	records: Section | null;
	indexKey: string | null;
}

/** A record as stored: entity and email without their path (the row's); links are the resolved links. */
type StoredRecord = [entity: Omit<IndexRecord["entity"] & object, "path"> | 0, email: Omit<IndexRecord["email"] & object, "path"> | 0, inline: Record<string, unknown> | 0];

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

/** Writes all of a buffer (a write to a file may in principle be partial). */
function writeAll(fd: number, bytes: Buffer): void {
	let done = 0;
	while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Sections start at multiples of 8 bytes, so numbers can be read in place. */
const ALIGN = 8;

export class MetadataCacheFile {
	/** Every stored file's path, in the stored order. */
	readonly paths: readonly string[];
	private readonly buffer: Buffer | null;
	private readonly header: Header | null;
	private records: Record<string, StoredRecord> | null = null;
	private positions: Map<string, number> | null = null;
	private readonly linkOffsets: Uint32Array | null = null;
	private readonly linkData: Uint32Array | null = null;

	private constructor(readonly file: string, private readonly vault: string, buffer: Buffer | null, header: Header | null, paths: string[]) {
		this.buffer = buffer;
		this.header = header;
		this.paths = paths;
		if (buffer && header) {
			this.linkOffsets = u32(buffer, header.linkOffsets);
			this.linkData = u32(buffer, header.links);
		}
	}

	/** The cache file for a vault under `dir`, with what a previous run stored (if usable). */
	static open(dir: string, vaultPath: string): MetadataCacheFile {
		const vault = nodePath.resolve(vaultPath);
		const file = nodePath.join(dir, cacheFileName(vault));
		try {
			// Numbers are stored little-endian and read in place.
			if (!LITTLE_ENDIAN) throw new Error("big-endian");
			const buffer = fs.readFileSync(file);
			if (buffer.length < PREFIX_BYTES || buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) throw new Error("not a cache");
			const at = buffer.readUInt32LE(8);
			const header = JSON.parse(buffer.toString("utf8", at, at + buffer.readUInt32LE(12))) as Header;
			if (header.format !== CACHE_FORMAT || header.build !== buildId() || header.vault !== vault) throw new Error("another build's cache");
			const sections = [header.paths, header.keys, header.offsets, header.notes, header.linkOffsets, header.links, header.records ?? [0, 0]];
			if (sections.some(([o, l]) => !(o >= 0 && l >= 0 && o + l <= buffer.length))) throw new Error("damaged");
			const paths = JSON.parse(buffer.toString("utf8", header.paths[0], header.paths[0] + header.paths[1])) as string[];
			const n = paths.length;
			if (n !== header.files || header.keys[1] !== n * 24 || header.offsets[1] !== (n + 1) * 4 || header.linkOffsets[1] !== (n + 1) * 4) throw new Error("damaged");
			if (buffer.readUInt32LE(header.offsets[0] + n * 4) !== header.notes[1] || buffer.readUInt32LE(header.linkOffsets[0] + n * 4) * 8 !== header.links[1]) throw new Error("damaged");
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

	/** The stored note at `i`, decoded. Throws when its entry is damaged. */
	note(i: number): StoredNote {
		const [start, length] = this.noteBytes(i);
		const row = JSON.parse((this.buffer as Buffer).toString("utf8", start, start + length)) as NoteRow;
		if (!Array.isArray(row) || row.length !== 7) throw new Error("damaged");
		const [yaml, fp, fl, l, e, t, unresolved] = row;
		const meta: FlatMetadata = {};
		if (typeof yaml === "string") {
			const frontmatter = parseFrontmatterYaml(yaml);
			if (frontmatter) meta.f = frontmatter;
		}
		if (fp) meta.fp = 1;
		if (fl.length) meta.fl = fl;
		if (l.length) meta.l = l;
		if (e.length) meta.e = e;
		if (t.length) meta.t = t;
		// Records as the host makes them (headless/noteMetadata.ts, NO_LINKS): no hidden class per note.
		const u = unresolved.length ? (Object.create(null) as Record<string, number>) : NO_LINKS;
		for (let k = 0; k < unresolved.length; k += 2) u[String(unresolved[k])] = Number(unresolved[k + 1]);
		return { meta, unresolved: u };
	}

	/** The stored resolved links of the file at `i`: target positions and counts, in pairs. */
	linkPairs(i: number): Uint32Array {
		const offsets = this.linkOffsets as Uint32Array;
		return (this.linkData as Uint32Array).subarray((offsets[i] ?? 0) * 2, (offsets[i + 1] ?? 0) * 2);
	}

	/** The stored resolved links of the file at `i`, as the metadata cache keeps them. */
	resolved(i: number): Record<string, number> {
		const pairs = this.linkPairs(i);
		if (!pairs.length) return NO_LINKS;
		const r = Object.create(null) as Record<string, number>;
		for (let k = 0; k < pairs.length; k += 2) r[this.paths[pairs[k] ?? -1] ?? ""] = pairs[k + 1] ?? 0;
		return r;
	}

	/** The stored index record of the note at `i`, when the records were made under `key`. */
	record(i: number, key: string): IndexRecord | undefined {
		const h = this.header;
		if (!h?.records || h.indexKey !== key) return undefined;
		if (!this.records) {
			try {
				this.records = JSON.parse((this.buffer as Buffer).toString("utf8", h.records[0], h.records[0] + h.records[1])) as Record<string, StoredRecord>;
			} catch {
				this.records = {};
			}
		}
		const pairs = this.linkPairs(i);
		const links: string[] = [];
		for (let k = 0; k < pairs.length; k += 2) links.push(this.paths[pairs[k] ?? -1] ?? "");
		const record: IndexRecord = { links };
		const row = this.records[i];
		if (!row) return record;
		const path = this.paths[i] as string;
		const [entity, email, inline] = row;
		if (entity) record.entity = { ...entity, path };
		if (email) record.email = { ...email, path };
		if (inline) record.inline = inline;
		return record;
	}

	/** The settings key the stored index records were made under. */
	get indexKey(): string | null {
		return this.header?.records ? this.header.indexKey : null;
	}

	/**
	 * Writes the cache for these files (atomically). `record` gives a note's index record
	 * under `indexKey` (none: no records stored).
	 */
	save(files: readonly FileEntry[], indexKey: string | null, record: ((path: string) => IndexRecord | null) | null): void {
		if (!LITTLE_ENDIAN) return;
		const paths = files.map((f) => f.path);
		let indexOf: Map<string, number> | null = null;
		const numberOf = (p: string): number | undefined => {
			if (!indexOf) {
				indexOf = new Map();
				paths.forEach((q, i) => indexOf?.set(q, i));
			}
			return indexOf.get(p);
		};
		// Stored link targets are numbers in the stored list: the same numbers when the list is.
		const sameList = this.paths.length === paths.length && this.paths.every((p, i) => p === paths[i]);
		const renumber = (n: number): number | undefined => (sameList ? n : numberOf(this.paths[n] ?? ""));
		// The cache holds every note's frontmatter, excluded notes' too: readable by you alone.
		fs.mkdirSync(nodePath.dirname(this.file), { recursive: true, mode: 0o700 });
		const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
		let fd: number | null = null;
		try {
			fd = fs.openSync(temp, "w", 0o600);
			const out = fd;
			let position = 0;
			const put = (bytes: Buffer): void => {
				writeAll(out, bytes);
				position += bytes.length;
			};
			const section = (write: () => void): Section => {
				const pad = (ALIGN - (position % ALIGN)) % ALIGN;
				if (pad) put(Buffer.alloc(pad));
				const start = position;
				write();
				return [start, position - start];
			};
			put(Buffer.alloc(PREFIX_BYTES));
			const pathsSection = section(() => put(Buffer.from(JSON.stringify(paths), "utf8")));
			const keysSection = section(() => {
				const keys = Buffer.alloc(files.length * 24);
				files.forEach((f, i) => {
					if (!f.key) return;
					keys.writeDoubleLE(f.key.size, i * 24);
					keys.writeDoubleLE(f.key.mtime, i * 24 + 8);
					keys.writeDoubleLE(f.key.change, i * 24 + 16);
				});
				put(keys);
			});
			// Notes: stored rows copied as bytes (consecutive ones in one write), new ones gathered
			// in a string written every megabyte; the offset table follows them.
			const offsets = Buffer.alloc((files.length + 1) * 4);
			let length = 0;
			const notesSection = section(() => {
				let text = "";
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
					if (!f.key) return;
					if (f.reuse >= 0 && this.buffer) {
						flushText();
						const [start, n] = this.noteBytes(f.reuse);
						if (copy && copy[1] === start) copy[1] += n;
						else {
							flushCopy();
							copy = [start, start + n];
						}
						length += n;
						return;
					}
					flushCopy();
					const unresolved: Array<string | number> = [];
					const u = f.links().unresolved;
					for (const dest in u) unresolved.push(dest, u[dest] ?? 0);
					const json = `${f.part ?? notePart(undefined, {})},${JSON.stringify(unresolved)}]`;
					text += json;
					length += Buffer.byteLength(json, "utf8");
					if (text.length >= 1 << 20) flushText();
				});
				flushText();
				flushCopy();
				offsets.writeUInt32LE(length, files.length * 4);
			});
			const offsetsSection = section(() => put(offsets));
			// Resolved links: stored ones renumbered, others from the metadata cache.
			const linkOffsets = new Uint32Array(files.length + 1);
			const pairs: number[] = [];
			files.forEach((f, i) => {
				linkOffsets[i] = pairs.length / 2;
				if (!f.key) return;
				if (f.storedLinks >= 0 && this.buffer) {
					const stored = this.linkPairs(f.storedLinks);
					for (let k = 0; k < stored.length; k += 2) {
						const n = renumber(stored[k] ?? -1);
						if (n !== undefined) pairs.push(n, stored[k + 1] ?? 0);
					}
					return;
				}
				const r = f.links().resolved;
				for (const dest in r) {
					const n = numberOf(dest);
					if (n !== undefined) pairs.push(n, r[dest] ?? 0);
				}
			});
			linkOffsets[files.length] = pairs.length / 2;
			const linkOffsetsSection = section(() => put(Buffer.from(linkOffsets.buffer)));
			const linksSection = section(() => put(Buffer.from(new Uint32Array(pairs).buffer)));
			let recordsSection: Section | null = null;
			if (record && indexKey !== null) {
				recordsSection = section(() => {
					const parts: string[] = [];
					files.forEach((f, i) => {
						const r = f.key ? record(f.path) : null;
						if (!r || (!r.entity && !r.email && !r.inline)) return;
						const entity = r.entity ? { ...r.entity, path: undefined } : 0;
						const email = r.email ? { ...r.email, path: undefined } : 0;
						parts.push(`"${i}":${JSON.stringify([entity, email, r.inline ?? 0])}`);
					});
					put(Buffer.from(`{${parts.join(",")}}`, "utf8"));
				});
			}
			const header: Header = {
				format: CACHE_FORMAT,
				build: buildId(),
				vault: this.vault,
				files: files.length,
				paths: pathsSection,
				keys: keysSection,
				offsets: offsetsSection,
				notes: notesSection,
				linkOffsets: linkOffsetsSection,
				links: linksSection,
				records: recordsSection,
				indexKey: recordsSection ? indexKey : null,
			};
			const headerSection = section(() => put(Buffer.from(JSON.stringify(header), "utf8")));
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

/** A section of 32-bit numbers, read in place when aligned (copied otherwise). */
function u32(buffer: Buffer, [offset, length]: Section): Uint32Array {
	const at = buffer.byteOffset + offset;
	if (at % 4 === 0) return new Uint32Array(buffer.buffer, at, length / 4);
	const copy = new Uint32Array(length / 4);
	for (let i = 0; i < copy.length; i++) copy[i] = buffer.readUInt32LE(offset + i * 4);
	return copy;
}
