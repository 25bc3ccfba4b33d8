/**
 * Vault path helpers. `normalizePath` behaves as Obsidian's does (the engine cannot import
 * Obsidian at runtime because the CLI runs without it).
 */
export function normalizePath(path: string): string {
	let result = path.replace(/[\\/]+/g, "/").replace(/^\/+|\/+$/g, "");
	result = result.replace(/\u00A0|\u202F/g, " ").normalize("NFC");
	return result === "" ? "/" : result;
}

export function parentPath(path: string): string {
	const slash = path.lastIndexOf("/");
	return slash < 0 ? "" : path.slice(0, slash);
}

export function fileName(path: string): string {
	return path.slice(path.lastIndexOf("/") + 1);
}

export function splitExtension(name: string): { basename: string; extension: string } {
	const dot = name.lastIndexOf(".");
	if (dot <= 0) return { basename: name, extension: "" };
	const extension = name.slice(dot + 1);
	// A vault is mostly notes: one "md" string for all of them, not one per file.
	return { basename: name.slice(0, dot), extension: extension === "md" ? "md" : extension };
}

export function joinPath(folder: string, name: string): string {
	return folder === "" || folder === "/" ? name : `${folder}/${name}`;
}

/**
 * The link path of a link text (Obsidian's `getLinkpath`): what comes before the first `#`, so
 * `Note#Heading` and `Note#^block` point at `Note`. A `^` alone is part of the name, as in the app.
 */
export function linkpathOf(link: string): string {
	const hash = link.indexOf("#");
	return (hash < 0 ? link : link.slice(0, hash)).trim();
}

/** True when `path` is `folder` itself or inside it. */
export function isInFolder(path: string, folder: string): boolean {
	const f = folder.replace(/^\/+|\/+$/g, "");
	if (f === "") return true;
	return path === f || path.startsWith(`${f}/`);
}
