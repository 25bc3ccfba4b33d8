/**
 * Link text and link resolution as Obsidian does them, for the headless host (the app has its
 * own). Pure: no file system, so the host, its tests and the conformance table share one copy.
 * Each rule is a row of the conformance table in the README (tests/host/conformance.test.ts).
 */
import { fileName, linkpathOf, parentPath } from "./path";

/**
 * `parseLinktext`: the path and the subpath of a link text, split at the first `#`. The subpath
 * keeps its `#` (`#Heading`, `#^block`); a `^` without `#` is part of the path, as in the app.
 */
export function parseLinktext(linktext: string): { path: string; subpath: string } {
	const hash = linktext.indexOf("#");
	if (hash < 0) return { path: linktext, subpath: "" };
	return { path: linktext.slice(0, hash), subpath: linktext.slice(hash) };
}

/** `getLinkpath`: the path part of a link text, trimmed. */
export const getLinkpath = linkpathOf;

/** The part of a file the resolver needs. */
export interface LinkTarget {
	path: string;
	name: string;
	basename: string;
	extension: string;
}

/**
 * Several files answer to a link's name: kept in the order that decides between them when no
 * candidate is under the source note's folder (shortest path, then path), with their
 * lower-cased paths for the folder test.
 */
class Candidates<F extends LinkTarget> {
	readonly files: F[];
	readonly lowerPaths: string[];

	constructor(files: F[]) {
		this.files = [...new Set(files)].sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		this.lowerPaths = this.files.map((f) => f.path.toLowerCase());
	}

	/**
	 * Files under the source note's folder (any depth) first, then the shortest path; ties by
	 * path. The files are in that second order already, so the first one under the folder wins.
	 */
	pick(sourcePath: string): F | null {
		const folder = parentPath(sourcePath).toLowerCase();
		if (folder) {
			const prefix = `${folder}/`;
			for (let i = 0; i < this.files.length; i++) if ((this.lowerPaths[i] as string).startsWith(prefix)) return this.files[i] ?? null;
		}
		return this.files[0] ?? null;
	}
}

/**
 * The files a host already knows by name key (`fileNameKey`), from before the resolver saw any
 * file: the command line's cache stores them sorted, so a warm run files no name at all.
 */
export interface NameSeed<F> {
	/** The files filed under a key, in the order they were added. */
	named(key: string): F[];
	/** Every file, in the order they were added. */
	all(): readonly F[];
}

/**
 * Files by lower-cased path and by lower-cased name, kept current as files come and go, and
 * `getFirstLinkpathDest` over them.
 */
export class LinkResolver<F extends LinkTarget> {
	/**
	 * Files by lower-cased path, made from `byName` on the first link with a folder in it: a link
	 * by name alone (most links) finds a root file through its name, so a run that resolves only
	 * those never builds a second map of the vault.
	 */
	private byLowerPathMap: Map<string, F> | null = null;
	/**
	 * Files by lower-cased name without a trailing `.md` (`nameKey`): one entry per file, which
	 * answers both a link by full name (`mail.eml`, `Note.md`) and one by a note's basename.
	 */
	private readonly byName = new Map<string, F | F[]>();
	/**
	 * Link path → what it means from any note but by relative path, while no file comes or goes:
	 * a vault repeats the same few link texts many times (people, companies, days), and each is
	 * looked up by path and by name once rather than once per link.
	 */
	private readonly known = new Map<string, F | Candidates<F> | null>();
	/** Files not filed yet, taken into `byName` a key at a time as a key is first used. */
	private seed: NameSeed<F> | null = null;
	private readonly pulled = new Set<string>();

	/** Starts from files the host knows by name already; only while no file has been added. */
	seedWith(seed: NameSeed<F>): void {
		if (this.byName.size || this.seed) throw new Error("LinkResolver: seeded after files were added");
		this.seed = seed;
	}

	/** `byName`'s entry for a key, with the seed's files for it taken in first. */
	private entry(key: string): F | F[] | undefined {
		if (this.seed && !this.pulled.has(key)) {
			this.pulled.add(key);
			const files = this.seed.named(key);
			if (files.length) this.byName.set(key, files.length === 1 ? (files[0] as F) : files);
		}
		return this.byName.get(key);
	}

	add(file: F): void {
		if (this.known.size) this.known.clear();
		this.byLowerPathMap?.set(file.path.toLowerCase(), file);
		const key = nameKey(file.name.toLowerCase());
		this.fileUnder(key, file, this.entry(key));
	}

	/** Files a file under its name key, after the files already there (`entry`: the key's entry now). */
	private fileUnder(key: string, file: F, entry: F | F[] | undefined): void {
		if (entry === undefined) this.byName.set(key, file);
		else if (Array.isArray(entry)) {
			if (!entry.includes(file)) entry.push(file);
		} else if (entry !== file) this.byName.set(key, [entry, file]);
	}

	/** Forgets a file; `path` is its old path when it has already been renamed. */
	remove(file: F, path = file.path): void {
		if (this.known.size) this.known.clear();
		const paths = this.byLowerPathMap;
		if (paths?.get(path.toLowerCase()) === file) paths.delete(path.toLowerCase());
		const key = fileNameKey(path);
		const entry = this.entry(key);
		const list = Array.isArray(entry) ? entry.filter((f) => f !== file) : entry === file || entry === undefined ? [] : [entry];
		if (list.length > 1) this.byName.set(key, list);
		else if (list.length === 1) this.byName.set(key, list[0] as F);
		else this.byName.delete(key);
	}

