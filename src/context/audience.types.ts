/**
 * What the context knows beyond the cards: who will read the reply, what day it is, what you
 * promised, and what was held back. The prompt and the draft note read these; the context
 * builder fills them (issue 9).
 */

/** One person who receives the reply (To and Cc after the reply-all rules, without you). */
export interface AudienceMember {
	name: string;
	address: string;
	/** The person note, when the vault has one. */
	personPath: string | null;
	/** The organization they belong to (by person note, else by address domain). */
	organization: string | null;
	organizationPath: string | null;
	/** True when they are at your own company. */
	internal: boolean;
}

export interface Audience {
	/** The reply's To and Cc, in that order. */
	recipients: AudienceMember[];
	/** Your company, from the setting or from the organization whose domain matches your addresses. */
	ownOrganization: { name: string; path: string | null } | null;
	/** Organizations other than yours that receive the reply (paths, else names). */
	organizations: Array<{ name: string; path: string | null }>;
	/** True when every recipient is at your own company. */
	internalOnly: boolean;
	/** One plain sentence: "Your reply goes to Ana Ruiz (Acme Corp) and Mei Chen (Acme Corp)." */
	text: string;
}

export interface ResolvedDate {
	/** The words in the message, as written: "by Friday". */
	phrase: string;
	/** ISO date, YYYY-MM-DD. */
	date: string;
	/** "Friday 27 November 2026". */
	text: string;
}

export interface TimeContext {
	/** IANA time zone the dates are shown in (yours). */
	timeZone: string;
	/** Today in your time zone, YYYY-MM-DD, and with its weekday. */
	today: string;
	todayText: string;
	/** The email's date in the sender's own offset and in yours, with weekdays; null when undated. */
	emailDateSender: string | null;
	emailDateLocal: string | null;
	/** Relative dates in the newest message, resolved against the email's date. */
	relativeDates: ResolvedDate[];
	/** The plain lines the prompt and the note show. */
	text: string;
}

export interface Commitment {
	/** The line, cleaned: "We agreed to send a three-year pricing option." */
	text: string;
	date: string | null;
	/** The note it comes from, and that note's title. */
	path: string;
	title: string;
	/** Organizations the line concerns (names). */
	about: string[];
	/** An open `- [ ]` task rather than a sentence. */
	task: boolean;
	/** A later email of yours whose sentence says this was done, or a task ticked off since (src/context/fulfilled.ts). */
	doneIn?: { line: string; date: string | null; path: string; title: string; kind: "email" | "task" | "note" };
}

export interface HeldBackItem {
	path: string;
	name: string;
	/** Why it stayed out of the prompt: "about Globex, not on this thread". */
	reason: string;
}
