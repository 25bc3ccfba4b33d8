/**
 * The lookup index behind every draft: email address → person, name and alias → person or
 * organization, domain → organization, plus backlinks and email threads. It is built once
 * from the metadata cache (no file reads) and kept current from the cache's `changed` and
 * `deleted` events and the vault's `rename` event, so a lookup never scans the vault.
 */
import { byCodeUnits } from "../shared/order";
import type { CachedMetadata, EventRef } from "obsidian";
import type { AbstractFileLike, AppSlice, FileLike, FolderLike } from "../host/slice";
import { fileByPath, isFile, isFolder } from "../host/slice";
import { linkpathOf } from "../host/path";
import { noteTags } from "../host/tags";
import {
	domainsFrom,
	emailsFrom,
	foldName,
	inAnyFolder,
	inlineFieldsAsFrontmatter,
	isExcluded,
	linkDisplay,
	linkTarget,
	noteDateOf,
	readProperties,
	valueStrings,
	type Privacy,
	type PropertyGroups,
	type PropertyName,
} from "./properties";
import { frontmatterSaysEmail } from "../email/parse";
import { isFreeMail } from "./freeMail";
export const ADDRESS = /[^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+\.[a-z0-9-]+/gi;
const ADDRESS_DELIMITER = /[\s<>"',;:()[\]]/;

/**
 * The addresses in a property value, lower-cased: what `value.match(ADDRESS)` finds. An address
 * holds an `@` and no delimiter, so the search starts at the run of text around the next `@`
 * rather than trying the pattern at every character of the names before it.
 */
export function addressesIn(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap((v) => addressesIn(v));
	if (typeof value !== "string") return [];
	const out: string[] = [];
	let from = 0;
	for (;;) {
		const at = value.indexOf("@", from);
		if (at < 0) break;
		let start = at;
		while (start > from && !ADDRESS_DELIMITER.test(value.charAt(start - 1))) start--;
		ADDRESS.lastIndex = start;
		const match = ADDRESS.exec(value);
		if (!match) break;
		out.push(match[0].toLowerCase());
		from = ADDRESS.lastIndex;
	}
	return out;
}
import { baseSubject, normalizeMessageId } from "../email/subject";
import { stripFrontmatter, parseFrontMatterAliases } from "../host/markdown";

export type EntityKind = "person" | "organization";

export interface Entity {
	path: string;
	kind: EntityKind;
	name: string;
	aliases: string[];
	emails: string[];
	domains: string[];
	/** Paths of notes the `company` property links to. */
	companyPaths: string[];
	/** Company names given as plain text. */
	companyNames: string[];
	role: string | null;
	/** The person's manager (`manager`, `reports_to`, `reportsTo`): note paths, else names. */
	managerPaths: string[];
	managerNames: string[];
}

export interface ClassifyOptions extends Privacy {
	peopleFolders: string[];
	organizationFolders: string[];
	personTypes: string[];
	organizationTypes: string[];
}

export interface EmailEntry {
	path: string;
	/** The sender's address, lower-cased ("" when unknown). */
	from: string;
	subject: string;
	date: string | null;
	participants: string[];
	ids: string[];
}

type NameHit = { path: string; via: "name" | "alias" };

/** A stored note's record as the index reads it: with its path. */
type StoredNoteRecord = { entity?: Entity; email?: EmailEntry; inline?: Record<string, unknown> };

/** The frontmatter keys an email's index entry reads, lower-cased. */
const EMAIL_ENTRY_KEYS = new Set(["subject", "title", "from", "sender", "to", "recipients", "cc", "message-id", "message_id", "messageid", "in-reply-to", "in_reply_to", "thread", "thread-id", "thread_id"]);

/**
 * What the index holds for one note: its entity or email entry, its resolved outgoing links
 * and the inline fields read from it. A host that stores these (the command line's on-disk
 * cache) can rebuild the index without classifying an unchanged note again; a record is valid
 * only under the same options (`optionsKey`), for the same note content and the same list of
 * files (links and `company` resolve against it).
 */
export interface IndexRecord {
	entity?: Entity;
	email?: EmailEntry;
	links: string[];
	inline?: Record<string, unknown>;
}

/**
 * Resolved links a host keeps (the command line's on-disk cache for unchanged notes, or the
 * host's own resolved links as they stood at the build), read when asked for rather than
 * copied into the index's maps. The index takes a note's links over when an event changes them.
 */
export interface LinkTable {
	/** Whether the table holds this note's links. */
	has(path: string): boolean;
	linksOf(path: string): string[];
	/** Notes in the table that link to this path. */
	backlinksOf(path: string): string[];
}

/** A stored record: the entity and email entry may leave out the path (the note's own). */
export interface SeedRecord {
	entity?: Omit<Entity, "path">;
	email?: Omit<EmailEntry, "path">;
	inline?: Record<string, unknown>;
}

/**
 * A seed with the links as a table: a record here needs no `links`. A note the table holds
 * but has no record for is classified as usual, its links still read from the table.
 */
export interface IndexSeed {
	/** Only for a note the table holds. */
	record(path: string): SeedRecord | undefined;
	links: LinkTable;
	/**
	 * The lookup tables of the build that stored the records. With them, a stored record is
	 * read only when a lookup finds its note, instead of being filed at the build.
	 */
	lookups?: StoredLookups;
}

/** The tables a lookup reads, by what they file notes under. */
export const LOOKUP_TABLES = ["email", "name", "alias", "domain", "subject", "messageId", "participant", "sender", "companyPath", "companyName", "peopleDomain"] as const;
export type LookupTable = (typeof LOOKUP_TABLES)[number];

/** Lookup tables kept by a host (the command line's cache), for the notes whose records it stored. */
export interface StoredLookups {
	/** Whether the seed has this note's record (cheap: asked once per note at the build). */
	has(path: string): boolean;
	/** The notes the stored build filed under `key` (notes changed since are filtered out by the index). */
	find(table: LookupTable, key: string): readonly string[];
}

/** Paths in one order whatever the order notes were filed in (code units, as the cache sorts keys). */
const byPath = byCodeUnits;

const PERSON_CATEGORIES = new Set(["people", "person", "contacts", "contact"]);
const ORG_CATEGORIES = new Set(["companies", "company", "organizations", "organisations", "organization", "customers", "customer", "partners", "partner", "vendors", "competitors"]);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) {
		if (!list.includes(value)) list.push(value);
	} else map.set(key, [value]);
}

function addToSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
	let set = map.get(key);
	if (!set) map.set(key, (set = new Set()));
	set.add(value);
}

function isAddressLike(value: string): boolean {
	return /^[^\s@]+@[^\s@]+$/.test(value.trim());
}

function remove<K, V>(map: Map<K, V[]>, key: K, match: (v: V) => boolean): void {
	const list = map.get(key);
	if (!list) return;
	const kept = list.filter((v) => !match(v));
	if (kept.length) map.set(key, kept);
	else map.delete(key);
}

/** Decides whether a note is a person, an organization, or neither, from its metadata. */
export function classify(path: string, cache: CachedMetadata | null, options: ClassifyOptions, extra?: Record<string, unknown>): EntityKind | null {
	const tags = noteTags(cache);
	if (isExcluded(path, cache, options, tags)) return null;
	const fm = cache?.frontmatter;
	if (fm && frontmatterSaysEmail(fm)) return null;
	const props = readProperties(fm);
	return kindOf(path, options, props, emailsOf(props, extra ? readProperties(extra) : undefined).length > 0, tags);
}

/** The addresses of a note's `email` property (in any spelling) and its inline `email::` fields. */
function emailsOf(props: PropertyGroups, extra: PropertyGroups | undefined): string[] {
	if (!props.email && !extra?.email) return [];
	return emailsFrom([...valueStrings(props.email), ...valueStrings(extra?.email)]);
}

/**
 * `classify` for a note known to be neither excluded nor an email: `props` are its frontmatter's
 * properties, `hasEmail` whether it (or its inline fields) gives an address, `tags` its tags.
 */
function kindOf(path: string, options: ClassifyOptions, props: PropertyGroups, hasEmail: boolean, tags: readonly string[]): EntityKind | null {
	if (props.type) {
		let person = false;
		let organization = false;
		for (const value of valueStrings(props.type)) {
			const t = value.toLowerCase().replace(/^\[\[|\]\]$/g, "");
			if (t === "email-draft" || t === "email") return null;
			person ||= options.personTypes.includes(t);
			organization ||= options.organizationTypes.includes(t);
		}
		if (person) return "person";
		if (organization) return "organization";
	}

	if (props.categories) {
		const categories = valueStrings(props.categories).map((c) => foldName(linkDisplay(c)));
		if (categories.some((c) => PERSON_CATEGORIES.has(c))) return "person";
		if (categories.some((c) => ORG_CATEGORIES.has(c))) return "organization";
	}

	for (const tag of tags) {
		// `people/…`, `type/person`: the first and the last part of a nested tag.
		const slash = tag.indexOf("/");
		const head = slash < 0 ? tag : tag.slice(0, slash);
		const last = slash < 0 ? tag : tag.slice(tag.lastIndexOf("/") + 1);
		if (PERSON_CATEGORIES.has(head) || (head === "type" && options.personTypes.includes(last))) return "person";
		if (ORG_CATEGORIES.has(head) || (head === "type" && options.organizationTypes.includes(last))) return "organization";
	}
	if (inAnyFolder(path, options.peopleFolders)) return "person";
	if (inAnyFolder(path, options.organizationFolders)) return "organization";
	if (hasEmail) return "person";
	if (props.domain && !props.company?.length && domainsFrom(valueStrings(props.domain)).length) return "organization";
	return null;
}

export class VaultIndex {
	private readonly entities = new Map<string, Entity>();
	private readonly byEmail = new Map<string, string[]>();
	private readonly byName = new Map<string, NameHit[]>();
	private readonly byDomain = new Map<string, string[]>();
	private readonly backlinks = new Map<string, Set<string>>();
	private readonly outgoing = new Map<string, string[]>();
	private readonly emails = new Map<string, EmailEntry>();
	private readonly emailsBySubject = new Map<string, string[]>();
	private readonly emailsById = new Map<string, string[]>();
	/** Sets: your own address is on nearly every email, so its entry is as large as the inbox. */
	private readonly emailsByAddress = new Map<string, Set<string>>();
	/** Emails by their sender's address: your sent emails are a lookup, not a scan of the inbox. */
	private readonly emailsBySender = new Map<string, Set<string>>();
	/** People by the organization they belong to: its note, its name as text, their address domain. */
	private readonly peopleByCompanyPath = new Map<string, Set<string>>();
	private readonly peopleByCompanyName = new Map<string, Set<string>>();
	private readonly peopleByDomain = new Map<string, Set<string>>();
	/** Inline fields seen for a note (from event data or enrichment), by path. */
	private readonly inline = new Map<string, Record<string, unknown>>();
	private built = false;
	/** The seed's stored lookups: notes with a stored record are found through them, not filed here. */
	private stored: { seed: IndexSeed; lookups: StoredLookups } | null = null;
	/** Stored notes an event has changed since the build: their stored record no longer counts. */
	private readonly detached = new Set<string>();
	/** Stored records read so far, with their paths. */
	private readonly storedRecords = new Map<string, StoredNoteRecord>();
	/** A stored record could not be read (see `storedRecord`). */
	private damaged = false;
	/** Notes whose stored record could not be read: their inline fields are read as for any note. */
	private readonly unseeded = new Set<string>();

