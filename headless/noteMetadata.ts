/**
 * A loaded note's metadata, kept small: a hundred thousand notes' worth must fit beside the
 * vault index without the garbage collector dominating the run.
 *
 * The frontmatter is kept as parsed. Links, embeds, tags and positions are kept as flat
 * arrays (the same form the on-disk cache stores, so a cached note costs nothing to decode)
 * and become Obsidian's `LinkCache`/`TagCache`/`Pos` objects when read. Headings, list items,
 * sections and blocks, which the engine never reads, are parsed from the file on first access.
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
/** link, original, displayText (null when it is the link), position. */
export type FlatLink = [string, string, string | null, ...FlatPos];
export type FlatTag = [string, ...FlatPos];
/** key, link, original, displayText (null when it is the link). */
export type FlatFrontmatterLink = [string, string, string, string | null];

export interface FlatMetadata {
	f?: Record<string, unknown>;
	fl?: FlatFrontmatterLink[];
	fp?: FlatPos;
	l?: FlatLink[];
	e?: FlatLink[];
	t?: FlatTag[];
}

const flatPos = (p: Pos): FlatPos => [p.start.line, p.start.col, p.start.offset, p.end.line, p.end.col, p.end.offset];
const pos = (f: readonly unknown[], i: number): Pos => ({
	start: { line: Number(f[i]), col: Number(f[i + 1]), offset: Number(f[i + 2]) },
	end: { line: Number(f[i + 3]), col: Number(f[i + 4]), offset: Number(f[i + 5]) },
});
const flatLink = (l: LinkCache): FlatLink => {
	const p = l.position;
	return [l.link, l.original, l.displayText === l.link ? null : (l.displayText ?? null), p.start.line, p.start.col, p.start.offset, p.end.line, p.end.col, p.end.offset];
};
const link = (f: FlatLink): LinkCache => ({ link: f[0], original: f[1], displayText: f[2] ?? f[0], position: pos(f, 3) });

/** The fields the loader keeps of a parsed note, flattened. */
export function flatten(full: CachedMetadata): FlatMetadata {
	const out: FlatMetadata = {};
	if (full.frontmatter !== undefined) out.f = full.frontmatter;
	if (full.frontmatterLinks?.length) out.fl = full.frontmatterLinks.map((l) => [l.key, l.link, l.original, l.displayText === l.link ? null : (l.displayText ?? null)]);
	if (full.frontmatterPosition) out.fp = flatPos(full.frontmatterPosition);
	if (full.links?.length) out.l = full.links.map(flatLink);
	if (full.embeds?.length) out.e = full.embeds.map(flatLink);
	if (full.tags?.length) out.t = full.tags.map((t) => [t.tag, ...flatPos(t.position)]);
	return out;
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
		return this.#flat.fl?.map(([key, l, original, display]) => ({ key, link: l, original, displayText: display ?? l }));
	}

	get frontmatterPosition(): Pos | undefined {
		return this.#flat.fp && pos(this.#flat.fp, 0);
	}

	get links(): LinkCache[] | undefined {
		return this.#flat.l?.map(link);
	}

	get embeds(): EmbedCache[] | undefined {
		return this.#flat.e?.map(link);
	}

	get tags(): TagCache[] | undefined {
		return this.#flat.t?.map((t) => ({ tag: t[0], position: pos(t, 1) }));
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
