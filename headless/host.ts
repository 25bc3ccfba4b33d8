/**
 * The headless host: the engine's slice of Obsidian's API over a real folder on disk.
 *
 * It behaves as Obsidian does where the engine depends on it (the conformance table in the
 * README, tests/host/conformance.test.ts): files and folders as `TFile`/`TFolder`, a metadata
 * cache built by `parseMarkdownMetadata`, link resolution as `getFirstLinkpathDest` does it
 * (src/host/links.ts), `resolvedLinks`/`unresolvedLinks`, `processFrontMatter`, and the vault's
 * `create`/`modify`/`delete`/`rename` with the cache's `changed`/`deleted`/`resolve`/`resolved`
 * events on the app's timing: after the write has returned. The CLI and the tests run on it.
 */
import { promises as fs, readFileSync, statSync } from "fs";
import * as nodePath from "path";
import { setTimeout as later } from "timers";
import { parseDocument, stringify } from "yaml";
import "./yaml";
import type { CachedMetadata, EventRef } from "obsidian";
import { HostEvents } from "../src/host/events";
import { findFrontmatter, parseFrontmatterYaml, parseMarkdownMetadata } from "../src/host/markdown";
import { LinkResolver } from "../src/host/links";
import { fileName, linkpathOf, normalizePath, parentPath, splitExtension } from "../src/host/path";
import { loadVaultInto, type LoadOptions, type LoadReport, type LoadResult, type StorableIndex } from "./load";
import type { IndexSeed } from "../src/context/vaultIndex";
import { NO_LINKS, NoteMetadata } from "./noteMetadata";
import type {
	AbstractFileLike,
	AppSlice,
	FileLike,
	FileManagerSlice,
	FileStat,
	FolderLike,
	MetadataCacheSlice,
	VaultSlice,
} from "../src/host/slice";

/**
 * Whether a path is a folder on disk (false when missing or unreadable). Synchronous, as the load
 * that follows: a warm run would otherwise load fs/promises for this alone.
 */