	constructor(private readonly app: AppSlice, private options: ClassifyOptions) {}

	get isBuilt(): boolean {
		return this.built;
	}

	get size(): { entities: number; emails: number; notes: number } {
		let entities = this.entities.size;
		let emails = this.emails.size;
		for (const path of this.storedPaths()) {
			const record = this.storedRecord(path);
			if (record?.entity) entities++;
			if (record?.email) emails++;
		}
		return { entities, emails, notes: this.outgoing.size + this.tableNotes };
	}

	/** Whether a note's record is the seed's stored one (filed in the stored lookups, not here). */
	private isStored(path: string): boolean {
		return this.stored !== null && !this.detached.has(path) && this.stored.lookups.has(path);
	}

	/** The notes whose records are still the seed's. */
	private storedPaths(): string[] {
		if (!this.stored) return [];
		return this.app.vault.getMarkdownFiles().map((f) => f.path).filter((p) => this.isStored(p));
	}

	/**
	 * A stored note's record, read on first use. A record that cannot be read (a damaged cache)
	 * ends the use of the stored lookups: every stored record is filed here, that note is
	 * classified from its metadata, and the answer comes from the index's own maps.
	 */
	private storedRecord(path: string): StoredNoteRecord | undefined {
		if (!this.isStored(path)) return undefined;
		let record = this.storedRecords.get(path);
		if (!record) {
			const seedRecord = this.stored?.seed.record(path);
			if (!seedRecord) {
				this.fileStored();
				return undefined;
			}
			record = {};
			if (seedRecord.entity) record.entity = { ...seedRecord.entity, path };
			if (seedRecord.email) record.email = { ...seedRecord.email, path };
			if (seedRecord.inline) record.inline = seedRecord.inline;
			this.storedRecords.set(path, record);
		}
		return record;
	}

	/**
	 * An event is about to change a stored note: from now on the index keeps it (its inline
	 * fields carried over, as they stay when an event has no text).
	 */
	private detach(path: string): void {
		if (!this.isStored(path)) return;
		const inline = this.storedRecord(path)?.inline;
		if (!this.stored) return;
		if (inline) this.inline.set(path, inline);
		this.detached.add(path);
		this.storedRecords.delete(path);
	}

	/** A lookup table as this index files it (names and aliases apart). */
	private ownHits(table: LookupTable, key: string): string[] {
		if (table === "name" || table === "alias") {
			const out: string[] = [];
			for (const h of this.byName.get(key) ?? []) if (h.via === table) out.push(h.path);
			return out;
		}
		return [...(this.ownTable(table).get(key) ?? [])];
	}

	private ownTable(table: Exclude<LookupTable, "name" | "alias">): Map<string, Iterable<string>> {
		switch (table) {
			case "email":
				return this.byEmail;
			case "domain":
				return this.byDomain;
			case "subject":
				return this.emailsBySubject;
			case "messageId":
				return this.emailsById;
			case "participant":
				return this.emailsByAddress;
			case "sender":
				return this.emailsBySender;
			case "companyPath":
				return this.peopleByCompanyPath;
			case "companyName":
				return this.peopleByCompanyName;
			case "peopleDomain":
				return this.peopleByDomain;
		}
	}

	/** The notes filed under `key`: those filed here and the stored build's still current, by path. */
	private hits(table: LookupTable, key: string): string[] {
		const out = this.unsortedHits(table, key);
		return out.length > 1 ? out.sort(byPath) : out;
	}

	/** `hits` in no particular order (for a count). */
	private unsortedHits(table: LookupTable, key: string): string[] {
		const out = this.ownHits(table, key);
		if (this.stored) {
			let found: readonly string[];
			try {
				found = this.stored.lookups.find(table, key);
			} catch {
				// A damaged table: everything is filed here instead.
				this.fileStored();
				return this.unsortedHits(table, key);
			}
			for (const path of found) if (this.isStored(path)) out.push(path);
		}
		return out;
	}

	/** Whether a stored record could not be read: the records the index holds are then not all the stored ones. */
	get storedDamage(): boolean {
		return this.damaged;
	}

	/**
	 * Files every stored note's record here, so the index no longer needs the seed's lookups
	 * (before a host stores the index, or when the stored ones turn out damaged). A note whose
	 * record cannot be read is classified from its metadata, and inline fields are read for it
	 * if enrichment has not run.
	 */
	private fileStored(): void {
		const stored = this.stored;
		if (!stored) return;
		const paths = this.storedPaths();
		// The records read so far, kept aside (the map itself is emptied below).
		const records = new Map(this.storedRecords);
		this.stored = null;
		this.detached.clear();
		this.storedRecords.clear();
		for (const path of paths) {
			const known = records.get(path);
			const seedRecord = known ? null : stored.seed.record(path);
			if (known) this.insertRecord(path, known);
			else if (seedRecord) this.insertRecord(path, seedRecord);
			else {
				this.damaged = true;
				const file = fileByPath(this.app.vault, path);
				if (file) this.addNote(file, this.app.metadataCache.getFileCache(file));
				this.unseeded.add(path);
			}
		}
	}

