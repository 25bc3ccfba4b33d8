/**
 * Who a reply goes to, by the reply-all rules: To is the Reply-To address when the email
 * names one, else the sender; Cc is everyone else on To and Cc, without your own addresses,
 * without the To address, and each address once. The draft note and the context's audience
 * both read it from here, so what the note addresses is what the context was chosen for.
 */
import type { Address } from "./addresses";
import type { ParsedEmail } from "./parse";

export interface ReplyRecipients {
	/** The reply's To: Reply-To, else the sender; null when neither is known. */
	to: Address | null;
	cc: Address[];
}

export function replyRecipients(email: ParsedEmail, ownAddresses: readonly string[] = []): ReplyRecipients {
	const to = email.replyTo[0] ?? email.from;
	const recipient = to?.address;
	const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
	const seen = new Set<string>();
	const cc = [...email.to, ...email.cc].filter((a) => {
		if (!a.address || a.address === recipient || own.has(a.address) || seen.has(a.address)) return false;
		seen.add(a.address);
		return true;
	});
	return { to: to ?? null, cc };
}

/** Reply-all: everyone else on the original, without you and without the recipient. */
export function replyCc(email: ParsedEmail, ownAddresses: readonly string[] = []): Address[] {
	return replyRecipients(email, ownAddresses).cc;
}
