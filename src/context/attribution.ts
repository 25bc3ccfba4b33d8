/**
 * Which organizations a line of a note concerns: those it names (by name or alias), whose
 * people it names or links (first names included, when the note links that person), whose
 * addresses or domains it shows; else the organizations of its heading, else of its note,
 * when the note is about exactly one. The confidentiality boundary decides on these.
 */
import type { AppSlice } from "../host/slice";
import { domainOf } from "../email/addresses";
import { foldName } from "./properties";
import { plainInline } from "./summarize";
import { isFreeMail } from "./freeMail";
import type { Entity, VaultIndex } from "./vaultIndex";

export interface OrgRef {
	/** The organization note's path, else `name:` and its folded name. */
	key: string;
	name: string;
	path: string | null;
}

export type OrgSet = Map<string, OrgRef>;

export function orgRef(name: string, path: string | null): OrgRef {
	return { key: path ?? `name:${foldName(name)}`, name, path };
}

/** What a note is about, for the lines that name no organization themselves. */
export interface NoteScope {
	path: string;
	orgs: OrgSet;
	/** First names (folded) of the people the note links or lists, to their organizations. */
	firstNames: Map<string, OrgRef[]>;
}

const WIKILINK = /\[\[([^[\]|#^]+)(?:[#^][^[\]|]*)?(?:\|[^[\]]*)?\]\]/g;
const ADDRESS = /[^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+\.[a-z]{2,}/gi;
const DOMAIN = /\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/gi;
/** Capitalised words that start sentences and are never someone's first name here. */
const NOT_NAMES = new Set(["i", "we", "the", "a", "an", "and", "or", "but", "if", "will", "may", "can", "so", "to", "in", "on", "at", "for", "with", "our", "my", "your", "their", "its", "this", "that", "call", "met", "sent"]);

export class Attributor {
	private readonly cache = new Map<string, OrgRef[]>();

	constructor(private readonly app: AppSlice, private readonly index: VaultIndex) {}

	/** The organizations an entity stands for: itself, or a person's company. */
	orgsOfEntity(entity: Entity): OrgRef[] {
		const known = this.cache.get(entity.path);
		if (known) return known;
		let refs: OrgRef[];
		if (entity.kind === "organization") refs = [orgRef(entity.name, entity.path)];
		else {
			refs = this.index.organizationsOf(entity).map((o) => orgRef(o.name, o.path));
			if (!refs.length) refs = entity.companyNames.map((n) => orgRef(n, null));
		}
		this.cache.set(entity.path, refs);
		return refs;
	}

	/** The organizations of an address: its person's, else its domain's. */
	orgsOfAddress(address: string): OrgRef[] {
		const person = this.index.peopleByEmail(address)[0];
		if (person) return this.orgsOfEntity(person);
		const domain = domainOf(address);
		if (!domain || isFreeMail(domain)) return [];
		return this.index.organizationsByDomain(domain).map((o) => orgRef(o.name, o.path));
	}

	/** A note's scope from the people and organizations it links (frontmatter included). */
	noteScope(path: string, extraPeople: Entity[] = [], extraOrgs: OrgRef[] = []): NoteScope {
		const orgs: OrgSet = new Map();
		const firstNames = new Map<string, OrgRef[]>();
		const entities = [...this.index.linksOf(path).map((p) => this.index.entity(p)).filter((e): e is Entity => !!e), ...extraPeople];
		for (const entity of entities) {
			const refs = this.orgsOfEntity(entity);
			for (const r of refs) orgs.set(r.key, r);
			if (entity.kind === "person") {
				for (const name of [entity.name, ...entity.aliases]) {
					const first = foldName(name).split(" ")[0];
					if (first && first.length > 1) firstNames.set(first, [...(firstNames.get(first) ?? []), ...refs]);
				}
			}
		}
		for (const r of extraOrgs) orgs.set(r.key, r);
		return { path, orgs, firstNames };
	}

	/** The organizations one line names, by itself (no fallback to its heading or note). */
	lineOrgs(raw: string, scope: NoteScope): OrgSet {
		const out: OrgSet = new Map();
		const add = (refs: OrgRef[]): void => {
			for (const r of refs) out.set(r.key, r);
		};
		for (const m of raw.matchAll(WIKILINK)) {
			const dest = this.app.metadataCache.getFirstLinkpathDest((m[1] ?? "").trim(), scope.path);
			const entity = dest ? this.index.entity(dest.path) : undefined;
			if (entity) add(this.orgsOfEntity(entity));
		}
		const plain = plainInline(raw);
		for (const m of plain.matchAll(ADDRESS)) add(this.orgsOfAddress(m[0].toLowerCase()));
		for (const m of plain.replace(ADDRESS, " ").matchAll(DOMAIN)) {
			const domain = m[0].toLowerCase();
			if (!isFreeMail(domain)) add(this.index.organizationsByDomain(domain).map((o) => orgRef(o.name, o.path)));
		}
		for (const sentence of plain.replace(ADDRESS, " ").split(/[.!?;:\n]+/)) {
			const words = sentence
				.split(/\s+/)
				.map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/['’]s$/u, ""))
				.filter(Boolean);
			for (let i = 0; i < words.length; i++) {
				if (!/^\p{Lu}/u.test(words[i] ?? "")) continue;
				for (let n = Math.min(4, words.length - i); n >= 1; n--) {
					const folded = foldName(words.slice(i, i + n).join(" "));
					const hits = this.index.byFoldedName(folded);
					const paths = new Set(hits.map((h) => h.entity.path));
					const hit = paths.size === 1 ? hits[0] : undefined;
					if (hit && (n > 1 || hit.entity.kind === "organization" || hit.via === "alias")) {
						add(this.orgsOfEntity(hit.entity));
						i += n - 1;
						break;
					}
					if (n === 1 && !NOT_NAMES.has(folded)) {
						const byFirst = scope.firstNames.get(folded);
						if (byFirst) add(byFirst);
					}
				}
			}
		}
		return out;
	}
}

/** Organizations of a set other than yours. */
export function counterparts(orgs: OrgSet, ownKey: string | null): OrgRef[] {
	return [...orgs.values()].filter((o) => o.key !== ownKey);
}
