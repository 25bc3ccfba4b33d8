/**
 * Does an email need a reply, and why? Deterministic rules, no model: bulk and automated
 * mail, mail you sent and thanks-only or FYI notes need none; questions, requests, meeting
 * requests and deadlines do. The reason is the short phrase written into the draft's `reason`.
 */
import type { ParsedEmail } from "./parse";

export interface NeedsReply {
	needed: boolean;
	reason: string | null;
}

const NO_REPLY_SENDER = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply|notifications?|notify|mailer-daemon|postmaster|bounces?|alerts?|automated|system|daemon|news(?:letter)?|digest|updates?|marketing|info-?noreply)(?:[-_.+].*)?@/i;

const BULK_FOOTER = /\b(?:unsubscribe|opt[- ]out|manage (?:your )?(?:email )?(?:preferences|subscriptions?)|email preferences|view (?:this email )?in (?:your )?browser|se désabonner|désinscri|abmelden|darse de baja|cancelar (?:la )?suscripci[oó]n|annulla l'iscrizione)\b/i;

const AUTOMATED_TEXT = /\b(?:this (?:is an? )?(?:automated|automatic(?:ally generated)?) (?:message|email|notification)|do not reply (?:to )?this (?:message|email)|please do not reply|this mailbox is not monitored|you are receiving this (?:email|message) because|(?:verification|security|one[- ]time) code|reset your password|your (?:order|package|shipment) (?:has )?(?:shipped|been delivered|is on its way)|receipt for your payment|build (?:failed|passed|succeeded)|pull request|commented on|assigned to you|mentioned you)\b/i;

const AUTO_REPLY_SUBJECT = /^(?:automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|abwesenheitsnotiz|absence du bureau|réponse automatique|respuesta automática|fuera de la oficina|risposta automatica|delivery status notification|undeliverable|mail delivery failed|(?:accepted|declined|tentative(?:ly accepted)?)\s*:)/i;

const NO_ACTION = /\b(?:no (?:action|reply|response) (?:is )?(?:needed|required|necessary)|no need to (?:reply|respond|answer)|(?:just )?for your (?:information|records)|just fyi|fyi only|nothing (?:needed|required) from you|keine antwort (?:nötig|erforderlich)|pas besoin de répondre)\b/i;
const FYI_START = /^\s*(?:fyi\b|for your information\b|heads[- ]up\b|just (?:a quick )?(?:note|update) to let you know\b)/i;

const THANKS_ONLY = /^\s*(?:(?:hi|hey|hello|dear)\b[^\n]*\n+)?\s*(?:many |big |thanks? (?:so much|a lot|again)|thank you(?: (?:so|very) much)?(?: for [^.!?\n]{0,80})?|thanks(?: for [^.!?\n]{0,80})?|thx|ty|cheers|much appreciated|great,? thanks|perfect,? thanks|got it,? thanks|sounds good|noted|merci(?: beaucoup)?|danke(?: schön)?|gracias|grazie)[\s.!,:;)\-–—]*(?:\p{Extended_Pictographic}\s*)*$/iu;

const MEETING = /\b(?:(?:can|could|shall|should) we (?:meet|talk|chat|catch up|hop on|jump on|schedule|set up|find (?:a )?time)|(?:are|would) you (?:be )?(?:free|available)|(?:your )?availability|does [^.?!\n]{1,40} work for you|would [^.?!\n]{1,40} work(?: for you)?|(?:schedule|book|set up|arrange) (?:a |the )?(?:call|meeting|chat|demo|time|sync)|(?:meeting|call) (?:request|invite|invitation)|let'?s (?:meet|talk|have a call|schedule|catch up|grab)|(?:time|slot)s? (?:to|for) (?:meet|talk|a call)|send (?:me |us )?(?:an? )?(?:calendar )?invite|treffen|rendez-vous|réunion|reunión)\b/i;

const DEADLINE = /\b(?:deadline|due (?:date|by|on|today|tomorrow)|by (?:the )?end of (?:the )?(?:day|week|month|quarter)|by (?:eod|eow|cob|tomorrow|tonight|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|noon|\d{1,2}(?::\d{2})?\s?(?:am|pm)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}|\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2})|(?:freez\w*|clos\w*|expir\w*|due|ends?|deadline\w*)\s+(?:on\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}|before then|no later than|before (?:monday|tuesday|wednesday|thursday|friday|the end of)|asap|as soon as possible|urgent(?:ly)?|time[- ]sensitive|expires? (?:on|at)|bis (?:spätestens|morgen|freitag|ende)|avant (?:le|vendredi|lundi|demain))\b/i;

const ACTION = /\b(?:please|pls|kindly|could you|can you|would you|will you|would you mind|do you mind|let me know|let us know|get back to (?:me|us)|send (?:me|us|over)|share (?:the|your|with)|need (?:you|your)|i'?d (?:like|love) (?:you|your|to get)|we'?d (?:like|love) (?:you|your)|your (?:thoughts|feedback|input|approval|signature)|rsvp|bitte|pourriez-vous|pouvez-vous|merci de|podr[ií]as|por favor)\b/i;

/**
 * Verbs that are also nouns or statements ("the quarterly review", "I can confirm") ask only
 * in the imperative: opening a sentence or line, and followed by an object or the sentence's
 * end ("Review the agenda.", "Confirm receipt.", "Take a look when you can."). After "please",
 * "could you" and the like, ACTION already catches them.
 */
