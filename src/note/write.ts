/**
 * Where a draft goes and how it is written: beside the original (or in a drafts folder),
 * named from a template, never overwriting a note (the next free number is used, atomically),
 * and the optional `reply_draft` link on the original, which changes no other byte of it.
 */
import type { AppSlice, FileLike } from "../host/slice";
import { fileByPath, isFolder } from "../host/slice";
import { normalizePath, parentPath, joinPath } from "../host/path";
import { wikilink } from "../shared/wikilink";
import { findFrontmatter, parseFrontmatterYaml } from "../host/markdown";

/** Longest file name, in UTF-8 bytes, before ` 9999.md` is added: file systems allow 255. */
export const MAX_NAME_BYTES = 200;

/** Names Windows reserves in every folder, whatever the extension (`CON.md` cannot exist there). */
const RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/i;

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).length;

/** The text cut to at most `max` UTF-8 bytes, never inside a character or an emoji sequence. */
export function cutToBytes(text: string, max: number): string {
	if (byteLength(text) <= max) return text;
	const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
	const pieces = Segmenter ? Array.from(new Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment) : Array.from(text);
	let out = "";
	let bytes = 0;
	for (const piece of pieces) {
		const size = byteLength(piece);
		if (bytes + size > max) break;
		out += piece;
		bytes += size;
	}
	return out;
}

/**
 * A file name every desktop and mobile file system accepts and Obsidian can link to: line
 * breaks become spaces, control and direction-override characters go, characters that break
 * paths or links become spaces, at most MAX_NAME_BYTES bytes (whole characters), no leading
 * dot, no trailing dot or space, and never a name Windows reserves.
 */
