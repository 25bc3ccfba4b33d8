/**
 * Reads an email from the forms it takes in a vault: a note with email frontmatter, a note
 * whose body starts with a `From:`/`To:`/`Subject:` header block, or an `.eml` file (parsed
 * with postal-mime: multipart, quoted-printable, base64, charsets, encoded words, HTML-only).
 */
import { loadPart } from "../shared/lazyPart";
import type { Address as MimeAddress, default as PostalMime } from "postal-mime";
import type { CachedMetadata } from "obsidian";
import { addressesFromValue, dedupe, parseAddressList, type Address } from "./addresses";
import { htmlToText } from "./html";
import { isForwardBanner, splitReply } from "./split";
import { findFrontmatter, parseFrontmatterYaml } from "../host/markdown";
import type { AppSlice, FileLike } from "../host/slice";
import { isInFolder } from "../host/path";
import { hasTag, noteTags } from "../host/tags";

export type EmailFormat = "frontmatter" | "header-block" | "eml";

export interface ParsedEmail {
	path: string;
	format: EmailFormat;
	from: Address | null;
	to: Address[];
	cc: Address[];
	bcc: Address[];
	replyTo: Address[];
	subject: string;
	/** ISO 8601 when the date parses, otherwise as written; null when absent. */
	date: string | null;
	/** The UTC offset the date was written in ("-08:00"), when it names one: the sender's own clock. */
	dateOffset?: string | null;
	messageId: string | null;
	inReplyTo: string | null;
	references: string[];
	threadId: string | null;
	/** Headers that mark bulk or automated mail, lower-cased names. */
	bulkHeaders: Record<string, string>;
	attachments: string[];
	body: string;
	newestMessage: string;
	quotedHistory: string;
	signature: string;
}

/** A file that cannot be read as an email; the message names the file and the problem. */
export class EmailError extends Error {
	constructor(readonly path: string, readonly problem: string) {
		super(`${path}: ${problem}`);
		this.name = "EmailError";
	}
}

/** Notes beyond this are not emails anyone pasted; `.eml` files may carry attachments. */
export const MAX_NOTE_BYTES = 2 * 1024 * 1024;
export const MAX_EML_BYTES = 25 * 1024 * 1024;

const KEY_GROUPS = {
	from: ["from", "sender", "from_email", "from-email", "fromemail", "author_email", "message author"],
	/** The address beside a `from` that is only a link or a name (SlingMD: `from: "[[Ana]]"`, `fromEmail`). */
	fromAddress: ["fromemail", "from_email", "from-email", "sender_email", "senderemail", "from_address", "fromaddress"],
	fromName: ["from_name", "from-name", "fromname", "sender_name"],
	to: ["to", "recipients", "recipient", "to_email", "message recipients"],
	toAddress: ["toemail", "to_email", "to-email", "to_address", "toaddress"],
	cc: ["cc"],
	ccAddress: ["ccemail", "cc_email", "cc-email", "cc_address"],
	bcc: ["bcc"],
	replyTo: ["reply-to", "reply_to", "replyto"],
	subject: ["subject", "title", "message subject"],
	date: ["date", "sent", "received", "sent_at", "received_at", "datetime", "message date"],
	messageId: ["message-id", "message_id", "messageid", "internetmessageid", "id"],
	inReplyTo: ["in-reply-to", "in_reply_to", "inreplyto"],
	references: ["references"],
	threadId: ["thread", "thread-id", "thread_id", "threadid", "conversation-id", "conversation_id", "conversationid"],
	listUnsubscribe: ["list-unsubscribe", "list_unsubscribe", "listunsubscribe", "unsubscribe"],
	listId: ["list-id", "list_id"],
	precedence: ["precedence"],
	autoSubmitted: ["auto-submitted", "auto_submitted"],
} as const;

type KeyGroup = keyof typeof KEY_GROUPS;

/** The email fields a property can be mapped to in the settings ("sender_address: from"). */
export const MAPPABLE_FIELDS = ["from", "fromName", "to", "cc", "bcc", "replyTo", "subject", "date", "messageId", "inReplyTo", "references", "threadId", "listUnsubscribe"] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** What reading an email can take from the settings. */
export interface ReadOptions {
	/** Property names of someone else's importer, one mapping a line: `their property: field`. */
	emailPropertyNames?: readonly string[];
}

/**
 * Parses the property-name mappings of the settings. Lines that do not name a known field are
 * returned as problems, for the settings tab to show.
 */
