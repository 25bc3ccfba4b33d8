/**
 * Builds Obsidian's `CachedMetadata` for a Markdown note, as the metadata cache does:
 * frontmatter (parsed with the host's YAML; malformed YAML gives no frontmatter and no exception),
 * frontmatter links, wikilinks and embeds with aliases and subpaths, Markdown links to notes,
 * tags, headings and list items with task status. Code blocks and inline code are skipped.
 */
import { hostYaml } from "./slice";
import { parsePlainFrontmatter } from "./frontmatter";
import type {
	CachedMetadata,
	EmbedCache,
	FrontmatterLinkCache,
	HeadingCache,
	LinkCache,
	ListItemCache,
	Loc,
	Pos,
	TagCache,
} from "obsidian";

export interface FrontmatterBlock {
	/** The YAML text between the fences. */
	yaml: string;
	/** Offset of the first character after the closing fence line. */
	bodyStart: number;
	startLine: number;
	endLine: number;
	endOffset: number;
}

const FENCE = /^---[ \t]*$/;

/** Finds the frontmatter block: `---` on the first line, closed by a `---` line. */
export function findFrontmatter(text: string): FrontmatterBlock | null {
	if (!text.startsWith("---")) return null;
	const firstBreak = text.indexOf("\n");
	if (firstBreak < 0 || !FENCE.test(text.slice(0, firstBreak).replace(/\r$/, ""))) return null;
	let offset = firstBreak + 1;
	let line = 1;
	while (offset <= text.length) {
		const next = text.indexOf("\n", offset);
		const end = next < 0 ? text.length : next;
		const content = text.slice(offset, end).replace(/\r$/, "");
		if (FENCE.test(content)) {
			return {
				yaml: text.slice(firstBreak + 1, offset),
				bodyStart: next < 0 ? text.length : next + 1,
				startLine: 0,
				endLine: line,
				// Just after the closing dashes, so the line ending stays with the body.
				endOffset: offset + content.replace(/[ \t]+$/, "").length,
			};
		}
		if (next < 0) return null;
		offset = next + 1;
		line++;
	}
	return null;
}

/** Parses YAML frontmatter to an object, or null when it is malformed or not a mapping. */
export function parseFrontmatterYaml(yaml: string): Record<string, unknown> | null {
	// Most notes' frontmatter is plain key: value lines; those skip the full YAML parser.
	const plain = parsePlainFrontmatter(yaml);
	if (plain !== undefined) return plain;
	try {
		const value: unknown = hostYaml().parse(yaml);
		if (value === null || value === undefined) return {};
		if (typeof value !== "object" || Array.isArray(value)) return null;
		return value as Record<string, unknown>;
	} catch {
		return null;
	}
}

/** The text after the frontmatter (the whole text when there is none). */
export function stripFrontmatter(text: string): string {
	const block = findFrontmatter(text);
	return block ? text.slice(block.bodyStart) : text;
}

class LineIndex {
	private readonly starts: number[] = [0];
	constructor(text: string) {
		for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
	}
	loc(offset: number): Loc {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if ((this.starts[mid] ?? 0) <= offset) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo, col: offset - (this.starts[lo] ?? 0), offset };
	}
	pos(start: number, end: number): Pos {
		return { start: this.loc(start), end: this.loc(end) };
	}
}

/** `[[…]]` and `![[…]]`; a single `]` or `[` inside belongs to the link text, as in the app. */
const WIKILINK = /(!?)\[\[((?:[^[\]\n]|\](?!\])|\[(?!\[))+?)\]\]/g;
const MD_LINK = /(!?)\[([^\]\n]*)\]\((<[^>\n]+>|[^)\s]+)(?:\s+"[^"\n]*")?\)/g;
/**
 * A `#tag`: after the start of a line or whitespace, any characters but whitespace and
 * `'!"#$%&()*+,.:;<=>?@^`{|}~[]\` and the Unicode punctuation blocks, so letters of any
 * script and emoji are tag characters, as in the app.
 */
