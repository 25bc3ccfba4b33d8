/**
 * Your promises: lines where you or your company committed to something ("we agreed to send…",
 * "I'll…", "Jordan will…"), open `- [ ]` tasks, and the future-tense lines of your own sent
 * emails ("the data will be loaded by Friday"). Questions are never commitments.
 */
import { cleanBody, clip, plainInline } from "./summarize";

const FIRST_PERSON = "(?:i|we|us|our\\s+(?:team|side)|my\\s+team)";
const PROMISE_VERBS = "(?:will|shall|'ll|’ll|am\\s+going\\s+to|are\\s+going\\s+to|agreed|promised|committed|owe|offered|undertook|need\\s+to|have\\s+to|must|should|plan\\s+to|intend\\s+to|are\\s+to|am\\s+to)";
const WE_PROMISE = new RegExp(`(?:^|[^\\p{L}])${FIRST_PERSON}(?:\\s+(?:also|still|both|all|then|now|already|will))?\\s+${PROMISE_VERBS}(?:[^\\p{L}]|$)`, "iu");
const CONTRACTED = /(?:^|[^\p{L}])(?:i|we)['’]ll(?:[^\p{L}]|$)/iu;
const OUR_SIDE = /\b(?:on us|from our side|on our side|action (?:item )?for us|we owe)\b/i;
/** A line that introduces your side's list: "From our side:", "Next steps on our end:", "We will:". */
const LIST_INTRO = /\b(?:(?:from|on) our (?:side|end)|next steps|action items? for us|we(?:'ll| will)|i(?:'ll| will))\b/i;
/** The same in the other languages the email parser reads ("Von unserer Seite:", "Prochaines étapes :"). */
const LIST_INTRO_OTHER = /(?:^|[^\p{L}])(?:von unserer seite|unsererseits|nächste schritte|de notre côté|prochaines étapes|por nuestra parte|próximos pasos|da parte nostra|prossimi passi|van onze kant|volgende stappen|da nossa parte|próximos passos)(?![\p{L}])/u;
/**
 * Promises in the first person in the other languages the email parser reads: "ich werde",
 * "wir schicken", "je vais", "nous enverrons", "voy a", "enviaré", "invierò", "ik zal",
 * "vou enviar", "me comprometo". Only whole constructions that cannot be anything else; in
 * German and Dutch the present tense with "ich"/"wir" is how a promise is usually said.
 */
const OTHER_PROMISE = new RegExp(
	`(?:^|[^\\p{L}])(?:${[
		"(?:ich|wir)\\s+(?:werde|werden|schicke|schicken|sende|senden|liefere|liefern|melde|melden|kümmere|kümmern|übernehme|übernehmen|bereite|bereiten)",
		"(?:werde|werden|schicke|schicken|sende|senden|melde|melden)\\s+(?:ich|wir)",
		"(?:ich|wir)\\s+(?:habe|haben)\\s+(?:zugesagt|versprochen)",
		"(?:je|nous)\\s+(?:vais|allons)\\s+\\p{L}{3,}",
		"je\\s+(?:vous\\s+|te\\s+|lui\\s+|leur\\s+)?(?:enverrai|ferai|transmettrai|préparerai|partagerai|reviendrai|rappellerai|confirmerai|communiquerai)",
		"nous\\s+(?:vous\\s+)?(?:enverrons|ferons|transmettrons|préparerons|partagerons|reviendrons|confirmerons|communiquerons)",
		"je\\s+m['’]engage|nous\\s+nous\\s+engageons",
		"(?:voy|vamos)\\s+a\\s+(?!ver(?![\\p{L}]))\\p{L}{3,}",
		"(?:enviaré|enviaremos|mandaré|mandaremos|haré|haremos|prepararé|prepararemos|confirmaré|confirmaremos|compartiré|compartiremos)",
		"me\\s+comprometo|nos\\s+comprometemos",
		"(?:invierò|invieremo|manderò|manderemo|farò|faremo|preparerò|prepareremo|confermerò|confermeremo|condividerò|condivideremo)",
		"mi\\s+impegno|ci\\s+impegniamo",
		"(?:ik|we|wij)\\s+(?:zal|zullen|stuur|sturen)",
		"(?:vou|vamos)\\s+\\p{L}{2,}(?:ar|er|ir)",
		"(?:enviarei|enviaremos|mandarei|mandaremos|farei|faremos|prepararei|prepararemos|confirmarei|confirmaremos|compartilharei|compartilharemos)",
	].join("|")})(?![\\p{L}])`,
	// Tested on lower-cased text: with `i`, V8 would work out the case variants of every letter class.
	"u",
);
/** In your own email, a statement about the future is a promise to its reader. */
const FUTURE = /\b(?:will|shall|going to)\b|['’]ll\b/i;

export interface CommitmentLine {
	text: string;
	/** The line as written in the note (for attribution by its links). */
	raw: string;
	task: boolean;
	heading: string;
}

function isQuestion(text: string): boolean {
	return /\?\s*$/.test(text);
}

/** Does this plain line promise something on your side? */
export function isCommitment(text: string, userNames: readonly string[], fromYou = false): boolean {
	if (!text.trim() || isQuestion(text)) return false;
	if (WE_PROMISE.test(text) || CONTRACTED.test(text) || OUR_SIDE.test(text) || OTHER_PROMISE.test(text.toLowerCase())) return true;
	for (const name of userNames) {
		if (!name) continue;
		const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
		if (new RegExp(`(?:^|[^\\p{L}])${escaped}\\s+(?:will|to|'ll|’ll|agreed|promised|owes|offered|is\\s+going\\s+to)\\s`, "iu").test(text)) return true;
	}
	return fromYou && FUTURE.test(text);
}

/** The commitment lines and open tasks of a note (or of an email you sent, with `fromYou`). */
export function findCommitments(text: string, userNames: readonly string[], options: { fromYou?: boolean; bodyOnly?: boolean } = {}): CommitmentLine[] {
	const out: CommitmentLine[] = [];
	let heading = "";
	// "Three things from our side:" makes each item of the list that follows a promise.
	let promisingList = false;
	const body = options.bodyOnly ? text : cleanBody(text);
	for (const rawLine of body.split("\n")) {
		const line = rawLine.trim();
		if (!line || /^>/.test(line) || /^\|/.test(line)) continue;
		const h = /^#{1,6}\s+(.*)$/.exec(line);
		if (h) {
			heading = plainInline(h[1] ?? "");
			continue;
		}
		const task = /^[-*+]\s+\[(.)\]\s+(.*)$/.exec(line);
		if (task) {
			if (task[1] === " ") out.push({ text: clip(plainInline(task[2] ?? ""), 200), raw: line, task: true, heading });
			continue;
		}
		const isItem = /^(?:[-*+]|\d+[.)])\s+/.test(line);
		const content = line.replace(/^(?:[-*+]|\d+[.)])\s+/, "");
		if (isItem && promisingList) {
			const plain = plainInline(content).replace(/[,;]\s*(?:and)?\s*$/, "");
			if (plain.length >= 8 && !isQuestion(plain)) out.push({ text: clip(/[.!?…]$/.test(plain) ? plain : `${plain}.`, 200), raw: content, task: false, heading });
			continue;
		}
		promisingList = /:\s*$/.test(line) && (LIST_INTRO.test(line) || LIST_INTRO_OTHER.test(line.toLowerCase()) || isCommitment(line.replace(/:\s*$/, ""), userNames));
		// A paragraph may hold several sentences; each is judged on its own.
		for (const sentence of content.split(/(?:[.!](?=\s+\p{Lu})|\n)/u)) {
			const plain = plainInline(sentence).replace(/[,;]\s*$/, "");
			// "Three things from our side:" introduces the promises; it is not one.
			if (plain.length < 8 || /:$/.test(plain)) continue;
			if (isCommitment(plain, userNames, options.fromYou)) out.push({ text: clip(/[.!?…]$/.test(plain) ? plain : `${plain}.`, 200), raw: sentence, task: false, heading });
		}
	}
	return out;
}
