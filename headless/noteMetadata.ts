/**
 * A loaded note's metadata, kept small: a hundred thousand notes' worth must fit beside the
 * vault index without the garbage collector dominating the run.
 *
 * Kept: the frontmatter as parsed, the texts of links, embeds and frontmatter links (what link
 * resolution and the index read), and tags with their positions (tags are few, and the engine
 * reads them for every note). Everything else Obsidian's `CachedMetadata` has (a link's
 * position, original text and display text, headings, list items, sections, blocks, the
 * frontmatter's position) is parsed from the note on first access, with the same parser, so
 * every field reads as a fresh parse would give it. The flat form is also what the on-disk
 * cache stores.
 */
import * as fs from "fs";
import * as nodePath from "path";
import type { BlockCache, CachedMetadata, EmbedCache, FrontmatterLinkCache, HeadingCache, LinkCache, ListItemCache, Pos, SectionCache, TagCache } from "obsidian";
import { parseMarkdownMetadata } from "../src/host/markdown";

/**
 * The resolved or unresolved links of a note that has none: one shared, frozen record rather
 * than an empty object per note. Records with links are null-prototype dictionaries (their
 * keys are paths that differ from note to note; a hidden class per note would cost more).
 */
export const NO_LINKS: Record<string, number> = Object.freeze(Object.create(null) as Record<string, number>);

export type FlatPos = [number, number, number, number, number, number];
/** A tag and its position. */
export type FlatTag = [string, ...FlatPos];

export interface FlatMetadata {
	f?: Record<string, unknown>;
	/** 1 when the note has a frontmatter block (even one that is not valid YAML). */
	fp?: 1;
	/** Frontmatter links: key, link, key, link… */
	fl?: string[];
	/** Link and embed texts (`link` of each `LinkCache`/`EmbedCache`). */
	l?: string[];
	e?: string[];
	t?: FlatTag[];
}

const flatPos = (p: Pos): FlatPos => [p.start.line, p.start.col, p.start.offset, p.end.line, p.end.col, p.end.offset];
const pos = (f: readonly unknown[], i: number): Pos => ({
	start: { line: Number(f[i]), col: Number(f[i + 1]), offset: Number(f[i + 2]) },
	end: { line: Number(f[i + 3]), col: Number(f[i + 4]), offset: Number(f[i + 5]) },
});

/** The fields the loader keeps of a parsed note, flattened. */
export function flatten(full: CachedMetadata): FlatMetadata {
	const out: FlatMetadata = {};
	if (full.frontmatter !== undefined) out.f = full.frontmatter;
	if (full.frontmatterPosition) out.fp = 1;
	if (full.frontmatterLinks?.length) out.fl = full.frontmatterLinks.flatMap((l) => [l.key, l.link]);
	if (full.links?.length) out.l = full.links.map((l) => l.link);
	if (full.embeds?.length) out.e = full.embeds.map((l) => l.link);
	if (full.tags?.length) out.t = full.tags.map((t) => [t.tag, ...flatPos(t.position)]);
	return out;
}

/** A tag read from the flat form: its position is built only when asked for (most readers want the tag). */
class FlatTagCache implements TagCache {
	readonly tag: string;
	readonly #flat: FlatTag;
	constructor(flat: FlatTag) {
		this.tag = flat[0];
		this.#flat = flat;
	}
	get position(): Pos {
		return pos(this.#flat, 1);
	}
	/** What `JSON.stringify` and test matchers see: a plain tag cache. */
	toJSON(): TagCache {
		return { tag: this.tag, position: this.position };
	}
}

export class NoteMetadata implements CachedMetadata {
	readonly #flat: FlatMetadata;
	readonly #base: string;
	readonly #file: { path: string };
	#details: CachedMetadata | null = null;

	constructor(flat: FlatMetadata, base: string, file: { path: string }) {
		this.#flat = flat;
		this.#base = base;
		this.#file = file;
	}

	/** The flat form, for the on-disk cache. */
	get flat(): FlatMetadata {
		return this.#flat;
	}

	get frontmatter(): Record<string, unknown> | undefined {
		return this.#flat.f;
	}

	get frontmatterLinks(): FrontmatterLinkCache[] | undefined {
		return this.#flat.fl && this.details().frontmatterLinks;
	}

	get frontmatterPosition(): Pos | undefined {
		return this.#flat.fp ? this.details().frontmatterPosition : undefined;
	}

	get links(): LinkCache[] | undefined {
		return this.#flat.l && this.details().links;
	}

	get embeds(): EmbedCache[] | undefined {
		return this.#flat.e && this.details().embeds;
	}

	get tags(): TagCache[] | undefined {
		return this.#flat.t?.map((t) => new FlatTagCache(t));
	}

	get headings(): HeadingCache[] | undefined {
		return this.details().headings;
	}

	get listItems(): ListItemCache[] | undefined {
		return this.details().listItems;
	}

	get sections(): SectionCache[] | undefined {
		return this.details().sections;
	}

	get blocks(): Record<string, BlockCache> | undefined {
		return this.details().blocks;
	}

	/** What `JSON.stringify` and test matchers see: the fields a note has, as the parser gives them. */
	toJSON(): CachedMetadata {
		const out: CachedMetadata = {};
		if (this.#flat.f !== undefined) out.frontmatter = this.frontmatter;
		if (this.#flat.fl) out.frontmatterLinks = this.frontmatterLinks;
		if (this.#flat.fp) out.frontmatterPosition = this.frontmatterPosition;
		if (this.#flat.l) out.links = this.links;
		if (this.#flat.e) out.embeds = this.embeds;
		if (this.#flat.t) out.tags = this.tags;
		return out;
	}

	private details(): CachedMetadata {
		if (!this.#details) {
			try {
				this.#details = parseMarkdownMetadata(fs.readFileSync(nodePath.join(this.#base, ...this.#file.path.split("/")), "utf8"));
			} catch {
				this.#details = {};
			}
		}
		return this.#details;
	}
}