const TAG = /(^|\s)#([^\u2000-\u206F\u2E00-\u2E7F'!"#$%&()*+,.:;<=>?@^`{|}~[\]\\\s]+)/gu;
const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const LIST_ITEM = /^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+(?:\[(.)\][ \t])?/;
const FENCE_OPEN = /^[ \t]{0,3}(`{3,}|~{3,})/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Splits the inside of `[[...]]` into link text and display alias. */
export function splitWikilink(inner: string): { link: string; display?: string } {
	const bar = inner.indexOf("|");
	if (bar < 0) return { link: inner.trim() };
	return { link: inner.slice(0, bar).trim(), display: inner.slice(bar + 1).trim() };
}

function blankInlineCode(line: string): string {
	return line.replace(/(`+)([^`]|(?!\1)`)*?\1/g, (m) => " ".repeat(m.length));
}

/** A property value that is one wikilink and nothing else (`"[[Ana Ruiz|Ana]]"`). */
const WHOLE_WIKILINK = /^\[\[([^[\]\n]+?)\]\]$/;

/**
 * `frontmatterLinks`: every string property value, in lists and nested objects too, that is
 * a wikilink as a whole, keyed `key`, `key.0`, `key.sub`. Text around a link makes the value
 * text, not a link, as the Properties view shows it.
 */
function frontmatterLinks(frontmatter: Record<string, unknown>): FrontmatterLinkCache[] {
	const out: FrontmatterLinkCache[] = [];
	// Only strings with `[[` and nested values can hold a link: the others cost one test.
	const mayLink = (value: unknown): boolean => (typeof value === "string" ? value.includes("[[") : !!value && typeof value === "object");
	const visit = (key: string, value: unknown): void => {
		if (typeof value === "string") {
			const match = WHOLE_WIKILINK.exec(value.trim());
			if (!match) return;
			const { link, display } = splitWikilink(match[1] ?? "");
			if (link) out.push({ key, link, original: match[0], displayText: display ?? link });
		} else if (Array.isArray(value)) {
			value.forEach((item, i) => mayLink(item) && visit(`${key}.${i}`, item));
		} else if (value && typeof value === "object") {
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (mayLink(v)) visit(`${key}.${k}`, v);
		}
	};
	for (const key in frontmatter) {
		const value = frontmatter[key];
		if (mayLink(value)) visit(key, value);
	}
	return out;
}

/**
 * `parseFrontMatterEntry`: the value of a property, by its exact name or the first name a
 * pattern matches; null when there is none.
 */
export function parseFrontMatterEntry(frontmatter: Record<string, unknown> | null | undefined, key: string | RegExp): unknown {
	if (!frontmatter) return null;
	if (typeof key === "string") return Object.prototype.hasOwnProperty.call(frontmatter, key) ? (frontmatter[key] ?? null) : null;
	for (const name of Object.keys(frontmatter)) if (key.test(name)) return frontmatter[name] ?? null;
	return null;
}

/**
 * `parseFrontMatterStringArray`: a list property's strings, or a text property split at its
 * commas (`aliases: Ana, Ana R.` is two aliases); each trimmed, empty ones dropped.
 */
export function parseFrontMatterStringArray(frontmatter: Record<string, unknown> | null | undefined, key: string | RegExp, splitOnSpaces = false): string[] | null {
	const value = parseFrontMatterEntry(frontmatter, key);
	const separator = splitOnSpaces ? /[,\s]+/ : /,/;
	let items: string[];
	if (Array.isArray(value)) items = value.filter((v): v is string | number => typeof v === "string" || typeof v === "number").map(String);
	else if (typeof value === "string") items = value.split(separator);
	else return null;
	if (splitOnSpaces) items = items.flatMap((v) => v.split(separator));
	return items.map((v) => v.trim()).filter(Boolean);
}

/** `parseFrontMatterAliases`: the `aliases` property (or the older `alias`), as a list. */
export function parseFrontMatterAliases(frontmatter: Record<string, unknown> | null | undefined): string[] | null {
	return parseFrontMatterStringArray(frontmatter, /^alias(es)?$/i);
}

