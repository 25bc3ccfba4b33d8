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
 * Files by lower-cased path and by lower-cased name, kept current as files come and go, and
 * `getFirstLinkpathDest` over them.
 */
export class LinkResolver<F extends LinkTarget> {
	private readonly byLowerPath = new Map<string, F>();
	/** Lower-cased name (the basename for notes, the full name for every file) → files. */
	private readonly byName = new Map<string, F[]>();

	add(file: F): void {
		this.byLowerPath.set(file.path.toLowerCase(), file);
		for (const key of nameKeys(file.path)) {
			const list = this.byName.get(key);
			if (!list) this.byName.set(key, [file]);
			else if (!list.includes(file)) list.push(file);
		}
	}

	/** Forgets a file; `path` is its old path when it has already been renamed. */
	remove(file: F, path = file.path): void {
		if (this.byLowerPath.get(path.toLowerCase()) === file) this.byLowerPath.delete(path.toLowerCase());
		for (const key of nameKeys(path)) {
			const list = this.byName.get(key)?.filter((f) => f !== file) ?? [];
			if (list.length) this.byName.set(key, list);
			else this.byName.delete(key);
		}
	}

	/**
	 * The best match for a link path from a source note:
	 * - empty: the source note itself (`[[#Heading]]`);
	 * - a leading `/`: that vault path and nothing else;
	 * - `./` or `../`: relative to the source note's folder;
	 * - otherwise an exact vault path (`.md` optional), else the files with that name (or
	 *   ending in that path), preferring those under the source note's folder at any depth,
	 *   then the shortest path.
	 */
	resolve(linkpath: string, sourcePath: string, self: () => F | null): F | null {
		const target = getLinkpath(linkpath).replace(/\\/g, "/");
		if (target === "") return self();
		const lower = target.toLowerCase();
		const exact = (p: string): F | null => this.byLowerPath.get(p) ?? this.byLowerPath.get(`${p}.md`) ?? null;
		if (lower.startsWith("/")) return exact(lower.replace(/^\/+/, ""));
		const sourceFolder = parentPath(sourcePath).toLowerCase();
		if (lower.startsWith("./") || lower.startsWith("../")) return exact(normalizeRelative(sourceFolder, lower));

		const direct = exact(lower);
		if (direct) return direct;
		const name = fileName(lower);
		const withPath = lower.includes("/");
		const candidates = (this.byName.get(name) ?? []).filter((f) => {
			if (!withPath) return true;
			const p = f.path.toLowerCase();
			return p.endsWith(`/${lower}`) || p.endsWith(`/${lower}.md`);
		});
		return pickCandidate(candidates, sourceFolder);
	}
}

/** Files under the source note's folder (any depth) first, then the shortest path; ties by path. */
function pickCandidate<F extends LinkTarget>(candidates: F[], sourceFolderLower: string): F | null {
	if (candidates.length <= 1) return candidates[0] ?? null;
	const prefix = sourceFolderLower ? `${sourceFolderLower}/` : "";
	const rank = (f: F): number => (f.path.toLowerCase().startsWith(prefix) ? 0 : 1);
	return [...new Set(candidates)].sort((a, b) => rank(a) - rank(b) || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0] ?? null;
}

function nameKeys(path: string): string[] {
	const name = fileName(path).toLowerCase();
	const keys = [name];
	if (name.endsWith(".md")) keys.push(name.slice(0, -3));
	return keys;
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
