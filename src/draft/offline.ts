/**
 * The offline draft: no network call at all. An outline in the email's own language that a
 * person finishes in a minute: a natural greeting and opening, each ask quoted with the facts
 * your vault holds about it, your commitments, placeholders where only you know the answer,
 * and your signature or a clear placeholder for it. An email that needs no reply gets one
 * line saying so; your own sent email gets a follow-up.
 */
import type { DrafterSettings } from "../settings";
import type { ParsedEmail } from "../email/parse";
import { dueOf, samePromises, type VaultContext } from "../context/build";
import type { AskItem } from "../note/briefing";
import { detectLanguage, isFormal, type Language } from "./language";
import type { DraftMode } from "./prompt";

interface Phrases {
	greeting: (name: string, formal: boolean) => string;
	opening: (formal: boolean) => string;
	answer: string;
	reply: string;
	fromNotes: string;
	committed: string;
	openTask: string;
	afterThis: string;
	nextSteps: string;
	closing: string;
	yourName: string;
	followUp: (formal: boolean) => string;
	/** Before the other places a promise was made, and before the line that says it was done. */
	also: string;
	done: string;
}

const PHRASES: Record<Language, Phrases> = {
	en: {
		greeting: (n) => (n ? `Hi ${n},` : "Hi,"),
		opening: () => "Thanks for your message. My answers are below.",
		answer: "[your answer]",
		reply: "[your reply]",
		fromNotes: "From your notes",
		committed: "Your promise",
		openTask: "Open task",
		afterThis: "after this email",
		nextSteps: "[next steps: who does what, by when]",
		closing: "Best,",
		yourName: "[your name]",
		followUp: () => "I'm following up on my email below. [what you still need from them, and by when]",
		also: "also",
		done: "done",
	},
	de: {
		greeting: (n, f) => (n ? (f ? `Guten Tag ${n},` : `Hallo ${n},`) : f ? "Guten Tag," : "Hallo,"),
		opening: (f) => (f ? "vielen Dank für Ihre Nachricht. Meine Antworten finden Sie unten." : "danke für deine Nachricht. Meine Antworten findest du unten."),
		answer: "[Ihre Antwort]",
		reply: "[Ihre Antwort]",
		fromNotes: "Aus Ihren Notizen",
		committed: "Ihre Zusage",
		openTask: "Offene Aufgabe",
		afterThis: "nach dieser E-Mail",
		nextSteps: "[nächste Schritte: wer macht was bis wann]",
		closing: "Viele Grüße",
		yourName: "[Ihr Name]",
		followUp: (f) => (f ? "ich wollte kurz an meine E-Mail unten erinnern. [was Sie noch brauchen, und bis wann]" : "ich wollte kurz an meine Mail unten erinnern. [was du noch brauchst, und bis wann]"),
		also: "auch",
		done: "erledigt",
	},
	fr: {
		greeting: (n, f) => (n ? (f ? `Bonjour ${n},` : `Salut ${n},`) : "Bonjour,"),
		opening: (f) => (f ? "Merci pour votre message. Vous trouverez mes réponses ci-dessous." : "Merci pour ton message. Voici mes réponses."),
		answer: "[votre réponse]",
		reply: "[votre réponse]",
		fromNotes: "D'après vos notes",
		committed: "Votre engagement",
		openTask: "Tâche ouverte",
		afterThis: "après cet e-mail",
		nextSteps: "[prochaines étapes : qui fait quoi, pour quand]",
		closing: "Cordialement,",
		yourName: "[votre nom]",
		followUp: () => "Je me permets de revenir vers vous au sujet de mon e-mail ci-dessous. [ce qu'il vous faut encore, et pour quand]",
		also: "aussi",
		done: "fait",
	},
	es: {
		greeting: (n) => (n ? `Hola ${n}:` : "Hola:"),
		opening: (f) => (f ? "Gracias por su mensaje. Le respondo a continuación." : "Gracias por tu mensaje. Te respondo a continuación."),
		answer: "[su respuesta]",
		reply: "[su respuesta]",
		fromNotes: "Según sus notas",
		committed: "Su compromiso",
		openTask: "Tarea pendiente",
		afterThis: "después de este correo",
		nextSteps: "[próximos pasos: quién hace qué y para cuándo]",
		closing: "Saludos,",
		yourName: "[su nombre]",
		followUp: () => "Le escribo para hacer seguimiento de mi correo anterior. [lo que aún necesita, y para cuándo]",
		also: "también",
		done: "hecho",
	},
	it: {
		greeting: (n, f) => (n ? (f ? `Gentile ${n},` : `Ciao ${n},`) : "Buongiorno,"),
		opening: (f) => (f ? "grazie per il Suo messaggio. Trova le mie risposte qui sotto." : "grazie per il messaggio. Trovi le mie risposte qui sotto."),
		answer: "[la sua risposta]",
		reply: "[la sua risposta]",
		fromNotes: "Dalle sue note",
		committed: "Il suo impegno",
		openTask: "Attività aperta",
		afterThis: "dopo questa email",
		nextSteps: "[prossimi passi: chi fa cosa, entro quando]",
		closing: "Cordiali saluti,",
		yourName: "[il suo nome]",
		followUp: () => "riprendo la mia email qui sotto. [cosa serve ancora, ed entro quando]",
		also: "anche",
		done: "fatto",
	},
	nl: {
		greeting: (n, f) => (n ? (f ? `Beste ${n},` : `Hoi ${n},`) : "Beste,"),
		opening: (f) => (f ? "Dank voor uw bericht. Mijn antwoorden staan hieronder." : "Dank voor je bericht. Mijn antwoorden staan hieronder."),
		answer: "[uw antwoord]",
		reply: "[uw antwoord]",
		fromNotes: "Uit uw notities",
		committed: "Uw toezegging",
		openTask: "Open taak",
		afterThis: "na deze e-mail",
		nextSteps: "[volgende stappen: wie doet wat, wanneer]",
		closing: "Met vriendelijke groet,",
		yourName: "[uw naam]",
		followUp: () => "Ik kom even terug op mijn e-mail hieronder. [wat u nog nodig heeft, en wanneer]",
		also: "ook",
		done: "gedaan",
	},
	pt: {
		greeting: (n) => (n ? `Olá ${n},` : "Olá,"),
		opening: () => "Obrigado pela sua mensagem. Seguem as minhas respostas.",
		answer: "[sua resposta]",
		reply: "[sua resposta]",
		fromNotes: "Das suas notas",
		committed: "O seu compromisso",
		openTask: "Tarefa pendente",
		afterThis: "depois deste email",
		nextSteps: "[próximos passos: quem faz o quê, até quando]",
		closing: "Atenciosamente,",
		yourName: "[seu nome]",
		followUp: () => "Retomo o meu email abaixo. [o que ainda precisa, e até quando]",
		also: "também",
		done: "feito",
	},
};

