/**
 * Turning a note into the few facts a card needs. Nothing is pasted raw: frontmatter,
 * code and Dataview blocks, comments, embeds and HTML are dropped; tables become fields;
 * text is cut at a sentence or word boundary, never mid-word.
 */
import { stripFrontmatter } from "../host/markdown";

export interface NoteSummary {
	/** `Field: value` pairs from two-column tables and inline fields. */
	fields: Array<[string, string]>;
	facts: string[];
	tasks: string[];
	/** The opening sentences of the first paragraph. */
	summary: string;
	/** Each fact with the line it came from and its heading, to tell whom it concerns. */
	factSources: Array<{ text: string; raw: string; heading: string }>;
	summaryRaw: string;
}

const PLACEHOLDER = /^[_*\s]*(?:unknown|none|n\/a|na|tbd|todo|-|—|no .{0,40} (?:identified|found|yet)\.?|not set|\?)[_*\s.]*$/i;

export function isPlaceholder(text: string): boolean {
	return text.trim() === "" || PLACEHOLDER.test(text.trim());
}

/** Markdown to plain inline text: links show their words, emphasis marks go. */
export function plainInline(text: string): string {
	return text
		.replace(/!\[\[[^\]]*\]\]/g, "")
		.replace(/\[\[([^\]|]+)\|([^\]]+)\]\]/g, "$2")
		.replace(/\[\[([^\]]+)\]\]/g, (_m, t: string) => t.split("#")[0]?.split("/").pop() ?? t)
		.replace(/!\[[^\]]*\]\([^)]*\)/g, "")
		.replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
		.replace(/<[^>]+>/g, "")
		.replace(/(\*\*|__)(.+?)\1/g, "$2")
		.replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
		.replace(/`([^`]+)`/g, "$1")
		.replace(/\s+/g, " ")
		.trim();
}

/** Cuts text to at most `max` characters at a sentence end, else a word boundary (with …). */
export function clip(text: string, max: number): string {
	const t = text.trim();
	if (t.length <= max) return t;
	const window = t.slice(0, max + 1);
	let sentenceEnd = -1;
	for (const m of window.matchAll(/[.!?…](?=\s|$)/g)) if ((m.index ?? 0) < max) sentenceEnd = (m.index ?? 0) + 1;
	if (sentenceEnd >= max * 0.4) return t.slice(0, sentenceEnd);
	const space = t.lastIndexOf(" ", max - 1);
	const cut = space > 0 ? t.slice(0, space) : t.slice(0, max - 1).replace(/\S+$/, "") || t.slice(0, max - 1);
	return `${cut.replace(/[\s,;:–—-]+$/, "")}…`;
}

/** Removes what never belongs in a card: code and query blocks, comments, HTML blocks. */
export function cleanBody(text: string): string {
	const body = stripFrontmatter(text)
		.replace(/<!--[\s\S]*?-->/g, "")
		.replace(/%%[\s\S]*?%%/g, "");
	const out: string[] = [];
	let fence: string | null = null;
	for (const line of body.split("\n")) {
		const m = /^\s*(`{3,}|~{3,})/.exec(line);
		if (fence) {
			if (m && m[1]?.[0] === fence[0] && (m[1]?.length ?? 0) >= fence.length) fence = null;
			continue;
		}
		if (m) {
			fence = m[1] ?? null;
			continue;
		}
		out.push(line);
	}
	return out.join("\n");
}

const SKIP_HEADINGS = /^(?:open tasks?|tasks?|todo|to do|backlinks?|related|linked mentions|query|dataview)$/i;

