/**
 * RFC 5322 address lists (`"Last, First" <a@b>`, `a@b (Name)`, groups) parsed with
 * postal-mime's address parser rather than hand-written regular expressions.
 */
import { addressParser } from "postal-mime";

export interface Address {
	name: string;
	/** Lower-cased; empty when only a name (or a link to a person note) is known. */
	address: string;
	/** A wikilink target when the email note named the person as a link. */
	link?: string;
}

const WIKILINK = /^\[\[([^[\]|#]+)(?:#[^[\]|]*)?(?:\|([^[\]]*))?\]\]$/;
const BARE_ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function normalizeAddress(address: string): string {
	return address.trim().replace(/^mailto:/i, "").toLowerCase();
}

export function isAddress(value: string): boolean {
	return BARE_ADDRESS.test(value.trim());
}

export function domainOf(address: string): string {
	const at = address.lastIndexOf("@");
	return at < 0 ? "" : address.slice(at + 1).toLowerCase();
}

function fromLink(value: string): Address | null {
	const m = WIKILINK.exec(value.trim());
	if (!m) return null;
	const target = (m[1] ?? "").trim();
	const alias = m[2]?.trim();
	const name = alias || target.slice(target.lastIndexOf("/") + 1);
	return isAddress(name) ? { name: "", address: normalizeAddress(name), link: target } : { name, address: "", link: target };
}

/** Parses one header-style value (`A <a@x>, "B, C" <b@x>`) or a note link into addresses. */
export function parseAddressList(value: string): Address[] {
	const text = value.replace(/\s+/g, " ").trim();
	if (!text) return [];
	const link = fromLink(text);
	if (link) return [link];
	let parsed: ReturnType<typeof addressParser> = [];
	try {
		parsed = addressParser(text, { flatten: true });
	} catch {
		parsed = [];
	}
	const out: Address[] = [];
	// `Ruiz, Ana <ana@x>` unquoted (common in notes, invalid in RFC 5322) parses as a bare
	// name and a mailbox; join them back into one display name.
	const merged: Array<{ name?: string; address?: string }> = [];
	for (let i = 0; i < parsed.length; i++) {
		const entry = parsed[i] as { name?: string; address?: string };
		const next = parsed[i + 1] as { name?: string; address?: string } | undefined;
		const bareName = !entry.address || !entry.address.includes("@");
		if (bareName && next?.address?.includes("@") && next.name && !/\s/.test((entry.address || entry.name || "").trim())) {
			merged.push({ name: `${(entry.name || entry.address || "").trim()}, ${next.name}`, address: next.address });
			i++;
		} else merged.push(entry);
	}
	for (const entry of merged) {
		const address = normalizeAddress(entry.address ?? "");
		const name = (entry.name ?? "").replace(/^["']|["']$/g, "").trim();
		if (address && isAddress(address)) out.push({ name, address });
		// A name with no address ("@Hannah Schultz", a people note) keeps its case.
		else if (name || address) out.push({ name: name || (entry.address ?? "").trim(), address: "" });
	}
	return dedupe(out);
}

/** Frontmatter values can be a string, a list of strings, or links; all become addresses. */
export function addressesFromValue(value: unknown): Address[] {
	if (value === null || value === undefined) return [];
	if (Array.isArray(value)) {
		// `to: [[Ana]]` unquoted in YAML is a nested list; treat it as the link it was meant to be.
		return dedupe(value.flatMap((v) => (Array.isArray(v) && v.length === 1 && typeof v[0] === "string" ? [fromLink(`[[${v[0]}]]`)].filter((a): a is Address => !!a) : addressesFromValue(v))));
	}
	if (typeof value === "object") {
		const o = value as Record<string, unknown>;
		const address = typeof o.address === "string" ? o.address : typeof o.email === "string" ? o.email : "";
		const name = typeof o.name === "string" ? o.name : "";
		return address || name ? [{ name, address: normalizeAddress(address) }] : [];
	}
	return typeof value === "string" || typeof value === "number" ? parseAddressList(String(value)) : [];
}

export function dedupe(list: Address[]): Address[] {
	const seen = new Set<string>();
	return list.filter((a) => {
		const key = a.address || `name:${a.name.toLowerCase()}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

export function formatAddress(a: Address): string {
	if (a.address && a.name) return `${a.name} <${a.address}>`;
	return a.address || a.name;
}
