/**
 * The offline draft: no network call at all. An outline in the email's own language that a
 * person finishes in a minute: a natural greeting and opening, each ask quoted with the facts
 * your vault holds about it, your commitments, placeholders where only you know the answer,
 * and your signature or a clear placeholder for it. An email that needs no reply gets one
 * line saying so; your own sent email gets a follow-up.
 */
import type { DrafterSettings } from "../settings";
import type { ParsedEmail } from "../email/parse";
import type { VaultContext } from "../context/build";
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
	nextSteps: string;
	closing: string;
	yourName: string;
	followUp: (formal: boolean) => string;
}

const PHRASES: Record<Language, Phrases> = {
	en: {
		greeting: (n) => (n ? `Hi ${n},` : "Hi,"),
		opening: () => "Thanks for your message. My answers are below.",
		answer: "[your answer]",
		reply: "[your reply]",
		fromNotes: "From your notes",
		committed: "You said you would",
		nextSteps: "[next steps: who does what, by when]",
		closing: "Best,",
		yourName: "[your name]",
		followUp: () => "I'm following up on my email below. [what you still need from them, and by when]",
	},
	de: {
		greeting: (n, f) => (n ? (f ? `Guten Tag ${n},` : `Hallo ${n},`) : f ? "Guten Tag," : "Hallo,"),
		opening: (f) => (f ? "vielen Dank für Ihre Nachricht. Meine Antworten finden Sie unten." : "danke für deine Nachricht. Meine Antworten findest du unten."),
		answer: "[Ihre Antwort]",
		reply: "[Ihre Antwort]",
		fromNotes: "Aus Ihren Notizen",
		committed: "Ihre Zusage",
		nextSteps: "[nächste Schritte: wer macht was bis wann]",
		closing: "Viele Grüße",
		yourName: "[Ihr Name]",
		followUp: (f) => (f ? "ich wollte kurz an meine E-Mail unten erinnern. [was Sie noch brauchen, und bis wann]" : "ich wollte kurz an meine Mail unten erinnern. [was du noch brauchst, und bis wann]"),
	},
	fr: {
		greeting: (n, f) => (n ? (f ? `Bonjour ${n},` : `Salut ${n},`) : "Bonjour,"),
		opening: (f) => (f ? "Merci pour votre message. Vous trouverez mes réponses ci-dessous." : "Merci pour ton message. Voici mes réponses."),
		answer: "[votre réponse]",
		reply: "[votre réponse]",
		fromNotes: "D'après vos notes",
		committed: "Votre engagement",
		nextSteps: "[prochaines étapes : qui fait quoi, pour quand]",
		closing: "Cordialement,",
		yourName: "[votre nom]",
		followUp: () => "Je me permets de revenir vers vous au sujet de mon e-mail ci-dessous. [ce qu'il vous faut encore, et pour quand]",
	},
	es: {
		greeting: (n) => (n ? `Hola ${n}:` : "Hola:"),
		opening: (f) => (f ? "Gracias por su mensaje. Le respondo a continuación." : "Gracias por tu mensaje. Te respondo a continuación."),
		answer: "[su respuesta]",
		reply: "[su respuesta]",
		fromNotes: "Según sus notas",
		committed: "Su compromiso",
		nextSteps: "[próximos pasos: quién hace qué y para cuándo]",
		closing: "Saludos,",
		yourName: "[su nombre]",
		followUp: () => "Le escribo para hacer seguimiento de mi correo anterior. [lo que aún necesita, y para cuándo]",
	},
	it: {
		greeting: (n, f) => (n ? (f ? `Gentile ${n},` : `Ciao ${n},`) : "Buongiorno,"),
		opening: (f) => (f ? "grazie per il Suo messaggio. Trova le mie risposte qui sotto." : "grazie per il messaggio. Trovi le mie risposte qui sotto."),
		answer: "[la sua risposta]",
		reply: "[la sua risposta]",
		fromNotes: "Dalle sue note",
		committed: "Il suo impegno",
		nextSteps: "[prossimi passi: chi fa cosa, entro quando]",
		closing: "Cordiali saluti,",
		yourName: "[il suo nome]",
		followUp: () => "riprendo la mia email qui sotto. [cosa serve ancora, ed entro quando]",
	},
	nl: {
		greeting: (n, f) => (n ? (f ? `Beste ${n},` : `Hoi ${n},`) : "Beste,"),
		opening: (f) => (f ? "Dank voor uw bericht. Mijn antwoorden staan hieronder." : "Dank voor je bericht. Mijn antwoorden staan hieronder."),
		answer: "[uw antwoord]",
		reply: "[uw antwoord]",
		fromNotes: "Uit uw notities",
		committed: "Uw toezegging",
		nextSteps: "[volgende stappen: wie doet wat, wanneer]",
		closing: "Met vriendelijke groet,",
		yourName: "[uw naam]",
		followUp: () => "Ik kom even terug op mijn e-mail hieronder. [wat u nog nodig heeft, en wanneer]",
	},
	pt: {
		greeting: (n) => (n ? `Olá ${n},` : "Olá,"),
		opening: () => "Obrigado pela sua mensagem. Seguem as minhas respostas.",
		answer: "[sua resposta]",
		reply: "[sua resposta]",
		fromNotes: "Das suas notas",
		committed: "O seu compromisso",
		nextSteps: "[próximos passos: quem faz o quê, até quando]",
		closing: "Atenciosamente,",
		yourName: "[seu nome]",
		followUp: () => "Retomo o meu email abaixo. [o que ainda precisa, e até quando]",
	},
};

