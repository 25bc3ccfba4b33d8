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
 * The file is built to be opened cheaply: a 16-byte prefix (magic, the header's place), then
 * sections the header lists. Each note's row (the frontmatter's YAML text, link texts, tags) is
 * its own JSON text, found through a table of byte offsets and decoded only when that note is
 * asked for; the file list is one JSON array; stat keys and resolved links are binary numbers;
 * unresolved links are a JSON object by file number; index records are JSON rows found through
 * byte offsets, like notes' rows, and the index's lookup tables (sorted keys as a JSON array,
 * then the files under each key as numbers) let a run find a record without reading the
 * others. Rows are written while
 * the vault loads, so a large vault's rows are never all in memory. A run that changed nothing
 * writes nothing. Writes go to a temporary file renamed over the old one, so a crash or a
 * concurrent run never leaves half a cache; the file carries a format version and the build of
 * the tool that wrote it, and anything else (or anything damaged) is ignored and rewritten; a
 * damaged row is read from the note instead, and mended at the next write.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { LOOKUP_TABLES, type IndexRecord, type LookupTable, type SeedRecord } from "../src/context/vaultIndex";
import { parseFrontmatterYaml } from "../src/host/markdown";
import { fileNameKey } from "../src/host/links";
import { byCodeUnits } from "../src/shared/order";
import { NO_LINKS, type FlatMetadata, type FlatTag } from "./noteMetadata";

export { defaultCacheDir } from "./cacheDir";

/** Bump when the stored shape changes. */
export const CACHE_FORMAT = 4;
const MAGIC = "ERDCACHE";
/** Magic, then the header's offset and length (two little-endian u32). */
const PREFIX_BYTES = 16;

/** A note's stored metadata, as decoded from the cache. */
export interface StoredNote {
	meta: FlatMetadata;
}

/**
 * A note as the cache stores it, in JSON: its frontmatter's YAML text (parsed again when the
 * note is asked for: storing text is cheaper than storing the parsed object), whether it has
 * a frontmatter block, frontmatter link texts, link and embed texts, tags. It depends on the
 * note alone, so it is written as soon as the note is read; links are stored apart.
 */
export type NoteRow = [yaml: string | 0, hasFrontmatter: 0 | 1, frontmatterLinks: string[], links: string[], embeds: string[], tags: FlatTag[]];

export function noteRow(yaml: string | undefined, flat: FlatMetadata): string {
	// The same text as JSON.stringify of the row, without building the row (most parts are empty).
	const list = (xs: readonly unknown[] | undefined): string => (xs?.length ? JSON.stringify(xs) : "[]");
	return `[${yaml === undefined ? "0" : JSON.stringify(yaml)},${flat.fp ?? 0},${list(flat.fl)},${list(flat.l)},${list(flat.e)},${list(flat.t)}]`;
}

/** What the cache needs of the loaded vault when it is written. */
export interface LoadedFiles {
	/** Every loaded file's path, in the listing's order. */
	paths: readonly string[];
	/** Size, modification and change time of each (zeros for files that are not notes). */
	keys: ArrayLike<number>;
	/** Whether each file is a note. */
	isNote: (i: number) => boolean;
	/** Where a note's resolved links are stored unchanged (the same files, an unchanged note), else -1. */
	storedLinks: (i: number) => number;
	/** A note's links as the metadata cache has them. */
	links: (path: string) => { resolved: Record<string, number>; unresolved: Record<string, number> };
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
	/** Unresolved links of the notes that have any, by file number: link text, count, … */
	unresolved: Section;
	/**
	 * The index's records: per file, an offset into the JSON rows of the notes that are people,
	 * organizations or emails or have inline fields (an empty row for any other note).
	 */
	recordOffsets: Section | null;
	records: Section | null;
	/**
	 * The file numbers in the order of the key each is filed under by name (`fileNameKey`: sorted
	 * by code units, ties in file order), for link resolution without filing every name; absent
	 * in caches written before it (names are filed then).
	 */
	names?: Section;
	/** Per lookup table: its keys (a sorted JSON array), per key an offset into the file numbers, the numbers. */
	lookups: Record<string, [keys: Section, starts: Section, files: Section]> | null;
	indexKey: string | null;
}