	/**
	 * What one lookup table holds: the notes filed under each key (in no particular order), for
	 * a host to store with the records (`StoredLookups`).
	 */
	lookupEntries(table: LookupTable): ReadonlyMap<string, Iterable<string>> {
		this.fileStored();
		if (table !== "name" && table !== "alias") return this.ownTable(table);
		const out = new Map<string, string[]>();
		for (const [key, hits] of this.byName) {
			for (const h of hits) {
				if (h.via !== table) continue;
				const list = out.get(key);
				if (list) list.push(h.path);
				else out.set(key, [h.path]);
			}
		}
		return out;
	}

	/** A seed's stored links, for the notes whose links the index has not had to change since. */
	private table: LinkTable | null = null;
	private tableNotes = 0;
	/** Notes whose links the index now keeps itself (changed since the build). */
	private readonly overridden = new Set<string>();
	/** Deleted or renamed notes: what the table says links to them no longer counts. */
	private readonly droppedTargets = new Set<string>();

	/** Whether a note's outgoing links are still the table's. */
	private fromTable(path: string): boolean {
		return this.table !== null && !this.overridden.has(path) && this.table.has(path);
	}

	private generation = 0;

	/** Notes whose records came from a seed: their inline fields are already in them. */
	private seeded: ((path: string) => boolean) | null = null;
	/** Every note's record came from the seed: there is nothing to enrich. */
	private seededAll = false;

	/**
	 * Builds from the metadata cache alone: no file is read. `seed` may give a note's record as
	 * a previous build stored it (see `IndexRecord`), other notes being classified as usual, and
	 * the notes' links as a table the index reads instead of copying (see `LinkTable`).
	 */
	build(seed?: IndexSeed): void {
		this.generation++;
		this.clear();
		this.seeded = null;
		this.seededAll = false;
		const files = this.app.vault.getMarkdownFiles();
		if (!seed) {
			for (const file of files) this.indexFile(file);
			this.built = true;
			return;
		}
		// Links stay in the table; only what is filed by name, address or subject is inserted,
		// and nothing of a stored record when the seed has the lookups that filed it.
		this.table = seed.links;
		const lookups = seed.lookups;
		if (lookups) this.stored = { seed, lookups };
		let records = 0;
		for (const file of files) {
			let stored = false;
			if (lookups) stored = lookups.has(file.path);
			else {
				const record = seed.record(file.path);
				if (record) this.insertRecord(file.path, record);
				stored = record !== undefined;
			}
			if (stored) records++;
			else this.addNote(file, this.app.metadataCache.getFileCache(file));
			if (stored || seed.links.has(file.path)) this.tableNotes++;
			else this.setOutgoing(file.path, Object.keys(this.app.metadataCache.resolvedLinks[file.path] ?? {}));
		}
		// Notes with a stored record already hold their inline fields (a record implies the table has the note).
		if (records) this.seeded = lookups ? (path) => !this.unseeded.has(path) && lookups.has(path) : records === files.length ? () => true : (path) => seed.record(path) !== undefined;
		this.seededAll = records === files.length && files.length > 0;
		this.built = true;
	}


	/** The settings that decide what the index holds, as one string. */
	get optionsKey(): string {
		const o = this.options;
		return JSON.stringify([o.peopleFolders, o.organizationFolders, o.personTypes, o.organizationTypes, o.excludedFolders, o.excludedTags, o.excludedProperties ?? []]);
	}

	/** What the index holds for a note, for a host to store; null for a path it has never seen. */
	recordOf(path: string): IndexRecord | null {
		const links = this.outgoing.get(path) ?? (this.fromTable(path) ? this.linksOf(path) : undefined);
		if (!links) return null;
		return { links, ...this.fieldsOf(path) };
	}

	/**
	 * A note's entity, email entry and inline fields (what a stored record holds besides the
	 * links a host stores on its own), or null when it has none of them.
	 */
	fieldsOf(path: string): Omit<IndexRecord, "links"> | null {
		const stored = this.storedRecord(path);
		const entity = stored ? stored.entity : this.entities.get(path);
		const email = stored ? stored.email : this.emails.get(path);
		const inline = stored ? stored.inline : this.inline.get(path);
		if (!entity && !email && !inline) return null;
		const fields: Omit<IndexRecord, "links"> = {};
		if (entity) fields.entity = entity;
		if (email) fields.email = email;
		if (inline) fields.inline = inline;
		return fields;
	}

	private insertRecord(path: string, record: SeedRecord): void {
		if (record.inline) this.inline.set(path, record.inline);
		if (record.entity) this.insertEntity({ ...record.entity, path });
		if (record.email) this.insertEmail({ ...record.email, path });
	}

	/**
	 * The same build in slices, yielding between them so a large vault does not freeze the
	 * app at startup. Events that arrive meanwhile are applied as usual; a synchronous
	 * `build()` (a draft that cannot wait) supersedes it.
	 */
	async buildGradually(yieldNow: () => Promise<void>, slice = 2000): Promise<void> {
		const generation = ++this.generation;
		this.clear();
		this.seeded = null;
		this.seededAll = false;
		const files = this.app.vault.getMarkdownFiles();
		for (let i = 0; i < files.length; i += slice) {
			for (const file of files.slice(i, i + slice)) {
				// An event may have indexed this note already.
				this.removeNote(file.path);
				this.indexFile(file);
			}
			await yieldNow();
			if (generation !== this.generation) return;
		}
		this.built = true;
	}

