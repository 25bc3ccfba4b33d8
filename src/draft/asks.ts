/**
 * The asks of a message with their referents. "Could you send it by December 1?" means
 * nothing on a checklist; the sentence before it ("Mei still needs the security
 * questionnaire.") says what "it" is. An ask that points back (it, them, this one, das, es,
 * le, lo…) gets the sentence before it as its referent.
 */
import type { AskItem } from "../note/briefing";

/** Sentences as findAsks cuts them: sentence ends, list items and blank lines. */
function sentences(text: string): string[] {
	return text
		.replace(/https?:\/\/\S+/g, (url) => url.replace(/[?]/g, "%3F"))
		.replace(/([.!?])\s+(?=[\p{Lu}\d"“(])/gu, "$1\n\n")
		.replace(/\n(?=\s*(?:[-*•]|\d+[.)])\s)/g, "\n\n")
		.split(/\n{2,}/)
		.map((s) => s.replace(/\s+/g, " ").replace(/^[-*•]\s*|^\d+[.)]\s*/, "").replace(/%3F/g, "?").trim())
		.filter(Boolean);
}

/** Words that point back to something named before; demonstratives only when they stand alone. */
const POINTS_BACK =
	/\b(?:it|its|them|they|(?:this|that|these|those|(?:this|that|the same) one)(?=\s*(?:[?.!,;:]|$|\s(?:by|to|for|with|before|until|on|in|over|back|again|too|as well)\b)))\b|\b(?:es|das|dies|diese[ns]?|dazu|davon|darüber|ihn|ça|cela|celui|celle|lo|eso|esto|esa|ese|ne)\b/i;

/** A greeting or a lead-in ending in a colon says nothing about what an ask refers to. */
function informative(sentence: string): boolean {
	if (/^(?:hi|hey|hello|dear|hallo|liebe[rs]?|bonjour|hola|ciao|hej)\b[^.?!]{0,40},?$/i.test(sentence)) return false;
	if (/:\s*$/.test(sentence)) return false;
	return sentence.split(/\s+/).length >= 3;
}

export function asksWithReferents(newestMessage: string, asks: readonly string[]): AskItem[] {
	const all = sentences(newestMessage);
	return asks.map((text) => {
		const plain = text.replace(/…$/, "");
		const at = all.findIndex((s) => s === text || s.startsWith(plain));
		if (at <= 0 || !POINTS_BACK.test(text)) return { text, referent: null };
		for (let i = at - 1; i >= 0 && i >= at - 2; i--) {
			const candidate = all[i] ?? "";
			if (informative(candidate)) return { text, referent: candidate.length > 200 ? `${candidate.slice(0, candidate.lastIndexOf(" ", 197))}…` : candidate };
		}
		return { text, referent: null };
	});
}