export function summarizeNote(text: string, limits = { facts: 5, tasks: 3, factChars: 180 }): NoteSummary {
	const fields: Array<[string, string]> = [];
	const facts: string[] = [];
	const tasks: string[] = [];
	const paragraphs: string[] = [];
	const factSources: NoteSummary["factSources"] = [];
	let heading = "";
	let paragraph: string[] = [];
	const flushParagraph = (): void => {
		if (paragraph.length) paragraphs.push(paragraph.join(" "));
		paragraph = [];
	};

	for (const raw of cleanBody(text).split("\n")) {
		const line = raw.trimEnd();
		if (!line.trim()) {
			flushParagraph();
			continue;
		}
		const h = /^(#{1,6})\s+(.*)$/.exec(line);
		if (h) {
			flushParagraph();
			heading = plainInline(h[2] ?? "");
			continue;
		}
		const table = /^\s*\|(.+)\|\s*$/.exec(line);
		if (table) {
			flushParagraph();
			const cells = (table[1] ?? "").split("|").map((c) => plainInline(c));
			if (cells.length === 2 && !cells.every((c) => /^:?-{2,}:?$/.test(c)) && !/^(field|key|property)$/i.test(cells[0] ?? "")) {
				const [k, v] = cells as [string, string];
				if (k && !isPlaceholder(v)) fields.push([k, v]);
			}
			continue;
		}
		const task = /^\s*[-*+]\s+\[(.)\]\s+(.*)$/.exec(line);
		if (task) {
			flushParagraph();
			if (task[1] === " " && tasks.length < limits.tasks) tasks.push(clip(plainInline(task[2] ?? ""), limits.factChars));
			continue;
		}
		const field = /^\s*(?:[-*+]\s+)?\**([\p{L}][\p{L}\p{N} _-]{0,30}?)\**::\s*(.+)$/u.exec(line);
		if (field) {
			flushParagraph();
			const v = plainInline(field[2] ?? "");
			if (!isPlaceholder(v)) fields.push([plainInline(field[1] ?? ""), v]);
			continue;
		}
		const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
		if (bullet) {
			flushParagraph();
			if (SKIP_HEADINGS.test(heading)) continue;
			const fact = plainInline(bullet[1] ?? "");
			if (!isPlaceholder(fact) && facts.length < limits.facts) {
				facts.push(clip(fact, limits.factChars));
				factSources.push({ text: clip(fact, limits.factChars), raw: bullet[1] ?? "", heading });
			}
			continue;
		}
		if (/^\s*>/.test(line) || /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
			flushParagraph();
			continue;
		}
		paragraph.push(line.trim());
	}
	flushParagraph();

	const firstRaw = paragraphs.find((p) => !isPlaceholder(plainInline(p)) && plainInline(p).length > 20) ?? "";
	const first = plainInline(firstRaw);
	return { fields, facts, tasks, summary: first ? clip(first, 240) : "", factSources, summaryRaw: firstRaw };
}

/** The sentence of a note that mentions one of `names` (link or text), for an interaction's gist. */
export function gistFor(text: string, names: string[], max = 160): string {
	const body = cleanBody(text);
	const lowered = names.map((n) => n.toLowerCase()).filter(Boolean);
	const lines = body.split("\n").map((l) => l.trim()).filter((l) => l && !/^#{1,6}\s/.test(l) && !/^\|/.test(l));
	const hit = lines.find((l) => lowered.some((n) => l.toLowerCase().includes(n)));
	const candidate = hit ?? lines.find((l) => plainInline(l.replace(/^[-*+]\s+(\[.\]\s+)?/, "")).length > 15) ?? "";
	const plain = plainInline(candidate.replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[.\]\s+)?/, ""));
	return plain ? clip(plain, max) : "";
}

export function estimateTokens(text: string): number {
	// About four characters a token for English prose: an estimate, stated as such.
	return Math.ceil(text.length / 4);
}

const GREETING = /^(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|greetings|hallo|hola|bonjour|ciao|hej|moin|guten\s+tag)\b[^.!?\n]{0,40}[,!:.]?\s*$/i;
const CLOSING = /^(?:best|regards|kind regards|best regards|warm regards|thanks|thank you|many thanks|thanks again|cheers|sincerely|warmly|talk soon|br|thx)(?:\s+[\p{L}.]+){0,2}\s*[,.!]?$/iu;

/**
 * An email's gist: what it is about and what it asks, never its greeting or sign-off: the
 * first sentence of substance, then its questions and requests.
 */
export function emailGist(message: string, asks: readonly string[], max = 240): string {
	const lines = message
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((l) => l.trim())
		.filter((l) => l && !GREETING.test(l) && !CLOSING.test(l) && !/^[-–—_]{2,}$/.test(l));
	// The last short line is usually the name under the sign-off.
	while (lines.length > 1 && lines[lines.length - 1] && (lines[lines.length - 1] ?? "").split(/\s+/).length <= 2 && !/[.?!:]$/.test(lines[lines.length - 1] ?? "")) lines.pop();
	const text = plainInline(lines.join(" "));
	const sentences = text.split(/(?:[.!?](?=\s+[\p{Lu}\d"“(])|\n)/u).map((x) => x.trim()).filter(Boolean);
	const lead = sentences[0] ?? "";
	const parts: string[] = [];
	const isAsk = (sentence: string): boolean => asks.some((a) => a.startsWith(sentence.slice(0, 30)) || sentence.startsWith(a.slice(0, 30)));
	if (lead && !isAsk(lead)) parts.push(/[.!?…]$/.test(lead) ? lead : `${lead}.`);
	for (const ask of asks) parts.push(ask.replace(/^\d+[.)]\s*/, ""));
	return clip(parts.join(" ") || text, max);
}
