/**
 * Size limits for what an email puts into a prompt and into a draft note. An email can be
 * any size (a 20 MB `.eml` is ordinary mail with its text pasted in); the prompt and the note
 * must not be. What is cut is cut visibly, with a marker saying how much and why, never
 * silently.
 */
import type { ParsedEmail } from "../email/parse";

/** Characters of the newest message sent to the model (about 6,000 tokens). */
export const PROMPT_MESSAGE_CHARS = 24_000;
/** After a "too long" answer from the API, the retry sends at most this much of the message. */
export const PROMPT_MESSAGE_CHARS_RETRY = 6_000;
/** A subject, a name or an address longer than this is not a real one. */
export const PROMPT_FIELD_CHARS = 500;
/** Recipients, attachments and asks listed in the prompt. */
export const PROMPT_LIST_ITEMS = 50;
/** Characters of the original message kept in the draft note's "Original Email" section. */
export const NOTE_ORIGINAL_CHARS = 100_000;

/**
 * `text` cut to at most `max` characters (at a line or word break when one is near, never
 * inside a surrogate pair), with `marker(cutChars)` appended when anything was cut.
 */
export function cutText(text: string, max: number, marker: (cut: number) => string): string {
	if (text.length <= max) return text;
	let end = max;
	const code = text.charCodeAt(end - 1);
	if (code >= 0xd800 && code <= 0xdbff) end--;
	const slice = text.slice(0, end);
	const breakAt = Math.max(slice.lastIndexOf("\n"), slice.lastIndexOf(" "));
	const kept = breakAt > end * 0.9 ? slice.slice(0, breakAt) : slice;
	return `${kept.trimEnd()}\n\n${marker(text.length - kept.length)}`;
}

const count = (n: number): string => n.toLocaleString("en-US");

function capList<T>(items: T[], max: number): T[] {
	return items.length <= max ? items : items.slice(0, max);
}

/**
 * The email as the prompt may carry it: the newest message cut to `messageChars` with a
 * marker the model can see, single-line fields and lists bounded. The parsed email itself
 * (and the file) are untouched.
 */
export function emailForPrompt(email: ParsedEmail, messageChars = PROMPT_MESSAGE_CHARS): ParsedEmail {
	const field = (s: string): string => cutText(s, PROMPT_FIELD_CHARS, () => "[cut]").replace(/\n+/g, " ");
	const address = (a: ParsedEmail["to"][number]): ParsedEmail["to"][number] => ({ ...a, name: field(a.name), address: field(a.address) });
	const more = (all: unknown[], kept: unknown[]): string[] => (all.length > kept.length ? [`and ${count(all.length - kept.length)} more`] : []);
	const attachments = capList(email.attachments, PROMPT_LIST_ITEMS).map(field);
	return {
		...email,
		subject: field(email.subject),
		from: email.from ? address(email.from) : null,
		to: capList(email.to, PROMPT_LIST_ITEMS).map(address),
		cc: capList(email.cc, PROMPT_LIST_ITEMS).map(address),
		attachments: [...attachments, ...more(email.attachments, attachments)],
		newestMessage: cutText(email.newestMessage, messageChars, (cut) => `[… ${count(cut)} more characters of this message were cut: the email is too long to send whole. Say in the reply that it was read only in part, where that matters.]`),
		// The thread summary takes a short excerpt of this; the rest never needs to be carried around.
		quotedHistory: cutText(email.quotedHistory, messageChars, () => "[…]"),
		body: cutText(email.body, messageChars * 2, () => "[…]"),
	};
}

/** The questions and requests listed in the prompt: a bounded number, each bounded (plain or with a referent). */
export function asksForPrompt<T extends string | { text: string; referent?: string | null }>(asks: T[]): T[] {
	const cut = (s: string): string => cutText(s, PROMPT_FIELD_CHARS, () => "[cut]");
	return capList(asks, PROMPT_LIST_ITEMS).map((a): T => {
		if (typeof a === "string") return cut(a) as T;
		const item: { text: string; referent?: string | null } = a;
		return { ...item, text: cut(item.text), ...(item.referent ? { referent: cut(item.referent) } : {}) } as T;
	});
}

/** The original message as the draft note keeps it: whole up to NOTE_ORIGINAL_CHARS, then a marker. */
export function originalForNote(text: string): string {
	return cutText(text, NOTE_ORIGINAL_CHARS, (cut) => `[… ${count(cut)} more characters are in the original email, not repeated here.]`);
}