/** `parseFrontMatterTags`: the `tags` property (or `tag`), split at commas and spaces, each with its `#`. */
export function parseFrontMatterTags(frontmatter: Record<string, unknown> | null | undefined): string[] | null {
	const tags = parseFrontMatterStringArray(frontmatter, /^tags?$/i, true);
	return tags && tags.map((t) => (t.startsWith("#") ? t : `#${t}`)).filter((t) => t.length > 1);
}

export function parseMarkdownMetadata(text: string): CachedMetadata {
	const cache: CachedMetadata = {};
	const block = findFrontmatter(text);
	if (block) {
		cache.frontmatterPosition = { start: { line: 0, col: 0, offset: 0 }, end: new LineIndex(text).loc(block.endOffset) };
		const frontmatter = parseFrontmatterYaml(block.yaml);
		if (frontmatter) {
			cache.frontmatter = frontmatter;
			const fmLinks = frontmatterLinks(frontmatter);
			if (fmLinks.length) cache.frontmatterLinks = fmLinks;
		}
	}
	const links: LinkCache[] = [];
	const embeds: EmbedCache[] = [];
	const tags: TagCache[] = [];
	const headings: HeadingCache[] = [];
	const listItems: ListItemCache[] = [];
	scanBody(text, block, true, {
		link: (embed, link, original, displayText, position) => (embed ? embeds : links).push({ link, original, displayText, position: position() }),
		tag: (tag, position) => tags.push({ tag, position }),
		heading: (heading, level, position) => headings.push({ heading, level, position }),
		listItem: (task, position) => {
			const entry: ListItemCache = { parent: -1, position };
			if (task !== undefined) entry.task = task;
			listItems.push(entry);
		},
	});
	if (links.length) cache.links = links;
	if (embeds.length) cache.embeds = embeds;
	if (tags.length) cache.tags = tags;
	if (headings.length) cache.headings = headings;
	if (listItems.length) cache.listItems = listItems;
	return cache;
}

/**
 * What a vault index needs of a note, from the same scan as `parseMarkdownMetadata` (so the
 * same links and tags, tested equal): the frontmatter, whether the note has a frontmatter
 * block, frontmatter link texts (key, link, …), link and embed texts, and tags with their
 * positions. Headings and list items are not collected, and links get no positions.
 */
export interface NoteOutline {
	frontmatter?: Record<string, unknown>;
	/** The frontmatter's YAML text, when the note has a frontmatter block. */
	yaml?: string;
	hasFrontmatter: boolean;
	frontmatterLinks: string[];
	links: string[];
	embeds: string[];
	tags: Array<{ tag: string; position: Pos }>;
}

export function outlineNote(text: string): NoteOutline {
	const block = findFrontmatter(text);
	const out: NoteOutline = { hasFrontmatter: block !== null, frontmatterLinks: [], links: [], embeds: [], tags: [] };
	if (block) {
		out.yaml = block.yaml;
		const frontmatter = parseFrontmatterYaml(block.yaml);
		if (frontmatter) {
			out.frontmatter = frontmatter;
			for (const l of frontmatterLinks(frontmatter)) out.frontmatterLinks.push(l.key, l.link);
		}
	}
	const bodyStart = block ? block.bodyStart : 0;
	// Links need a `[` and tags a `#`: a body with neither has nothing to scan.
	if (text.indexOf("[", bodyStart) < 0 && text.indexOf("#", bodyStart) < 0) return out;
	scanBody(text, block, false, {
		link: (embed, link) => (embed ? out.embeds : out.links).push(link),
		tag: (tag, position) => out.tags.push({ tag, position }),
	});
	return out;
}

interface BodySink {
	/** `position` is computed only when called. */
	link: (embed: boolean, link: string, original: string, displayText: string, position: () => Pos) => void;
	tag: (tag: string, position: Pos) => void;
	heading?: (heading: string, level: number, position: Pos) => void;
	listItem?: (task: string | undefined, position: Pos) => void;
}

