/** Reply subjects and thread keys. */

/** Reply and forward prefixes in the languages mail clients write them (`Re:`, `AW:`, `SV:`, `Antw:` …), and the `EXTERNAL:` / `[EXTERNAL]` tags mail gateways add. */
const PREFIX = /^\s*(?:(?:re|aw|sv|vs|antw|antwort|ref|rif|r|fw|fwd|wg|tr|rv|enc|doorst|fs|odp|pd|ynt|atb|vl|res|ext|external)(?:\[\d+\])?\s*[:：]\s*|\[[^\]]{0,40}\]\s*)+/i;

/** The subject without any reply/forward prefixes or list tags such as `[team]`. */
export function baseSubject(subject: string): string {
	let s = subject.replace(/\s+/g, " ").trim();
	for (let i = 0; i < 10; i++) {
		const next = s.replace(PREFIX, "").trim();
		if (next === s) break;
		s = next;
	}
	return s;
}

/** The subject of the reply: exactly one `Re: `, whatever came before. */
export function replySubject(subject: string): string {
	const base = baseSubject(subject);
	return base ? `Re: ${base}` : "Re:";
}

function fold(text: string): string {
	return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export interface ThreadInfo {
	messageId: string | null;
	inReplyTo: string | null;
	references: string[];
	threadId: string | null;
	subject: string;
	participants: string[];
}

function cleanId(id: string | null | undefined): string | null {
	const m = id?.match(/<([^>]+)>/);
	const value = (m ? m[1] : id)?.trim();
	return value ? value.toLowerCase() : null;
}

/**
 * A key shared by the emails of one conversation: the thread id or the root of the
 * `References`/`In-Reply-To` chain when present; otherwise the normalised subject and the
 * set of participants.
 */
export function threadKey(info: ThreadInfo): string {
	if (info.threadId) return `thread:${info.threadId.trim().toLowerCase()}`;
	const root = cleanId(info.references[0]) ?? cleanId(info.inReplyTo);
	if (root) return `msg:${root}`;
	const participants = [...new Set(info.participants.map((p) => p.toLowerCase()).filter(Boolean))].sort();
	return `subject:${fold(baseSubject(info.subject))}|${participants.join(",")}`;
}

/** Message ids an email is known by, for matching its replies and its parent. */
export function messageIds(info: Pick<ThreadInfo, "messageId" | "inReplyTo" | "references" | "threadId">): string[] {
	return [info.messageId, info.inReplyTo, info.threadId, ...info.references].map((id) => cleanId(id)).filter((id): id is string => !!id);
}

export { cleanId as normalizeMessageId };