	private indexFile(file: FileLike): void {
		this.addNote(file, this.app.metadataCache.getFileCache(file));
		this.setOutgoing(file.path, Object.keys(this.app.metadataCache.resolvedLinks[file.path] ?? {}));
	}

	/**
	 * New settings: the index is rebuilt only when what decides people, organizations and
	 * exclusions changed. Returns whether it was rebuilt.
	 */
	setOptions(options: ClassifyOptions): boolean {
		const before = this.optionsKey;
		this.options = options;
		const changed = this.optionsKey !== before;
		if (changed && this.built) {
			this.build();
			void this.enrichInlineFields();
		}
		return changed;
	}

	private clear(): void {
		for (const m of [this.entities, this.byEmail, this.byName, this.byDomain, this.backlinks, this.outgoing, this.emails, this.emailsBySubject, this.emailsById, this.emailsByAddress, this.emailsBySender]) m.clear();
		this.table = null;
		this.tableNotes = 0;
		this.overridden.clear();
		this.droppedTargets.clear();
		this.stored = null;
		this.detached.clear();
		this.storedRecords.clear();
		this.damaged = false;
		this.unseeded.clear();
		for (const m of [this.peopleByCompanyPath, this.peopleByCompanyName, this.peopleByDomain]) m.clear();
	}

	/**
	 * Reads the few notes that may carry Dataview inline fields (people and organization
	 * candidates without an email or domain property) once, after the index is built.
	 */
	async enrichInlineFields(signal?: AbortSignal): Promise<number> {
		if (this.seededAll && !this.unseeded.size) return 0;
		let read = 0;
		// The folder list once, not per note (again if the settings change while this runs), and
		// the notes under those folders from the vault's tree rather than a test of every path.
		let options = this.options;
		let folders = [...options.peopleFolders, ...options.organizationFolders];
		let inFolders = this.notesUnder(folders);
		for (const file of this.app.vault.getMarkdownFiles()) {
			// The plugin unloaded: stop reading.
			if (signal?.aborted) break;
			if (options !== this.options) {
				options = this.options;
				folders = [...options.peopleFolders, ...options.organizationFolders];
				inFolders = this.notesUnder(folders);
			}
			// A stored record already holds what its note's inline fields said.
			if (this.seeded?.(file.path)) continue;
			const entity = this.entity(file.path);
			if (!entity && !(inFolders ? inFolders.has(file.path) : inAnyFolder(file.path, folders))) continue;
			const cache = this.app.metadataCache.getFileCache(file);
			if (entity && (entity.emails.length || entity.kind === "organization" && entity.domains.length)) continue;
			const text = await this.app.vault.cachedRead(file);
			read++;
			if (text.includes("::")) this.onChanged(file, text, cache);
		}
		return read;
	}

	/**
	 * The paths of the notes under these folders, from the vault's folder tree (the same notes
	 * `inAnyFolder` accepts); null when a folder is the vault's root or the tree cannot be read.
	 */
	private notesUnder(folders: readonly string[]): Set<string> | null {
		const out = new Set<string>();
		for (const name of folders) {
			const path = name.replace(/^\/+|\/+$/g, "");
			if (path === "") return null;
			const folder = this.app.vault.getAbstractFileByPath(path);
			if (!folder) continue;
			if (!isFolder(folder)) return null;
			const stack: FolderLike[] = [folder];
			for (let next = stack.pop(); next; next = stack.pop()) {
				// A loop, not a spread: a folder may hold more children than a call takes arguments.
				for (const item of next.children) {
					if (isFolder(item)) stack.push(item);
					else if (isFile(item) && item.extension === "md") out.add(item.path);
				}
			}
		}
		return out;
	}

	/** Subscribes to the events that keep the index current; the caller registers the refs. */
	attach(): EventRef[] {
		return [
			this.app.metadataCache.on("changed", (file, data, cache) => this.onChanged(file, data, cache)),
			this.app.metadataCache.on("deleted", (file) => this.onDeleted(file.path)),
			// Obsidian's own resolution, also for notes whose links resolve because another note appeared.
			this.app.metadataCache.on("resolve", (file) => this.onResolved(file)),
			this.app.vault.on("rename", (file, oldPath) => this.onRenamed(file, oldPath)),
		];
	}

	onChanged(file: FileLike, data: string | null, cache: CachedMetadata | null): void {
		if (file.extension !== "md") return;
		this.detach(file.path);
		if (data !== null) {
			const fields = data.includes("::") ? inlineFieldsAsFrontmatter(stripFrontmatter(data)) : {};
			if (Object.keys(fields).length) this.inline.set(file.path, fields);
			else this.inline.delete(file.path);
		}
		this.removeNote(file.path);
		this.addNote(file, cache);
		this.setOutgoing(file.path, this.resolveOutgoing(file.path, cache));
	}

	onResolved(file: FileLike): void {
		if (file.extension !== "md" || !(this.outgoing.has(file.path) || this.fromTable(file.path))) return;
		this.setOutgoing(file.path, Object.keys(this.app.metadataCache.resolvedLinks[file.path] ?? {}));
	}