/** "Ruiz, Ana" → Ana; "Ana Ruiz" → Ana; formal German/Dutch/Italian keep the full name. */
function greetingName(name: string | undefined, formal: boolean): string {
	// "@Hannah Schultz": the people-note naming some vaults use, not part of the name.
	const n = (name ?? "").replace(/[\r\n"]+/g, " ").trim().replace(/^@(?=\p{L})/u, "");
	if (!n || n.includes("@")) return "";
	const m = /^([^,]+),\s*(.+)$/.exec(n);
	const full = m ? `${m[2]} ${m[1]}` : n;
	return formal ? full : (full.split(/\s+/)[0] ?? "");
}

const STOP = new Set(
	"about after again also and are can could from have into just more need needs only other over please send should some still than that their them they this those what when which will with would your you for the our through week next work works call could thanks mentioned confirm confirmed before".split(" "),
);

function keywords(text: string): Set<string> {
	const out = new Set<string>();
	for (const raw of text.match(/[\p{L}\p{N}][\p{L}\p{N}-]*/gu) ?? []) {
		const w = raw.toLowerCase();
		if (/^\d+$/.test(w) ? w.length >= 2 : w.length >= 4 || /^[\p{Lu}\d]{2,}$/u.test(raw)) {
			if (!STOP.has(w)) out.add(w.replace(/(?:es|s)$/, ""));
		}
	}
	return out;
}

function plain(line: string): string {
	return line
		.replace(/\[\[([^\]|]*)\|([^\]]*)\]\]/g, "$2")
		.replace(/\[\[([^\]]*)\]\]/g, (_m, t: string) => t.split("/").pop() ?? t)
		.replace(/^[-*]\s+/, "")
		.replace(/\*([^*]+)\*/g, "$1")
		.replace(/^About:\s*/i, "")
		.trim();
}