const IMPERATIVE =
	/(?:^|[.!?;:]\s+)(?:(?:just|also|then|now)\s+)?(?:(?:confirm|approve|review|sign|sign off on)(?=\s+(?:the|this|that|these|those|it|them|me|us|my|our|your|his|her|their|a|an|attached|whether|if|when|by|before|at|and|asap|receipt|here|below|off)\b|\s*[.!,]|\s*$)|take a look|have a look)\b/im;

/** A request: a request phrase anywhere, or a request verb in the imperative. */
function asksForAction(text: string): boolean {
	return ACTION.test(text) || IMPERATIVE.test(text);
}

const THANKS_WORD = /\b(?:thanks|thank you|thx|many thanks|much appreciated|appreciate it|merci|danke|gracias|grazie|obrigad[oa])\b/i;
const GREETING_LINE = /^(?:hi|hey|hello|dear|good (?:morning|afternoon|evening))\b[^\n]{0,40}$/i;

/** A short note that thanks or acknowledges, and asks nothing. */
function isThanksOnly(newest: string): boolean {
	const lines = newest.split("\n").map((l) => l.trim()).filter(Boolean);
	while (lines.length > 1 && GREETING_LINE.test(lines[0] ?? "")) lines.shift();
	// A last line of one to three words is the sender's name.
	while (lines.length > 1 && /^[\p{L}.'-]+(?:\s[\p{L}.'-]+){0,2}$/u.test(lines[lines.length - 1] ?? "") && !THANKS_WORD.test(lines[lines.length - 1] ?? "")) lines.pop();
	const text = lines.join(" ");
	if (THANKS_ONLY.test(text)) return true;
	const words = text.split(/\s+/).length;
	return words <= 20 && THANKS_WORD.test(text) && !hasQuestion(text) && !asksForAction(text) && !MEETING.test(text) && !DEADLINE.test(text);
}

/** A question mark that ends a sentence (not one inside a URL). */
function hasQuestion(text: string): boolean {
	return text
		.replace(/https?:\/\/\S+/g, " ")
		.split("\n")
		.some((line) => /[?？¿]/.test(line) && !/^\s*>/.test(line));
}

export function isOwnAddress(address: string | undefined, own: readonly string[]): boolean {
	return !!address && own.includes(address.toLowerCase());
}

export function needsReply(email: ParsedEmail, ownAddresses: readonly string[]): NeedsReply {
	const sender = email.from?.address ?? "";
	if (isOwnAddress(sender, ownAddresses)) return { needed: false, reason: "Sent by you" };

	const h = email.bulkHeaders;
	const precedence = (h.precedence ?? "").toLowerCase();
	if (h["list-unsubscribe"] || h["list-id"] || ["bulk", "list", "junk"].includes(precedence)) {
		return { needed: false, reason: "Newsletter or bulk mail" };
	}
	const auto = (h["auto-submitted"] ?? "").toLowerCase();
	if ((auto && auto !== "no") || h["x-autoreply"] || AUTO_REPLY_SUBJECT.test(email.subject)) {
		return { needed: false, reason: "Automated reply" };
	}
	if (NO_REPLY_SENDER.test(sender)) return { needed: false, reason: "Automated sender (no-reply address)" };

	const newest = email.newestMessage;
	const whole = `${newest}\n${email.signature}`;
	if (BULK_FOOTER.test(whole)) return { needed: false, reason: "Newsletter or bulk mail" };
	if (AUTOMATED_TEXT.test(whole)) return { needed: false, reason: "Automated notification" };

	if (!newest.trim()) return { needed: false, reason: "No message text" };
	if (NO_ACTION.test(newest) && !hasQuestion(newest)) return { needed: false, reason: "FYI, no action needed" };
	if (isThanksOnly(newest)) return { needed: false, reason: "Thanks only" };

	if (MEETING.test(newest)) return { needed: true, reason: "Meeting request" };
	if (DEADLINE.test(newest) && (asksForAction(newest) || hasQuestion(newest))) return { needed: true, reason: "Deadline mentioned" };
	if (hasQuestion(newest)) return { needed: true, reason: "Contains question" };
	if (asksForAction(newest)) return { needed: true, reason: "Asks for action" };
	if (DEADLINE.test(newest)) return { needed: true, reason: "Deadline mentioned" };
	if (FYI_START.test(newest)) return { needed: false, reason: "FYI, no action needed" };
	return { needed: false, reason: "No question or request" };
}

/**
 * The questions and requests of a message, one sentence each, for the prompt's checklist
 * and the offline outline.
 */
export function findAsks(newest: string, max = 8): string[] {
	const text = newest.replace(/https?:\/\/\S+/g, (url) => url.replace(/[?]/g, "%3F"));
	const sentences = text
		// Sentence ends and list items become breaks (no lookbehind: older iOS lacks it).
		.replace(/([.!?])\s+(?=[\p{Lu}\d"“(])/gu, "$1\n\n")
		.replace(/\n(?=\s*(?:[-*•]|\d+[.)])\s)/g, "\n\n")
		.split(/\n{2,}/)
		.map((s) => s.replace(/\s+/g, " ").replace(/^[-*•]\s*|^\d+[.)]\s*/, "").trim())
		.filter(Boolean);
	const out: string[] = [];
	for (const s of sentences) {
		if (/^>/.test(s)) continue;
		if (/[?？]\s*$|[?？]\s/.test(s) || asksForAction(s) || MEETING.test(s)) {
			const clean = s.replace(/%3F/g, "?");
			if (clean.length > 3 && !out.includes(clean)) out.push(clean.length > 240 ? `${clean.slice(0, clean.lastIndexOf(" ", 237))}…` : clean);
		}
		if (out.length >= max) break;
	}
	return out;
}
