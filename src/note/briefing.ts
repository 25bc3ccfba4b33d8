/**
 * The part of the draft note a busy reader takes in first: what is asked (each ask with the
 * sentence that tells what "it" is), what only you can fill in or decide, and what to watch
 * out for. Everything here comes from the email or the model, so all of it is made inert.
 */
import { inertLine } from "./inert";
import type { DraftWarning } from "./warnings";

export interface AskItem {
	/** The question or request, one sentence, as written. */
	text: string;
	/** The sentence before it that gives "it" / "this" its meaning, when the ask needs one. */
	referent: string | null;
}

/** What the model tells you beside the reply. */
export interface NotesForYou {
	/** Placeholders left in the reply, such as "[date for the call]". */
	placeholders: string[];
	/** Decisions only you can make. */
	decisions: string[];
	/** Risks, such as "the Cc includes another customer". */
	risks: string[];
	/** Facts the reply needed that neither the email nor your vault holds. */
	notFound: string[];
}

export const NO_NOTES: NotesForYou = { placeholders: [], decisions: [], risks: [], notFound: [] };

export function hasNotes(notes: NotesForYou): boolean {
	return notes.placeholders.length + notes.decisions.length + notes.risks.length + notes.notFound.length > 0;
}

/** Placeholders in a reply: `[...]` that are not Markdown links. */
export function placeholdersIn(reply: string): string[] {
	const out: string[] = [];
	for (const m of reply.matchAll(/\[([^[\]\n]{2,80})\](?!\()/g)) {
		const p = `[${m[1] ?? ""}]`;
		if (!out.includes(p)) out.push(p);
	}
	return out;
}

export function warningsCallout(warnings: DraftWarning[]): string {
	if (!warnings.length) return "";
	return ["> [!warning] Check before sending", ...warnings.map((w) => `> - ${inertLine(w.text)}`)].join("\n");
}

export function asksSection(asks: AskItem[]): string {
	if (!asks.length) return "";
	const lines = asks.map((a) => {
		const referent = a.referent ? ` (${inertLine(`“${a.referent}”`)})` : "";
		return `- [ ] ${inertLine(a.text)}${referent}`;
	});
	return ["## What they ask", "", ...lines].join("\n");
}

export function notesSection(notes: NotesForYou): string {
	if (!hasNotes(notes)) return "";
	const lines = [
		...notes.placeholders.map((p) => `- [ ] Fill in ${inertLine(p)}`),
		...notes.decisions.map((d) => `- [ ] Decide: ${inertLine(d)}`),
		...notes.risks.map((r) => `- Risk: ${inertLine(r)}`),
		...notes.notFound.map((n) => `- Not in your vault: ${inertLine(n)}`),
	];
	return ["## Notes for you", "", ...lines].join("\n");
}
