/**
 * Claude's structured answer: the reply, a one-line summary, notes for you (placeholders,
 * decisions, risks, facts not found) and topics, each in its own tag. Parsing never fails:
 * when the tags are missing or broken, the whole text is the reply, so a draft is never lost
 * to a formatting slip. While the answer streams, only the reply part is shown.
 */
import { NO_NOTES, type NotesForYou } from "../note/briefing";

export interface DraftAnswer {
	reply: string;
	summary: string;
	notes: NotesForYou;
	topics: string[];
	/** False when the answer had no usable <reply> tag and the whole text became the reply. */
	structured: boolean;
}

const TAG_NAMES = ["summary", "reply", "notes_for_you", "topics"] as const;

function block(text: string, tag: string): { inner: string; start: number; end: number } | null {
	const open = new RegExp(`<${tag}\\s*>`, "i").exec(text);
	if (!open) return null;
	const from = open.index + open[0].length;
	const close = new RegExp(`</${tag}\\s*>`, "i").exec(text.slice(from));
	if (!close) return null;
	return { inner: text.slice(from, from + close.index), start: open.index, end: from + close.index + close[0].length };
}

function items(text: string, tag: string): string[] {
	const out: string[] = [];
	const re = new RegExp(`<${tag}\\s*>([\\s\\S]*?)</${tag}\\s*>`, "gi");
	for (const m of text.matchAll(re)) {
		const item = (m[1] ?? "").replace(/\s+/g, " ").trim();
		if (item && !out.includes(item)) out.push(item);
	}
	return out;
}

export function parseTopics(line: string): string[] {
	return line
		.split(/[;,\n]/)
		.map((t) => t.trim().replace(/^[-*"'`]+\s*|["'`.]+$/g, "").trim())
		.filter((t) => t && t.length <= 40)
		.slice(0, 5);
}

/** Splits an old-style `TOPICS:` last line off a reply. */
export function splitTopics(text: string): { reply: string; topics: string[] } {
	const m = /\n?[ \t]*\**TOPICS\**:[ \t]*([^\n]*)\s*$/i.exec(text);
	if (!m) return { reply: text.trim(), topics: [] };
	return { reply: text.slice(0, m.index).trim(), topics: parseTopics(m[1] ?? "") };
}

function parseNotes(inner: string): NotesForYou {
	return {
		placeholders: items(inner, "placeholder"),
		decisions: items(inner, "decision"),
		risks: items(inner, "risk"),
		notFound: items(inner, "not_found"),
	};
}

export function parseAnswer(text: string): DraftAnswer {
	const normalized = text.replace(/\r\n?/g, "\n");
	const summary = block(normalized, "summary")?.inner.replace(/\s+/g, " ").trim() ?? "";
	const notesBlock = block(normalized, "notes_for_you");
	const notes = notesBlock ? parseNotes(notesBlock.inner) : { ...NO_NOTES };
	const topicsBlock = block(normalized, "topics");
	let topics = topicsBlock ? parseTopics(topicsBlock.inner) : [];

	const reply = block(normalized, "reply");
	if (reply && reply.inner.trim()) {
		return { reply: reply.inner.trim(), summary, notes, topics, structured: true };
	}
	// A <reply> that was opened but never closed (cut off, or a slip): it runs to the next part.
	const open = /<reply\s*>/i.exec(normalized);
	if (open) {
		const rest = normalized.slice(open.index + open[0].length);
		const next = /<(?:\/reply|summary|notes_for_you|topics)\s*>/i.exec(rest);
		const inner = (next ? rest.slice(0, next.index) : rest).trim();
		if (inner) return { reply: inner, summary, notes, topics, structured: false };
	}
	// No usable tags: the whole text is the reply, less any complete parts we recognise.
	let whole = normalized;
	for (const tag of TAG_NAMES) {
		const b = block(whole, tag);
		if (b && tag !== "reply") whole = `${whole.slice(0, b.start)}${whole.slice(b.end)}`;
	}
	const split = splitTopics(whole.replace(/<\/?reply\s*>/gi, ""));
	if (!topics.length) topics = split.topics;
	return { reply: split.reply, summary, notes, topics, structured: false };
}

/**
 * What the drafting dialog shows while the answer streams: the reply part only. Before the
 * <reply> tag arrives nothing is shown when the answer began with a tag (the summary comes
 * first); an answer that does not use tags at all is shown as it is.
 */
export function streamingReply(soFar: string): string {
	const open = /<reply\s*>/i.exec(soFar);
	if (!open) return /^\s*</.test(soFar) || !soFar.trim() ? "" : soFar;
	let rest = soFar.slice(open.index + open[0].length).replace(/^\n/, "");
	const close = /<\/reply\s*>/i.exec(rest);
	if (close) return rest.slice(0, close.index).trimEnd();
	// Hide a closing tag that is still arriving ("</rep").
	const partial = /<\/?[a-z_]*$/i.exec(rest);
	if (partial) rest = rest.slice(0, partial.index);
	return rest;
}
