/**
 * Reading people and organization properties in their common spellings, from frontmatter
 * (as the metadata cache gives it) and from Dataview inline fields (`email:: …`).
 */
import type { CachedMetadata } from "obsidian";
import { hasAnyTag, noteTags, sameItems } from "../host/tags";
import { isAddress, normalizeAddress } from "../email/addresses";

export const PROPERTY_KEYS = {
	email: ["email", "emails", "e-mail", "mail", "email_address", "email-address", "emailaddress", "work_email", "personal_email"],
	alias: ["aliases", "alias"],
	company: ["company", "org", "organization", "organisation", "employer", "works_at", "account", "customer"],
	role: ["role", "title", "position", "job_title", "jobtitle", "job-title"],
	domain: ["domain", "domains", "website", "websites", "url", "web"],
	type: ["type", "kind"],
	categories: ["categories", "category"],
	tags: ["tags", "tag"],
	date: ["date", "day", "meeting_date", "created"],
	manager: ["manager", "reports_to", "reportsto", "reports-to", "reports to", "boss", "supervisor", "line_manager"],
} as const;

export type PropertyName = keyof typeof PROPERTY_KEYS;

const KEY_TO_PROPERTY = new Map<string, PropertyName>();
for (const [name, keys] of Object.entries(PROPERTY_KEYS) as Array<[PropertyName, readonly string[]]>) for (const key of keys) KEY_TO_PROPERTY.set(key, name);

/** A note's values of each property, in every spelling, in the order the note gives them. */
export type PropertyGroups = Partial<Record<PropertyName, unknown[]>>;
/** One pass over a frontmatter object, remembered for as long as the object lives. */
const grouped = new WeakMap<object, PropertyGroups>();

function groupProperties(frontmatter: Record<string, unknown>): PropertyGroups {
	const known = grouped.get(frontmatter);
	if (known) return known;
	const out = readProperties(frontmatter);
	grouped.set(frontmatter, out);
	return out;
}

/**
 * `propertyValues` for every property at once, not remembered: the index build reads each
 * note once, and a weak map holding a vault's worth of frontmatter objects only slows the
 * garbage collector.
 */
export function readProperties(frontmatter: Record<string, unknown> | undefined | null): PropertyGroups {
	const out: PropertyGroups = {};
	if (!frontmatter) return out;
	for (const key of Object.keys(frontmatter)) {
		const name = KEY_TO_PROPERTY.get(key.toLowerCase());
		if (!name) continue;
		const value = frontmatter[key];
		const list = (out[name] ??= []);
		if (Array.isArray(value)) list.push(...flattenLinks(value));
		else if (value !== null && value !== undefined && value !== "") list.push(value);
	}
	return out;
}

/** Case-insensitive frontmatter access with the common spellings of a property. */
export function propertyValues(frontmatter: Record<string, unknown> | undefined | null, name: PropertyName): unknown[] {
	if (!frontmatter) return [];
	return groupProperties(frontmatter)[name] ?? [];
}

/** `company: [[Acme]]` unquoted is YAML for a nested list; read it as the link it was meant to be. */
function flattenLinks(list: unknown[]): unknown[] {
	return list.map((v) => (Array.isArray(v) && v.length === 1 && typeof v[0] === "string" ? `[[${v[0]}]]` : v));
}

export function propertyStrings(frontmatter: Record<string, unknown> | undefined | null, name: PropertyName): string[] {
	return valueStrings(propertyValues(frontmatter, name));
}

/** The text values of a property (strings and numbers, trimmed, empty ones left out). */
export function valueStrings(values: readonly unknown[] | undefined): string[] {
	// A loop rather than a chain of array methods: the index build calls this several times per note.
	const out: string[] = [];
	if (!values) return out;
	for (const v of values) {
		const s = typeof v === "string" ? v.trim() : typeof v === "number" ? String(v).trim() : "";
		if (s) out.push(s);
	}
	return out;
}

