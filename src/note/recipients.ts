/**
 * Who a draft goes to. A reply follows the reply-all rules of email/reply.ts (the sender or
 * their Reply-To, everyone else in Cc, without you); a follow-up to your own sent email ("nudge") goes back to
 * the people you wrote to, never to yourself.
 */
import type { Address } from "../email/addresses";
import type { ParsedEmail } from "../email/parse";
import { replyRecipients } from "../email/reply";

export { replyCc } from "../email/reply";

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

export function draftRecipients(email: ParsedEmail, ownAddresses: readonly string[] = [], followUp = false): DraftRecipients {
	const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
	if (followUp) {
		const to = dedupeWithout(email.to, own);
		const cc = dedupeWithout(email.cc, new Set([...own, ...to.map((a) => a.address.toLowerCase())]));
		return { to, cc, followUp: true };
	}
	// A reply follows the reply-all rules the context's audience was built from.
	const reply = replyRecipients(email, ownAddresses);
	return { to: reply.to ? [reply.to] : [], cc: reply.cc, followUp: false };
}
