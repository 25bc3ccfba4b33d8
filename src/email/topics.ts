/**
 * A few short topics for the draft's `topics` field, from the subject and the newest message:
 * phrases of the subject, then capitalised names and acronyms that recur. Deterministic.
 */
import { baseSubject } from "./subject";
import { dayAndMonthNames } from "../context/dateWords";
import { detectLanguage } from "../draft/language";

const STOP = new Set(
	(
		"a an the and or but if of to in on at for from by with about as is are was were be been it its this that these those " +
		"i me my we our us you your he she they them their hi hello hey dear thanks thank regards best cheers re fwd fw " +
		"please just quick question update follow up follow-up followup meeting call email note hope well today tomorrow yesterday " +
		"monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december " +
		"let know can could would should will shall also there here what when where which who why how any some all one two next last week month year " +
		"yes no ok okay sure great good new " +
		// The other languages the parser reads: greetings, sign-offs, titles and the pronouns of
		// formal address, which are written with a capital ("Guten Morgen Herr Lee", "Sie").
		"sie ihnen ihr ihre ihren ihrem ich wir du dich dir guten morgen tag abend hallo liebe lieber sehr geehrte geehrter geehrten herr herrn frau " +
		"grüße grüßen gruß freundlichen freundliche beste besten viele vielen dank danke bitte " +
		"bonjour bonsoir salut madame monsieur mademoiselle cher chère chers cordialement merci vous " +
		"hola buenos buenas días tardes estimado estimada estimados señor señora saludos cordiales atentamente gracias usted ustedes " +
		"buongiorno buonasera ciao gentile gentili egregio signor signora distinti grazie " +
		"goedemorgen goedemiddag geachte meneer mevrouw heer groeten groet vriendelijke hartelijke bedankt " +
		"olá bom boa prezado prezada senhor senhora atenciosamente cumprimentos abraços obrigado obrigada você"
	).split(" "),
);
// Their weekdays and months too ("Freitag", "décembre").
for (const w of dayAndMonthNames()) STOP.add(w);

/** A word written as a name wherever it stands: an acronym ("SSO", "Q3") or two capitals after its first letter ("PowerBI"). */
function nameShaped(word: string): boolean {
	return /^[\p{Lu}\d]{2,}$/u.test(word) || /\p{Lu}.*\p{Lu}/u.test(word.slice(1));
}

function words(text: string): string[] {
	return text.split(/\s+/).filter(Boolean);
}

function isStop(word: string): boolean {
	return STOP.has(word.toLowerCase().replace(/[^\p{L}\p{N}-]/gu, ""));
}

function cleanPhrase(phrase: string): string {
	const ws = words(phrase.replace(/[“”"'()[\]{}<>]/g, " ").trim());
	while (ws.length && isStop(ws[0] ?? "")) ws.shift();
	while (ws.length && isStop(ws[ws.length - 1] ?? "")) ws.pop();
	return ws.join(" ").replace(/[.,;:!?]+$/, "");
}

export function extractTopics(subject: string, newest: string, exclude: readonly string[] = [], max = 5): string[] {
	const scores = new Map<string, { text: string; score: number; order: number }>();
	let order = 0;
	const excluded = new Set(exclude.map((e) => e.toLowerCase()));
	const add = (raw: string, score: number): void => {
		const text = cleanPhrase(raw);
		if (text.length < 2 || text.length > 40 || words(text).length > 4) return;
		const key = text.toLowerCase();
		if (excluded.has(key) || [...excluded].some((e) => e && key.split(" ").every((w) => e.includes(w)))) return;
		if (/^\d+$/.test(text)) return;
		const entry = scores.get(key) ?? { text, score: 0, order: order++ };
		entry.score += score;
		scores.set(key, entry);
	};

	for (const part of baseSubject(subject).split(/\s*(?:[:|/–—]|\s-\s|,|\band\b|&)\s*/i)) add(part, 3);

	const text = newest.replace(/https?:\/\/\S+/g, " ").replace(/\S+@\S+/g, " ");
	// German writes every noun with a capital: there a single capitalised word is a topic only
	// when the message comes back to it.
	const nounsCapitalised = detectLanguage(`${subject}\n${newest}`) === "de";
	const single = new Map<string, { text: string; count: number }>();
	for (const sentence of text.replace(/([.!?])\s+/g, "$1\n").split(/\n+/)) {
		const tokens = words(sentence);
		let run: string[] = [];
		const flush = (): void => {
			const only = run.length === 1 ? (run[0] ?? "") : "";
			if (nounsCapitalised && only && !nameShaped(only)) {
				const key = only.toLowerCase();
				const seen = single.get(key) ?? { text: only, count: 0 };
				seen.count++;
				single.set(key, seen);
			} else if (run.length) add(run.join(" "), 1);
			run = [];
		};
		tokens.forEach((token, index) => {
			const bare = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
			const capitalised = /^\p{Lu}[\p{L}\p{N}&.-]*$/u.test(bare) || /^[\p{Lu}\d]{2,}$/u.test(bare);
			const sentenceStart = index === 0;
			if (bare && capitalised && !isStop(bare) && !(sentenceStart && !nameShaped(bare))) {
				run.push(bare);
				if (/[.,;:!?)]$/.test(token)) flush();
			} else {
				flush();
			}
		});
		flush();
	}

	for (const { text: word, count } of single.values()) if (count >= 2) add(word, count);

	return [...scores.values()]
		.sort((a, b) => b.score - a.score || a.order - b.order)
		.slice(0, max)
		.map((e) => e.text);
}
