/** A note's tags as Obsidian counts them: the `tags` property and `#tags` in the body. */
import type { CachedMetadata } from "obsidian";

/** Lower-cased, without `#`. */
export function noteTags(cache: CachedMetadata | null): string[] {
	const out: string[] = [];
	const fm = cache?.frontmatter ?? {};
	for (const key in fm) {
		const lower = key.toLowerCase();
		if (lower !== "tags" && lower !== "tag") continue;
		const value: unknown = fm[key];
		const list: unknown[] = Array.isArray(value) ? value : [value];
		for (const t of list) if (typeof t === "string") out.push(...t.split(/[,\s]+/));
	}
	for (const t of cache?.tags ?? []) out.push(t.tag);
	return out.map((t) => t.replace(/^#/, "").toLowerCase()).filter(Boolean);
}

/** `project` matches `#project` and nested `#project/alpha`. */
export function hasTag(tags: readonly string[], wanted: string): boolean {
	const w = wanted.replace(/^#/, "").toLowerCase();
	return tags.some((t) => t === w || t.startsWith(`${w}/`));
}