/** Sentences, without lookbehind (older iOS rejects it). */
function sentencesOf(text: string): string[] {
	return text
		.replace(/([.!?])\s+(?=[\p{Lu}\d"“])/gu, "$1\n")
		.split("\n")
		.map((s) => s.trim())
		.filter(Boolean);
}

/** A fact or promise: what it says (to match against the asks) and how the outline shows it. */
interface Candidate {
	/** What it is about, matched against the asks: the sentence, and a meeting's or email's title. */
	text: string;
	shown: string;
	/** It happened after the email being answered: news the reply must not miss. */
	news?: boolean;
}

/**
 * Facts in the context, one sentence each, with where they come from: the cards' fields and
 * "About" lines (with the card's name, since "Runs the alliance day to day" says nothing
 * without it), and what was said in each recent interaction ("…by December 1 (Acme QBR,
 * 2026-11-18)"; a daily note is its date). Addresses, domains and your commitments (placed
 * on their own) are left out.
 */
function contextFacts(context: VaultContext, p: Phrases): Candidate[] {
	const out: Candidate[] = [];
	const commitments = context.commitments.map((c) => c.text.toLowerCase().replace(/^open task:\s*/, ""));
	const add = (fact: string, source: string, about = "", news = false): void => {
		// Questions are not facts.
		if (!fact || /\?$/.test(fact) || commitments.some((c) => fact.toLowerCase().includes(c))) return;
		const shown = shortFact(source ? `${fact} (${source})` : fact);
		if (!out.some((c) => c.shown === shown)) out.push({ text: `${fact} ${about}`.trim(), shown, news });
	};
	for (const item of context.items) {
		if (item.section === "commitments") continue;
		for (const line of item.markdown.split("\n")) {
			if (!/^\s*-\s/.test(line) || /^\s*-\s*(?:Email|Domain|Company|Role|Open task):/i.test(line)) continue;
			const text = plain(line);
			// An interaction, read before its link is flattened: a title may hold ": " ("RE: Re: …").
			const interaction = /^\s*-\s*(\d{4}-\d{2}-\d{2}) · \[\[([^\]|]*)(?:\|([^\]]*))?\]\](?: \(([^)]*)\))?: (.+)$/.exec(line);
			if (interaction) {
				const [, date = "", target = "", display, why = "", raw = ""] = interaction;
				const title = display ?? target.split("/").pop() ?? target;
				const gist = plain(raw);
				// What happened after the email you answer is news to the outline's reader.
				const after = /after this email|later in this thread/.test(why) ? `, ${p.afterThis}` : "";
				// A meeting's title says what its lines are about ("Scope: …" in "Globex pilot kickoff").
				for (const sentence of sentencesOf(gist)) add(sentence, `${title === date ? date : `${title}, ${date}`}${after}`, title === date ? "" : title, !!after);
			} else if (/^[^:]{1,30}: /.test(text) && !/^About:/i.test(line.replace(/^\s*-\s*/, ""))) {
				add(text, item.name);
			} else {
				for (const sentence of sentencesOf(text)) add(sentence, item.name);
			}
		}
	}
	return out;
}

