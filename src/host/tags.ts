/** A note's tags as Obsidian counts them: the `tags` property and `#tags` in the body. */
import type { CachedMetadata } from "obsidian";
import { parseFrontMatterTags } from "./markdown";

/** Lower-cased, without `#`. */
export function noteTags(cache: CachedMetadata | null): string[] {
	const out: string[] = [...(parseFrontMatterTags(cache?.frontmatter) ?? [])];
	for (const t of cache?.tags ?? []) out.push(t.tag);
	return out.map((t) => t.replace(/^#/, "").toLowerCase()).filter(Boolean);
}

/** `project` matches `#project` and nested `#project/alpha`. */
export function hasTag(tags: readonly string[], wanted: string): boolean {
	const w = wanted.replace(/^#/, "").toLowerCase();
	return tags.some((t) => t === w || t.startsWith(`${w}/`));
}