/** What the writer needs of the index to store its records and lookup tables. */
export interface StoredIndexSource {
	/** A note's entity, email entry and inline fields, or null when it has none. */
	record: (path: string) => Omit<IndexRecord, "links"> | null;
	lookupEntries: (table: LookupTable) => ReadonlyMap<string, Iterable<string>>;
	/** Whether a stored record the index was seeded with turned out damaged (its records are then not stored). */
	damaged: () => boolean;
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

/** Whether two lists hold the same items in the same order. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Writes all of a buffer (a write to a file may in principle be partial). */
function writeAll(fd: number, bytes: Buffer): void {
	let done = 0;
	while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** The record of a note that is neither person, organization nor email and has no inline fields. */
const NO_RECORD: SeedRecord = Object.freeze({});
/** Sections start at multiples of 8 bytes, so numbers can be read in place. */
const ALIGN = 8;

export class MetadataCacheFile {
	/** Every stored file's path, in the stored order. */
	readonly paths: readonly string[];
	private readonly buffer: Buffer | null;
	private readonly header: Header | null;
	private readonly recordOffsets: Uint32Array | null = null;
	private readonly lookupTables = new Map<string, { keys: string[]; starts: Uint32Array; files: Uint32Array } | null>();
	private positions: Map<string, number> | null = null;
	private readonly linkOffsets: Uint32Array | null = null;
	/** Stat keys and note row offsets, read in place (a warm run compares every note's). */
	private readonly keys: Float64Array | null = null;
	private readonly rowOffsets: Uint32Array | null = null;
	private readonly linkData: Uint32Array | null = null;
	private readonly nameOrder: Uint32Array | null = null;

	private constructor(readonly file: string, readonly vaultPath: string, buffer: Buffer | null, header: Header | null, paths: string[]) {
		this.buffer = buffer;
		this.header = header;
		this.paths = paths;
		if (buffer && header) {
			this.linkOffsets = u32(buffer, header.linkOffsets);
			this.keys = f64(buffer, header.keys);
			this.rowOffsets = u32(buffer, header.offsets);
			this.linkData = u32(buffer, header.links);
			if (header.recordOffsets) this.recordOffsets = u32(buffer, header.recordOffsets);
			if (header.names && header.names[1] === paths.length * 4) this.nameOrder = u32(buffer, header.names);
		}
	}

	/** Whether the stored files can be found by name (`filesNamed`). */
	get hasNames(): boolean {
		return this.nameOrder !== null;
	}

	/**
	 * The stored files filed under a name key, in file order (a binary search over the stored
	 * order; the keys are worked out from the paths on the way, about fifteen per search).
	 */
	filesNamed(key: string): number[] {
		const order = this.nameOrder;
		if (!order) return [];
		const keyAt = (k: number): string => fileNameKey(this.paths[order[k] ?? 0] ?? "");
		let lo = 0;
		let hi = order.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (keyAt(mid) < key) lo = mid + 1;
			else hi = mid;
		}
		const out: number[] = [];
		for (let k = lo; k < order.length && keyAt(k) === key; k++) out.push(order[k] ?? 0);
		return out;
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
			const sections = [header.paths, header.keys, header.offsets, header.notes, header.linkOffsets, header.links, header.unresolved, header.records ?? [0, 0], header.recordOffsets ?? [0, 0], header.names ?? [0, 0], ...Object.values(header.lookups ?? {}).flat()];
			if (sections.some(([o, l]) => !(o >= 0 && l >= 0 && o + l <= buffer.length))) throw new Error("damaged");
			// Records come with their offsets and every lookup table, or not at all.
			if (header.records && !(header.recordOffsets && header.lookups && LOOKUP_TABLES.every((t) => header.lookups?.[t]))) throw new Error("damaged");
			const paths = JSON.parse(buffer.toString("utf8", header.paths[0], header.paths[0] + header.paths[1])) as string[];
			const n = paths.length;
			if (n !== header.files || header.keys[1] !== n * 24 || header.offsets[1] !== (n + 1) * 4 || header.linkOffsets[1] !== (n + 1) * 4) throw new Error("damaged");
			if (buffer.readUInt32LE(header.offsets[0] + n * 4) !== header.notes[1] || buffer.readUInt32LE(header.linkOffsets[0] + n * 4) * 8 !== header.links[1]) throw new Error("damaged");
			if (header.records && header.recordOffsets && (header.recordOffsets[1] !== (n + 1) * 4 || buffer.readUInt32LE(header.recordOffsets[0] + n * 4) !== header.records[1])) throw new Error("damaged");
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

	/**
	 * Whether the stored file at `i` is a note with exactly this size, modification time and
	 * change time (the inode's change time moves even when a tool puts an old mtime back).
	 */
	unchanged(i: number, size: number, mtime: number, change: number): boolean {
		const k = this.keys;
		if (!k || i < 0 || i >= this.paths.length) return false;
		return k[i * 3] === size && k[i * 3 + 1] === mtime && k[i * 3 + 2] === change && this.noteBytes(i)[1] > 0;
	}

	private noteBytes(i: number): [start: number, length: number] {
		const h = this.header as Header;
		const rows = this.rowOffsets as Uint32Array;
		const start = rows[i] ?? 0;
		return [h.notes[0] + start, (rows[i + 1] ?? 0) - start];
	}

	/** The stored note at `i`, decoded. Throws when its entry is damaged. */
	note(i: number): StoredNote {
		const [start, length] = this.noteBytes(i);
		const row = JSON.parse((this.buffer as Buffer).toString("utf8", start, start + length)) as NoteRow;
		if (!Array.isArray(row) || row.length !== 6) throw new Error("damaged");
		const [yaml, fp, fl, l, e, t] = row;
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
		return { meta };
	}

	private unresolvedTable: Record<string, Array<string | number>> | null = null;

	/** The stored unresolved links of the note at `i`. */
	unresolved(i: number): Record<string, number> {
		const h = this.header as Header;
		if (!this.unresolvedTable) {
			try {
				this.unresolvedTable = JSON.parse((this.buffer as Buffer).toString("utf8", h.unresolved[0], h.unresolved[0] + h.unresolved[1])) as Record<string, Array<string | number>>;
			} catch {
				this.unresolvedTable = {};
			}
		}
		const list = this.unresolvedTable[i];
		if (!list?.length) return NO_LINKS;
		// Records as the host makes them (headless/noteMetadata.ts, NO_LINKS): no hidden class per note.
		const u = Object.create(null) as Record<string, number>;
		for (let k = 0; k < list.length; k += 2) u[String(list[k])] = Number(list[k + 1]);
		return u;
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

	/** The stored index record of the note at `i` (without links), when the records were made under `key`. */
	record(i: number, key: string): SeedRecord | undefined {
		const h = this.header;
		const offsets = this.recordOffsets;
		if (!h?.records || !offsets || h.indexKey !== key || i < 0 || i >= this.paths.length) return undefined;
		const start = offsets[i] ?? 0;
		const end = offsets[i + 1] ?? 0;
		if (end <= start) return NO_RECORD;
		let row: StoredRecord;
		try {
			row = JSON.parse((this.buffer as Buffer).toString("utf8", h.records[0] + start, h.records[0] + end)) as StoredRecord;
			if (!Array.isArray(row) || row.length !== 3) throw new Error("damaged");
		} catch {
			// A damaged record: the note is classified again.
			return undefined;
		}
		// The index adds the path as it files them.
		const [entity, email, inline] = row;
		const record: SeedRecord = {};
		if (entity) record.entity = entity;
		if (email) record.email = email;
		if (inline) record.inline = inline;
		return record;
	}

	/**
	 * The stored files the index's build filed under `key` in `table` (made under `indexKey`):
	 * a binary search of the table's sorted keys, which are read on the table's first use.
	 */
	lookup(table: LookupTable, key: string): string[] {
		let t = this.lookupTables.get(table);
		if (t === undefined) {
			t = null;
			const sections = this.header?.lookups?.[table];
			if (sections && this.buffer) {
				try {
					const [keys, starts, files] = sections;
					const list = JSON.parse(this.buffer.toString("utf8", keys[0], keys[0] + keys[1])) as unknown;
					const startList = u32(this.buffer, starts);
					if (Array.isArray(list) && startList.length === list.length + 1 && (startList[list.length] ?? 0) * 4 === files[1]) t = { keys: list as string[], starts: startList, files: u32(this.buffer, files) };
				} catch {
					t = null;
				}
			}
			this.lookupTables.set(table, t);
		}
		if (!t) return [];
		let lo = 0;
		let hi = t.keys.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const k = t.keys[mid] as string;
			if (k === key) {
				const out: string[] = [];
				for (let j = t.starts[mid] ?? 0; j < (t.starts[mid + 1] ?? 0); j++) {
					const path = this.paths[t.files[j] ?? -1];
					if (path !== undefined) out.push(path);
				}
				return out;
			}
			if (k < key) lo = mid + 1;
			else hi = mid - 1;
		}
		return [];
	}

	/** The stored resolved link targets of the file at `i`. */
	linkTargets(i: number): string[] {
		const pairs = this.linkPairs(i);
		const out: string[] = [];
		for (let k = 0; k < pairs.length; k += 2) out.push(this.paths[pairs[k] ?? -1] ?? "");
		return out;
	}

	private inverse: { offsets: Uint32Array; sources: Uint32Array } | null = null;

	/** The stored files that link to the file at `target` (built from the stored links on first use). */
	linkSources(target: number): string[] {
		if (!this.inverse) {
			const offsets = this.linkOffsets as Uint32Array;
			const data = this.linkData as Uint32Array;
			const n = this.paths.length;
			const counts = new Uint32Array(n + 1);
			for (let k = 0; k < data.length; k += 2) {
				const t = (data[k] ?? 0) + 1;
				counts[t] = (counts[t] ?? 0) + 1;
			}
			for (let i = 0; i < n; i++) counts[i + 1] = (counts[i + 1] ?? 0) + (counts[i] ?? 0);
			const sources = new Uint32Array(data.length / 2);
			const fill = counts.slice(0, n);
			for (let i = 0; i < n; i++) {
				for (let k = (offsets[i] ?? 0) * 2; k < (offsets[i + 1] ?? 0) * 2; k += 2) {
					const t = data[k] ?? 0;
					sources[fill[t] ?? 0] = i;
					fill[t] = (fill[t] ?? 0) + 1;
				}
			}
			this.inverse = { offsets: counts, sources };
		}
		const { offsets, sources } = this.inverse;
		const out: string[] = [];
		for (let k = offsets[target] ?? 0; k < (offsets[target + 1] ?? 0); k++) out.push(this.paths[sources[k] ?? -1] ?? "");
		return out;
	}

	/** The settings key the stored index records were made under. */
	get indexKey(): string | null {
		return this.header?.records ? this.header.indexKey : null;
	}

	/** A writer for the next cache, to which the loader hands each note as it goes. */
	writer(): CacheWriter {
		return new CacheWriter(this);
	}

	/** Where the stored row of the note at `i` is in the stored file (for a writer to copy). */
	rowRange(i: number): [start: number, end: number] | null {
		if (!this.buffer) return null;
		const [start, n] = this.noteBytes(i);
		return [start, start + n];
	}

	/** Bytes of the stored file. */
	bytes(start: number, end: number): Buffer {
		return (this.buffer as Buffer).subarray(start, end);
	}

	/** The stored unresolved links of the note at `i`, as stored (for a writer to copy). */
	unresolvedList(i: number): Array<string | number> | undefined {
		if (!this.header) return undefined;
		this.unresolved(i);
		return this.unresolvedTable?.[i];
	}
}

/**
 * Writes a cache file. Notes' rows are written while the vault loads (a row depends only on
 * its note), so a large vault's rows are never all in memory; the writer starts only when a
 * note had to be read (or at `finish`, when something else changed), copying the stored rows
 * before it. `finish` adds the file list, stat keys, links and index records and renames the
 * file into place; `abandon` removes it.
 */
export class CacheWriter {
	private fd: number | null = null;
	private temp: string | null = null;
	private position = 0;
	/** Per note, in load order: a stored row's number, or -1 for a row given as text. */
	private readonly pending: Array<number | string> = [];
	private readonly rowStarts: number[] = [];
	private notesLength = 0;
	private finished = false;
	private text = "";
	private copy: [number, number] | null = null;

	constructor(private readonly cache: MetadataCacheFile) {}

	/** Why writing failed while the vault loaded: reported by `finish` (the load goes on). */
	private failure: Error | null = null;

	/** The next loaded file: a note's stored row (its number), a new row (JSON text), or null for a file that is not a note. */
	add(row: number | string | null): void {
		if (this.failure !== null) return;
		try {
			if (this.fd === null && typeof row === "string") this.start();
			if (this.fd === null) {
				this.pending.push(row ?? -1);
				return;
			}
			this.write(row);
		} catch (error) {
			this.failure = error instanceof Error ? error : new Error("the cache file could not be written");
			this.abandon();
		}
	}

	private start(): void {
		fs.mkdirSync(nodePath.dirname(this.cache.file), { recursive: true, mode: 0o700 });
		this.temp = `${this.cache.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
		// The cache holds every note's frontmatter, excluded notes' too: readable by you alone.
		this.fd = fs.openSync(this.temp, "w", 0o600);
		this.put(Buffer.alloc(PREFIX_BYTES));
		const replay = this.pending.splice(0);
		for (const row of replay) this.write(row === -1 ? null : row);
	}

	private put(bytes: Buffer): void {
		writeAll(this.fd as number, bytes);
		this.position += bytes.length;
	}

	private write(row: number | string | null): void {
		this.rowStarts.push(this.notesLength);
		if (row === null) return;
		if (typeof row === "number") {
			const range = this.cache.rowRange(row);
			if (!range) return;
			this.flushText();
			// Consecutive stored rows are copied in one write.
			if (this.copy && this.copy[1] === range[0]) this.copy[1] = range[1];
			else {
				this.flushCopy();
				this.copy = range;
			}
			this.notesLength += range[1] - range[0];
			return;
		}
		this.flushCopy();
		this.text += row;
		this.notesLength += Buffer.byteLength(row, "utf8");
		if (this.text.length >= 1 << 20) this.flushText();
	}

	private flushText(): void {
		if (this.text) this.put(Buffer.from(this.text, "utf8"));
		this.text = "";
	}

	private flushCopy(): void {
		const c = this.copy;
		this.copy = null;
		if (c) this.put(this.cache.bytes(c[0], c[1]));
	}

	/** Stops without writing: the temporary file is removed. */
	abandon(): void {
		if (this.fd !== null) fs.closeSync(this.fd);
		if (this.temp) fs.rmSync(this.temp, { force: true });
		this.fd = null;
		this.temp = null;
	}

	/**
	 * Completes the cache (atomically). `rowOf` gives a new row for a note whose stored row
	 * turned out damaged; `record` gives a note's index record under `indexKey` (none: no
	 * records stored). Returns whether it wrote; a writer writes once.
	 */
	finish(files: LoadedFiles, rowOf: (path: string) => string | null, indexKey: string | null, index: StoredIndexSource | null): boolean {
		if (!LITTLE_ENDIAN || this.finished) return false;
		if (this.failure !== null) throw this.failure;
		try {
			if (this.fd === null) {
				// Nothing was read: the stored rows, except damaged ones read again.
				this.pending.forEach((row, i) => {
					if (typeof row === "number" && row >= 0) this.pending[i] = rowOf(files.paths[i] ?? "") ?? row;
				});
				this.start();
			}
			this.finishSections(files, indexKey, index);
			fs.closeSync(this.fd as number);
			this.fd = null;
			fs.renameSync(this.temp as string, this.cache.file);
			this.temp = null;
			this.finished = true;
			return true;
		} catch (error) {
			this.abandon();
			throw error;
		}
	}

	private finishSections(files: LoadedFiles, indexKey: string | null, index: StoredIndexSource | null): void {
		this.flushText();
		this.flushCopy();
		const n = files.paths.length;
		this.rowStarts.push(this.notesLength);
		const notes: Section = [PREFIX_BYTES, this.notesLength];
		const section = (bytes: Buffer): Section => {
			const pad = (ALIGN - (this.position % ALIGN)) % ALIGN;
			if (pad) this.put(Buffer.alloc(pad));
			const start = this.position;
			this.put(bytes);
			return [start, bytes.length];
		};
		/** A JSON array or object (or rows with no separator) written a megabyte at a time (never one string for the vault). */
		const jsonSection = (open: string, close: string, items: (emit: (item: string) => void) => void, separator = ","): Section => {
			const pad = (ALIGN - (this.position % ALIGN)) % ALIGN;
			if (pad) this.put(Buffer.alloc(pad));
			const start = this.position;
			let text = open;
			let first = true;
			items((item) => {
				text += first ? item : separator + item;
				first = false;
				if (text.length >= 1 << 20) {
					this.put(Buffer.from(text, "utf8"));
					text = "";
				}
			});
			this.put(Buffer.from(text + close, "utf8"));
			return [start, this.position - start];
		};
		const offsets = section(Buffer.from(new Uint32Array(this.rowStarts).buffer));
		const paths = jsonSection("[", "]", (emit) => {
			for (const p of files.paths) emit(JSON.stringify(p));
		});
		const keys = section(Buffer.from(new Float64Array(files.keys).buffer));
		const nameKeys = files.paths.map(fileNameKey);
		const nameOrder = Uint32Array.from(nameKeys.keys()).sort((a, b) => byCodeUnits(nameKeys[a] as string, nameKeys[b] as string) || a - b);
		const names = section(Buffer.from(nameOrder.buffer));
		let indexOf: Map<string, number> | null = null;
		const numberOf = (p: string): number | undefined => {
			if (!indexOf) {
				indexOf = new Map();
				files.paths.forEach((q, i) => indexOf?.set(q, i));
			}
			return indexOf.get(p);
		};
		// Stored link targets are numbers in the stored list: the same numbers when the list is.
		const storedPaths = this.cache.paths;
		const same = sameList(storedPaths, files.paths);
		const renumber = (k: number): number | undefined => (same ? k : numberOf(storedPaths[k] ?? ""));
		const linkOffsets = new Uint32Array(n + 1);
		// Target and count pairs, in an array that doubles as it fills.
		let pairData = new Uint32Array(1 << 16);
		let pairCount = 0;
		const pairs = {
			push: (target: number, count: number): void => {
				if (pairCount * 2 + 2 > pairData.length) {
					const bigger = new Uint32Array(pairData.length * 2);
					bigger.set(pairData);
					pairData = bigger;
				}
				pairData[pairCount * 2] = target;
				pairData[pairCount * 2 + 1] = count;
				pairCount++;
			},
		};
		const unresolved: string[] = [];
		for (let i = 0; i < n; i++) {
			linkOffsets[i] = pairCount;
			if (!files.isNote(i)) continue;
			const at = files.storedLinks(i);
			if (at >= 0) {
				const stored = this.cache.linkPairs(at);
				for (let k = 0; k < stored.length; k += 2) {
					const target = renumber(stored[k] ?? -1);
					if (target !== undefined) pairs.push(target, stored[k + 1] ?? 0);
				}
				const u = this.cache.unresolvedList(at);
				if (u?.length) unresolved.push(`"${i}":${JSON.stringify(u)}`);
				continue;
			}
			const path = files.paths[i] ?? "";
			const { resolved: r, unresolved: u } = files.links(path);
			for (const dest in r) {
				const target = numberOf(dest);
				if (target !== undefined) pairs.push(target, r[dest] ?? 0);
			}
			const list: Array<string | number> = [];
			for (const dest in u) list.push(dest, u[dest] ?? 0);
			if (list.length) unresolved.push(`"${i}":${JSON.stringify(list)}`);
		}
		linkOffsets[n] = pairCount;
		const linkOffsetsSection = section(Buffer.from(linkOffsets.buffer));
		const linksSection = section(Buffer.from(pairData.buffer, 0, pairCount * 8));
		const unresolvedSection = jsonSection("{", "}", (emit) => unresolved.forEach(emit));
		let records: Section | null = null;
		let recordOffsets: Section | null = null;
		let lookups: Header["lookups"] = null;
		if (index && indexKey !== null) {
			const starts = new Uint32Array(n + 1);
			let length = 0;
			records = jsonSection("", "", (emit) => {
				for (let i = 0; i < n; i++) {
					starts[i] = length;
					const r = files.isNote(i) ? index.record(files.paths[i] ?? "") : null;
					if (!r || (!r.entity && !r.email && !r.inline)) continue;
					const entity = r.entity ? { ...r.entity, path: undefined } : 0;
					const email = r.email ? { ...r.email, path: undefined } : 0;
					const row = JSON.stringify([entity, email, r.inline ?? 0]);
					emit(row);
					length += Buffer.byteLength(row, "utf8");
				}
				starts[n] = length;
			}, "");
			recordOffsets = section(Buffer.from(starts.buffer));
			lookups = {};
			for (const table of LOOKUP_TABLES) {
				const entries = index.lookupEntries(table);
				// Sorted by UTF-16 code units (`sort()`'s own order, which `lookup` searches in); empty keys left out.
				const sorted: string[] = [];
				for (const [key, paths] of entries) if (!paths[Symbol.iterator]().next().done) sorted.push(key);
				sorted.sort();
				const keyStarts = new Uint32Array(sorted.length + 1);
				// File numbers, in an array that doubles as it fills.
				let numbers = new Uint32Array(Math.max(1024, sorted.length * 2));
				let count = 0;
				for (let k = 0; k < sorted.length; k++) {
					keyStarts[k] = count;
					for (const p of entries.get(sorted[k] as string) ?? []) {
						const at = numberOf(p);
						if (at === undefined) continue;
						if (count === numbers.length) {
							const bigger = new Uint32Array(numbers.length * 2);
							bigger.set(numbers);
							numbers = bigger;
						}
						numbers[count++] = at;
					}
				}
				keyStarts[sorted.length] = count;
				// One array of keys: bounded by the index, not by the notes' text.
				const keys = section(Buffer.from(JSON.stringify(sorted), "utf8"));
				lookups[table] = [keys, section(Buffer.from(keyStarts.buffer)), section(Buffer.from(numbers.buffer, 0, count * 4))];
			}
			// A note whose stored record was damaged was classified without its inline fields:
			// no records this time, so the next run classifies every note afresh.
			if (index.damaged()) {
				records = null;
				recordOffsets = null;
				lookups = null;
			}
		}
		const header: Header = {
			format: CACHE_FORMAT,
			build: buildId(),
			vault: this.cache.vaultPath,
			files: n,
			paths,
			keys,
			offsets,
			notes,
			names,
			linkOffsets: linkOffsetsSection,
			links: linksSection,
			unresolved: unresolvedSection,
			recordOffsets,
			records,
			lookups,
			indexKey: records ? indexKey : null,
		};
		const headerSection = section(Buffer.from(JSON.stringify(header), "utf8"));
		const prefix = Buffer.alloc(PREFIX_BYTES);
		prefix.write(MAGIC, 0, "latin1");
		prefix.writeUInt32LE(headerSection[0], 8);
		prefix.writeUInt32LE(headerSection[1], 12);
		let done = 0;
		while (done < PREFIX_BYTES) done += fs.writeSync(this.fd as number, prefix, done, PREFIX_BYTES - done, done);
	}
}

/**
 * A section's bytes where numbers of `size` bytes can be read in place: the file's own bytes
 * when aligned (sections are written 8-byte aligned), else a copy. Little-endian, as the cache
 * is used only on little-endian machines.
 */
function aligned(buffer: Buffer, [offset, length]: Section, size: number): [ArrayBufferLike, number] {
	const at = buffer.byteOffset + offset;
	if (at % size === 0) return [buffer.buffer, at];
	const copy = new Uint8Array(length);
	copy.set(buffer.subarray(offset, offset + length));
	return [copy.buffer, 0];
}

/** A section of doubles. */
function f64(buffer: Buffer, section: Section): Float64Array {
	const [bytes, at] = aligned(buffer, section, 8);
	return new Float64Array(bytes, at, section[1] / 8);
}

/** A section of 32-bit numbers. */
function u32(buffer: Buffer, section: Section): Uint32Array {
	const [bytes, at] = aligned(buffer, section, 4);
	return new Uint32Array(bytes, at, section[1] / 4);
}