	onDeleted(path: string): void {
		this.detach(path);
		this.removeNote(path);
		this.inline.delete(path);
		this.setOutgoing(path, []);
		this.outgoing.delete(path);
		this.backlinks.delete(path);
		if (this.table) this.droppedTargets.add(path);
	}

	onRenamed(file: AbstractFileLike, oldPath: string): void {
		if (!isFile(file) || file.extension !== "md") return;
		this.detach(oldPath);
		this.detach(file.path);
		const inline = this.inline.get(oldPath);
		this.inline.delete(oldPath);
		if (inline) this.inline.set(file.path, inline);
		this.removeNote(oldPath);
		this.addNote(file, this.app.metadataCache.getFileCache(file));
		// Links from this note keep their targets; links to it now point at the new path.
		const out = [...this.linksOf(oldPath)];
		const linking = this.backlinksOf(oldPath);
		// Notes whose links the table holds and that link here: the index keeps their links now.
		for (const source of linking) if (this.fromTable(source)) this.takeOver(source);
		this.setOutgoing(oldPath, []);
		this.outgoing.delete(oldPath);
		if (this.table) this.droppedTargets.add(oldPath);
		this.setOutgoing(file.path, out);
		const sources = this.backlinks.get(oldPath);
		this.backlinks.delete(oldPath);
		if (sources) {
			for (const source of sources) {
				const list = this.outgoing.get(source)?.map((d) => (d === oldPath ? file.path : d));
				if (list) this.outgoing.set(source, list);
			}
			this.backlinks.set(file.path, new Set([...(this.backlinks.get(file.path) ?? []), ...sources]));
		}
	}

	/** A note whose links the table held: the index keeps them from now on. */
	private takeOver(source: string): void {
		const links = this.table?.linksOf(source) ?? [];
		this.overridden.add(source);
		this.outgoing.set(source, links);
		for (const dest of links) {
			const set = this.backlinks.get(dest);
			if (set) set.add(source);
			else this.backlinks.set(dest, new Set([source]));
		}
	}

	private resolveOutgoing(path: string, cache: CachedMetadata | null): string[] {
		const refs = [...(cache?.links ?? []), ...(cache?.embeds ?? []), ...(cache?.frontmatterLinks ?? [])];
		const out = new Set<string>();
		for (const ref of refs) {
			const linkpath = linkpathOf(ref.link);
			if (!linkpath) continue;
			const dest = this.app.metadataCache.getFirstLinkpathDest(linkpath, path);
			if (dest) out.add(dest.path);
		}
		return [...out];
	}

	private setOutgoing(source: string, dests: string[]): void {
		if (this.fromTable(source)) this.overridden.add(source);
		const previous = this.outgoing.get(source);
		if (previous) for (const old of previous) this.backlinks.get(old)?.delete(source);
		this.outgoing.set(source, dests);
		for (const dest of dests) {
			let set = this.backlinks.get(dest);
			if (!set) this.backlinks.set(dest, (set = new Set()));
			set.add(source);
		}
	}

	private addNote(file: FileLike, cache: CachedMetadata | null): void {
		const fm = cache?.frontmatter;
		// What `classify` decides, with the tags read, the exclusion checked and the properties
		// grouped once per note.
		const tags = noteTags(cache);
		if (isExcluded(file.path, cache, this.options, tags)) return;
		if (fm && frontmatterSaysEmail(fm)) {
			this.addEmail(file, fm);
			return;
		}
		const extra = this.inline.get(file.path);
		const props = readProperties(fm);
		const extraProps = extra ? readProperties(extra) : undefined;
		const emails = emailsOf(props, extraProps);
		const kind = kindOf(file.path, this.options, props, emails.length > 0, tags);
		if (!kind) return;
		const read = (name: PropertyName): string[] => {
			const own = valueStrings(props[name]);
			return extraProps?.[name] ? [...own, ...valueStrings(extraProps[name])] : own;
		};
		const companies = read("company");
		const entity: Entity = {
			path: file.path,
			kind,
			name: file.basename,
			// As Obsidian reads them: `aliases: Ana, Ana R.` is two aliases.
			aliases: [...(parseFrontMatterAliases(fm) ?? []), ...valueStrings(extraProps?.alias)].map(linkDisplay).filter((a) => a && a !== file.basename),
			emails,
			domains: domainsFrom(read("domain")),
			companyPaths: [],
			companyNames: [],
			role: read("role")[0] ?? null,
			managerPaths: [],
			managerNames: [],
		};
		for (const c of companies) {
			const target = linkTarget(c);
			const dest = target ? this.app.metadataCache.getFirstLinkpathDest(target, file.path) : null;
			if (dest) entity.companyPaths.push(dest.path);
			else entity.companyNames.push(linkDisplay(c));
		}
		if (kind === "person") {
			for (const m of read("manager")) {
				const target = linkTarget(m);
				const dest = target ? this.app.metadataCache.getFirstLinkpathDest(target, file.path) : null;
				if (dest) entity.managerPaths.push(dest.path);
				else if (!isAddressLike(m)) entity.managerNames.push(linkDisplay(m));
				else entity.managerNames.push(m.trim().toLowerCase());
			}
		}
		this.insertEntity(entity);
	}