const WIKILINK = /\[\[([^[\]|#^]+)(?:[#^][^[\]|]*)?(?:\|([^[\]]*))?\]\]/;
const MDLINK = /^\[([^\]]*)\]\(([^)]+)\)$/;

/** A property value that is a link: its target; or null when it is plain text. */
export function linkTarget(value: string): string | null {
	const m = WIKILINK.exec(value);
	if (m) return (m[1] ?? "").trim();
	const md = MDLINK.exec(value.trim());
	if (md && !/^[a-z]+:/i.test(md[2] ?? "")) return decodeURIComponentSafe(md[2] ?? "").replace(/\.md$/, "");
	return null;
}

/** The words a link shows: its alias, or the last part of its target. */
export function linkDisplay(value: string): string {
	const m = WIKILINK.exec(value);
	if (m) return (m[2] ?? m[1] ?? "").trim().split("/").pop() ?? "";
	const md = MDLINK.exec(value.trim());
	if (md) return md[1] ?? "";
	return value.trim();
}

function decodeURIComponentSafe(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

export function emailsFrom(values: string[]): string[] {
	const out = new Set<string>();
	for (const v of values) {
		for (const part of v.split(/[,;\s]+/)) {
			const cleaned = normalizeAddress(part.replace(/^<|>$/g, "").replace(/^\[|\]$/g, ""));
			if (isAddress(cleaned)) out.add(cleaned);
		}
	}
	return [...out];
}

/** `acme.com`, `https://www.acme.com/about`, `@acme.com` → `acme.com`. */
export function domainsFrom(values: string[]): string[] {
	const out = new Set<string>();
	for (const v of values) {
		for (const part of v.split(/[,;\s]+/)) {
			const host = part
				.trim()
				.replace(/^[a-z]+:\/\//i, "")
				.replace(/^@/, "")
				.replace(/[/?#].*$/, "")
				.replace(/^www\./i, "")
				.toLowerCase();
			if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) out.add(host);
		}
	}
	return [...out];
}

/** Dataview inline fields: `key:: value` lines and `[key:: value]` inside text. */
export function inlineFields(body: string): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	const add = (key: string, value: string): void => {
		const k = key.trim().toLowerCase().replace(/\s+/g, "-");
		const list = fields.get(k) ?? [];
		list.push(value.trim());
		fields.set(k, list);
	};
	let inCode = false;
	for (const line of body.split("\n")) {
		if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
		if (inCode || !line.includes("::")) continue;
		// `[key:: value]` and `(key:: value)` inside text; otherwise a whole-line `key:: value`.
		const inline = [...line.matchAll(/[[(]([\p{L}][\p{L}\p{N} _-]{0,40}?)::\s*([^\])]+)[\])]/gu)];
		for (const m of inline) add(m[1] ?? "", m[2] ?? "");
		if (inline.length) continue;
		const whole = /^\s*(?:[-*+]\s+)?\**([\p{L}][\p{L}\p{N} _-]{0,40}?)\**::\s*(.+)$/u.exec(line);
		if (whole) add(whole[1] ?? "", whole[2] ?? "");
	}
	return fields;
}

/** Inline fields folded into the same shape as frontmatter, for the property readers. */
export function inlineFieldsAsFrontmatter(body: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of inlineFields(body)) out[k] = v.length === 1 ? v[0] : v;
	return out;
}

/** A character above U+007F. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Folds case and diacritics, so that `Tomas` finds `Tomás`. */
export function foldName(name: string): string {
	// ASCII (most names, subjects and keys): nothing to decompose, and only a-z, 0-9 are letters
	// and digits, so the cheaper form gives the same result (tests/context/foldName.test.ts).
	if (!NON_ASCII.test(name)) return name.toLowerCase().replace(/[^a-z0-9&]+/g, " ").trim();
	return name
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.replace(/[^\p{L}\p{N}&]+/gu, " ")
		.trim();
}

export interface Privacy {
	excludedFolders: string[];
	excludedTags: string[];
	/** `key: value` pairs ("ai: exclude", "private: true"); a bare `key` matches any true value. */
	excludedProperties?: string[];
}

/** "ai: exclude" → ["ai", "exclude"]; "private" → ["private", "true"]. */
export function parsePropertyRule(rule: string): [string, string] | null {
	const i = rule.indexOf(":");
	const key = (i < 0 ? rule : rule.slice(0, i)).trim().toLowerCase();
	const value = (i < 0 ? "true" : rule.slice(i + 1)).trim().toLowerCase().replace(/^["']|["']$/g, "");
	return key ? [key, value || "true"] : null;
}

/** Rules parsed once per settings list (this runs for every note when the index is built). */
const parsedRules = new WeakMap<readonly string[], Map<string, Set<string>>>();

function rulesOf(rules: readonly string[]): Map<string, Set<string>> {
	let parsed = parsedRules.get(rules);
	if (!parsed) {
		parsed = new Map();
		for (const rule of rules) {
			const r = parsePropertyRule(rule);
			if (r) parsed.set(r[0], (parsed.get(r[0]) ?? new Set()).add(r[1]));
		}
		parsedRules.set(rules, parsed);
	}
	return parsed;
}

/** Does a frontmatter property say "keep me out" (`ai: exclude`, `private: true`, `ai: [exclude]`)? */
export function propertySaysExclude(frontmatter: Record<string, unknown> | undefined | null, rules: readonly string[]): boolean {
	if (!frontmatter || !rules.length) return false;
	const parsed = rulesOf(rules);
	for (const key in frontmatter) {
		const wanted = parsed.get(key.toLowerCase());
		if (!wanted) continue;
		const v = frontmatter[key];
		const values = Array.isArray(v) ? v : [v];
		if (values.some((x) => (typeof x === "string" || typeof x === "number" || typeof x === "boolean") && wanted.has(String(x).trim().toLowerCase()))) return true;
	}
	return false;
}

/** Notes the user keeps out of every context and prompt: by folder, tag or property. */
export function isExcluded(path: string, cache: CachedMetadata | null, privacy: Privacy, tags?: readonly string[]): boolean {
	// Case-insensitively: on macOS and Windows `private/` and `Private/` are one folder, and
	// an exclusion must err on the side of leaving a note out.
	if (inAnyFolder(path, privacy.excludedFolders, true)) return true;
	if (privacy.excludedProperties?.length && propertySaysExclude(cache?.frontmatter, privacy.excludedProperties)) return true;
	if (!privacy.excludedTags.length) return false;
	// `tags`: the note's tags when the caller has them already (the index build reads them twice).
	return hasAnyTag(tags ?? noteTags(cache), privacy.excludedTags);
}

interface PreparedFolders {
	source: readonly string[];
	/** Each folder as `isInFolder` reads it (no outer slashes), and with its trailing `/`. */
	names: string[];
	prefixes: string[];
	/** A folder that is the vault's root: every note is in it. */
	root: boolean;
}
/** Folder settings prepared once per list, exact and lower-cased (the index build tests every note). */
const preparedFolders = [new WeakMap<readonly string[], PreparedFolders>(), new WeakMap<readonly string[], PreparedFolders>()] as const;

/**
 * `folders.some((f) => isInFolder(path, f))`; with `ignoreCase`, path and folders compared
 * lower-cased. Each list's folders are prepared once rather than once per note.
 */
export function inAnyFolder(path: string, folders: readonly string[], ignoreCase = false): boolean {
	if (!folders.length) return false;
	const cache = preparedFolders[ignoreCase ? 1 : 0];
	let prepared = cache.get(folders);
	// A settings list edited in place is prepared again.
	if (!prepared || !sameItems(prepared.source, folders)) {
		const names = folders.map((f) => (ignoreCase ? f.toLowerCase() : f).replace(/^\/+|\/+$/g, ""));
		prepared = { source: [...folders], names, prefixes: names.map((f) => `${f}/`), root: names.includes("") };
		cache.set(folders, prepared);
	}
	if (prepared.root) return true;
	const subject = ignoreCase ? path.toLowerCase() : path;
	for (let i = 0; i < prepared.names.length; i++) if (subject === prepared.names[i] || subject.startsWith(prepared.prefixes[i] as string)) return true;
	return false;
}

const DATE_IN_NAME = /(\d{4})-(\d{2})-(\d{2})/;

/** An ISO date (YYYY-MM-DD) from a `date` property or from the file name. */
export function noteDate(basename: string, cache: CachedMetadata | null): string | null {
	return noteDateOf(basename, propertyValues(cache?.frontmatter, "date"));
}

/** `noteDate` from the values of the note's `date` property (as `readProperties` groups them). */
export function noteDateOf(basename: string, dates: readonly unknown[] | undefined): string | null {
	for (const v of dates ?? []) {
		const s = v instanceof Date ? v.toISOString() : typeof v === "string" ? v : "";
		const m = DATE_IN_NAME.exec(s);
		if (m) return `${m[1]}-${m[2]}-${m[3]}`;
	}
	const m = DATE_IN_NAME.exec(basename);
	return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