/** "Ruiz, Ana" → Ana; "Ana Ruiz" → Ana; formal German/Dutch/Italian keep the full name. */
function greetingName(name: string | undefined, formal: boolean): string {
	const n = (name ?? "").replace(/[\r\n"]+/g, " ").trim();
	if (!n || n.includes("@")) return "";
	const m = /^([^,]+),\s*(.+)$/.exec(n);
	const full = m ? `${m[2]} ${m[1]}` : n;
	return formal ? full : (full.split(/\s+/)[0] ?? "");
}

const STOP = new Set(
	"about after again also and are can could from have into just more need needs only other over please send should some still than that their them they this those what when which will with would your you for the our through week next work works call could thanks mentioned".split(" "),
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

/**
 * Facts in the context, one sentence each, with where they come from: the cards' fields and
 * "About" lines, and what was said in each recent interaction ("…by December 1 (Acme QBR,
 * 2026-11-18)"). Addresses, domains and your commitments (listed on their own) are left out.
 */
function contextFacts(context: VaultContext): string[] {
	const out: string[] = [];
	const commitments = context.commitments.map((c) => c.text.toLowerCase());
	const add = (fact: string): void => {
		// Questions are not facts.
		if (fact && !/\?(?:\s*\([^)]*\))?$/.test(fact) && !out.includes(fact) && !commitments.some((c) => fact.toLowerCase().includes(c.replace(/^open task:\s*/, "")))) out.push(fact);
	};
	for (const item of context.items) {
		for (const line of item.markdown.split("\n")) {
			if (!/^\s*-\s/.test(line) || /^\s*-\s*(?:Email|Domain|Company|Role|Open task):/i.test(line)) continue;
			const text = plain(line);
			const interaction = /^(\d{4}-\d{2}-\d{2}) · (.+?)(?: \([^)]*\))?: (.+)$/.exec(text);
			if (interaction) {
				for (const sentence of sentencesOf(interaction[3] ?? "")) add(`${sentence} (${interaction[2] ?? ""}, ${interaction[1] ?? ""})`);
			} else if (/^[^:]{1,30}: /.test(text) && !/^About:/i.test(line.replace(/^\s*-\s*/, ""))) {
				add(text);
			} else {
				for (const sentence of sentencesOf(text)) add(sentence);
			}
		}
	}
	return out;
}

/**
 * The one or two facts that share the most telling words with the ask (and the sentence it
 * refers to). A word found in many facts ("Acme", "renewal") tells little, so each shared
 * word counts one over the number of facts that hold it.
 */
function factsFor(ask: AskItem, facts: string[]): string[] {
	const words = keywords(`${ask.text} ${ask.referent ?? ""}`);
	const factWords = facts.map((f) => keywords(f));
	const spread = new Map<string, number>();
	for (const set of factWords) for (const w of set) spread.set(w, (spread.get(w) ?? 0) + 1);
	const scored = facts
		.map((fact, i) => ({ fact, score: [...(factWords[i] ?? [])].filter((w) => words.has(w)).reduce((n, w) => n + 1 / (spread.get(w) ?? 1), 0) }))
		.filter((f) => f.score >= 0.5)
		.sort((a, b) => b.score - a.score);
	const best = scored[0]?.score ?? 0;
	return scored
		.filter((f) => f.score >= best / 2)
		.slice(0, 2)
		.map((f) => (f.fact.length > 180 ? `${f.fact.slice(0, f.fact.lastIndexOf(" ", 177))}…` : f.fact));
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

export function offlineOutline(settings: DrafterSettings, input: OutlineInput): string {
	const { email } = input;
	if (input.mode === "reply-not-needed") return `No reply needed: ${input.reason ?? "no question or request"}.`;
	const lang = detectLanguage(`${email.subject}\n${email.newestMessage}`);
	const formal = isFormal(email.newestMessage, lang);
	const p = PHRASES[lang];

	if (input.mode === "follow-up") {
		const first = email.to[0];
		return [p.greeting(greetingName(first?.name, formal), formal), "", p.followUp(formal), "", signOff(settings, p)].join("\n");
	}

	const lines: string[] = [p.greeting(greetingName((email.replyTo[0] ?? email.from)?.name, formal), formal), ""];
	const facts = contextFacts(input.context);
	const promises = input.context.commitments.map((c) => c.text.replace(/^open task:\s*/i, ""));
	const placed = new Set<string>();
	if (input.asks.length) {
		lines.push(p.opening(formal), "");
		for (const ask of input.asks) {
			lines.push(`> ${ask.text.replace(/\s+/g, " ")}`);
			lines.push(p.answer);
			// Each fact once, under the first ask it helps with.
			for (const fact of factsFor(ask, facts.filter((f) => !placed.has(f)))) {
				placed.add(fact);
				lines.push(`[${p.fromNotes}: ${fact}]`);
			}
			// A promise you made about this ask belongs right here.
			for (const promise of factsFor(ask, promises).filter((x) => !placed.has(x)).slice(0, 1)) {
				placed.add(promise);
				lines.push(`[${p.committed}: ${promise}]`);
			}
			lines.push("");
		}
	} else {
		lines.push(p.reply, "");
	}
	const rest = promises.filter((x) => !placed.has(x)).slice(0, 3);
	for (const promise of rest) lines.push(`[${p.committed}: ${promise}]`);
	if (rest.length) lines.push("");
	lines.push(p.nextSteps, "", signOff(settings, p));
	return lines.join("\n");
}