export function parsePropertyNames(lines: readonly string[]): { map: Map<string, MappableField>; problems: string[] } {
	const map = new Map<string, MappableField>();
	const problems: string[] = [];
	for (const raw of lines) {
		const line = raw.trim();
		if (!line || line.startsWith("#")) continue;
		const m = /^(.+?)\s*(?:->|=>|=|:)\s*([A-Za-z]+)$/.exec(line);
		const field = m ? MAPPABLE_FIELDS.find((f) => f.toLowerCase() === (m[2] ?? "").toLowerCase()) : undefined;
		if (!m || !field) {
			problems.push(line);
			continue;
		}
		map.set((m[1] ?? "").trim().toLowerCase(), field);
	}
	return { map, problems };
}

function lowerKeys(fm: Record<string, unknown>, options?: ReadOptions): Map<string, unknown> {
	const map = new Map<string, unknown>();
	for (const [k, v] of Object.entries(fm)) if (!map.has(k.toLowerCase())) map.set(k.toLowerCase(), v);
	// A mapped property stands in for the field's own name (and wins over it).
	if (options?.emailPropertyNames?.length) {
		for (const [their, field] of parsePropertyNames(options.emailPropertyNames).map) {
			const value = map.get(their);
			if (value !== undefined && value !== null && value !== "") map.set(`\u0000${field}`, value);
		}
	}
	return map;
}

function pick(fm: Map<string, unknown>, group: KeyGroup): unknown {
	const mapped = fm.get(`\u0000${group}`);
	if (mapped !== undefined) return mapped;
	for (const key of KEY_GROUPS[group]) {
		const v = fm.get(key);
		if (v !== undefined && v !== null && v !== "") return v;
	}
	return undefined;
}

function text(value: unknown): string {
	if (value === undefined || value === null) return "";
	if (Array.isArray(value)) return value.map(text).filter(Boolean).join(", ");
	if (value instanceof Date) return value.toISOString();
	if (typeof value === "string") return value.trim();
	if (typeof value === "number" || typeof value === "boolean") return String(value);
	return "";
}

function tagList(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[,\s]+/) : [];
	return raw.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^#/, "").toLowerCase());
}

/** A date as ISO 8601 (date and time) when it parses, else as written. */
export function normalizeDate(value: string): string | null {
	const v = value.trim();
	if (!v) return null;
	if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
	const t = Date.parse(v);
	return Number.isNaN(t) ? v : new Date(t).toISOString();
}

/** The UTC offset a written date carries ("Mon, 16 Nov 2026 16:40 -0800" → "-08:00"; "Z", "GMT" → "+00:00"). */
export function utcOffsetOf(value: string): string | null {
	const v = value.trim();
	const m = /(?:\d|\s)([+-])(\d{2}):?(\d{2})(?:\s*\([^)]*\))?$/.exec(v);
	if (m && /\d{1,2}:\d{2}/.test(v)) return `${m[1]}${m[2]}:${m[3]}`;
	if (/\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|GMT|UTC|UT)(?:\s*\([^)]*\))?$/i.test(v)) return "+00:00";
	return null;
}

/** Does this frontmatter describe an email (and not, say, our own draft)? */
const FROM_KEYS = new Set<string>(KEY_GROUPS.from);
const SUBJECT_KEYS = new Set<string>(KEY_GROUPS.subject);

/** Tags importers put on every note they write (Send Email into Vault: `email2obsidian`). */
const IMPORTER_TAGS = new Set(["email2obsidian"]);

/** Runs for every note when the index is built, so it makes one pass and builds nothing. */
export function frontmatterSaysEmail(frontmatter: Record<string, unknown> | undefined, options?: ReadOptions): boolean {
	if (!frontmatter) return false;
	if (options?.emailPropertyNames?.length) {
		const mapped = parsePropertyNames(options.emailPropertyNames).map;
		const keys = Object.keys(frontmatter).map((k) => mapped.get(k.toLowerCase())).filter(Boolean);
		if (keys.includes("from") && keys.includes("subject")) return true;
	}
	let type = "";
	let tags: unknown;
	let hasFrom = false;
	let hasSubject = false;
	for (const key in frontmatter) {
		const value = frontmatter[key];
		if (value === undefined || value === null || value === "") continue;
		const lower = key.toLowerCase();
		if (lower === "type" && !type) type = text(value).toLowerCase();
		else if (lower === "tags" && tags === undefined) tags = value;
		if (FROM_KEYS.has(lower)) hasFrom = true;
		if (SUBJECT_KEYS.has(lower)) hasSubject = true;
	}
	if (type === "email-draft" || type === "draft") return false;
	if (type === "email" || type === "mail" || type === "e-mail" || type === "message") return true;
	if (tags !== undefined) {
		const list = tagList(tags);
		if (list.some((t) => t === "email-draft" || t.startsWith("email-draft/"))) return false;
		if (list.some((t) => t === "email" || t === "mail" || t.startsWith("email/") || t.startsWith("type/email") || IMPORTER_TAGS.has(t))) return true;
	}
	return hasFrom && hasSubject;
}