/** Code fences open with three backticks or tildes, after at most three spaces or tabs. */
function mayOpenFence(line: string): boolean {
	for (let i = 0; i < line.length && i < 4; i++) {
		const c = line.charCodeAt(i);
		if (c === 96 || c === 126) return true; // ` or ~
		if (c !== 32 && c !== 9) return false;
	}
	return false;
}

/**
 * The body's lines, outside code fences and inline code: links, embeds, tags, and (when
 * asked) headings and list items. Positions are line, column and offset in the whole text.
 */
function scanBody(text: string, block: FrontmatterBlock | null, full: boolean, sink: BodySink): void {
	let fence: string | null = null;
	let offset = block ? block.bodyStart : 0;
	// Lines are counted as the scan goes: the body starts on the line after the closing fence.
	let lineNo = block ? block.endLine + 1 : 0;
	const pos = (start: number, end: number, lineStart: number, line: number): Pos => ({
		start: { line, col: start - lineStart, offset: start },
		end: { line, col: end - lineStart, offset: end },
	});
	while (offset <= text.length) {
		const next = text.indexOf("\n", offset);
		const end = next < 0 ? text.length : next;
		let raw = text.slice(offset, end);
		if (raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
		const lineStart = offset;
		const line0 = lineNo;

		const fenceMatch = mayOpenFence(raw) ? FENCE_OPEN.exec(raw) : null;
		if (fence) {
			if (fenceMatch && fenceMatch[1]?.[0] === fence[0] && (fenceMatch[1]?.length ?? 0) >= fence.length) fence = null;
		} else if (fenceMatch) {
			fence = fenceMatch[1] ?? null;
		} else {
			const line = raw.includes("`") ? blankInlineCode(raw) : raw;
			// Links need a `[`, headings and tags a `#`: most lines have neither, and skip those scans.
			const hasBracket = line.includes("[");
			const hasHash = line.includes("#");
			const heading = hasHash ? HEADING.exec(line) : null;
			if (heading && sink.heading) sink.heading(heading[2] ?? "", heading[1]?.length ?? 1, pos(offset, end, lineStart, line0));
			if (full && sink.listItem) {
				const item = LIST_ITEM.exec(line);
				if (item) sink.listItem(item[2], pos(offset, end, lineStart, line0));
			}
			if (hasBracket) for (const m of line.matchAll(WIKILINK)) {
				const { link, display } = splitWikilink(m[2] ?? "");
				const start = offset + (m.index ?? 0);
				// `original` is the note's own text (inline code is blanked only for matching).
				sink.link(!!m[1], link, raw.slice(m.index, (m.index ?? 0) + m[0].length), display ?? link, () => pos(start, start + m[0].length, lineStart, line0));
			}
			if (hasBracket) for (const m of line.matchAll(MD_LINK)) {
				let target = m[3] ?? "";
				if (target.startsWith("<")) target = target.slice(1, -1);
				if (URL_SCHEME.test(target) || target.startsWith("#") && target.length === 1) continue;
				let decoded = target;
				try {
					decoded = decodeURIComponent(target);
				} catch {
					/* keep the raw target when it is not valid percent-encoding */
				}
				const start = offset + (m.index ?? 0);
				sink.link(!!m[1], decoded, raw.slice(m.index, (m.index ?? 0) + m[0].length), m[2] ?? "", () => pos(start, start + m[0].length, lineStart, line0));
			}
			// A heading's own `#` marks are not tags.
			const scan = heading ? line.replace(/^#{1,6}[ \t]+/, (h) => " ".repeat(h.length)) : line;
			if (hasHash) for (const m of scan.matchAll(TAG)) {
				const name = m[2] ?? "";
				if (!/\D/u.test(name)) continue; // `#1984` is not a tag
				const start = offset + (m.index ?? 0) + (m[1]?.length ?? 0);
				sink.tag(`#${name}`, pos(start, start + name.length + 1, lineStart, line0));
			}
		}
		if (next < 0) break;
		offset = next + 1;
		lineNo++;
	}
}
