/**
 * Matching an email's participants and mentions to people and organization notes.
 * Everything here is a handful of index lookups: the cost follows the email, not the vault.
 */
import { byCodeUnits } from "../shared/order";
import type { Address } from "../email/addresses";
import { domainOf } from "../email/addresses";
import type { ParsedEmail } from "../email/parse";
import { foldName } from "./properties";
import type { Entity, VaultIndex } from "./vaultIndex";

export type MatchedBy = "email" | "name" | "alias" | "domain" | "company" | "mention" | "first-name" | "manager" | "colleague";
export type MatchRole = "sender" | "recipient" | "mention" | "organization";

export interface Match {
	entity: Entity;
	matchedBy: MatchedBy;
	role: MatchRole;
	/** The participant address this match came from, if any. */
	address?: string;
}

export interface Resolution {
	people: Match[];
	organizations: Match[];
	/** Participants (other than you) that no person note describes. */
	unknown: Address[];
}

export { FREE_MAIL_DOMAINS, isFreeMail } from "./freeMail";
import { isFreeMail } from "./freeMail";

function unique(hits: Entity[]): Entity | null {
	const paths = new Set(hits.map((h) => h.path));
	return paths.size === 1 ? hits[0] ?? null : null;
}

/** A display name to a person: the note name or an alias, and only when exactly one fits. */
function personByName(index: VaultIndex, name: string): { entity: Entity; via: "name" | "alias" } | null {
	const folded = foldName(name.replace(/\(.*?\)/g, "").replace(/^(.+),\s*(.+)$/, "$2 $1"));
	if (!folded) return null;
	const hits = index.byFoldedName(folded).filter((h) => h.entity.kind === "person");
	const entity = unique(hits.map((h) => h.entity));
	if (!entity) return null;
	return { entity, via: hits.find((h) => h.entity === entity)?.via ?? "name" };
}

interface Token {
	bare: string;
	capitalised: boolean;
}

