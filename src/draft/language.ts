/**
 * The language of an email, from its most common short words, for the offline outline (the
 * model works the language out for itself). Seven languages; anything else is English.
 */
export type Language = "en" | "de" | "fr" | "es" | "it" | "nl" | "pt";

const STOPWORDS: Record<Language, string[]> = {
	en: ["the", "and", "you", "to", "of", "is", "for", "we", "can", "could", "would", "with", "this", "that", "please", "thanks", "your"],
	de: ["der", "die", "das", "und", "ich", "sie", "wir", "ist", "nicht", "mit", "für", "bitte", "danke", "können", "könnten", "ihnen", "ihre", "uns", "auch", "bis", "noch", "viele", "grüße"],
	fr: ["le", "la", "les", "et", "vous", "nous", "est", "pour", "avec", "une", "des", "pouvez", "merci", "bonjour", "votre", "pas", "sur", "que"],
	es: ["el", "los", "las", "y", "usted", "nosotros", "es", "para", "con", "una", "por", "gracias", "hola", "podría", "puede", "su", "que", "del"],
	it: ["il", "gli", "e", "lei", "noi", "è", "per", "con", "una", "grazie", "ciao", "potrebbe", "può", "suo", "che", "della", "non"],
	nl: ["de", "het", "en", "jij", "je", "wij", "we", "is", "voor", "met", "een", "kunt", "kun", "bedankt", "dank", "graag", "niet", "ook"],
	pt: ["o", "os", "as", "e", "você", "nós", "é", "para", "com", "uma", "por", "obrigado", "obrigada", "olá", "pode", "poderia", "seu", "não"],
};

export function detectLanguage(text: string): Language {
	const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
	let best: Language = "en";
	let bestScore = 0;
	for (const [lang, list] of Object.entries(STOPWORDS) as Array<[Language, string[]]>) {
		const set = new Set(list);
		const score = words.reduce((n, w) => n + (set.has(w) ? 1 : 0), 0);
		if (score > bestScore) {
			best = lang;
			bestScore = score;
		}
	}
	return bestScore >= 2 ? best : "en";
}

/** Formal address (Sie, vous, usted, Lei, u) when the email uses it. */
export function isFormal(text: string, lang: Language): boolean {
	const t = ` ${text} `;
	switch (lang) {
		case "de":
			return /\s(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem)\b/.test(t) && !/\b(?:du|dir|dich|dein|deine)\b/i.test(t);
		case "fr":
			return !/\b(?:tu|toi|ton|ta|tes)\b/i.test(t);
		case "es":
			return /\b(?:usted|ustedes)\b/i.test(t);
		case "it":
			return /\s(?:Lei|La|Le|Suo|Sua)\b/.test(t);
		case "nl":
			return /\b(?:u|uw)\b/i.test(t);
		default:
			return false;
	}
}
