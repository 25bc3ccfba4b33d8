/**
 * Where a draft goes and how it is written: beside the original (or in a drafts folder),
 * named from a template, never overwriting a note (the next free number is used), and the
 * optional `reply_draft` link on the original through `processFrontMatter`.
 */
import type { AppSlice, FileLike } from "../host/slice";
import { fileByPath, isFolder } from "../host/slice";
import { normalizePath, parentPath, joinPath } from "../host/path";
import { wikilink } from "../shared/wikilink";

/** Characters Obsidian does not allow in file names, and those that break links. */
export function safeFileName(name: string): string {
	const cleaned = name
		.replace(/[\\/:*?"<>|#^[\]]/g, " ")
		.replace(/\p{Cc}/gu, "")
		.replace(/\s+/g, " ")
		.trim()
		.replace(/^\.+/, "");
	return (cleaned.length > 120 ? cleaned.slice(0, 120).trim() : cleaned) || "Reply draft";
}

export interface DraftLocation {
	draftsFolder: string;
	fileNameTemplate: string;
}

export function draftBaseName(emailFile: FileLike, template: string, subject: string, now: Date): string {
	const date = now.toISOString().slice(0, 10);
	const name = template
		.replace(/\{\{\s*email\s*\}\}/g, emailFile.basename)
		.replace(/\{\{\s*date\s*\}\}/g, date)
		.replace(/\{\{\s*subject\s*\}\}/g, subject);
	return safeFileName(name);
}

export function draftFolder(emailFile: FileLike, location: DraftLocation): string {
	const folder = location.draftsFolder.trim() ? normalizePath(location.draftsFolder) : parentPath(emailFile.path);
	return folder === "/" ? "" : folder;
}

/** The first free path: `name.md`, then `name 2.md`, `name 3.md`, … */
export function freePath(app: AppSlice, folder: string, base: string): string {
	for (let n = 1; n < 10000; n++) {
		const path = normalizePath(joinPath(folder, `${n === 1 ? base : `${base} ${n}`}.md`));
		if (!app.vault.getAbstractFileByPath(path)) return path;
	}
	throw new Error(`No free file name for "${base}" in "${folder || "/"}"`);
}

async function ensureFolder(app: AppSlice, folder: string): Promise<void> {
	if (!folder) return;
	const existing = app.vault.getAbstractFileByPath(folder);
	if (isFolder(existing)) return;
	if (existing) throw new Error(`"${folder}" is a file, not a folder: choose another drafts folder`);
	try {
		await app.vault.createFolder(folder);
	} catch (error) {
		if (!isFolder(app.vault.getAbstractFileByPath(folder))) throw error;
	}
}

/** Creates the note at the first free path; a name taken meanwhile moves on to the next number. */
export async function createDraftNote(app: AppSlice, folder: string, base: string, content: string): Promise<FileLike> {
	await ensureFolder(app, folder);
	let lastError: unknown = null;
	for (let attempt = 0; attempt < 5; attempt++) {
		const path = freePath(app, folder, base);
		try {
			return await app.vault.create(path, content);
		} catch (error) {
			lastError = error;
			if (!app.vault.getAbstractFileByPath(path)) throw error;
		}
	}
	throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Adds `reply_draft: [[draft]]` to the original's frontmatter; its body is left byte for byte. */
export async function linkBack(app: AppSlice, emailFile: FileLike, draft: FileLike): Promise<boolean> {
	if (emailFile.extension !== "md") return false;
	const current = fileByPath(app.vault, emailFile.path);
	if (!current) return false;
	await app.fileManager.processFrontMatter(current, (fm) => {
		fm.reply_draft = wikilink(draft.path, "");
	});
	return true;
}
