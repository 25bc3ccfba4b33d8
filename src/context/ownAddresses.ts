/**
 * Your addresses when the setting is empty. Mail in your vault is mail you received or sent,
 * so your own address is on nearly every email there, while anyone else is on the emails of
 * their own threads only. When one address is on most of the vault's emails and clearly ahead
 * of any other (by a tenth of the emails, one at least), it is taken as yours; otherwise none is (and the draft says your addresses
 * are not set). Addresses of machines (no-reply, notifications, lists) are never taken.
 */
import type { VaultIndex } from "./vaultIndex";

export interface OwnAddresses {
	addresses: string[];
	/** Set when the addresses were worked out from the vault rather than set. */
	inferred: { address: string; emails: number; of: number } | null;
}

/** Fewer emails than this say too little about whose mailbox it is. */
const MIN_EMAILS = 5;
/** On at least this share of the emails… */
const MIN_SHARE = 0.6;
/** …and ahead of the next address by this share of them (one email at least). */
const LEAD = 0.1;
const MACHINE = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|notify|mailer-daemon|postmaster|bounces?|alerts?|news(?:letter)?|digest|updates?|marketing|info|support|sales|hello|team|list|lists|announce(?:ments)?)(?:[-_.+].*)?@/i;

export function ownAddressesOf(configured: readonly string[], index: Pick<VaultIndex, "size" | "lookupEntries">): OwnAddresses {
	if (configured.length) return { addresses: [...configured], inferred: null };
	const of = index.size.emails;
	if (of < MIN_EMAILS) return { addresses: [], inferred: null };
	let best: { address: string; emails: number } | null = null;
	let second = 0;
	for (const [address, paths] of index.lookupEntries("participant")) {
		if (!address.includes("@") || MACHINE.test(address)) continue;
		const emails = Array.isArray(paths) ? paths.length : paths instanceof Set ? paths.size : [...paths].length;
		if (!best || emails > best.emails) {
			second = best?.emails ?? second;
			best = { address, emails };
		} else if (emails > second) second = emails;
	}
	if (!best || best.emails < MIN_SHARE * of || best.emails - second < Math.max(1, LEAD * of)) return { addresses: [], inferred: null };
	return { addresses: [best.address], inferred: { address: best.address, emails: best.emails, of } };
}