// Header keys in the languages mail clients export them in, and the labels importers use.
type HeaderField = "from" | "to" | "cc" | "bcc" | "subject" | "date" | "replyTo";
const HEADER_NAMES: Record<string, HeaderField> = {
	from: "from", von: "from", de: "from", da: "from", van: "from", fra: "from", "från": "from", sender: "from", author: "from", "message author": "from",
	to: "to", an: "to", "à": "to", a: "to", aan: "to", para: "to", til: "to", till: "to", recipients: "to", "message recipients": "to",
	cc: "cc", kopie: "cc", bcc: "bcc",
	subject: "subject", betreff: "subject", objet: "subject", oggetto: "subject", onderwerp: "subject", asunto: "subject", assunto: "subject", emne: "subject", "ämne": "subject", title: "subject", "message subject": "subject",
	date: "date", sent: "date", datum: "date", gesendet: "date", "envoyé": "date", enviado: "date", inviato: "date", verzonden: "date", sendt: "date", skickat: "date", fecha: "date", received: "date", "message date": "date",
	"reply-to": "replyTo",
};
const HEADER_LINE = /^\s*(?:\*\*|\*|__)?([\p{L}][\p{L} -]{0,19}?)(?:\*\*|\*|__)?\s*:\s*(?:\*\*|\*|__)?\s*(.*?)\s*$/u;
/** Labels importers write beside the headers (ObsidianClipper's `Tagged:`, `Created:`), skipped inside a block. */
const OTHER_LABEL = /^\s*[\p{L}][\p{L} -]{0,19}\s*:(?:\s|$)/u;

interface HeaderBlock {
	fields: Partial<Record<HeaderField, string>>;
	rest: string;
}

/**
 * One line of a header block in the shapes importers write it, as `Key: value`:
 * `- \`From:\` value` (Obsidian For Business), `from:: value` (Dataview inline fields,
 * Obsidian Google Mail), `**From:** value` (pasted), `> From: value`.
 */
