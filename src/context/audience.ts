/**
 * Who will read the reply: To and Cc after the reply-all rules, without you, each with the
 * organization they belong to, and which organization is yours. Everything the context
 * may say is decided against this audience.
 */
import type { Address } from "../email/addresses";
import { domainOf } from "../email/addresses";
import type { ParsedEmail } from "../email/parse";
import { replyRecipients } from "../email/reply";
import { foldName } from "./properties";
import { isFreeMail } from "./freeMail";
import type { Entity, VaultIndex } from "./vaultIndex";
import type { Audience, AudienceMember } from "./audience.types";

export interface AudienceOptions {
	ownAddresses: readonly string[];
	/** The setting: your company's note name or path; empty finds it by your addresses' domains. */
	ownOrganization?: string;
	/** Your company's name as you typed it in "You", used when the vault has no note for it. */
	userCompany?: string;
}

/** Your company: the setting, else the organization whose domain matches one of your addresses. */
export function findOwnOrganization(index: VaultIndex, options: AudienceOptions): { name: string; path: string | null; entity: Entity | null } | null {
	const wanted = options.ownOrganization?.trim() ?? "";
	if (wanted) {
		const byPath = index.entity(wanted) ?? index.entity(`${wanted}.md`);
		if (byPath?.kind === "organization") return { name: byPath.name, path: byPath.path, entity: byPath };
		const hits = index.byFoldedName(foldName(wanted.split("/").pop() ?? wanted)).filter((h) => h.entity.kind === "organization");
		const only = new Set(hits.map((h) => h.entity.path)).size === 1 ? hits[0]?.entity : undefined;
		return only ? { name: only.name, path: only.path, entity: only } : { name: wanted, path: null, entity: null };
	}
	for (const address of options.ownAddresses) {
		const domain = domainOf(address);
		if (!domain || isFreeMail(domain)) continue;
		const org = index.organizationsByDomain(domain)[0];
		if (org) return { name: org.name, path: org.path, entity: org };
	}
	const typed = options.userCompany?.trim();
	return typed ? { name: typed, path: null, entity: null } : null;
}

function ownDomains(options: AudienceOptions, own: Entity | null): Set<string> {
	const domains = new Set(options.ownAddresses.map(domainOf).filter((d) => d && !isFreeMail(d)));
	for (const d of own?.domains ?? []) domains.add(d);
	return domains;
}

function memberFor(index: VaultIndex, address: Address, own: Entity | null, domains: Set<string>): AudienceMember {
	const person = (address.address ? index.peopleByEmail(address.address)[0] : undefined) ?? personByName(index, address.name);
	const orgs = person ? index.organizationsOf(person) : [];
	const domain = domainOf(address.address);
	const org = orgs[0] ?? (domain && !isFreeMail(domain) ? index.organizationsByDomain(domain)[0] : undefined);
	const plainCompany = !org && person?.companyNames[0] ? person.companyNames[0] : null;
	const internal = (!!own && !!org && org.path === own.path) || (!!domain && domains.has(domain));
	return {
		// The person note's name reads better than "Ruiz, Ana".
		name: person?.name || displayName(address.name) || address.address,
		address: address.address,
		personPath: person?.path ?? null,
		organization: internal && own ? own.name : org?.name ?? plainCompany,
		organizationPath: internal && own ? own.path : org?.path ?? null,
		internal,
	};
}

/** "Ruiz, Ana" → "Ana Ruiz"; other names as written. */
function displayName(name: string): string {
	const m = /^([^,]+),\s*([^,]+)$/.exec(name.trim());
	return m ? `${m[2]} ${m[1]}` : name.trim();
}

function personByName(index: VaultIndex, name: string): Entity | undefined {
	if (!name.trim()) return undefined;
	const folded = foldName(name.replace(/\(.*?\)/g, "").replace(/^(.+),\s*(.+)$/, "$2 $1"));
	const hits = index.byFoldedName(folded).filter((h) => h.entity.kind === "person");
	return new Set(hits.map((h) => h.entity.path)).size === 1 ? hits[0]?.entity : undefined;
}

function label(m: AudienceMember): string {
	const where = m.internal ? "your company" : m.organization ?? (isFreeMail(domainOf(m.address)) ? "personal address" : domainOf(m.address) || "organization unknown");
	return `${m.name} (${where})`;
}

function joinNames(parts: string[]): string {
	if (parts.length <= 1) return parts.join("");
	return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`;
}

export function buildAudience(index: VaultIndex, email: ParsedEmail, options: AudienceOptions): Audience {
	const own = findOwnOrganization(index, options);
	const domains = ownDomains(options, own?.entity ?? null);
	const { to, cc } = replyRecipients(email, options.ownAddresses);
	const ownSet = new Set(options.ownAddresses.map((a) => a.toLowerCase()));
	const recipients = [...(to && !ownSet.has(to.address) ? [to] : []), ...cc].map((a) => memberFor(index, a, own?.entity ?? null, domains));
	const organizations: Audience["organizations"] = [];
	for (const m of recipients) {
		if (m.internal || !m.organization) continue;
		if (!organizations.some((o) => (o.path ?? o.name) === (m.organizationPath ?? m.organization))) organizations.push({ name: m.organization, path: m.organizationPath });
	}
	const internalOnly = recipients.length > 0 && recipients.every((m) => m.internal);
	let text = recipients.length ? `Your reply goes to ${joinNames(recipients.map(label))}.` : "The reply has no recipient the email names.";
	// Your notes say "I" and "we": the model must know who that is.
	if (own) text += internalOnly ? ` Everyone on it is at your company (${own.name}).` : ` Your company is ${own.name}.`;
	text += own ? ` In your notes, "I" is you and "we" is ${own.name}.` : ` In your notes, "I" is you.`;
	return { recipients, ownOrganization: own ? { name: own.name, path: own.path } : null, organizations, internalOnly, text };
}
