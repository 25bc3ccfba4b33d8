/**
 * What to check before sending, worked out from the email and the context by rules (the model
 * adds its own risks to the notes for you): a reply-all that reaches more than one outside
 * organization, a sender the vault does not know who asks for access or data, an email that
 * triage says needs no reply, a follow-up to your own email when the thread has moved on
 * since, a reply cut off at the length limit, and your addresses not set.
 */
import { byCodeUnits } from "../shared/order";
import { domainOf, type Address } from "../email/addresses";
import type { ParsedEmail } from "../email/parse";
import type { VaultContext } from "../context/build";
import { isFreeMail } from "../context/freeMail";
import type { DraftRecipients } from "./recipients";
import { readableDateTime } from "./dates";
import type { OwnAddresses } from "../context/ownAddresses";

export type WarningKind = "reply-all-other-organization" | "unknown-sender-asks-access" | "no-reply-needed" | "thread-moved-on" | "incomplete" | "own-addresses";

export interface DraftWarning {
	kind: WarningKind;
	text: string;
}

export interface WarningInput {
	email: ParsedEmail;
	context: VaultContext;
	triage: { needed: boolean; reason: string | null };
	recipients: DraftRecipients;
	ownAddresses: readonly string[];
	/** How your addresses were known: set, worked out from the vault, or not at all. */
	own?: OwnAddresses;
	/** The asks of the newest message. */
	asks: readonly string[];
	incomplete: boolean;
}

/** Asking for a way in or for data: accounts, passwords, exports, bank or payment details, in several languages. */
const ACCESS_OR_DATA =
	/\b(?:access|credentials?|passwords?|log-?in|admin|permissions?|api keys?|tokens?|vpn|export|download|database|customer (?:data|list)|personal data|employee (?:data|list)|bank (?:details|account)|iban|wire|payment details|gift cards?|invoices?|w-?9|tax forms?|zugang|zugriff|passwort|kennwort|daten|bankverbindung|accès|mot de passe|données|coordonnées bancaires|acceso|contraseña|datos|accesso|dati)\b/i;

/**
 * The outside organizations the draft reaches: each recipient's organization from the
 * audience (a note, else a name), else their address's domain; personal addresses and your
 * own company do not count.
 */
function outsideOrganizations(input: WarningInput): string[] {
	const own = new Set(input.ownAddresses.map((a) => domainOf(a)).filter(Boolean));
	const members = new Map(input.context.audience.recipients.map((m) => [m.address.toLowerCase(), m]));
	const out: string[] = [];
	for (const a of [...input.recipients.to, ...input.recipients.cc]) {
		const member = members.get(a.address.toLowerCase());
		if (member?.internal) continue;
		const domain = domainOf(a.address);
		const name = member?.organization ?? (domain && !own.has(domain) && !isFreeMail(domain) ? domain : null);
		if (name && !out.includes(name)) out.push(name);
	}
	return out;
}

function senderKnown(input: WarningInput, sender: Address): boolean {
	if (input.context.people.some((p) => p.role === "sender")) return true;
	const member = input.context.audience.recipients.find((r) => r.address.toLowerCase() === sender.address.toLowerCase());
	return !!member?.personPath;
}

export function draftWarnings(input: WarningInput): DraftWarning[] {
	const out: DraftWarning[] = [];
	if (!input.triage.needed && !input.recipients.followUp) {
		out.push({ kind: "no-reply-needed", text: `Triage says this email needs no reply (${input.triage.reason ?? "no question or request"}); drafted because you asked.` });
	}
	const orgs = outsideOrganizations(input);
	if (orgs.length > 1 && input.recipients.cc.length) {
		out.push({
			kind: "reply-all-other-organization",
			text: `Reply-all reaches ${orgs.length} outside organizations (${orgs.join(", ")}): make sure nothing in the reply is private to one of them, or trim the Cc.`,
		});
	}
	const sender = input.email.from;
	if (sender && !input.recipients.followUp && !senderKnown(input, sender)) {
		const asking = input.asks.find((a) => ACCESS_OR_DATA.test(a));
		if (asking) {
			out.push({
				kind: "unknown-sender-asks-access",
				text: `${sender.address} is not in your vault and asks for access or data ("${asking.length > 90 ? `${asking.slice(0, 87)}…` : asking}"): confirm who they are through a channel you already trust before sending anything.`,
			});
		}
	}
	if (input.recipients.followUp) {
		// A nudge about your own email reads oddly once someone has written since: they may
		// have answered it already, and the newest email is the one to answer.
		const newer = input.context.interactions
			.filter((i) => i.thread && i.later)
			.sort((a, b) => byCodeUnits(b.date ?? "", a.date ?? ""))[0];
		if (newer) {
			const when = newer.date ? `${readableDateTime(newer.date).replace(/^(\p{L}+), /u, "$1 ")}, ` : "";
			out.push({
				kind: "thread-moved-on",
				text: `This thread has a newer email (${when}“${newer.title}”): check whether it already answers yours, and follow up on the newest email instead.`,
			});
		}
	}
	const inferred = input.own?.inferred;
	if (inferred) {
		const why = inferred.by === "vault" ? `it is on ${inferred.emails} emails in the vault, and on those of everyone else on this one` : "it is written with your name on this email";
		out.push({ kind: "own-addresses", text: `"Your addresses" is not set: ${inferred.address} was taken as yours (${why}) and left out of the recipients. Set your addresses in the plugin's settings if that is wrong.` });
	} else if (input.own && !input.own.addresses.length) {
		out.push({ kind: "own-addresses", text: `"Your addresses" is not set and the vault does not show which is yours, so your own address may be among the recipients: check To and Cc, and set your addresses in the plugin's settings.` });
	}
	if (input.incomplete) {
		out.push({ kind: "incomplete", text: "The reply was cut off at the output length limit, even after asking Claude to continue: finish it by hand or raise Max output tokens and redraft." });
	}
	return out;
}