function headerShape(line: string): string {
	return line
		.replace(/^>\s?/, "")
		.replace(/^\s*[-*]\s+`([^`]+?)`\s*/, "$1 ")
		.replace(/^(\s*[\p{L}][\p{L} _-]{0,19})::\s*/u, "$1: ")
		.replace(/\s+$/, "");
}

/** A header value as importers write it: bold names, `[label](mailto:…)` links, `[[date]]` links. */
function cleanValue(value: string): string {
	return value
		.replace(/\\$/, "")
		.replace(/\*\*/g, "")
		.replace(/\[([^\]]+)\]\(mailto:([^)]+)\)/gi, (_m, label: string, address: string) => (label.includes("@") ? label : `${label} <${address}>`))
		.replace(/^\[\[(\d{4}-\d{2}-\d{2})\]\]/, "$1")
		.trim();
}

/** `Ana Ruiz <ana@acme.example>\tMon, Nov 23, 2026 at 9:14 AM`: Gmail's printed and pasted messages. */
const GMAIL_PRINT_SENDER = /^(.+?<[^<>\s]+@[^<>\s]+>)(?:\t+|\s{3,})(.+)$/;

/**
 * Reads a header block at the top of a note body: `From:`/`To:`/`Subject:`/`Date:` as mail
 * clients export and people paste them (an H1 title may come first), and the layouts of
 * importers that write their headers into the body instead of the frontmatter.
 */
export function readHeaderBlock(body: string): HeaderBlock | null {
	const lines = body.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
	let i = 0;
	while (i < lines.length && (lines[i] ?? "").trim() === "") i++;
	let title = "";
	if (/^#\s/.test(lines[i] ?? "")) {
		title = (lines[i] ?? "").replace(/^#\s+/, "").trim();
		i++;
		while (i < lines.length && (lines[i] ?? "").trim() === "") i++;
	}
	const fields: HeaderBlock["fields"] = {};
	let last: HeaderField | null = null;
	let count = 0;
	let other = 0;
	// Gmail's print view: a few title lines, then `Name <address>⇥date`, then `To:`/`Cc:`.
	for (let k = i; k < Math.min(lines.length, i + 6); k++) {
		const m = GMAIL_PRINT_SENDER.exec((lines[k] ?? "").trim());
		if (m && /^\s*(?:To|Cc)\s*:/i.test(lines[k + 1] ?? "")) {
			fields.from = m[1]?.trim();
			fields.date = m[2]?.trim();
			const subject = lines.slice(i, k).map((l) => l.trim()).filter((l) => l && !/^Gmail\b|^\d+ messages?$/i.test(l));
			if (subject.length) fields.subject = subject[subject.length - 1];
			count = 2;
			i = k + 1;
			break;
		}
	}
	for (; i < lines.length; i++) {
		const raw = lines[i] ?? "";
		if (raw.trim() === "") {
			// Some importers leave a blank line between groups of headers (Obsidian For Business).
			const next = headerShape(lines[i + 1] ?? "");
			const nm = HEADER_LINE.exec(next);
			if (count > 0 && nm && HEADER_NAMES[(nm[1] ?? "").toLowerCase()]) continue;
			break;
		}
		// A nested list item continues the value above it (`- \`To:\`` then `\t- [[@Jordan Lee]]`).
		if (last && /^\s+[-*]\s+\S/.test(raw)) {
			const item = cleanValue(raw.replace(/^\s+[-*]\s+/, ""));
			fields[last] = fields[last] ? `${fields[last]}, ${item}` : item;
			continue;
		}
		const line = headerShape(raw);
		const m = HEADER_LINE.exec(line);
		const key = m ? HEADER_NAMES[(m[1] ?? "").toLowerCase().trim()] : undefined;
		if (m && key) {
			if (fields[key] === undefined || fields[key] === "") {
				if (fields[key] === undefined) count++;
				fields[key] = cleanValue(m[2] ?? "");
			}
			last = key;
		} else if (/^\s+\S/.test(raw) && last) {
			fields[last] = `${fields[last] ?? ""} ${raw.trim()}`;
		} else if (OTHER_LABEL.test(line) && other < 4 && !/^\s*https?:/i.test(line)) {
			other++;
			last = null;
		} else {
			break;
		}
	}
	if (!fields.from || count < 2) return null;
	if (!fields.subject && title) {
		// Obsidian For Business: `# [[E 2026-11-23 0914 Renewal|Renewal]]`.
		const link = /^\[\[([^\]|]+)(?:\|([^\]]+))?\]\]$/.exec(title);
		fields.subject = link ? (link[2] ?? link[1] ?? "").trim() : title;
	}
	// What separates the headers from the message: a link back to the mail client, a thematic break.
	let j = i;
	while (j < lines.length && ((lines[j] ?? "").trim() === "" || /^\s*\[[^\]]+\]\([^)]+\)\s*$/.test(lines[j] ?? ""))) j++;
	const rest = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/.test(lines[j] ?? "") ? lines.slice(j + 1) : lines.slice(i);
	return { fields, rest: rest.join("\n").replace(/^\n+/, "") };
}

function stripTitle(body: string, subject: string): string {
	const m = /^\s*#\s+(.+)\n/.exec(body);
	if (!m) return body;
	const title = (m[1] ?? "").trim().toLowerCase();
	// An H1 repeating the subject (or saying "Email") is the importer's title, not the message.
	if (!subject || title.includes(subject.toLowerCase()) || subject.toLowerCase().includes(title) || /^(e-?mail|message)\b/.test(title)) {
		return body.slice(m[0].length);
	}
	return body;
}

function finish(email: Omit<ParsedEmail, "newestMessage" | "quotedHistory" | "signature">): ParsedEmail {
	const split = splitReply(email.body);
	return { ...email, newestMessage: split.newest, quotedHistory: split.quoted, signature: split.signature };
}

function emptyEmail(path: string, format: EmailFormat): Omit<ParsedEmail, "newestMessage" | "quotedHistory" | "signature"> {
	return {
		path, format, from: null, to: [], cc: [], bcc: [], replyTo: [], subject: "", date: null,
		messageId: null, inReplyTo: null, references: [], threadId: null, bulkHeaders: {}, attachments: [], body: "",
	};
}

function checkText(path: string, content: string): void {
	if (content.trim() === "") throw new EmailError(path, "the note is empty");
	if (content.includes("\u0000")) throw new EmailError(path, "this is a binary file, not an email note");
	const replacement = content.match(/\uFFFD/g)?.length ?? 0;
	if (replacement >= 3 && replacement / content.length > 0.001) {
		throw new EmailError(path, "the file is not valid UTF-8 text (save it as UTF-8, or keep the original as .eml)");
	}
}

/** Pairs names (or links) with the addresses an importer keeps in a separate property. */
function withAddresses(list: Address[], addresses: Address[]): Address[] {
	if (!addresses.length) return list;
	if (!list.length) return addresses;
	return list.map((a, k) => (a.address ? a : { ...a, address: addresses[k]?.address ?? "" }));
}