export function safeFileName(name: string): string {
	const cleaned = name
		.normalize("NFC")
		.replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, " ")
		.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, "")
		.replace(/[\\/:*?"<>|#^[\]]/g, " ")
		.replace(/\s+/g, " ")
		.trim()
		.replace(/^\.+/, "");
	let out = cutToBytes(cleaned, MAX_NAME_BYTES).replace(/[\s.]+$/, "");
	if (RESERVED.test(out.split(".")[0]?.trim() ?? "")) out = `${out} reply`;
	return out || "Reply draft";
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

/** A setting names a place the plugin cannot or must not write to. */
export class SettingsPathError extends Error {
	constructor(readonly setting: string, readonly value: string, problem: string) {
		super(`The "${setting}" setting "${value}" ${problem}. Choose a folder inside the vault.`);
		this.name = "SettingsPathError";
	}
}

/**
 * A folder a setting names, as a vault path, or an error: it must stay inside the vault (no
 * `..`, not absolute, no drive letter) and not be hidden (Obsidian shows no dot-folder).
 */
export function vaultFolderSetting(setting: string, value: string): string {
	const raw = value.trim();
	if (!raw) return "";
	if (/^(?:[a-zA-Z]:)?[\\/]/.test(raw) || /^[a-zA-Z]:/.test(raw) || /^~[\\/]?/.test(raw)) throw new SettingsPathError(setting, value, "is an absolute path");
	const segments = raw.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
	if (segments.some((s) => s === "..")) throw new SettingsPathError(setting, value, "points outside the vault");
	if (segments.some((s) => s.startsWith("."))) throw new SettingsPathError(setting, value, "is a hidden folder, which Obsidian does not show");
	if (segments.some((s) => /\p{Cc}/u.test(s))) throw new SettingsPathError(setting, value, "holds control characters");
	const folder = normalizePath(segments.join("/"));
	return folder === "/" ? "" : folder;
}

export function draftFolder(emailFile: FileLike, location: DraftLocation): string {
	const folder = location.draftsFolder.trim() ? vaultFolderSetting("Drafts folder", location.draftsFolder) : parentPath(emailFile.path);
	return folder === "/" ? "" : folder;
}

/** The first free path: `name.md`, then `name 2.md`, `name 3.md`, …, skipping those known taken. */
export function freePath(app: AppSlice, folder: string, base: string, taken: ReadonlySet<string> = new Set()): string {
	for (let n = 1; n < 10000; n++) {
		const path = normalizePath(joinPath(folder, `${n === 1 ? base : `${base} ${n}`}.md`));
		if (!taken.has(path) && !app.vault.getAbstractFileByPath(path)) return path;
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

/** "This name is taken": Obsidian's own error, or the file system's exclusive create failing. */
function nameTaken(app: AppSlice, path: string, error: unknown): boolean {
	if (app.vault.getAbstractFileByPath(path)) return true;
	const code = (error as { code?: unknown } | null)?.code;
	return code === "EEXIST" || (error instanceof Error && /already exists/i.test(error.message));
}

/**
 * Creates the note at the first free path, atomically: the host's create is exclusive, so
 * when another process or window took the name first (after our check), this one moves on
 * to the next number instead of failing or overwriting.
 */
export async function createDraftNote(app: AppSlice, folder: string, base: string, content: string): Promise<FileLike> {
	await ensureFolder(app, folder);
	const taken = new Set<string>();
	let lastError: unknown = null;
	for (let attempt = 0; attempt < 50; attempt++) {
		const path = freePath(app, folder, base, taken);
		try {
			return await app.vault.create(path, content);
		} catch (error) {
			lastError = error;
			if (!nameTaken(app, path, error)) throw error;
			taken.add(path);
		}
	}
	throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export type LinkBackResult = { linked: true } | { linked: false; reason: string };

const LINK_KEY = "reply_draft";

/** One YAML value on one line, equal to `value` (JSON strings are YAML double-quoted scalars). */
const yamlString = (value: string): string => JSON.stringify(value);

function sameValues(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The note's text with `reply_draft: "[[…]]"` set in its frontmatter, every other byte as it
 * was; or the reason this cannot be done safely. Only these shapes are edited: a block
 * mapping (the line is added before the closing `---`, or the key's own one-line entry is
 * replaced), a flow mapping on its own (`{a: 1}`; the pair is added inside), and no
 * frontmatter at all (a block is added above the text). The result is parsed again and
 * must hold exactly the old properties plus this one.
 */
export function withFrontmatterKey(text: string, value: string): { text: string } | { reason: string } {
	const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
	const rest = text.slice(bom.length);
	const line = `${LINK_KEY}: ${yamlString(value)}`;
	const block = findFrontmatter(rest);
	if (!block) {
		// A `---` first line that never closes is not frontmatter Obsidian reads; adding one above would bury it.
		if (/^---[ \t]*\r?$/m.test(rest.split("\n", 1)[0] ?? "")) return { reason: "its frontmatter is not closed by a `---` line" };
		const eol = rest.includes("\r\n") ? "\r\n" : "\n";
		return { text: `${bom}---${eol}${line}${eol}---${eol}${rest}` };
	}
	const before = parseFrontmatterYaml(block.yaml);
	if (!before && block.yaml.trim() !== "") return { reason: "its frontmatter is not valid YAML" };
	const old = before ?? {};
	const yamlStart = rest.length - rest.slice(rest.indexOf("\n") + 1).length;
	const eol = block.yaml.includes("\r\n") || rest.slice(0, yamlStart).includes("\r\n") ? "\r\n" : "\n";
	let yaml: string;
	const trimmed = block.yaml.trim();
	if (trimmed.startsWith("{")) {
		if (LINK_KEY in old) return { reason: "its frontmatter is a flow mapping that already has reply_draft" };
		const close = block.yaml.lastIndexOf("}");
		const inside = block.yaml.slice(block.yaml.indexOf("{") + 1, close).trim();
		const head = block.yaml.slice(0, close);
		const kept = head.trimEnd();
		// Added after the last pair; the spacing before `}` stays where it was.
		yaml = `${kept}${inside ? ", " : ""}${line}${head.slice(kept.length)}${block.yaml.slice(close)}`;
	} else {
		const lines = block.yaml.split("\n");
		const own = lines.flatMap((l, i) => (new RegExp(`^${LINK_KEY}[ \t]*:`).test(l) ? [i] : []));
		if (own.length > 1) return { reason: "its frontmatter has reply_draft more than once" };
		if (own.length === 1) {
			const i = own[0] ?? 0;
			const next = lines[i + 1] ?? "";
			// Only a one-line entry is replaced; a value continued on indented lines is left alone.
			if (/^[ \t]+\S|^[ \t]*-/.test(next)) return { reason: "its reply_draft property spans several lines" };
			lines[i] = `${line}${(lines[i] ?? "").endsWith("\r") ? "\r" : ""}`;
			yaml = lines.join("\n");
		} else {
			yaml = `${block.yaml}${block.yaml === "" || /\n$/.test(block.yaml) ? "" : eol}${line}${eol}`;
		}
	}
	const after = parseFrontmatterYaml(yaml);
	if (!after || !sameValues(after, { ...old, [LINK_KEY]: value })) return { reason: "its frontmatter has a shape that cannot be edited without changing it" };
	return { text: `${bom}${rest.slice(0, yamlStart)}${yaml}${rest.slice(yamlStart + block.yaml.length)}` };
}

/**
 * Adds `reply_draft: [[draft]]` to the original's frontmatter and changes no other byte of the
 * file. Obsidian's processFrontMatter would re-serialise the whole YAML (flow style becomes
 * block style, long strings are folded), so this edits the text through vault.process. When
 * that is not safe, or anything fails, the email is left as it was and the reason is returned:
 * the draft note, already written whole, stays valid either way.
 */
export async function linkBack(app: AppSlice, emailFile: FileLike, draft: FileLike): Promise<LinkBackResult> {
	if (emailFile.extension !== "md") return { linked: false, reason: "only Markdown notes have frontmatter (not .eml files)" };
	const current = fileByPath(app.vault, emailFile.path);
	if (!current) return { linked: false, reason: "the email is no longer in the vault" };
	const value = wikilink(draft.path, "");
	let reason: string | null = null;
	try {
		// Decide before writing, so an email that cannot be edited safely is not even touched.
		const check = withFrontmatterKey(await app.vault.cachedRead(current), value);
		if ("reason" in check) return { linked: false, reason: check.reason };
		await app.vault.process(current, (text) => {
			const edited = withFrontmatterKey(text, value);
			if ("reason" in edited) {
				reason = edited.reason;
				return text;
			}
			return edited.text;
		});
	} catch (error) {
		return { linked: false, reason: error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error) };
	}
	return reason === null ? { linked: true } : { linked: false, reason };
}