	/** Files an entity under its addresses, names, domains and organizations. */
	private insertEntity(entity: Entity): void {
		const path = entity.path;
		if (entity.kind === "person") {
			for (const c of entity.companyPaths) addToSet(this.peopleByCompanyPath, c, path);
			for (const c of entity.companyNames) addToSet(this.peopleByCompanyName, foldName(c), path);
			for (const e of entity.emails) addToSet(this.peopleByDomain, e.slice(e.indexOf("@") + 1), path);
		}
		this.entities.set(path, entity);
		for (const email of entity.emails) push(this.byEmail, email, path);
		push(this.byName, foldName(entity.name), { path, via: "name" });
		for (const alias of entity.aliases) push(this.byName, foldName(alias), { path, via: "alias" });
		if (entity.kind === "organization") {
			for (const domain of entity.domains) push(this.byDomain, domain, path);
			// An organization's email addresses (`sales@acme.com`) name its domain too.
			for (const email of entity.emails) push(this.byDomain, email.slice(email.indexOf("@") + 1), path);
		}
	}

	private addEmail(file: FileLike, fm: Record<string, unknown>): void {
		// The fields this entry reads, by lower-cased key (of keys that differ only in case, the last).
		const fields = new Map<string, unknown>();
		for (const k of Object.keys(fm)) {
			const lower = k.toLowerCase();
			if (EMAIL_ENTRY_KEYS.has(lower)) fields.set(lower, fm[k]);
		}
		const get = (...keys: string[]): unknown => {
			for (const k of keys) {
				const v = fields.get(k);
				if (v !== undefined && v !== null && v !== "") return v;
			}
			return undefined;
		};
		const subjectValue = get("subject", "title");
		const subject = typeof subjectValue === "string" ? subjectValue : "";
		// Only the addresses matter here, so a scan is enough (the full parser runs per draft).
		const fromAddresses = addressesIn(get("from", "sender"));
		const participants = [...fromAddresses, ...addressesIn(get("to", "recipients")), ...addressesIn(get("cc"))];
		const from = fromAddresses[0] ?? "";
		const ids: string[] = [];
		for (const v of [get("message-id", "message_id", "messageid"), get("in-reply-to", "in_reply_to"), get("thread", "thread-id", "thread_id")]) {
			const id = typeof v === "string" ? normalizeMessageId(v) : null;
			if (id) ids.push(id);
		}
		this.insertEmail({ path: file.path, from, subject, date: noteDateOf(file.basename, readProperties(fm).date), participants, ids });
	}

	/** Files an email under its subject, message ids, participants and sender. */
	private insertEmail(entry: EmailEntry): void {
		const path = entry.path;
		this.emails.set(path, entry);
		const key = foldName(baseSubject(entry.subject));
		if (key) push(this.emailsBySubject, key, path);
		for (const id of entry.ids) push(this.emailsById, id, path);
		for (const address of entry.participants) addToSet(this.emailsByAddress, address, path);
		if (entry.from) addToSet(this.emailsBySender, entry.from, path);
	}

	private removeNote(path: string): void {
		const entity = this.entities.get(path);
		if (entity) {
			this.entities.delete(path);
			for (const email of entity.emails) remove(this.byEmail, email, (p) => p === path);
			remove(this.byName, foldName(entity.name), (h) => h.path === path);
			for (const alias of entity.aliases) remove(this.byName, foldName(alias), (h) => h.path === path);
			for (const domain of entity.domains) remove(this.byDomain, domain, (p) => p === path);
			for (const email of entity.emails) remove(this.byDomain, email.slice(email.indexOf("@") + 1), (p) => p === path);
			for (const c of entity.companyPaths) this.peopleByCompanyPath.get(c)?.delete(path);
			for (const c of entity.companyNames) this.peopleByCompanyName.get(foldName(c))?.delete(path);
			for (const e of entity.emails) this.peopleByDomain.get(e.slice(e.indexOf("@") + 1))?.delete(path);
		}
		const email = this.emails.get(path);
		if (email) {
			this.emails.delete(path);
			remove(this.emailsBySubject, foldName(baseSubject(email.subject)), (p) => p === path);
			for (const id of email.ids) remove(this.emailsById, id, (p) => p === path);
			for (const address of email.participants) this.emailsByAddress.get(address)?.delete(path);
			this.emailsBySender.get(email.from)?.delete(path);
		}
	}

	// Lookups: each is a map access, independent of vault size.

	entity(path: string): Entity | undefined {
		const own = this.entities.get(path);
		if (own) return own;
		const stored = this.storedRecord(path);
		// A damaged stored record has just been replaced by the note's own.
		return stored ? stored.entity : this.entities.get(path);
	}

	private entitiesAt(paths: readonly string[]): Entity[] {
		const out: Entity[] = [];
		for (const path of paths) {
			const entity = this.entity(path);
			if (entity) out.push(entity);
		}
		return out;
	}

	peopleByEmail(address: string): Entity[] {
		return this.entitiesByEmail(address).filter((e) => e.kind === "person");
	}

	entitiesByEmail(address: string): Entity[] {
		const key = address.toLowerCase();
		return this.entitiesAt(this.hits("email", key));
	}

	byFoldedName(folded: string): Array<{ entity: Entity; via: "name" | "alias" }> {
		const named = this.hits("name", folded).map((path) => ({ path, via: "name" as const }));
		const aliased = this.hits("alias", folded).map((path) => ({ path, via: "alias" as const }));
		// By path; a note's name before its alias.
		const out: Array<{ entity: Entity; via: "name" | "alias" }> = [];
		for (const h of [...named, ...aliased].sort((a, b) => byPath(a.path, b.path))) {
			const entity = this.entity(h.path);
			if (entity) out.push({ entity, via: h.via });
		}
		return out;
	}

