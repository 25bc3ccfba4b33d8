/**
 * Whether a later email of yours says a commitment was done: "We agreed to send a three-year
 * pricing option" (a meeting note, 18 November), then your email of 23 November: "Attached is
 * the three-year pricing option." Without this, the reply would treat the promise as still
 * open, and might make it again.
 *
 * Conservative by design, since a false "done" is worse than a missed one: only your own
 * emails, dated on or after the promise; only a sentence that reports something done
 * ("attached is", "here is", "I've sent", "has been signed"), not one that promises, asks or
 * looks ahead; and only when the sentence names most of what the promise is about (its
 * content words, two at least when it has two). The model is shown the sentence and its date,
 * and told it may refer to the thing as done then; it is never told more than the email says.
 */

import { dayAndMonthNames } from "./dateWords";

/** A sentence of an email that reports something done, and where it is. */
export interface Delivery {
	line: string;
	date: string | null;
	path: string;
	title: string;
	/** A sentence of your email, a task ticked off in a note, or a note's line in the journal's past tense. */
	kind: "email" | "task" | "note";
}

const DONE = new RegExp(
	[
		"\\b(?:attached|enclosed)\\b",
		"\\bi(?:['’]m| am) attaching\\b",
		"\\bhere(?:['’]s| is| are)\\b",
		"\\bplease find\\b",
		"\\byou(?:['’]ll| will) find\\b",
		"\\bas promised\\b",
		"\\b(?:i|we)(?:['’]ve| have)?\\s+(?:just\\s+|now\\s+|already\\s+)?(?:sent|shared|attached|uploaded|completed|finished|added|booked|scheduled|delivered|signed|submitted|filed|prepared|updated|fixed|resolved)\\b",
		"\\b(?:is|are|has been|have been|was|were)\\s+(?:now\\s+)?(?:sent|shared|attached|uploaded|completed|done|signed|booked|scheduled|delivered|submitted|fixed|resolved|live)\\b",
	].join("|"),
	"i",
);
/** The same in the other languages the email parser reads ("anbei", "ci-joint", "adjunto", "in allegato", "bijgevoegd", "em anexo"), on lower-cased text. */
const DONE_OTHER = /(?:^|[^\p{L}])(?:anbei|im anhang|beigefügt|(?:habe|haben) (?:ich|wir) (?:\p{L}+ )?(?:geschickt|gesendet|erledigt)|ci-joint|ci-jointe|vous trouverez|je vous ai envoyé|nous vous avons envoyé|adjunto|te adjunto|le adjunto|en adjunto|ya (?:te|le) (?:envié|mandé)|in allegato|allego|ti ho inviato|le ho inviato|bijgevoegd|in de bijlage|hierbij|em anexo|segue anexo|segue em anexo|já enviei)(?![\p{L}])/u;
/** Looking ahead: a promise or a plan, not a report. */
const AHEAD = /\b(?:will|shall|going to|plan to|intend to|about to|tomorrow|next week|soon|once|when|if)\b|['’]ll\b/i;
const AHEAD_OTHER = /(?:^|[^\p{L}])(?:werde|werden|wird|morgen|sobald|wenn|vais|allons|enverrai|demain|dès que|voy a|vamos a|mañana|cuando|enviaré|domani|quando|invierò|zal|zullen|morgen|zodra|vou|vamos|amanhã|quando)(?![\p{L}])/u;

/** The sentences of a message that report something done. */
export function deliveryLines(message: string): string[] {
	const out: string[] = [];
	for (const rawLine of message.split("\n")) {
		const line = rawLine.trim();
		if (!line || /^>/.test(line)) continue;
		for (const sentence of line.match(/[^.!?]+(?:[.!?]+|$)/g) ?? []) {
			const s = sentence.trim();
			if (s.length < 12 || /\?\s*$/.test(s) || !(DONE.test(s) || DONE_OTHER.test(s.toLowerCase())) || AHEAD.test(s) || AHEAD_OTHER.test(s.toLowerCase())) continue;
			out.push(s);
		}
	}
	return out;
}

/** A note's line in the past tense of a log, the subject left out or "I"/"we": "Sent Ana the pricing option." */
const LOGGED = /^(?:(?:i|we)\s+)?(?:just\s+|finally\s+)?(?:sent|shared|e-?mailed|delivered|submitted|booked|scheduled|signed|uploaded|completed|finished|prepared|fixed|resolved|forwarded|handed over)\b/i;

/** Whether a note's line reports something done (a log line, or a sentence as in an email). */
export function isReport(line: string): boolean {
	const s = line.trim();
	if (s.length < 12 || /\?\s*$/.test(s) || AHEAD.test(s) || AHEAD_OTHER.test(s.toLowerCase())) return false;
	return LOGGED.test(s) || deliveryLines(s).length > 0;
}

const STOP = new Set(
	(
		"a an the and or but nor to of for with on in at by from into onto over under about after before again also just still then than so as if " +
		"this that these those it its our ours your yours their theirs his her my me we us i you they them he she him " +
		"is are was were be been being am will shall would should can could may might must have has had do does did done " +
		"not no yes all any some each every both either more most other same such only own very too " +
		"here there please thanks thank hi hello dear best regards cheers kind " +
		"attached attaching enclosed send sent sending share shared sharing deliver delivered provide provided prepare prepared " +
		"complete completed finish finished agreed agree promised promise committed owe offered get got give gave make made let know " +
		"find found upload uploaded add added book booked schedule scheduled submit submitted file filed fix fixed resolve resolved sign " +
		"today tomorrow yesterday week weeks month months year day days monday tuesday wednesday thursday friday saturday sunday " +
		"next last end soon later separately asap now already as promised per " +
		// The other languages' small words, so that only what a promise is about is compared.
		"der die das den dem des ein eine einen einem und oder ich wir sie ihnen ihr ihre uns euch du dich dir mit für von zu zum zur bis bei auf aus im in an ist sind war wurde werde werden wird habe haben hat schon noch auch anbei anhang beigefügt schicke schicken sende senden geschickt gesendet " +
		"le la les un une des du de et ou je nous vous il elle ils elles lui leur avec pour par sur dans au aux est sont ai avons ci joint jointe trouverez envoyé enverrai " +
		"el los las una unos unas y o yo nosotros usted ustedes le les con para por en al del es son he hemos adjunto envié enviaré " +
		"il lo gli una uno e io noi lei voi con per da su nel della del al ho abbiamo allegato allego inviato invierò " +
		"het een en ik wij we jij je u hij zij met voor van op aan bij is zijn heb hebben bijgevoegd bijlage hierbij stuur sturen " +
		"os as um uma eu nós você vocês com para por em no na ao do da é são tenho temos anexo segue enviei enviarei"
	).split(" "),
);
// Days and months in the other languages: when a promise falls due is not what it is about.
for (const w of dayAndMonthNames()) STOP.add(w);

/** The words that say what a line is about, lower-cased, plurals folded, names of the people given left out. */
export function contentWords(text: string, names: ReadonlySet<string> = new Set()): Set<string> {
	const out = new Set<string>();
	for (const raw of text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
		if (raw.length < 2 || STOP.has(raw) || names.has(raw) || /^\d+$/.test(raw)) continue;
		out.add(raw.length > 4 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
	}
	return out;
}

/** How many of the words of `a` are in `b`. */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
	let n = 0;
	for (const w of a) if (b.has(w)) n++;
	return n;
}

/**
 * The first delivery that names most of what `commitment` is about: at least half of its
 * content words, and two of them when it has two or more. Null when none does.
 */
export function evidenceFor(commitment: string, deliveries: readonly Delivery[], names: ReadonlySet<string> = new Set()): Delivery | null {
	const wanted = contentWords(commitment.replace(/^open task:\s*/i, ""), names);
	if (!wanted.size) return null;
	const need = Math.max(Math.min(2, wanted.size), Math.ceil(wanted.size / 2));
	for (const d of deliveries) if (overlap(wanted, contentWords(d.line, names)) >= need) return d;
	return null;
}