/** `Re_ Renewal` (a subject made safe for a file name, as SlingMD writes its title) reads `Re: Renewal`. */
function cleanTitle(subject: string, date: string | null): string {
	let out = subject.replace(/^((?:Re|RE|Fw|FW|Fwd|AW|WG|SV|VS|TR|RV)_)\s*/, (m) => `${m.slice(0, -1).replace(/_$/, "")}: `).replace(/^(\w+)_: /, "$1: ");
	// A title that ends with the email's own date (`Renewal - 2026-11-23`) carries it for the file name.
	if (date) out = out.replace(new RegExp(`\\s+-\\s+${date.slice(0, 10)}$`), "");
	return out.trim();
}

/**
 * Task lines an importer puts above the message that link to the note itself (SlingMD's
 * `- [ ] [[This note]] #FollowUp 📅 …`): the importer's follow-up, not the sender's words.
 */
function stripOwnTasks(body: string, path: string): string {
	const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.md$/i, "").toLowerCase();
	const lines = body.split("\n");
	let k = 0;
	while (k < lines.length && (lines[k] ?? "").trim() === "") k++;
	const start = k;
	while (k < lines.length) {
		const m = /^\s*[-*] \[[ xX]\] .*?\[\[([^\]|#]+)/.exec(lines[k] ?? "");
		if (!m || (m[1] ?? "").trim().toLowerCase().split("/").pop() !== base) break;
		k++;
	}
	return k > start ? lines.slice(k).join("\n") : body;
}

/**
 * The forwarded message inside a note whose own headers do not name the sender (Send Email
 * into Vault keeps only a title and tags; the sender is in the forwarded block): its headers,
 * and the text from the forward banner on.
 */
function forwardedHeaders(body: string): { fields: HeaderBlock["fields"]; body: string } | null {
	const lines = body.split("\n");
	for (let k = 0; k < Math.min(lines.length, 200); k++) {
		if (!isForwardBanner(lines[k] ?? "")) continue;
		const header = readHeaderBlock(lines.slice(k + 1).join("\n"));
		if (header?.fields.from) return { fields: header.fields, body: lines.slice(k).join("\n") };
	}
	return null;
}

/** Parses an email note's text (frontmatter or header block). Throws EmailError. */
export function parseEmailNote(path: string, content: string, options?: ReadOptions): ParsedEmail {
	// A byte-order mark is how some editors and Windows tools start a UTF-8 file.
	content = content.replace(/^\uFEFF/, "");
	checkText(path, content);
	const block = findFrontmatter(content);
	let frontmatter: Record<string, unknown> | null = null;
	let body = content;
	if (block) {
		frontmatter = parseFrontmatterYaml(block.yaml);
		body = content.slice(block.bodyStart);
	}
	const email = emptyEmail(path, "frontmatter");
	let fromEmailFrontmatter = false;

	if (frontmatter && frontmatterSaysEmail(frontmatter, options)) {
		fromEmailFrontmatter = true;
		const fm = lowerKeys(frontmatter, options);
		const fromAddress = addressesFromValue(pick(fm, "fromAddress"));
		const from = withAddresses(addressesFromValue(pick(fm, "from")), fromAddress)[0] ?? null;
		const fromName = text(pick(fm, "fromName"));
		email.from = from && fromName && !from.name ? { ...from, name: fromName } : from;
		email.to = withAddresses(addressesFromValue(pick(fm, "to")), addressesFromValue(pick(fm, "toAddress")));
		email.cc = withAddresses(addressesFromValue(pick(fm, "cc")), addressesFromValue(pick(fm, "ccAddress")));
		email.bcc = addressesFromValue(pick(fm, "bcc"));
		email.replyTo = addressesFromValue(pick(fm, "replyTo"));
		email.date = normalizeDate(text(pick(fm, "date")));
		email.subject = cleanTitle(text(pick(fm, "subject")), email.date);
		email.dateOffset = utcOffsetOf(text(pick(fm, "date")));
		email.messageId = text(pick(fm, "messageId")) || null;
		email.inReplyTo = text(pick(fm, "inReplyTo")) || null;
		const refs = pick(fm, "references");
		email.references = (Array.isArray(refs) ? refs.map(text) : text(refs).split(/\s+/)).filter(Boolean);
		email.threadId = text(pick(fm, "threadId")) || null;
		const unsubscribe = text(pick(fm, "listUnsubscribe"));
		if (unsubscribe) email.bulkHeaders["list-unsubscribe"] = unsubscribe;
		const listId = text(pick(fm, "listId"));
		if (listId) email.bulkHeaders["list-id"] = listId;
		const precedence = text(pick(fm, "precedence"));
		if (precedence) email.bulkHeaders.precedence = precedence;
		const auto = text(pick(fm, "autoSubmitted"));
		if (auto) email.bulkHeaders["auto-submitted"] = auto;
	} else if (block && !frontmatter && !readHeaderBlock(body)) {
		throw new EmailError(path, "its frontmatter is not valid YAML, and the body has no From:/Subject: header block");
	}
	body = stripOwnTasks(body, path);

	// A header block supplies what the frontmatter did not (or everything, for pasted mail).
	const header = readHeaderBlock(body);
	if (header) {
		if (!fromEmailFrontmatter) email.format = "header-block";
		const f = header.fields;
		email.from ??= f.from ? parseAddressList(f.from)[0] ?? null : null;
		if (!email.to.length && f.to) email.to = parseAddressList(f.to);
		if (!email.cc.length && f.cc) email.cc = parseAddressList(f.cc);
		if (!email.bcc.length && f.bcc) email.bcc = parseAddressList(f.bcc);
		if (!email.replyTo.length && f.replyTo) email.replyTo = parseAddressList(f.replyTo);
		if (!email.subject && f.subject) email.subject = f.subject;
		if (!email.date && f.date) {
			email.date = normalizeDate(f.date);
			email.dateOffset = utcOffsetOf(f.date);
		}
		body = header.rest;
	} else if (!fromEmailFrontmatter) {
		throw new EmailError(path, "this note is not an email: it has neither email frontmatter (from, subject) nor a From:/Subject: header block");
	} else if (!email.from) {
		// The sender only in a forwarded block: that message is the one to answer.
		const forwarded = forwardedHeaders(body);
		if (forwarded) {
			const f = forwarded.fields;
			email.from = f.from ? parseAddressList(f.from)[0] ?? null : null;
			if (!email.to.length && f.to) email.to = parseAddressList(f.to);
			if (!email.cc.length && f.cc) email.cc = parseAddressList(f.cc);
			email.subject = f.subject || email.subject.replace(/^(?:Fwd?|FW|WG|TR|RV)\s*:\s*/i, "");
			email.date = (f.date ? normalizeDate(f.date) : null) ?? email.date;
			body = forwarded.body;
		}
	}

	email.body = stripTitle(body, email.subject).replace(/^\s*\n/, "").trimEnd();
	if (!email.from) throw new EmailError(path, "the email has no sender (no from or sender property, no From: line)");
	if (!email.body.trim()) throw new EmailError(path, "the email has no message text");
	return finish(email);
}

const FLOWED = Array.from("flowed", (c) => c.charCodeAt(0));
const FIXED = Array.from("fixed ", (c) => c.charCodeAt(0));
const FORMAT_PARAM = /format\s*=\s*"?$/i;

/**
 * `format=flowed` text (RFC 3676, Thunderbird's default) is unfolded here rather than by
 * postal-mime, which joins a quoted line with the unquoted line under it ("> Hi" + "Hello"),
 * so a bottom-posted answer vanished into the quote. The parameter's value is renamed in a
 * copy of the bytes (same length), and the text decoded with quote depth respected. Returns
 * the copy and the delsp flag, or null when no part is flowed.
 */
function withoutFlowed(bytes: ArrayBuffer): { bytes: ArrayBuffer; delSp: boolean } | null {
	const view = new Uint8Array(bytes);
	let copy: Uint8Array | null = null;
	const lower = (b: number): number => (b >= 65 && b <= 90 ? b + 32 : b);
	for (let i = 8; i + FLOWED.length <= view.length; i++) {
		if (lower(view[i] ?? 0) !== FLOWED[0]) continue;
		let match = true;
		for (let k = 1; k < FLOWED.length && match; k++) match = lower(view[i + k] ?? 0) === FLOWED[k];
		if (!match || !FORMAT_PARAM.test(String.fromCharCode(...view.subarray(Math.max(0, i - 10), i)))) continue;
		// Only in a Content-Type header (folded lines included), never in the text of a message.
		const before = String.fromCharCode(...view.subarray(Math.max(0, i - 300), i));
		const header = before.slice(Math.max(before.lastIndexOf("\n\n"), before.lastIndexOf("\r\n\r\n")) + 1);
		if (!/(?:^|\n)content-type\s*:[^\n]*(?:\r?\n[ \t][^\n]*)*$/i.test(header)) continue;
		copy ??= view.slice();
		FIXED.forEach((c, k) => ((copy as Uint8Array)[i + k] = c));
	}
	if (!copy) return null;
	const head = new TextDecoder("utf-8").decode(copy.subarray(0, Math.min(copy.length, 64 * 1024)));
	return { bytes: copy.buffer as ArrayBuffer, delSp: /delsp\s*=\s*"?yes/i.test(head) };
}

/** RFC 3676 unfolding: a line ending in a space continues on the next line of the same quote depth. */
export function decodeFlowed(text: string, delSp: boolean): string {
	const out: Array<{ depth: number; text: string; soft: boolean }> = [];
	for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
		const depth = /^>*/.exec(raw)?.[0].length ?? 0;
		let content = raw.slice(depth);
		if (content.startsWith(" ")) content = content.slice(1);
		const soft = content.endsWith(" ") && content !== "-- ";
		const last = out[out.length - 1];
		if (last && last.soft && last.depth === depth) {
			last.text += delSp ? content.replace(/ $/, "") : content;
			last.soft = soft;
			if (delSp && soft) last.text = last.text.replace(/ $/, "");
		} else {
			out.push({ depth, text: delSp && soft ? content.replace(/ $/, "") : content, soft });
		}
	}
	return out.map((l) => (l.depth ? `${">".repeat(l.depth)} ${l.text}` : l.text).replace(/ +$/, (m) => (l.text === "-- " ? m : ""))).join("\n");
}

/** Parses an `.eml` file. Throws EmailError. */
export async function parseEml(path: string, bytes: ArrayBuffer): Promise<ParsedEmail> {
	if (bytes.byteLength === 0) throw new EmailError(path, "the file is empty");
	let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
	const flowed = withoutFlowed(bytes);
	const mime = await loadPart("mime.js", () => import("./mime"));
	try {
		parsed = await mime.PostalMime.parse(flowed ? flowed.bytes : bytes);
		if (flowed && parsed.text) parsed.text = decodeFlowed(parsed.text, flowed.delSp);
	} catch (error) {
		throw new EmailError(path, `the MIME structure is broken (${error instanceof Error ? error.message : String(error)})`);
	}
	const email = emptyEmail(path, "eml");
	if (!parsed.headers.length) throw new EmailError(path, "this is not an email file: it has no headers");
	const flat = (list: MimeAddress[] | undefined): Address[] =>
		dedupe(
			(list ?? []).flatMap((a) => (a.group ? a.group : [a])).map((a) => ({ name: a.name ?? "", address: (a.address ?? "").toLowerCase() })),
		);
	const from = parsed.from ? flat([parsed.from])[0] : undefined;
	email.from = from && (from.address || from.name) ? from : null;
	email.to = flat(parsed.to);
	email.cc = flat(parsed.cc);
	email.bcc = flat(parsed.bcc);
	email.replyTo = flat(parsed.replyTo);
	email.subject = (parsed.subject ?? "").trim();
	email.date = parsed.date ? normalizeDate(parsed.date) : null;
	// postal-mime gives the date in UTC; the header keeps the sender's offset.
	email.dateOffset = utcOffsetOf(parsed.headers.find((h) => h.key === "date")?.value ?? "");
	email.messageId = parsed.messageId ?? null;
	email.inReplyTo = parsed.inReplyTo ?? null;
	email.references = (parsed.references ?? "").split(/\s+/).filter(Boolean);
	for (const h of parsed.headers) {
		if (["list-unsubscribe", "list-id", "precedence", "auto-submitted", "x-auto-response-suppress", "x-autoreply", "x-mailer"].includes(h.key)) {
			email.bulkHeaders[h.key] ??= h.value;
		}
		if (h.key === "thread-index" || h.key === "x-gm-thrid") email.threadId ??= h.value;
	}
	email.attachments = parsed.attachments.filter((a) => a.disposition !== "inline").map((a) => a.filename ?? a.mimeType);
	const plain = parsed.text?.trim() ? parsed.text : parsed.html ? htmlToText(parsed.html) : "";
	email.body = plain.replace(/\r\n?/g, "\n").trimEnd();
	if (!email.from) throw new EmailError(path, "the email has no sender (no From: header)");
	if (!email.body.trim() && !email.attachments.length) throw new EmailError(path, "the email has no message text");
	return finish(email);
}

/** The first address a person note gives (`email`, `emails`, `mail`, `e-mail`), or "". */
function noteAddress(frontmatter: Record<string, unknown> | undefined): string {
	if (!frontmatter) return "";
	for (const [key, value] of Object.entries(frontmatter)) {
		if (!/^(?:e-?mail|emails|mail|email[-_ ]?address(?:es)?)$/i.test(key)) continue;
		const found = addressesFromValue(value).find((a) => a.address);
		if (found) return found.address;
	}
	return "";
}

/** `email:: ana@x` (a Dataview inline field, bracketed or on its own line), which the cache does not hold. */
function inlineAddress(text: string): string {
	const m = /(?:^|\[)\s*(?:e-?mail|emails|mail)\s*::\s*([^\]\n]+)/im.exec(text);
	return m ? (addressesFromValue((m[1] ?? "").trim()).find((a) => a.address)?.address ?? "") : "";
}

/**
 * A sender or recipient known only by a link (`"[[Ana Ruiz]]"`, `[[@Ana Ruiz]]`) or a name
 * gets the address of the person note it names, resolved as Obsidian resolves the link from
 * the email note: its `email` property from the metadata cache, else an `email::` inline field.
 * The display name comes from that note when the email gave none.
 */
export async function resolvePeople(app: Pick<AppSlice, "metadataCache" | "vault">, email: ParsedEmail): Promise<ParsedEmail> {
	const resolve = async (a: Address): Promise<Address> => {
		if (a.address) return a;
		const target = a.link ?? a.name;
		if (!target) return a;
		const dest = app.metadataCache.getFirstLinkpathDest(target, email.path);
		if (!dest || dest.extension !== "md") return a;
		let address = noteAddress(app.metadataCache.getFileCache(dest)?.frontmatter);
		if (!address && dest.stat.size < 256 * 1024) address = inlineAddress(await app.vault.cachedRead(dest));
		if (!address) return a;
		const name = (a.name || dest.basename).replace(/^@/, "");
		return { ...a, name, address };
	};
	const list = async (l: Address[]): Promise<Address[]> => dedupe(await Promise.all(l.map(resolve)));
	return {
		...email,
		from: email.from ? await resolve(email.from) : null,
		to: await list(email.to),
		cc: await list(email.cc),
		bcc: await list(email.bcc),
		replyTo: await list(email.replyTo),
	};
}

/** Reads and parses an email file of the vault. Throws EmailError with the file and the problem. */
export async function readEmail(app: AppSlice, file: FileLike, options?: ReadOptions): Promise<ParsedEmail> {
	const ext = file.extension.toLowerCase();
	if (ext === "eml") {
		if (file.stat.size > MAX_EML_BYTES) throw new EmailError(file.path, `the file is ${(file.stat.size / 1048576).toFixed(1)} MB; emails over ${MAX_EML_BYTES / 1048576} MB are not read`);
		return parseEml(file.path, await app.vault.readBinary(file));
	}
	if (ext !== "md") throw new EmailError(file.path, `a .${ext} file is not an email note (use a Markdown note or an .eml file)`);
	if (file.stat.size > MAX_NOTE_BYTES) {
		throw new EmailError(file.path, `the note is ${(file.stat.size / 1048576).toFixed(1)} MB; email notes over ${MAX_NOTE_BYTES / 1048576} MB are not drafted`);
	}
	return resolvePeople(app, parseEmailNote(file.path, await app.vault.cachedRead(file), options));
}

export interface EmailScope extends ReadOptions {
	emailFolders: string[];
	emailTag: string;
}

/**
 * Whether a file is an email, from the metadata cache alone: true, false, or null when only
 * its text can tell (a header-block note). Settings can narrow emails to folders or a tag.
 */
export function emailSignal(file: FileLike, cache: CachedMetadata | null, scope: EmailScope): boolean | null {
	const ext = file.extension.toLowerCase();
	if (ext !== "md" && ext !== "eml") return false;
	if (scope.emailFolders.length && !scope.emailFolders.some((f) => isInFolder(file.path, f))) return false;
	if (ext === "eml") return true;
	if (scope.emailTag && !hasTag(noteTags(cache), scope.emailTag)) return false;
	const fm = cache?.frontmatter;
	if (fm) {
		const type = text(lowerKeys(fm).get("type")).toLowerCase();
		if (type === "email-draft") return false;
		if (frontmatterSaysEmail(fm, scope)) return true;
		if (type && type !== "email") return false;
	}
	return null;
}

/** Whether a note's text starts like a pasted or exported email (or is one the cache could not read). */
export function textLooksLikeEmail(content: string, options?: ReadOptions): boolean {
	const text = content.replace(/^\uFEFF/, "");
	const block = findFrontmatter(text);
	if (block && content !== text) {
		// A byte-order mark hides the frontmatter from Obsidian's cache; read it here.
		const fm = parseFrontmatterYaml(block.yaml);
		if (fm && frontmatterSaysEmail(fm, options)) return true;
	}
	const body = block ? text.slice(block.bodyStart) : text;
	return readHeaderBlock(body.slice(0, 4000)) !== null;
}