function tokens(text: string): Token[][] {
	// Sentences keep n-grams from spanning a full stop.
	return text
		.replace(/https?:\/\/\S+/g, " ")
		.split(/[.!?;:\n]+/)
		.map((s) =>
			s
				.split(/\s+/)
				.map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/['’]s$/u, ""))
				.filter(Boolean)
				.map((bare) => ({ bare, capitalised: /^\p{Lu}/u.test(bare) })),
		);
}

export function resolveEmail(index: VaultIndex, email: ParsedEmail, ownAddresses: readonly string[]): Resolution {
	const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
	const people: Match[] = [];
	const organizations: Match[] = [];
	const unknown: Address[] = [];
	const seen = new Set<string>();
	const isOwnEntity = (e: Entity): boolean => e.emails.some((a) => own.has(a));

	const addPerson = (m: Match): void => {
		if (seen.has(m.entity.path) || isOwnEntity(m.entity)) return;
		seen.add(m.entity.path);
		people.push(m);
	};
	const addOrg = (m: Match): void => {
		if (seen.has(m.entity.path)) return;
		seen.add(m.entity.path);
		organizations.push(m);
	};

	const participants: Array<{ address: Address; role: MatchRole }> = [];
	if (email.from) participants.push({ address: email.from, role: "sender" });
	for (const a of [...email.to, ...email.cc]) participants.push({ address: a, role: "recipient" });

	for (const { address, role } of participants) {
		if (address.address && own.has(address.address)) continue;
		const byAddress = address.address ? index.entitiesByEmail(address.address) : [];
		const person = byAddress.find((e) => e.kind === "person");
		if (person) {
			addPerson({ entity: person, matchedBy: "email", role, address: address.address });
			continue;
		}
		const orgByAddress = byAddress.find((e) => e.kind === "organization");
		if (orgByAddress) addOrg({ entity: orgByAddress, matchedBy: "email", role: "organization", address: address.address });
		const byName = address.name ? personByName(index, address.name) : null;
		if (byName) {
			addPerson({ entity: byName.entity, matchedBy: byName.via, role, address: address.address || undefined });
			continue;
		}
		if (address.link) {
			const linked = personByName(index, address.link.split("/").pop() ?? "");
			if (linked) {
				addPerson({ entity: linked.entity, matchedBy: "name", role });
				continue;
			}
		}
		if (!orgByAddress) unknown.push(address);
	}

	// Organizations by each participant's domain (never a free-mail one), then by company links.
	for (const { address } of participants) {
		const domain = domainOf(address.address);
		if (!domain || isFreeMail(domain) || [...own].some((a) => domainOf(a) === domain)) continue;
		for (const org of index.organizationsByDomain(domain)) addOrg({ entity: org, matchedBy: "domain", role: "organization", address: address.address });
	}
	for (const match of [...people]) {
		for (const path of match.entity.companyPaths) {
			const org = index.entity(path);
			if (org && org.kind === "organization") addOrg({ entity: org, matchedBy: "company", role: "organization" });
		}
		for (const name of match.entity.companyNames) {
			const org = unique(index.byFoldedName(foldName(name)).map((h) => h.entity).filter((e) => e.kind === "organization"));
			if (org) addOrg({ entity: org, matchedBy: "company", role: "organization" });
		}
	}

	// People and organizations named in the newest message, on word boundaries.
	for (const sentence of tokens(email.newestMessage)) {
		for (let i = 0; i < sentence.length; i++) {
			for (let n = Math.min(4, sentence.length - i); n >= 1; n--) {
				const gram = sentence.slice(i, i + n);
				if (!gram[0]?.capitalised) continue;
				const hits = index.byFoldedName(foldName(gram.map((t) => t.bare).join(" ")));
				if (!hits.length) continue;
				const entity = unique(hits.map((h) => h.entity));
				if (!entity) continue; // shared by several notes: never guess
				// A single word picks an organization by name, or a person only by an explicit alias.
				if (n === 1 && entity.kind === "person" && hits[0]?.via !== "alias") continue;
				if (entity.kind === "person") addPerson({ entity, matchedBy: "mention", role: "mention" });
				else addOrg({ entity, matchedBy: "mention", role: "organization" });
				i += n - 1;
				break;
			}
		}
	}

	// What a person would pull in: first names at the thread's organizations, the sender's
	// manager, and colleagues when the sender is unknown or asks whom to talk to.
	const threadOrgs = new Map<string, Entity>();
	for (const m of organizations) if (m.matchedBy !== "mention") threadOrgs.set(m.entity.path, m.entity);
	for (const m of people) if (m.role !== "mention") for (const org of index.organizationsOf(m.entity)) threadOrgs.set(org.path, org);
	if (threadOrgs.size) {
		const byFirstName = new Map<string, Entity[]>();
		for (const org of threadOrgs.values()) {
			for (const person of index.peopleAt(org)) {
				if (isOwnEntity(person)) continue;
				for (const name of [person.name, ...person.aliases]) {
					const first = foldName(name).split(" ")[0] ?? "";
					if (first.length < 2) continue;
					const list = byFirstName.get(first) ?? [];
					if (!list.includes(person)) list.push(person);
					byFirstName.set(first, list);
				}
			}
		}
		for (const sentence of tokens(email.newestMessage)) {
			for (const token of sentence) {
				if (!token.capitalised) continue;
				const candidates = byFirstName.get(foldName(token.bare));
				// Exactly one person at the thread's organizations, or nobody: never a guess.
				if (candidates?.length === 1 && candidates[0]) addPerson({ entity: candidates[0], matchedBy: "first-name", role: "mention" });
			}
		}
	}
	const sender = people.find((m) => m.role === "sender");
	if (sender) {
		const managers = [...sender.entity.managerPaths.map((p) => index.entity(p)), ...sender.entity.managerNames.map((n) => (n.includes("@") ? index.peopleByEmail(n)[0] : unique(index.byFoldedName(foldName(n)).map((h) => h.entity).filter((e) => e.kind === "person")) ?? undefined))];
		for (const manager of managers) if (manager?.kind === "person") addPerson({ entity: manager, matchedBy: "manager", role: "mention" });
	}
	const senderUnknown = !!email.from && !sender && !(email.from.address && own.has(email.from.address));
	if (senderUnknown || ASKS_WHOM.test(email.newestMessage)) {
		const domain = domainOf(email.from?.address ?? "");
		const senderOrgs = sender ? index.organizationsOf(sender.entity) : domain && !isFreeMail(domain) ? index.organizationsByDomain(domain) : [];
		for (const org of senderOrgs) {
			// The people you deal with most at that organization first (by how many notes link them).
			const colleagues = index
				.peopleAt(org)
				.filter((p) => p.path !== sender?.entity.path && !isOwnEntity(p) && !seen.has(p.path))
				.map((p) => ({ p, links: index.backlinkCount(p.path) }))
				.sort((a, b) => b.links - a.links || byCodeUnits(a.p.name, b.p.name))
				.slice(0, 3);
			for (const { p } of colleagues) addPerson({ entity: p, matchedBy: "colleague", role: "mention" });
		}
	}

	return { people, organizations, unknown };
}

/** "Who should I talk to", "the right person", "point of contact": the sender wants a name. */
const ASKS_WHOM = /\b(?:who(?:m)?\s+(?:should|do|can|could|would)\s+(?:i|we)\s+(?:talk|speak|reach out|contact|ask|work|go)|(?:the\s+)?right\s+person|point\s+of\s+contact|(?:introduce|connect)\s+(?:me|us)\s+(?:to|with)|who(?:'s|\s+is)\s+(?:the\s+)?(?:best|right)\s+(?:person|contact))/i;