	organizationsByDomain(domain: string): Entity[] {
		const d = domain.toLowerCase();
		// `mail.acme.com` belongs to `acme.com`.
		const parts = d.split(".");
		for (let i = 0; i < parts.length - 1; i++) {
			const key = parts.slice(i).join(".");
			const hits = this.hits("domain", key);
			if (hits.length) return this.entitiesAt(hits).filter((e) => e.kind === "organization");
		}
		return [];
	}

	/**
	 * The people of an organization: notes whose company links to it or names it, and people
	 * with an address at one of its domains. A few set lookups, whatever the vault's size.
	 */
	peopleAt(org: Entity): Entity[] {
		const paths = new Set<string>(this.hits("companyPath", org.path));
		for (const name of [org.name, ...org.aliases]) {
			const key = foldName(name);
			for (const p of this.hits("companyName", key)) paths.add(p);
		}
		for (const domain of org.domains) for (const p of this.hits("peopleDomain", domain)) paths.add(p);
		return this.entitiesAt([...paths]).filter((e) => e.kind === "person");
	}

	/** The organizations a person belongs to: linked or named company, else their address domains. */
	organizationsOf(person: Entity): Entity[] {
		const out = new Map<string, Entity>();
		for (const p of person.companyPaths) {
			const org = this.entity(p);
			if (org?.kind === "organization") out.set(org.path, org);
		}
		for (const name of person.companyNames) {
			const hits = this.byFoldedName(foldName(name)).filter((h) => h.entity.kind === "organization");
			if (new Set(hits.map((h) => h.entity.path)).size === 1 && hits[0]) out.set(hits[0].entity.path, hits[0].entity);
		}
		if (!out.size) {
			for (const e of person.emails) {
				const domain = e.slice(e.indexOf("@") + 1);
				if (!isFreeMail(domain)) for (const org of this.organizationsByDomain(domain)) out.set(org.path, org);
			}
		}
		return [...out.values()];
	}

	/** Outgoing links of a note (resolved paths), as the index keeps them. */
	linksOf(path: string): string[] {
		return this.outgoing.get(path) ?? (this.fromTable(path) ? (this.table as LinkTable).linksOf(path) : []);
	}

	backlinkCount(path: string): number {
		return this.backlinksOf(path).length;
	}

	backlinksOf(path: string): string[] {
		const own = this.backlinks.get(path);
		if (!this.table || this.droppedTargets.has(path)) return [...(own ?? [])];
		const out = new Set(own);
		for (const source of this.table.backlinksOf(path)) if (this.fromTable(source)) out.add(source);
		return [...out];
	}

	/** Earlier emails of a conversation, by message ids, else by subject and a shared participant. */
	threadEmails(excludePath: string, subject: string, ids: string[], participants: string[]): string[] {
		const found = new Set<string>();
		for (const id of ids) for (const p of this.hits("messageId", id)) found.add(p);
		const key = foldName(baseSubject(subject));
		if (key) {
			for (const p of this.hits("subject", key)) {
				const entry = this.emailEntry(p);
				if (entry && entry.participants.some((x) => participants.includes(x))) found.add(p);
			}
		}
		found.delete(excludePath);
		return [...found];
	}

	/** Your own most recent emails (sent from one of your addresses), newest first. */
	sentEmails(ownAddresses: readonly string[], count: number): Array<{ path: string; date: string | null; subject: string }> {
		if (!ownAddresses.length || count <= 0) return [];
		const sent = new Set<EmailEntry>();
		for (const address of ownAddresses) {
			const key = address.toLowerCase();
			for (const path of this.hits("sender", key)) {
				const entry = this.emailEntry(path);
				if (entry) sent.add(entry);
			}
		}
		return [...sent]
			.filter((e) => !this.isExcludedPath(e.path))
			.sort((a, b) => byCodeUnits(b.date ?? "", a.date ?? "") || byCodeUnits(a.path, b.path))
			.slice(0, count)
			.map((e) => ({ path: e.path, date: e.date, subject: e.subject }));
	}

	/** How many emails one address sent or received (no list built, nothing sorted). */
	emailCountWith(address: string): number {
		return this.unsortedHits("participant", address.toLowerCase()).length;
	}

	/** Emails (with frontmatter) that one of these addresses sent or received. */
	emailsWith(addresses: readonly string[]): string[] {
		const out = new Set<string>();
		for (const a of addresses) {
			const key = a.toLowerCase();
			for (const p of this.hits("participant", key)) out.add(p);
		}
		return [...out];
	}

	/** Emails one of `senders` sent with one of `participants` on them: a set of paths, with no entry read. */
	emailsFromWith(senders: readonly string[], participants: readonly string[]): string[] {
		if (!senders.length || !participants.length) return [];
		const from = new Set<string>();
		for (const sender of senders) for (const p of this.hits("sender", sender.toLowerCase())) from.add(p);
		if (!from.size) return [];
		return this.emailsWith(participants).filter((p) => from.has(p));
	}

	emailEntry(path: string): EmailEntry | undefined {
		const own = this.emails.get(path);
		if (own) return own;
		const stored = this.storedRecord(path);
		return stored ? stored.email : this.emails.get(path);
	}

	isExcludedPath(path: string): boolean {
		const file = fileByPath(this.app.vault, path);
		const cache = file ? this.app.metadataCache.getFileCache(file) : null;
		return isExcluded(path, cache, this.options);
	}

	/** All entities (for tests and the bench). */
	allEntities(): Entity[] {
		return [...this.entities.values(), ...this.entitiesAt(this.storedPaths())];
	}
}
