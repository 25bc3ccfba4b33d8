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

/** Words that point back to something named before ("the new one", "before then"); demonstratives only when they stand alone. */
const POINTS_BACK =
	/\b(?:it|its|them|they|(?:this|that|these|those|(?:this|that|the same) one)(?=\s*(?:[?.!,;:]|$|\s(?:by|to|for|with|before|until|on|in|over|back|again|too|as well)\b)))\b|\b(?:the(?:\s+[a-z-]+)?\s+one|(?:before|by|until|till)\s+then)\b|\b(?:es|dazu|davon|darüber|ihn|ça|cela|celui|celle|lo|eso|esto|esa|ese|ne)\b/i;
/**
 * German "das"/"dies" point back only as pronouns: "Können Sie das bis Freitag schicken?",
 * not as the article of "das dreijährige Angebot" (German nouns are capitalised, so an
 * article is followed by a capital, perhaps after an adjective). Case-sensitive on purpose.
 */
const GERMAN_POINTS_BACK =
	/(?:^|[^\p{L}])(?:[Dd]as|[Dd]ies|[Dd]iese[ns]?)(?![\p{L}])(?!\s+(?:(?!(?:bis|für|mit|am|an|in|vor|nach|zu|noch|schon|auch|bitte|heute|morgen|gern|gerne|doch|mal|nicht|so|jetzt)\s)\p{Ll}+\s+)?\p{Lu})/u;

function pointsBack(text: string): boolean {
	return POINTS_BACK.test(text) || GERMAN_POINTS_BACK.test(text);
}

/** A greeting, thanks or a lead-in ending in a colon says nothing about what an ask refers to. */
function informative(sentence: string): boolean {
	if (/^(?:hi|hey|hello|dear|hallo|liebe[rs]?|bonjour|hola|ciao|hej)\b[^.?!]{0,40},?$/i.test(sentence)) return false;
	// Thanks name no thing an ask could point to ("Thanks again for the QBR." "Vielen Dank für …").
	if (/^(?:many\s+)?(?:thanks|thank\s+you|vielen\s+dank|danke|merci|gracias|grazie|bedankt|dank\s+je|obrigad[oa])\b/i.test(sentence)) return false;
	if (/:\s*$/.test(sentence)) return false;
	return sentence.split(/\s+/).length >= 3;
}

/** Words that open a noun phrase ("the three-year option", "das Angebot", "votre devis"). */
const DETERMINER =
	/^(?:the|your|our|their|this|that|these|those|a|an|my|his|her|der|die|das|den|dem|des|ein|eine|einen|einem|ihr|ihre|ihren|unser|unsere|unseren|le|la|les|un|une|votre|vos|notre|nos|el|los|las|una|su|sus|nuestro|nuestra|il|lo|gli|uno|het|een|uw|o|os|as|um|uma)$/i;
const GERMAN_DETERMINER = /^(?:der|die|das|den|dem|des|ein|eine|einen|einem|ihr|ihre|ihren|unser|unsere|unseren)$/i;
/** Words that end one: pronouns, clause openers, prepositions that start a new phrase. */
const PHRASE_END =
	/^(?:you|we|i|they|he|she|it|that|which|who|whom|to|for|by|on|in|at|with|before|after|from|and|or|but|so|if|when|is|are|was|were|be|can|could|would|will|sie|wir|ich|und|oder|bis|für|mit|vor|nach|am|im|vous|nous|et|ou|pour|avec|avant|usted|nosotros|y|para|con|antes)$/i;

/**
 * The thing an ask names, when the sentence an "it" points back to is itself an ask: "could
 * we see the three-year option you mentioned? … a call to go through it?" — "it" is "the
 * three-year option", not the whole earlier question (which is on the list already). The
 * first noun phrase after the verb, from its determiner up to a pronoun, clause opener or
 * preposition, at most six words; null when there is none.
 */
function namedThing(sentence: string): string | null {
	const words = sentence.replace(/[?!.]+$/, "").split(/\s+/);
	for (let i = 1; i < words.length; i++) {
		if (!DETERMINER.test(words[i] ?? "")) continue;
		const phrase = [words[i] ?? ""];
		// German capitalises its nouns and puts the verb last: the phrase ends at its noun.
		const german = GERMAN_DETERMINER.test(words[i] ?? "");
		for (let j = i + 1; j < words.length && phrase.length < 6; j++) {
			const w = words[j] ?? "";
			if (PHRASE_END.test(w.replace(/[,;:—–-]+$/, ""))) break;
			phrase.push(w.replace(/[,;:]+$/, ""));
			if (/[,;:]$/.test(w) || (german && /^\p{Lu}/u.test(w))) break;
		}
		// A determiner alone, or one followed only by a number, names nothing.
		if (phrase.length >= 2 && phrase.slice(1).some((w) => /\p{L}{2,}/u.test(w))) return phrase.join(" ");
	}
	return null;
}

function bounded(sentence: string): string {
	return sentence.length > 200 ? `${sentence.slice(0, sentence.lastIndexOf(" ", 197))}…` : sentence;
}

export function asksWithReferents(newestMessage: string, asks: readonly string[]): AskItem[] {
	const all = sentences(newestMessage);
	const out: AskItem[] = [];
	const atOf = (text: string): number => {
		const plain = text.replace(/…$/, "");
		return all.findIndex((s) => s === text || s.startsWith(plain));
	};
	for (const text of asks) {
		const at = atOf(text);
		let referent: string | null = null;
		if (at > 0 && pointsBack(text)) {
			for (let i = at - 1; i >= 0 && i >= at - 2; i--) {
				const candidate = all[i] ?? "";
				if (!informative(candidate)) continue;
				// The sentence before is itself an ask on the list: "it" is what that ask points
				// to (a chain of "it"s names one thing), or else the thing it names.
				const earlier = out.find((a) => atOf(a.text) === i);
				referent = earlier ? (earlier.referent ?? namedThing(candidate) ?? bounded(candidate)) : bounded(candidate);
				break;
			}
		}
		out.push({ text, referent });
	}
	return out;
}