/**
 * How much a fact says about an ask: the telling words they share. A word found in many
 * facts ("Acme", "renewal") tells little, so each counts one over the number of facts that
 * hold it. The ask's referent counts as part of it: "could you send it" is about the
 * questionnaire the sentence before names.
 */
function scorer(candidates: Candidate[]): (ask: AskItem, candidate: number) => { score: number; shared: number } {
	const words = candidates.map((c) => keywords(c.text));
	const spread = new Map<string, number>();
	for (const set of words) for (const w of set) spread.set(w, (spread.get(w) ?? 0) + 1);
	return (ask, i) => {
		const own = keywords(`${ask.text} ${ask.referent ?? ""}`);
		let score = 0;
		let shared = 0;
		for (const w of words[i] ?? []) {
			if (!own.has(w)) continue;
			score += 1 / (spread.get(w) ?? 1);
			shared++;
		}
		return { score, shared };
	};
}

/**
 * Each candidate under the one ask it says most about (the earlier ask on a tie), and under
 * none when it says little about any (one telling word, or two words of the matter): a
 * promise to send the three-year option belongs under "could we see the three-year option?",
 * not under the call to go through it. Per ask, the best `perAsk`, news first.
 */
function placeUnderAsks(asks: AskItem[], candidates: Candidate[], perAsk: number): Map<number, number[]> {
	const score = scorer(candidates);
	const byAsk = new Map<number, Array<{ i: number; s: number }>>();
	candidates.forEach((_c, i) => {
		let best = -1;
		let bestScore = 0;
		asks.forEach((ask, a) => {
			const { score: s, shared } = score(ask, i);
			if ((s >= 0.5 || shared >= 2) && s > bestScore + 1e-9) {
				best = a;
				bestScore = s;
			}
		});
		if (best >= 0) byAsk.set(best, [...(byAsk.get(best) ?? []), { i, s: bestScore + (candidates[i]?.news ? 1 : 0) }]);
	});
	const out = new Map<number, number[]>();
	for (const [a, list] of byAsk) {
		list.sort((x, y) => y.s - x.s || x.i - y.i);
		out.set(
			a,
			list.slice(0, perAsk).map((x) => x.i),
		);
	}
	return out;
}

function shortFact(fact: string): string {
	return fact.length > 180 ? `${fact.slice(0, fact.lastIndexOf(" ", 177))}…` : fact;
}

export interface OutlineInput {
	email: ParsedEmail;
	mode: DraftMode;
	reason: string | null;
	asks: AskItem[];
	context: VaultContext;
}

function signOff(settings: DrafterSettings, p: Phrases): string {
	if (settings.signature.trim()) return settings.signature.trim();
	return `${p.closing}\n${settings.userName.trim() || p.yourName}`;
}

/** Mail from a list or a machine: no one to greet by name ("Hi Product," to a digest). */
function automated(email: ParsedEmail): boolean {
	return Object.keys(email.bulkHeaders).length > 0 || /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|news(?:letter)?|digest|notifications?|updates?|marketing|mailer)\b/i.test(email.from?.address ?? "");
}

/**
 * The register of the sender's own greeting, which the reply's greeting mirrors: "Hallo Jordan"
 * is first-name terms even where the body says "Sie"; "Sehr geehrter Herr Lee", or a greeting
 * with no name, keeps the formal greeting and the full name.
 */
function senderGreeting(newest: string): { firstName: boolean; casual: boolean } {
	const line = newest.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
	const m = /^((?:guten|good|buenos|buon|bon|goede)\s+\p{L}+|\p{L}+)(?:\s+([^,!:]{1,40}))?[,!:]$/iu.exec(line);
	if (!m) return { firstName: false, casual: false };
	const casual = /^(?:hallo|hi|hey|hej|hoi|moin|servus|liebe[rs]?|ciao|salut|coucou|hola|oi|beste)$/i.test(m[1] ?? "");
	const titled = /\b(?:herr|frau|dr|prof|mr|mrs|ms|monsieur|madame|mme|se[ñn]ora?|sra?|signor[ae]?|sig|meneer|mevrouw|dhr|mevr|geehrte[rs]?)\b/i.test(line);
	return { firstName: !titled && (casual || !!m[2]), casual: casual && !titled };
}