export function isDirectoryOnDisk(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

export class TAbstractFile implements AbstractFileLike {
	parent: TFolder | null = null;
	constructor(public path: string, public name: string) {}
}

export class TFile extends TAbstractFile implements FileLike {
	stat: FileStat;
	/** The metadata cache's entry for this file, kept on it so that a lookup costs no hashing (headless host only). */
	metadata: CachedMetadata | null = null;
	/**
	 * The name's two parts, cut when first asked for: a run makes an object for every file of
	 * the vault (20,000 and more) and reads the basename of a few.
	 */
	private parts: { basename: string; extension: string } | null = null;
	constructor(path: string, stat: FileStat) {
		super(path, fileName(path));
		this.stat = stat;
	}
	get basename(): string {
		return (this.parts ??= splitExtension(this.name)).basename;
	}
	get extension(): string {
		return (this.parts ??= splitExtension(this.name)).extension;
	}
	/** Whether the extension is `md` (a note), without cutting the name. */
	get isNote(): boolean {
		return this.name.length > 3 && this.name.endsWith(".md");
	}
	/** Renames in place, as Obsidian mutates the same TFile object on rename. */
	setPath(path: string): void {
		this.path = path;
		this.name = fileName(path);
		this.parts = null;
	}
}

export class TFolder extends TAbstractFile implements FolderLike {
	children: TAbstractFile[] = [];
	isRoot(): boolean {
		return this.path === "/";
	}
}

export type HeadlessOptions = LoadOptions;

/** Notes the loader left encoded in the on-disk cache (headless/load.ts). */
export interface DeferredNotes {
	has(path: string): boolean;
	/** The note's metadata and links, decoded (once: it is no longer deferred); links null when they must be resolved again. */
	take(path: string): { meta: CachedMetadata; resolved: Record<string, number> | null; unresolved: Record<string, number> | null } | null;
	paths(): Iterable<string>;
}

export class HeadlessVault extends HostEvents implements VaultSlice {
	readonly root: TFolder = new TFolder("/", "");
	private readonly byPath = new Map<string, TAbstractFile>();
	private readonly contents = new Map<string, string>();
	/** Set by HeadlessApp so that writes through the vault update the cache. */
	onWrite: ((file: TFile, data: string | null, event: "create" | "modify") => void) | null = null;
	onDelete: ((file: TFile) => void) | null = null;
	onRename: ((file: TFile, oldPath: string) => void) | null = null;

	constructor(readonly basePath: string) {
		super();
		this.byPath.set("/", this.root);
	}

	/** Obsidian's config folder name; the plugin's data.json lives under it. */
	readonly configDir = ".obsidian";

	private abs(path: string): string {
		const abs = nodePath.join(this.basePath, ...path.split("/"));
		// A vault path never leads out of the vault, whatever a setting or a link says.
		if (abs !== this.basePath && !abs.startsWith(this.basePath + nodePath.sep)) throw new Error(`${path}: not inside the vault`);
		return abs;
	}

	getAbstractFileByPath(path: string): TAbstractFile | null {
		return this.byPath.get(normalizePath(path)) ?? null;
	}

	getRoot(): TFolder {
		return this.root;
	}

	/** The vault's files and notes, listed once until a file comes, goes or is renamed. */
	private listed: { files: TFile[]; notes: TFile[] } | null = null;

	private listing(): { files: TFile[]; notes: TFile[] } {
		if (!this.listed) {
			const files: TFile[] = [];
			const notes: TFile[] = [];
			for (const f of this.byPath.values()) {
				if (!(f instanceof TFile)) continue;
				files.push(f);
				if (f.isNote) notes.push(f);
			}
			this.listed = { files, notes };
		}
		return this.listed;
	}

	/** A new array each time, as Obsidian's: callers may keep or change it. */
	getFiles(): TFile[] {
		return this.listing().files.slice();
	}

	getMarkdownFiles(): TFile[] {
		return this.listing().notes.slice();
	}

	async read(file: FileLike): Promise<string> {
		const text = await fs.readFile(this.abs(file.path), "utf8");
		if (file.extension === "md") this.contents.set(file.path, text);
		return text;
	}

	/**
	 * The loader keeps no note text in memory (a large vault would not fit twice), so a note
	 * not written since is read from disk here, synchronously (small files come back at once,
	 * as from Obsidian's own cache) and not kept.
	 */
	async cachedRead(file: FileLike): Promise<string> {
		const known = this.contents.get(file.path);
		if (known !== undefined) return known;
		return readFileSync(this.abs(file.path), "utf8");
	}

	async readBinary(file: FileLike): Promise<ArrayBuffer> {
		const buf = await fs.readFile(this.abs(file.path));
		return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
	}

	private ensureFolder(path: string): TFolder {
		if (path === "" || path === "/") return this.root;
		const existing = this.byPath.get(path);
		if (existing instanceof TFolder) return existing;
		if (existing) throw new Error(`"${path}" is a file, not a folder`);
		const parent = this.ensureFolder(parentPath(path));
		const folder = new TFolder(path, fileName(path));
		folder.parent = parent;
		parent.children.push(folder);
		this.byPath.set(path, folder);
		return folder;
	}

	/** Registers a file found on disk (first parse) without events. */
	addExisting(path: string, stat: FileStat): TFile {
		const file = new TFile(path, stat);
		const parent = this.folderOf(path);
		file.parent = parent;
		parent.children.push(file);
		this.byPath.set(path, file);
		this.listed = null;
		return file;
	}

	/** The last folder a file was added to: the loader adds a folder's files one after another. */
	private lastFolder: TFolder | null = null;

	/** The folder a new file at `path` goes in, created if need be. */
	private folderOf(path: string): TFolder {
		const slash = path.lastIndexOf("/");
		const last = this.lastFolder;
		// Folders are never removed, so the last one is still the vault's folder at its path.
		if (last && slash === last.path.length && path.startsWith(last.path)) return last;
		const folder = this.ensureFolder(slash < 0 ? "" : path.slice(0, slash));
		this.lastFolder = folder;
		return folder;
	}

	rememberContent(path: string, text: string): void {
		this.contents.set(path, text);
	}

	async createFolder(path: string): Promise<TFolder> {
		const normal = normalizePath(path);
		if (this.byPath.has(normal)) throw new Error(`Folder already exists: ${normal}`);
		await fs.mkdir(this.abs(normal), { recursive: true });
		return this.ensureFolder(normal);
	}

	async create(path: string, data: string): Promise<TFile> {
		const normal = normalizePath(path);
		if (this.byPath.has(normal)) throw new Error(`File already exists: ${normal}`);
		await fs.mkdir(this.abs(parentPath(normal) || "."), { recursive: true });
		// `wx` fails if a file appeared on disk meanwhile: never overwrite.
		await fs.writeFile(this.abs(normal), data, { encoding: "utf8", flag: "wx" });
		const now = Date.now();
		const file = this.addExisting(normal, { ctime: now, mtime: now, size: Buffer.byteLength(data) });
		if (file.extension === "md") this.contents.set(normal, data);
		this.trigger("create", file);
		this.onWrite?.(file, file.extension === "md" ? data : null, "create");
		return file;
	}

	async modify(file: FileLike, data: string): Promise<void> {
		const target = this.byPath.get(file.path);
		if (!(target instanceof TFile)) throw new Error(`No such file: ${file.path}`);
		await fs.writeFile(this.abs(target.path), data, "utf8");
		target.stat = { ...target.stat, mtime: Date.now(), size: Buffer.byteLength(data) };
		if (target.extension === "md") this.contents.set(target.path, data);
		this.trigger("modify", target);
		this.onWrite?.(target, target.extension === "md" ? data : null, "modify");
	}

	async process(file: FileLike, fn: (data: string) => string): Promise<string> {
		const current = await this.read(file);
		const next = fn(current);
		await this.modify(file, next);
		return next;
	}

	async delete(file: FileLike): Promise<void> {
		const target = this.byPath.get(file.path);
		if (!(target instanceof TFile)) throw new Error(`No such file: ${file.path}`);
		await fs.unlink(this.abs(target.path));
		this.byPath.delete(target.path);
		this.listed = null;
		this.contents.delete(target.path);
		if (target.parent) target.parent.children = target.parent.children.filter((c) => c !== target);
		this.onDelete?.(target);
		this.trigger("delete", target);
	}

	async rename(file: FileLike, newPath: string): Promise<void> {
		const target = this.byPath.get(file.path);
		if (!(target instanceof TFile)) throw new Error(`No such file: ${file.path}`);
		const normal = normalizePath(newPath);
		if (this.byPath.has(normal)) throw new Error(`File already exists: ${normal}`);
		await fs.mkdir(this.abs(parentPath(normal) || "."), { recursive: true });
		await fs.rename(this.abs(target.path), this.abs(normal));
		const oldPath = target.path;
		this.byPath.delete(oldPath);
		this.listed = null;
		if (target.parent) target.parent.children = target.parent.children.filter((c) => c !== target);
		const text = this.contents.get(oldPath);
		this.contents.delete(oldPath);
		target.setPath(normal);
		const parent = this.ensureFolder(parentPath(normal));
		target.parent = parent;
		parent.children.push(target);
		this.byPath.set(normal, target);
		if (text !== undefined) this.contents.set(normal, text);
		// The app's metadata cache hears the vault's events before plugins do.
		this.onRename?.(target, oldPath);
		this.trigger("rename", target, oldPath);
	}
}

/**
 * The metadata cache. As in the app, a note written through the vault is parsed later (the app
 * parses in a worker) and its links resolved after that (through a queue): `changed`, then
 * `resolve` for each re-resolved note, then `resolved`, all after `vault.create`/`modify`
 * has returned. A rename moves the cache at once and fires no `changed`.
 */
export class HeadlessMetadataCache extends HostEvents implements MetadataCacheSlice {
	private readonly resolved: Record<string, Record<string, number>> = {};
	private readonly unresolved: Record<string, Record<string, number>> = {};
	/** Notes taken unchanged from the on-disk cache, decoded when first asked for. */
	private deferred: DeferredNotes | null = null;
	private readonly caches = new Map<string, CachedMetadata>();
	private readonly links = new LinkResolver<TFile>();
	/** Notes written but not parsed yet, and notes waiting to be resolved. */
	private readonly toParse = new Set<TFile>();
	private readonly toResolve = new Set<TFile>();
	private scheduled: ReturnType<typeof setTimeout> | null = null;

	constructor(private readonly vault: HeadlessVault) {
		super();
	}

	get resolvedLinks(): Record<string, Record<string, number>> {
		this.undeferAll();
		return this.resolved;
	}

	get unresolvedLinks(): Record<string, Record<string, number>> {
		this.undeferAll();
		return this.unresolved;
	}

	getFileCache(file: FileLike): CachedMetadata | null {
		if (file instanceof TFile && file.metadata) return file.metadata;
		return this.getCache(file.path);
	}

	/** Stores a note's entry, on its file too. */
	private store(path: string, cache: CachedMetadata, file: TFile | null = this.fileAt(path)): void {
		this.caches.set(path, cache);
		if (file) file.metadata = cache;
	}

	getCache(path: string): CachedMetadata | null {
		return this.caches.get(path) ?? this.undefer(path);
	}

	/** Views of the resolved links as they were when asked for (see `resolvedAsNow`). */
	private views: Array<{ table: Record<string, Record<string, number>> }> = [];

	/**
	 * The resolved links as they are now, and as they stay when the cache later changes them:
	 * the view reads the live table until the first change, which copies it for the view first.
	 * (A note's record is replaced, never changed in place, so a copy of the table is enough.)
	 */
	resolvedAsNow(): { readonly table: Record<string, Record<string, number>> } {
		this.undeferAll();
		const view = { table: this.resolved };
		this.views.push(view);
		return view;
	}

	private beforeChange(): void {
		if (!this.views.length) return;
		const copy = Object.assign(Object.create(null) as Record<string, Record<string, number>>, this.resolved);
		for (const view of this.views) view.table = copy;
		this.views = [];
	}

	/** One note's resolved and unresolved links (decoding that note alone if it is deferred). */
	linksOf(path: string): { resolved: Record<string, number>; unresolved: Record<string, number> } {
		this.getCache(path);
		return { resolved: this.resolved[path] ?? NO_LINKS, unresolved: this.unresolved[path] ?? NO_LINKS };
	}

	/** Notes whose metadata and links the loader found unchanged in the on-disk cache. */
	defer(notes: DeferredNotes): void {
		this.deferred = notes;
	}

	private undefer(path: string): CachedMetadata | null {
		if (!this.deferred?.has(path)) return null;
		const note = this.deferred.take(path);
		if (!note) return null;
		this.store(path, note.meta);
		if (note.resolved && note.unresolved) {
			this.resolved[path] = note.resolved;
			this.unresolved[path] = note.unresolved;
		} else {
			const file = this.vault.getAbstractFileByPath(path);
			if (file instanceof TFile) this.resolveFile(file);
		}
		return note.meta;
	}

	/** The link tables are asked for whole: every deferred note is decoded. */
	private undeferAll(): void {
		if (!this.deferred) return;
		for (const path of [...this.deferred.paths()]) this.undefer(path);
		this.deferred = null;
	}

	/**
	 * Files loaded but not yet in the name index: it is built on the first link resolved, so a
	 * run that resolves nothing (a warm command line, links from the cache) never builds it.
	 */
	private unnamed: TFile[] | null = null;

	/** Adds a file found by the loader to the name index, when a link is first resolved. */
	addLoaded(file: TFile): void {
		(this.unnamed ??= []).push(file);
	}

	/** The paths the loaded files are filed under by name, when the on-disk cache has them (same files, same order). */
	private storedNames: ((key: string) => string[]) | null = null;

	/** Lets the name index start from the cache's: `named(key)` gives the loaded files' paths under a key, in load order. */
	nameLoadedFrom(named: (key: string) => string[]): void {
		this.storedNames = named;
	}

	private get names(): LinkResolver<TFile> {
		if (this.unnamed) {
			const files = this.unnamed;
			this.unnamed = null;
			const named = this.storedNames;
			this.storedNames = null;
			if (named) {
				// Each key looked up in the stored order when first used, instead of filing every name.
				this.links.seedWith({ named: (key) => named(key).flatMap((path) => this.fileAt(path) ?? []), all: () => files });
			} else for (const file of files) this.links.add(file);
		}
		return this.links;
	}

	addToNameIndex(file: TFile): void {
		this.names.add(file);
	}

	removeFromNameIndex(file: TFile, path = file.path): void {
		this.names.remove(file, path);
	}

	/** Resolves a link path as Obsidian does (see `LinkResolver.resolve`). */
	getFirstLinkpathDest(linkpath: string, sourcePath: string): TFile | null {
		return this.names.resolve(linkpath, sourcePath, this.fileAt);
	}

	/** The file at a path, for a link to the note itself (`[[#Heading]]`). */
	private readonly fileAt = (path: string): TFile | null => {
		const file = this.vault.getAbstractFileByPath(path);
		return file instanceof TFile ? file : null;
	};

	/** Stores a note's metadata parsed elsewhere (the loader, the on-disk cache), without events. */
	remember(path: string, cache: CachedMetadata, file?: TFile): void {
		this.store(path, cache, file ?? this.fileAt(path));
	}

	/** Parses a note and stores its cache (without events). */
	index(file: TFile, text: string): CachedMetadata {
		this.undefer(file.path);
		const cache = parseMarkdownMetadata(text);
		this.store(file.path, cache, file);
		return cache;
	}

	forget(path: string, file: TFile | null = this.fileAt(path)): CachedMetadata | null {
		const prev = this.getCache(path);
		this.caches.delete(path);
		if (file) file.metadata = null;
		this.beforeChange();
		delete this.resolved[path];
		delete this.unresolved[path];
		return prev;
	}

	move(oldPath: string, newPath: string): void {
		const cache = this.getCache(oldPath);
		if (cache) {
			this.caches.delete(oldPath);
			this.caches.set(newPath, cache);
		}
		this.beforeChange();
		for (const table of [this.resolved, this.unresolved]) {
			const entry = table[oldPath];
			delete table[oldPath];
			if (entry) table[newPath] = entry;
		}
	}

	/** Recomputes one note's resolved and unresolved links. */
	resolveFile(file: TFile): void {
		const cache = this.getCache(file.path);
		// Keyed by paths that differ from note to note: dictionary-mode objects (null prototype),
		// so that a vault's worth of them does not create a hidden class per note; none when empty.
		let resolved: Record<string, number> | null = null;
		let unresolved: Record<string, number> | null = null;
		const count = (link: string): void => {
			const linkpath = linkpathOf(link);
			const dest = this.getFirstLinkpathDest(linkpath, file.path);
			if (dest) {
				resolved ??= Object.create(null) as Record<string, number>;
				resolved[dest.path] = (resolved[dest.path] ?? 0) + 1;
			} else if (linkpath) {
				unresolved ??= Object.create(null) as Record<string, number>;
				unresolved[linkpath] = (unresolved[linkpath] ?? 0) + 1;
			}
		};
		if (cache instanceof NoteMetadata) {
			// The loader's flat form: the link texts of links, embeds and frontmatter links, without
			// building LinkCache objects or a list per note.
			const flat = cache.flat;
			if (flat.l) for (const link of flat.l) count(link);
			if (flat.e) for (const link of flat.e) count(link);
			const fl = flat.fl;
			if (fl) for (let i = 1; i < fl.length; i += 2) count(fl[i] as string);
		} else {
			for (const ref of cache?.links ?? []) count(ref.link);
			for (const ref of cache?.embeds ?? []) count(ref.link);
			for (const ref of cache?.frontmatterLinks ?? []) count(ref.link);
		}
		this.beforeChange();
		this.resolved[file.path] = resolved ?? NO_LINKS;
		this.unresolved[file.path] = unresolved ?? NO_LINKS;
	}

	resolveAll(files: TFile[]): void {
		for (const file of files) if (file.extension === "md") this.resolveFile(file);
	}

	/** A note was written: parse it (with its latest text) after the write has returned. */
	queueParse(file: TFile): void {
		this.toParse.add(file);
		this.schedule();
	}

	/** Notes whose links must be resolved again, after pending parses. */
	queueResolve(files: Iterable<TFile>): void {
		for (const file of files) if (file.extension === "md") this.toResolve.add(file);
		this.schedule();
	}

	/** A later macrotask, as a worker's message would arrive. */
	private schedule(): void {
		this.scheduled ??= later(() => void this.flush(), 0);
	}

	private async flush(): Promise<void> {
		const parse = [...this.toParse];
		this.toParse.clear();
		for (const file of parse) {
			if (this.vault.getAbstractFileByPath(file.path) !== file) continue; // deleted meanwhile
			const text = await this.vault.cachedRead(file).catch(() => null);
			if (text === null) continue; // unreadable now: its cache stays as it was
			const cache = this.index(file, text);
			this.toResolve.add(file);
			this.trigger("changed", file, text, cache);
		}
		// The resolve queue runs a tick after the parses, as the app's does.
		await new Promise((resolve) => later(resolve, 0));
		if (this.toParse.size) {
			this.scheduled = later(() => void this.flush(), 0);
			return;
		}
		const resolve = [...this.toResolve];
		this.toResolve.clear();
		for (const file of resolve) {
			if (this.vault.getAbstractFileByPath(file.path) !== file) continue;
			this.resolveFile(file);
			this.trigger("resolve", file);
		}
		this.scheduled = null;
		if (this.toParse.size || this.toResolve.size) {
			this.schedule();
			return;
		}
		this.trigger("resolved");
	}
}

/** How processFrontMatter writes YAML: block lists, no folding of long values. */
const YAML_OUT = { lineWidth: 0 } as const;

export class HeadlessFileManager implements FileManagerSlice {
	constructor(private readonly vault: HeadlessVault) {}

	/**
	 * Edits a note's frontmatter as a YAML object; the body is left byte for byte as it was.
	 * Malformed frontmatter is an error, as in Obsidian, rather than being overwritten.
	 */
	async processFrontMatter(file: FileLike, fn: (frontmatter: Record<string, unknown>) => void): Promise<void> {
		if (file.extension !== "md") throw new Error(`${file.path}: processFrontMatter takes Markdown files only`);
		await this.vault.process(file, (text) => {
			const block = findFrontmatter(text);
			if (!block) {
				const fm: Record<string, unknown> = {};
				fn(fm);
				if (Object.keys(fm).length === 0) return text;
				return `---\n${stringify(fm, YAML_OUT)}---\n${text}`;
			}
			const parsed = parseFrontmatterYaml(block.yaml);
			if (!parsed) throw new Error(`${file.path}: its frontmatter is not valid YAML`);
			const doc = parseDocument(block.yaml, { uniqueKeys: false });
			fn(parsed);
			// Only what the callback changed is rewritten: other keys keep their order, style and
			// comments; new keys go last. Long values stay on one line (a link is never folded).
			const current = (doc.toJSON() ?? {}) as Record<string, unknown>;
			for (const key of Object.keys(current)) if (!(key in parsed)) doc.delete(key);
			for (const [key, value] of Object.entries(parsed)) {
				if (!(key in current) || JSON.stringify(current[key]) !== JSON.stringify(value)) doc.set(key, value);
			}
			const yaml = doc.contents === null ? stringify(parsed, YAML_OUT) : doc.toString(YAML_OUT);
			return `---\n${yaml}---${text.slice(block.endOffset)}`;
		});
	}
}

/** A headless `App`: vault, metadata cache and file manager over one folder. */
export class HeadlessApp implements AppSlice {
	readonly vault: HeadlessVault;
	readonly metadataCache: HeadlessMetadataCache;
	readonly fileManager: HeadlessFileManager;

	private constructor(basePath: string) {
		this.vault = new HeadlessVault(basePath);
		this.metadataCache = new HeadlessMetadataCache(this.vault);
		this.fileManager = new HeadlessFileManager(this.vault);
		this.wire();
	}

	/** What the last load read, took from the cache, and could not read. */
	loadReport: LoadReport | null = null;
	private loaded: LoadResult | null = null;

	/**
	 * What `VaultIndex.build` can start from after a load: every note's links as a table, and
	 * the records an earlier run stored for notes that have not changed, when they were made
	 * under these settings (`VaultIndex.optionsKey`) and the vault has the same files.
	 */
	indexSeed(optionsKey: string): IndexSeed | undefined {
		return this.loaded?.indexSeed(optionsKey);
	}

	/** Writes the on-disk cache of a load made with `deferCacheSave`, with the index's records. */
	saveCache(index: StorableIndex | null): boolean {
		return this.loaded?.save(index) ?? false;
	}

	/**
	 * Loads a vault folder: every file listed, every note parsed (or taken unchanged from the
	 * on-disk cache) and its links resolved. See headless/load.ts.
	 */
	static async load(basePath: string, options: HeadlessOptions = {}): Promise<HeadlessApp> {
		if (!isDirectoryOnDisk(basePath)) throw new Error(`${basePath}: not a folder`);
		const app = new HeadlessApp(nodePath.resolve(basePath));
		app.loaded = loadVaultInto(app, options);
		app.loadReport = app.loaded.report;
		return app;
	}

	/** Keeps the cache current as files change through the vault, with the app's timing. */
	private wire(): void {
		const cache = this.metadataCache;
		this.vault.onWrite = (file, data, event) => {
			if (event === "create") cache.addToNameIndex(file);
			if (data !== null) cache.queueParse(file);
			// A new file can resolve links that were unresolved until now.
			if (event === "create") cache.queueResolve(this.notesWithUnresolvedLinks());
		};
		this.vault.onDelete = (file) => {
			cache.removeFromNameIndex(file);
			const prev = cache.forget(file.path, file);
			cache.trigger("deleted", file, prev);
			cache.queueResolve(this.notesLinkingTo(file.path));
		};
		this.vault.onRename = (file, oldPath) => {
			cache.removeFromNameIndex(file, oldPath);
			cache.addToNameIndex(file);
			// The cache follows the file at once; `changed` is not fired for a rename.
			cache.move(oldPath, file.path);
			cache.queueResolve([file, ...this.notesLinkingTo(oldPath), ...this.notesWithUnresolvedLinks()]);
		};
	}

	private notesLinkingTo(path: string): TFile[] {
		const out: TFile[] = [];
		for (const [source, dests] of Object.entries(this.metadataCache.resolvedLinks)) {
			if (!(path in dests)) continue;
			const file = this.vault.getAbstractFileByPath(source);
			if (file instanceof TFile) out.push(file);
		}
		return out;
	}

	private notesWithUnresolvedLinks(): TFile[] {
		const out: TFile[] = [];
		for (const [source, dests] of Object.entries(this.metadataCache.unresolvedLinks)) {
			if (Object.keys(dests).length === 0) continue;
			const file = this.vault.getAbstractFileByPath(source);
			if (file instanceof TFile) out.push(file);
		}
		return out;
	}

	offref(ref: EventRef): void {
		this.vault.offref(ref);
		this.metadataCache.offref(ref);
	}
}
