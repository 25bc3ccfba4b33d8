/** A note's tags as Obsidian counts them: the `tags` property and `#tags` in the body. */
import type { CachedMetadata } from "obsidian";

/** The property Obsidian reads tags from (`parseFrontMatterTags`): `tags`, or the older `tag`. */
const TAGS_KEY = /^tags?$/i;
/** `tags: a, b c` is three tags. */
const TAG_SEPARATORS = /[,\s]+/;
const HAS_SEPARATOR = /[,\s]/;

/**
 * Lower-cased, without `#`: what `parseFrontMatterTags` and the cache's `tags` give, in that
 * order. One loop rather than a chain of array methods: the index build runs this per note
 * (tests/context/indexFastPaths.test.ts holds it to the chain).
 */
export function noteTags(cache: CachedMetadata | null): string[] {
	const out: string[] = [];
	const fm = cache?.frontmatter;
	if (fm) {
		for (const key of Object.keys(fm)) {
			if ((key.length !== 3 && key.length !== 4) || !TAGS_KEY.test(key)) continue;
			// The first key that is `tags` or `tag`, in any case, as parseFrontMatterEntry picks it.
			const value: unknown = fm[key];
			if (Array.isArray(value)) {
				for (const item of value) if (typeof item === "string" || typeof item === "number") addTagWords(out, String(item));
			} else if (typeof value === "string") addTagWords(out, value);
			break;
		}
	}
	const inBody = cache?.tags;
	if (inBody) for (const t of inBody) addTag(out, t.tag);
	return out;
}

function addTagWords(out: string[], text: string): void {
	if (!HAS_SEPARATOR.test(text)) addTag(out, text);
	else for (const word of text.split(TAG_SEPARATORS)) addTag(out, word.trim());
}

function addTag(out: string[], tag: string): void {
	const bare = tag.charCodeAt(0) === 35 /* # */ ? tag.slice(1) : tag;
	if (bare) out.push(bare.toLowerCase());
}

/** `project` matches `#project` and nested `#project/alpha`. */
export function hasTag(tags: readonly string[], wanted: string): boolean {
	const w = wanted.replace(/^#/, "").toLowerCase();
	return tags.some((t) => t === w || t.startsWith(`${w}/`));
}

interface PreparedTags {
	source: readonly string[];
	names: string[];
	prefixes: string[];
}
/** Tag settings prepared once per list (the index build checks them for every note). */
const preparedTags = new WeakMap<readonly string[], PreparedTags>();

/** `wanted.some((w) => hasTag(tags, w))`. */
export function hasAnyTag(tags: readonly string[], wanted: readonly string[]): boolean {
	if (!tags.length || !wanted.length) return false;
	let prepared = preparedTags.get(wanted);
	// A settings list edited in place is prepared again.
	if (!prepared || !sameItems(prepared.source, wanted)) {
		const names = wanted.map((w) => w.replace(/^#/, "").toLowerCase());
		prepared = { source: [...wanted], names, prefixes: names.map((w) => `${w}/`) };
		preparedTags.set(wanted, prepared);
	}
	for (const t of tags) {
		for (let i = 0; i < prepared.names.length; i++) if (t === prepared.names[i] || t.startsWith(prepared.prefixes[i] as string)) return true;
	}
	return false;
}

export function sameItems(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