export function offlineOutline(settings: DrafterSettings, input: OutlineInput): string {
	const { email } = input;
	const lang = detectLanguage(`${email.subject}\n${email.newestMessage}`);
	const formal = isFormal(email.newestMessage, lang);
	const p = PHRASES[lang];
	// The greeting follows the sender's own: formal pronouns in the body, first names on top.
	const mirror = senderGreeting(email.newestMessage);
	const greet = (name: string | undefined, bare = false): string => p.greeting(bare ? "" : greetingName(name, formal && !mirror.firstName), formal && !mirror.casual);

	if (input.mode === "reply-not-needed") {
		// You asked for a draft anyway ("Draft anyway", --force): say once why none was needed,
		// then a short reply to fill in, not a one-line refusal.
		return [`[No reply needed: ${input.reason ?? "no question or request"}.]`, "", greet((email.replyTo[0] ?? email.from)?.name, automated(email)), "", p.reply, "", signOff(settings, p)].join("\n");
	}

	if (input.mode === "follow-up") {
		const first = email.to[0];
		return [greet(first?.name), "", p.followUp(formal), "", signOff(settings, p)].join("\n");
	}

	const lines: string[] = [greet((email.replyTo[0] ?? email.from)?.name), ""];
	const facts = contextFacts(input.context, p);
	// Your promises and open tasks, each with where and when it was made: one line per promise
	// (its newest telling, the others named), and the line that says it was done, if any.
	const promises = samePromises(input.context.commitments).map(({ main: c, also }) => {
		const text = c.text.replace(/^open task:\s*/i, "");
		const made = c.title === c.date ? (c.date ?? "") : [c.title, c.date].filter(Boolean).join(", ");
		// When it falls due, and whether that is past: an old "by Friday" is overdue or done.
		const due = dueOf(c, input.context.time.today);
		const elsewhere = also.map((a) => (a.title === a.date ? (a.date ?? "") : `${a.title} (${a.date ?? (a.task ? p.openTask : "")})`.replace(/ \(\)$/, "")));
		const done = c.doneIn ? `${p.done} ${c.doneIn.date ?? ""}: “${c.doneIn.line}”`.replace(/ :/, ":") : "";
		const source = [made, c.doneIn ? due.replace(/, now past$/, "") : due, elsewhere.length ? `${p.also} ${elsewhere.join(", ")}` : "", done].filter(Boolean).join("; ");
		return { text, shown: `[${c.task ? p.openTask : p.committed}: ${text}${source && source !== text ? ` (${source})` : ""}]` };
	});
	const placedPromises = new Set<number>();
	if (input.asks.length) {
		lines.push(p.opening(formal), "");
		const factsByAsk = placeUnderAsks(input.asks, facts, 2);
		const promisesByAsk = placeUnderAsks(input.asks, promises, 3);
		input.asks.forEach((ask, a) => {
			lines.push(`> ${ask.text.replace(/\s+/g, " ")}`);
			lines.push(p.answer);
			for (const i of factsByAsk.get(a) ?? []) lines.push(`[${p.fromNotes}: ${facts[i]?.shown ?? ""}]`);
			// A promise you made about this ask belongs right here.
			for (const i of promisesByAsk.get(a) ?? []) {
				placedPromises.add(i);
				lines.push(promises[i]?.shown ?? "");
			}
			lines.push("");
		});
	} else {
		lines.push(p.reply, "");
	}
	// Open promises to these people that no ask is about: worth a line in the reply, or a reminder.
	const rest = promises.filter((_x, i) => !placedPromises.has(i)).slice(0, 3).map((x) => x.shown);
	lines.push(...rest);
	if (rest.length) lines.push("");
	lines.push(p.nextSteps, "", signOff(settings, p));
	return lines.join("\n");
}
