/**
 * Your addresses when the setting is empty. Mail in your vault is mail you received or sent:
 * your own address is on the email you are answering, and on nearly every email of anyone you
 * write with, while each of them is on their own threads only. So among the addresses on the
 * email, the one on the most emails is taken as yours when it is on five at least, clearly ahead
 * of the next (by a tenth of its emails, one at least), and on nine in ten of the emails of
 * every other address on the email. Failing that, an address on the email written with your
 * name (the "Your name" setting, as mail clients write it: "Jordan Lee <…>" or "Lee, Jordan")
 * is yours. Otherwise none is, and the draft says your addresses are not set. Machines'
 * addresses (no-reply, notifications, lists) are never taken. One lookup per address on the
 * email: nothing is scanned.
 */
import type { VaultIndex } from "./vaultIndex";

export interface OwnAddresses {
	addresses: string[];
	/** Set when the addresses were worked out rather than set: from the vault's emails, or from your name on the email. */
	inferred: { address: string; by: "vault"; emails: number; others: number } | { address: string; by: "name" } | null;
}

/** Fewer emails than this say too little about whose mailbox it is. */
const MIN_EMAILS = 5;
/** Ahead of the next address by this share of its emails (one at least)… */
const LEAD = 0.1;
/** …and on this share of the emails of every other address on the email. */
const COVER = 0.9;
const MACHINE = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|notify|mailer-daemon|postmaster|bounces?|alerts?|news(?:letter)?|digest|updates?|marketing|info|support|sales|hello|team|list|lists|announce(?:ments)?)(?:[-_.+].*)?@/i;

/** A display name as words, in either order ("Lee, Jordan" is "Jordan Lee"). */
function nameKey(name: string): string {
	return name
		.normalize("NFC")
		.toLowerCase()
		.split(/[^\p{L}]+/u)
		.filter(Boolean)
		.sort()
		.join(" ");
}

/**
 * `counts`, when given, keeps each address's number of emails between calls (triage asks about
 * every email of a folder; your address is on all of them).
 */
export function ownAddressesOf(
	configured: readonly string[],
	index: Pick<VaultIndex, "emailsWith" | "emailCountWith" | "emailEntry">,
	onEmail: ReadonlyArray<{ address: string; name?: string } | null | undefined>,
	userName = "",
	counts: Map<string, number> = new Map(),
): OwnAddresses {
	if (configured.length) return { addresses: [...configured], inferred: null };
	const none: OwnAddresses = { addresses: [], inferred: null };
	const people = onEmail.filter((a): a is { address: string; name?: string } => !!a?.address && a.address.includes("@") && !MACHINE.test(a.address));
	const candidates = [...new Set(people.map((a) => a.address.toLowerCase()))];
	const byVault = fromVault(index, candidates, counts);
	if (byVault) return byVault;
	// Your name on the email, when the setting has it (two words at least: a first name alone is too common).
	const key = nameKey(userName);
	if (key.includes(" ")) {
		const named = [...new Set(people.filter((a) => a.name && nameKey(a.name) === key).map((a) => a.address.toLowerCase()))];
		if (named.length === 1 && named[0]) return { addresses: [named[0]], inferred: { address: named[0], by: "name" } };
	}
	return none;
}

/** Of another address's emails, how many are checked for yours (enough to tell nine in ten). */
const SAMPLE = 100;

function fromVault(index: Pick<VaultIndex, "emailsWith" | "emailCountWith" | "emailEntry">, candidates: string[], counts: Map<string, number>): OwnAddresses | null {
	// One address says nothing about which side of the email you are on.
	if (candidates.length < 2) return null;
	const count = (address: string): number => {
		let n = counts.get(address);
		if (n === undefined) {
			n = index.emailCountWith(address);
			counts.set(address, n);
		}
		return n;
	};
	const counted = candidates.map((address) => ({ address, emails: count(address) })).sort((a, b) => b.emails - a.emails || (a.address < b.address ? -1 : 1));
	const [best, ...others] = counted;
	if (!best || best.emails < MIN_EMAILS) return null;
	if (best.emails - (others[0]?.emails ?? 0) < Math.max(1, LEAD * best.emails)) return null;
	// Yours is on their emails: checked on each one's emails (a sample of the busiest).
	for (const other of others) {
		const theirs = index.emailsWith([other.address]).sort().slice(0, SAMPLE);
		let shared = 0;
		for (const path of theirs) if (index.emailEntry(path)?.participants.includes(best.address)) shared++;
		if (shared < COVER * theirs.length) return null;
	}
	return { addresses: [best.address], inferred: { address: best.address, by: "vault", emails: best.emails, others: others.length } };
}
