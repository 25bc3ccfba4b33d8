/**
 * The narrow slice of Obsidian's API that the engine (email, context, draft, note) uses.
 *
 * Inside Obsidian the real `App` satisfies these interfaces (checked at compile time where
 * `src/obsidian/controller.ts` assigns the app to `AppSlice`); tests and the CLI use the
 * headless host in `headless/host.ts`, which is Node-only and never bundled into main.js.
 * Only types come from `obsidian`, so the engine has no runtime dependency on it.
 */
import type { CachedMetadata, EventRef } from "obsidian";

export type { CachedMetadata, EventRef };

export interface FileStat {
	ctime: number;
	mtime: number;
	size: number;
}

export interface AbstractFileLike {
	path: string;
	name: string;
	parent: FolderLike | null;
}

export interface FileLike extends AbstractFileLike {
	basename: string;
	extension: string;
	stat: FileStat;
}

export interface FolderLike extends AbstractFileLike {
	children: AbstractFileLike[];
	isRoot(): boolean;
}

export function isFile(file: AbstractFileLike | null | undefined): file is FileLike {
	return !!file && typeof (file as Partial<FileLike>).extension === "string" && !("children" in file);
}

export function isFolder(file: AbstractFileLike | null | undefined): file is FolderLike {
	return !!file && Array.isArray((file as Partial<FolderLike>).children);
}

/** The file at a vault path, or null when there is none (or it is a folder). */
export function fileByPath(vault: Pick<VaultSlice, "getAbstractFileByPath">, path: string): FileLike | null {
	const found = vault.getAbstractFileByPath(path);
	return isFile(found) ? found : null;
}

export interface VaultSlice {
	getAbstractFileByPath(path: string): AbstractFileLike | null;
	getMarkdownFiles(): FileLike[];
	getFiles(): FileLike[];
	cachedRead(file: FileLike): Promise<string>;
	readBinary(file: FileLike): Promise<ArrayBuffer>;
	create(path: string, data: string): Promise<FileLike>;
	createFolder(path: string): Promise<unknown>;
	process(file: FileLike, fn: (data: string) => string): Promise<string>;
	on(name: "rename", callback: (file: AbstractFileLike, oldPath: string) => unknown): EventRef;
	on(name: "create" | "modify" | "delete", callback: (file: AbstractFileLike) => unknown): EventRef;
	offref(ref: EventRef): void;
}

export interface MetadataCacheSlice {
	getFileCache(file: FileLike): CachedMetadata | null;
	getFirstLinkpathDest(linkpath: string, sourcePath: string): FileLike | null;
	resolvedLinks: Record<string, Record<string, number>>;
	unresolvedLinks: Record<string, Record<string, number>>;
	on(name: "changed", callback: (file: FileLike, data: string, cache: CachedMetadata) => unknown): EventRef;
	on(name: "deleted", callback: (file: FileLike, prevCache: CachedMetadata | null) => unknown): EventRef;
	on(name: "resolve", callback: (file: FileLike) => unknown): EventRef;
	on(name: "resolved", callback: () => unknown): EventRef;
	offref(ref: EventRef): void;
}

export interface FileManagerSlice {
	processFrontMatter(file: FileLike, fn: (frontmatter: Record<string, unknown>) => void): Promise<void>;
}

/** What the engine needs from an app: the real Obsidian `App` or the headless host. */
export interface AppSlice {
	vault: VaultSlice;
	metadataCache: MetadataCacheSlice;
	fileManager: FileManagerSlice;
}

/**
 * YAML as Obsidian's `parseYaml`/`stringifyYaml` offer it. They are module functions of the
 * app, not members of `App`, so the host provides them when it loads: the plugin hands over
 * Obsidian's own (main.js carries no YAML library), the headless host the `yaml` package
 * (headless/yaml.ts).
 */
export interface YamlSlice {
	/** Throws on malformed YAML. */
	parse(text: string): unknown;
	/** A block-style document ending in a newline. */
	stringify(value: unknown): string;
}

let yamlProvided: YamlSlice | null = null;

export function provideYaml(yaml: YamlSlice): void {
	yamlProvided = yaml;
}

export function hostYaml(): YamlSlice {
	if (!yamlProvided) throw new Error("No YAML implementation: the plugin provides Obsidian's in onload, the headless host the yaml package when it is imported.");
	return yamlProvided;
}