	/**
	 * The files named `name` (lower-cased), and the notes named `name.md` (a link may leave out
	 * a note's extension).
	 */
	private named(name: string): F[] {
		const out: F[] = [];
		const collect = (entry: F | F[] | undefined, keep: (f: F) => boolean): void => {
			if (entry === undefined) return;
			if (!Array.isArray(entry)) {
				if (keep(entry)) out.push(entry);
			} else for (const f of entry) if (keep(f)) out.push(f);
		};
		const all = (): boolean => true;
		// Filed under `name`: files named `name` and `name.md`, unless `name` ends in `.md` itself,
		// when they are all named `name.md`; files named `name` are then filed without the `.md`.
		collect(this.entry(name), all);
		if (name.endsWith(".md")) collect(this.entry(name.slice(0, -3)), (f) => f.name.toLowerCase() === name);
		return out;
	}

	/**
	 * The best match for a link path from a source note:
	 * - empty: the source note itself (`[[#Heading]]`);
	 * - a leading `/`: that vault path and nothing else;
	 * - `./` or `../`: relative to the source note's folder;
	 * - otherwise an exact vault path (`.md` optional), else the files with that name (or
	 *   ending in that path), preferring those under the source note's folder at any depth,
	 *   then the shortest path.
	 * `self` gives the source note's file, for the empty link path.
	 */
	resolve(linkpath: string, sourcePath: string, self: (sourcePath: string) => F | null): F | null {
		let found = this.known.get(linkpath);
		if (found === undefined) {
			const target = getLinkpath(linkpath).replace(/\\/g, "/");
			if (target === "") return self(sourcePath);
			const lower = target.toLowerCase();
			if (lower.startsWith("/")) found = this.exact(lower.replace(/^\/+/, ""));
			else if (lower.startsWith("./") || lower.startsWith("../")) return this.exact(normalizeRelative(parentPath(sourcePath).toLowerCase(), lower));
			else found = this.exact(lower) ?? this.byNameOrPathEnd(lower);
			this.known.set(linkpath, found);
		}
		return found instanceof Candidates ? found.pick(sourcePath) : found;
	}

	private exact(lowerPath: string): F | null {
		if (!lowerPath.includes("/")) return this.atRoot(lowerPath) ?? this.atRoot(`${lowerPath}.md`);
		const paths = this.byLowerPath();
		return paths.get(lowerPath) ?? paths.get(`${lowerPath}.md`) ?? null;
	}

	/** The root file with this lower-cased path: filed under its name; of two, the later added (as in `byLowerPath`). */
	private atRoot(lowerPath: string): F | null {
		const entry = this.entry(nameKey(lowerPath));
		if (entry === undefined) return null;
		if (!Array.isArray(entry)) return entry.path.toLowerCase() === lowerPath ? entry : null;
		for (let i = entry.length - 1; i >= 0; i--) if ((entry[i] as F).path.toLowerCase() === lowerPath) return entry[i] as F;
		return null;
	}

	private byLowerPath(): Map<string, F> {
		if (!this.byLowerPathMap) {
			this.fileSeed();
			const map = new Map<string, F>();
			for (const entry of this.byName.values()) {
				if (Array.isArray(entry)) for (const f of entry) map.set(f.path.toLowerCase(), f);
				else map.set(entry.path.toLowerCase(), entry);
			}
			this.byLowerPathMap = map;
		}
		return this.byLowerPathMap;
	}

	/** Files every file of the seed not filed yet (a key's files in the seed's order), and drops it. */
	private fileSeed(): void {
		const seed = this.seed;
		if (!seed) return;
		this.seed = null;
		for (const file of seed.all()) {
			const key = nameKey(file.name.toLowerCase());
			if (!this.pulled.has(key)) this.fileUnder(key, file, this.byName.get(key));
		}
		this.pulled.clear();
	}

	/** The files with the link's name (and, for `a/Note`, a path ending in it). */
	private byNameOrPathEnd(lower: string): F | Candidates<F> | null {
		const named = this.named(fileName(lower));
		const candidates = lower.includes("/")
			? named.filter((f) => {
					const p = f.path.toLowerCase();
					return p.endsWith(`/${lower}`) || p.endsWith(`/${lower}.md`);
				})
			: named;
		if (candidates.length <= 1) return candidates[0] ?? null;
		return new Candidates(candidates);
	}
}

/** The key a file is filed under by name: its lower-cased name without a trailing `.md`. */
function nameKey(lowerName: string): string {
	return lowerName.endsWith(".md") ? lowerName.slice(0, -3) : lowerName;
}

/** The key the file at a vault path is filed under by name (for a host that stores them). */
export function fileNameKey(path: string): string {
	return nameKey(fileName(path).toLowerCase());
}

function normalizeRelative(folder: string, relative: string): string {
	const stack: string[] = [];
	for (const part of [...(folder ? folder.split("/") : []), ...relative.split("/")]) {
		if (part === "." || part === "") continue;
		if (part === "..") stack.pop();
		else stack.push(part);
	}
	return stack.join("/");
}
