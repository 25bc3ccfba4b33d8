/**
 * Who a draft goes to. A reply goes to the sender (or their Reply-To) with everyone else on
 * the original in Cc, without you; a follow-up to your own sent email ("nudge") goes back to
 * the people you wrote to, never to yourself.
 */
import type { Address } from "../email/addresses";
import type { ParsedEmail } from "../email/parse";

export interface DraftRecipients {
	to: Address[];
	cc: Address[];
	/** True for a follow-up to your own email rather than a reply to someone else's. */
	followUp: boolean;
}

function dedupeWithout(list: Address[], skip: Set<string>): Address[] {
	const seen = new Set(skip);
	return list.filter((a) => {
		const key = a.address.toLowerCase();
		if (!key || seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** Reply-all: everyone else on the original, without you and without the recipient. */
export function replyCc(email: ParsedEmail, ownAddresses: readonly string[] = []): Address[] {
	return draftRecipients(email, ownAddresses, false).cc;
}

export function draftRecipients(email: ParsedEmail, ownAddresses: readonly string[] = [], followUp = false): DraftRecipients {
	const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
	if (followUp) {
		const to = dedupeWithout(email.to, own);
		const cc = dedupeWithout(email.cc, new Set([...own, ...to.map((a) => a.address.toLowerCase())]));
		return { to, cc, followUp: true };
	}
	const recipient = email.replyTo[0] ?? email.from;
	const to = recipient ? [recipient] : [];
	const cc = dedupeWithout([...email.to, ...email.cc], new Set([...own, ...to.map((a) => a.address.toLowerCase())]));
	return { to, cc, followUp: false };
}
