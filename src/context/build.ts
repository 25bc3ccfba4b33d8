/**
 * The vault context of one email: who will read the reply, what day it is, the people and
 * organizations involved, your open commitments and the recent interactions, filled into a
 * token budget by priority (sender, your commitments, recipients, mentioned people,
 * organizations, interactions). Every fact line is attributed to the organizations it
 * concerns; a fact about an organization nobody on the reply belongs to stays out of the
 * prompt and is listed as held back instead. Each item has two forms: the note's (wikilinks
 * and why it is there) and the model's (compact plain cards).
 */
import { byCodeUnits } from "../shared/order";
import type { AppSlice } from "../host/slice";
import { fileByPath } from "../host/slice";
import type { ParsedEmail } from "../email/parse";
import { parseEmailNote } from "../email/parse";
import { baseSubject, messageIds } from "../email/subject";
import { findAsks } from "../email/triage";
import { extractTopics } from "../email/topics";
import { cleanBody } from "./summarize";
import { foldName, noteDate, propertyStrings, linkDisplay, linkTarget } from "./properties";
import { resolveEmail, type Match, type MatchedBy, type MatchRole } from "./resolve";
import { clip, emailGist, estimateTokens, isPlaceholder, plainInline, summarizeNote } from "./summarize";
import type { Entity, VaultIndex } from "./vaultIndex";
import type { Audience, Commitment, HeldBackItem, TimeContext } from "./audience.types";
import { buildAudience } from "./audience";
import { buildTimeContext, resolveRelativeDates, systemTimeZone } from "./time";
import { Attributor, counterparts, orgRef, type NoteScope, type OrgRef, type OrgSet } from "./attribution";
import { findCommitments } from "./commitments";
import { contentWords, deliveryLines, evidenceFor, isReport, overlap, type Delivery } from "./fulfilled";
import { wikilink } from "../shared/wikilink";

export { wikilink };

export type { Audience, AudienceMember, Commitment, HeldBackItem, ResolvedDate, TimeContext } from "./audience.types";

export type ContextSection = "people" | "organizations" | "interactions" | "samples" | "commitments";

export interface ContextItem {
	section: ContextSection;
	path: string;
	name: string;
	matchedBy?: MatchedBy;
	role?: MatchRole;
	date?: string | null;
	/** The card as the note shows it, with a link back to its note. */
	markdown: string;
	/** The card as the model sees it: plain, compact (absent for items the model does not see as cards). */
	promptMarkdown?: string;
	/** Estimated tokens of what the model is sent for this item. */
	tokens: number;
	/** An interaction: another email of the thread, and dated after the email being answered. */
	thread?: boolean;
	later?: boolean;
}

export interface Interaction {
	path: string;
	date: string | null;
	title: string;
	gist: string;
	about: string[];
	thread: boolean;
	/** Dated after the email being answered: what has happened since. */
	later?: boolean;
	/** Another subject, the same matter (shared people and topic words). */
	sameMatter?: boolean;
}

export interface VaultContext {
	people: Array<{ path: string; name: string; matchedBy: MatchedBy; role: MatchRole }>;
	organizations: Array<{ path: string; name: string; matchedBy: MatchedBy }>;
	interactions: Array<{ path: string; date: string | null; title: string; thread?: boolean; later?: boolean }>;
	/** The cards that fit the budget, in priority order. */
	items: ContextItem[];
	/** Cards that matched but were left out, and why. */
	omitted: Array<{ path: string; reason: string }>;
	/** The context as the note shows it: wikilinks and why each item is there. */
	markdown: string;
	/** The context as the model sees it: compact plain cards, no links or scaffolding. */
	promptMarkdown: string;
	/** Estimated tokens of promptMarkdown (what the model is sent). */
	tokens: number;
	audience: Audience;
	time: TimeContext;
	commitments: Commitment[];
	/** Items kept out of the prompt (confidentiality, privacy), listed in the note only. */
	heldBack: HeldBackItem[];
	/** Characters of the notes the context drew on, whole (for the compactness ratio). */
	sourceChars?: number;
}

export interface ContextOptions {
	ownAddresses: string[];
	tokenBudget: number;
	/** Paths the user unticked in "Preview context". */
	leaveOut?: ReadonlySet<string>;
	interactionsPerEntity?: number;
	maxInteractions?: number;
	/** Today, for the time context (the engine's clock); default: now. */
	now?: Date;
	/** Your IANA time zone; default: the system's. */
	timeZone?: string;
	/** `timeZone` is this device's own zone (the setting is empty): read from Date's local clock. */
	localTimeZone?: boolean;
	/** Your company's note or name (the setting); default: by your addresses' domains. */
	ownOrganization?: string;
	userCompany?: string;
	/** Your name, to recognise "Jordan will…" as your commitment. */
	userName?: string;
	/** Keep each organization's facts to replies that reach it (default on). */
	confidentialityBoundary?: boolean;
	/** Held-back notes the user added back in "Preview context". */
	addBack?: ReadonlySet<string>;
}

/**
 * The context options the settings give. `deviceZone`: the host's name for this device's time
 * zone, when it can tell one without Intl (the command line: headless/timeZone.ts); asked only
 * when the setting is empty, and Intl asked when it cannot tell.
 */
export function contextOptionsFrom(
	settings: { userAddresses: string[]; contextTokenBudget: number; timeZone: string; ownOrganization: string; userCompany: string; userName: string; confidentialityBoundary: boolean },
	extra: Partial<ContextOptions> = {},
	deviceZone?: () => string | null,
): ContextOptions {
	return {
		ownAddresses: settings.userAddresses,
		tokenBudget: settings.contextTokenBudget,
		timeZone: settings.timeZone || deviceZone?.() || systemTimeZone(),
		localTimeZone: !settings.timeZone,
		ownOrganization: settings.ownOrganization,
		userCompany: settings.userCompany,
		userName: settings.userName,
		confidentialityBoundary: settings.confidentialityBoundary,
		...extra,
	};
}


const ROLE_LABEL: Record<MatchRole, string> = { sender: "Sender", recipient: "Recipient", mention: "Mentioned", organization: "Organization" };
const WHY: Partial<Record<MatchedBy, string>> = { "first-name": "named by first name in the email", manager: "the sender's manager", colleague: "a colleague at the sender's organization" };
const FIELD_KEYS = ["relationship", "status", "stage", "tier", "industry", "location", "account owner", "segment", "plan", "contract", "renewal"];

/**
 * The rule every fact passes. A fact about an organization may reach the prompt only when
 * the reply goes to that organization; when it goes to several, only facts they share (a
 * line about all of them) do, so that one customer's terms never reach another or a
 * partner. Your own company is never a reason to hold back.
 */
class Boundary {
	private readonly allowed = new Set<string>();
	readonly relevant = new Set<string>();
	readonly ownKey: string | null;
	readonly open: boolean;
	readonly audienceNames = new Map<string, string>();

	constructor(audience: Audience, on: boolean) {
		const own = audience.ownOrganization;
		this.ownKey = own ? orgRef(own.name, own.path).key : null;
		for (const o of audience.organizations) {
			const key = orgRef(o.name, o.path).key;
			if (key === this.ownKey) continue;
			this.allowed.add(key);
			this.relevant.add(key);
			this.audienceNames.set(key, o.name);
		}
		// A reply only to your own company may carry everything; so may one with the boundary off.
		this.open = !on || audience.internalOnly;
	}

	/** Organizations (other than yours) a line concerns that make it unfit for this reply. */
	blocked(orgs: Iterable<OrgRef>): OrgRef[] {
		if (this.open) return [];
		const counter = [...orgs].filter((o) => o.key !== this.ownKey);
		const outside = counter.filter((o) => !this.allowed.has(o.key));
		if (outside.length) return outside;
		// Several organizations read the reply: a fact about only some of them stays back.
		if (this.allowed.size > 1 && counter.length && counter.length < this.allowed.size) return counter;
		return [];
	}

	/** Organizations (other than yours) the reply does not reach at all. */
	outside(orgs: Iterable<OrgRef>): OrgRef[] {
		if (this.open) return [];
		return [...orgs].filter((o) => o.key !== this.ownKey && !this.allowed.has(o.key));
	}

	isOwn(o: OrgRef): boolean {
		return o.key === this.ownKey;
	}

	/** The other organizations on the reply, for "the reply also goes to …". */
	othersThan(names: Set<string>): string[] {
		return [...this.audienceNames.values()].filter((n) => !names.has(n));
	}

	onReply(name: string): boolean {
		return [...this.audienceNames.values()].includes(name);
	}
}

class HeldBackList {
	private readonly byPath = new Map<string, { name: string; orgs: Set<string>; lines: number; whole: boolean; named: boolean }>();

	constructor(private readonly boundary: Boundary) {}

	add(path: string, name: string, orgs: OrgRef[], options: { whole?: boolean; named?: boolean } = {}): void {
		const entry = this.byPath.get(path) ?? { name, orgs: new Set<string>(), lines: 0, whole: false, named: false };
		for (const o of orgs) entry.orgs.add(o.name);
		if (options.whole) entry.whole = true;
		else entry.lines++;
		if (options.named) entry.named = true;
		this.byPath.set(path, entry);
	}

	items(): HeldBackItem[] {
		return [...this.byPath.entries()].map(([path, e]) => {
			const orgs = [...e.orgs].sort().join(" and ");
			const what = e.named ? `private facts about ${orgs}` : e.whole ? `about ${orgs}` : `${e.lines} ${e.lines === 1 ? "line" : "lines"} about ${orgs}`;
			const outside = [...e.orgs].filter((o) => !this.boundary.onReply(o)).sort();
			const inside = [...e.orgs].filter((o) => this.boundary.onReply(o)).sort();
			const others = this.boundary.othersThan(new Set(inside));
			let why: string;
			if (!inside.length) why = "not on this thread";
			else if (!outside.length) why = others.length ? `the reply also goes to ${others.join(" and ")}` : "each about only one of the organizations this reply goes to";
			else why = `${outside.join(" and ")} not on this thread, the others not shared with everyone on the reply`;
			return { path, name: e.name, reason: `${what}, ${why}` };
		});
	}
}

/** A card in both forms, line by line, so that a shortened card stays the same in both. */
interface Card extends Pick<ContextItem, "section" | "path" | "name" | "matchedBy" | "role" | "date" | "thread" | "later"> {
	noteHead: string[];
	promptHead: string;
	lines: Array<{ note: string; prompt: string }>;
	/** Interactions are one line in the note; they are never cut. */
	joinNote?: string;
}

/** The sentences of a line, as written (links kept, for attribution); no lookbehind (older iOS). */
function sentencesOf(raw: string): string[] {
	const out: string[] = [];
	let rest = raw.trim();
	const boundary = /[.!?]\s+(?=[\p{Lu}\d[*_"“(])/u;
	for (let m = boundary.exec(rest); m; m = boundary.exec(rest)) {
		out.push(rest.slice(0, m.index + 1).trim());
		rest = rest.slice(m.index + m[0].length);
	}
	if (rest.trim()) out.push(rest.trim());
	return out;
}

/** Words that restate rather than inform ("Partner manager at Initech"). */
const RESTATING = new Set(["the", "and", "for", "our", "their", "his", "her", "who", "with", "from", "works", "working", "based"]);

/** A fact as a sentence of a card's paragraph. */
function sentence(text: string): string {
	const t = text.trim();
	return /[.!?…:;]$/.test(t) ? t : `${t}.`;
}

function renderCard(card: Card, lineCount = card.lines.length): ContextItem {
	const lines = card.lines.slice(0, lineCount);
	const markdown = [...card.noteHead, ...lines.map((l) => l.note)].join("\n");
	// People and organizations are one paragraph each for the model; commitments a list.
	const promptLines = lines.map((l) => l.prompt).filter(Boolean);
	const promptMarkdown = card.section === "commitments" || card.section === "interactions" ? [card.promptHead, ...promptLines].filter(Boolean).join("\n") : [sentence(card.promptHead), ...promptLines].join(" ");
	const item: ContextItem = { section: card.section, path: card.path, name: card.name, matchedBy: card.matchedBy, role: card.role, date: card.date, markdown, promptMarkdown, tokens: estimateTokens(promptMarkdown) };
	if (card.section === "interactions") Object.assign(item, { thread: card.thread === true, later: card.later === true });
	return item;
}

interface Reader {
	read(path: string): Promise<string | null>;
	/** Every note read, by path, with its length: the raw text the cards summarise. */
	chars: Map<string, number>;
}

function makeReader(app: AppSlice): Reader {
	const texts = new Map<string, string | null>();
	const chars = new Map<string, number>();
	return {
		chars,
		async read(path: string): Promise<string | null> {
			if (texts.has(path)) return texts.get(path) ?? null;
			const file = fileByPath(app.vault, path);
			const text = file ? await app.vault.cachedRead(file) : null;
			texts.set(path, text);
			return text;
		},
	};
}

interface Drawn {
	(path: string, text: string): void;
}

/** The organizations a line concerns, with its heading's and note's as fallbacks. */
function lineConcerns(attributor: Attributor, raw: string, heading: string, scope: NoteScope, fallback: OrgRef[]): { orgs: OrgSet; inherited: boolean } {
	const orgs = attributor.lineOrgs(raw, scope);
	if (orgs.size) return { orgs, inherited: false };
	if (heading) {
		const byHeading = attributor.lineOrgs(heading, scope);
		if (byHeading.size) return { orgs: byHeading, inherited: true };
	}
	const out: OrgSet = new Map();
	for (const o of fallback) out.set(o.key, o);
	return { orgs: out, inherited: true };
}

async function entityCard(app: AppSlice, index: VaultIndex, match: Match, ctx: BuildState): Promise<Card> {
	const { entity } = match;
	const text = (await ctx.reader.read(entity.path)) ?? "";
	ctx.drawn(entity.path, text);
	const file = fileByPath(app.vault, entity.path);
	const fm = file ? app.metadataCache.getFileCache(file)?.frontmatter : undefined;
	const summary = summarizeNote(text);
	const entityOrgs = ctx.attributor.orgsOfEntity(entity);
	const scope = ctx.attributor.noteScope(entity.path, [], entityOrgs);
	// Someone the email names from an organization not on the reply: who they are, nothing more.
	const offThread = ctx.boundary.outside(entityOrgs);
	const identityOnly = offThread.length > 0 && !ctx.addBack.has(entity.path);

	const why = WHY[match.matchedBy];
	const noteHead = [`#### ${wikilink(entity.path, entity.name)}`, `*${ROLE_LABEL[match.role]} · ${why ?? `matched by ${match.matchedBy}`}${match.address ? ` (${match.address})` : ""}*`];
	const lines: Card["lines"] = [];
	const orgName = (o: OrgRef): string => (ctx.boundary.isOwn(o) ? "your company" : o.name);
	let promptHead: string;
	// An organization says what it is to you (customer, partner, vendor) when its note does.
	const orgType = propertyStrings(fm, "type").map((t) => linkDisplay(t).toLowerCase()).find((t) => /^[a-z][a-z -]{2,20}$/.test(t) && !/^(organi[sz]ation|company|org)$/.test(t));
	const roleWord = entity.kind === "organization" ? (entity === ctx.ownEntity ? "your company" : orgType ?? "organization") : why ?? match.role;

	if (entity.kind === "person") {
		const role = entity.role && !isPlaceholder(entity.role) ? plainInline(entity.role) : "";
		const companies = [
			...entity.companyPaths.map((p) => wikilink(p, index.entity(p)?.name ?? p.split("/").pop()?.replace(/\.md$/, "") ?? p)),
			...entity.companyNames.filter((n) => !isPlaceholder(n)),
		];
		if (role) noteHead.push(`- Role: ${role}`);
		if (companies.length) noteHead.push(`- Company: ${companies.join(", ")}`);
		if (entity.emails.length) noteHead.push(`- Email: ${entity.emails.slice(0, 2).join(", ")}`);
		const where = entityOrgs.map(orgName).join(", ");
		promptHead = `- ${entity.name} (${roleWord})${role || where ? `: ${[role, where].filter(Boolean).join(", ")}` : ""}`;
	} else {
		if (entity.domains.length) noteHead.push(`- Domain: ${entity.domains.slice(0, 3).join(", ")}`);
		promptHead = `- ${entity.name} (${roleWord})`;
	}
	if (identityOnly) {
		ctx.held.add(entity.path, entity.name, offThread, { whole: true, named: true });
		noteHead.push(`- *Only who they are: ${offThread.map((o) => o.name).join(", ")} is not on this thread.*`);
		return { section: entity.kind === "person" ? "people" : "organizations", path: entity.path, name: entity.name, matchedBy: match.matchedBy, role: match.role, noteHead, promptHead, lines };
	}

	// Frontmatter fields that describe the relationship; then fields from tables and inline fields.
	const fieldParts: string[] = [];
	const shownKeys = new Set(["email", "emails", "type", "company", "role", "aliases", "domain", "domains"]);
	const addField = (key: string, value: string): void => {
		shownKeys.add(key.toLowerCase());
		lines.push({ note: `- ${key}: ${value}`, prompt: sentence(`${key}: ${value}`) });
		fieldParts.push(`${key.toLowerCase()} ${value}`);
	};
	for (const [key, value] of Object.entries(fm ?? {})) {
		if (!FIELD_KEYS.includes(key.toLowerCase().replace(/[_-]/g, " "))) continue;
		const v = Array.isArray(value) ? value.filter((x) => typeof x === "string").join(", ") : typeof value === "string" || typeof value === "number" ? String(value) : "";
		const shown = linkTarget(v) ? linkDisplay(v) : plainInline(v);
		if (isPlaceholder(shown)) continue;
		const blocked = ctx.boundary.blocked(entityOrgs);
		if (blocked.length && !ctx.addBack.has(entity.path)) {
			ctx.held.add(entity.path, entity.name, blocked);
			continue;
		}
		addField(`${key.charAt(0).toUpperCase()}${key.slice(1).replace(/[_-]/g, " ")}`, clip(shown, 120));
	}
	for (const [k, v] of summary.fields.slice(0, 6)) {
		if (shownKeys.has(k.toLowerCase())) continue;
		const { orgs } = lineConcerns(ctx.attributor, v, "", scope, entityOrgs);
		for (const o of entityOrgs) orgs.set(o.key, o);
		const blocked = ctx.boundary.blocked(orgs.values());
		if (blocked.length && !ctx.addBack.has(entity.path)) {
			ctx.held.add(entity.path, entity.name, blocked);
			continue;
		}
		addField(clip(k, 40), clip(v, 120));
	}
	// An organization's fields read as one line in the prompt.
	if (entity.kind === "organization" && fieldParts.length) {
		promptHead += `: ${fieldParts.join("; ")}`;
		for (const l of lines) l.prompt = "";
	}
	const facts: Array<{ text: string; raw: string; heading: string; label?: string }> = [];
	if (summary.summary) facts.push({ text: summary.summary, raw: summary.summaryRaw, heading: "", label: "About" });
	for (const f of summary.factSources) facts.push(f);
	for (const fact of facts) {
		// Each sentence is a fact of its own: "Technology partner. Joint customers include Acme."
		// keeps the first when Acme is not on the reply. A sentence of an organization's or a
		// person's own note is about them, whatever else it names.
		const kept: string[] = [];
		for (const part of sentencesOf(fact.raw)) {
			const { orgs } = lineConcerns(ctx.attributor, part, fact.heading, scope, entityOrgs);
			for (const o of entityOrgs) orgs.set(o.key, o);
			const blocked = ctx.boundary.blocked(orgs.values());
			if (blocked.length && !ctx.addBack.has(entity.path)) {
				ctx.held.add(entity.path, entity.name, blocked);
				continue;
			}
			kept.push(part);
		}
		// A sentence that only restates the card's heading ("Partner manager at Initech.") adds nothing.
		const known = new Set(foldName(`${promptHead} ${entity.aliases.join(" ")}`).split(" "));
		const news = kept.filter((k) => foldName(plainInline(k)).split(" ").some((w) => w.length > 2 && !known.has(w) && !RESTATING.has(w)));
		if (!news.length) continue;
		const text = news.length === sentencesOf(fact.raw).length ? fact.text : plainInline(news.join(" "));
		const short = clip(text, fact.label ? 160 : 140);
		lines.push({ note: `- ${fact.label ? `${fact.label}: ` : ""}${text}`, prompt: sentence(short) });
	}
	// Drop the emptied prompt lines of an organization's fields.
	const kept = lines.map((l) => ({ note: l.note, prompt: l.prompt })).filter((l) => l.prompt !== "" || l.note !== "");
	return {
		section: entity.kind === "person" ? "people" : "organizations",
		path: entity.path,
		name: entity.name,
		matchedBy: match.matchedBy,
		role: match.role,
		noteHead,
		promptHead,
		lines: kept,
	};
}

/** Earlier emails only: one dated after this email is not its history. */
function isLater(date: string, email: ParsedEmail): boolean {
	return !!email.date && date.slice(0, 10) > email.date.slice(0, 10);
}

export interface InteractionChoice {
	path: string;
	date: string | null;
	about: string[];
	thread: boolean;
	later?: boolean;
	sameMatter?: boolean;
	/** Read only for its open tasks (a note dated after the email: its tasks are open now). */
	tasksOnly?: boolean;
}

const MATTER_STOP = new Set(
	("about after again also and any are back been before call can could does email emails for from have here into just last like make more need next note notes only other over please quick some still than that thanks the their them then there these they this those update very want week well were what when which will with would your yours fwd " +
		"confirm confirmed mentioned available possible question questions thank meeting schedule minute minutes anything something everything sending needs through should today tomorrow monday tuesday wednesday thursday friday saturday sunday " +
		"january february march april june july august september october november december").split(" "),
);

/** The words that name this email's matter: its subject and topics, without the names of those involved. */
export function matterWords(email: ParsedEmail, names: readonly string[]): Set<string> {
	const skip = new Set(names.flatMap((n) => foldName(n).split(" ")));
	const topics = extractTopics(email.subject, email.newestMessage, names);
	const words = new Set<string>();
	const add = (phrase: string, min: number): void => {
		for (const w of foldName(phrase).split(" ")) if (w.length >= min && !MATTER_STOP.has(w) && !skip.has(w) && !/\d/.test(w)) words.add(w);
	};
	for (const phrase of [baseSubject(email.subject), ...topics]) add(phrase, 3);
	// The things the message asks for name the matter too, with the sentence before each ask:
	// "Mei still needs the security questionnaire. Could you send it by December 1?"
	const asks = findAsks(email.newestMessage);
	const sentences = email.newestMessage.replace(/\s+/g, " ").split(/[.!?]\s+/);
	sentences.forEach((sentence, i) => {
		const head = sentence.replace(/^\d+[.)]\s*/, "").slice(0, 24);
		if (head.length < 8 || !asks.some((a) => a.includes(head))) return;
		add(sentence, 6);
		if (i > 0) add(sentences[i - 1] ?? "", 6);
	});
	return words;
}

function sharesMatter(title: string, words: Set<string>): boolean {
	if (!words.size) return false;
	return foldName(title)
		.split(" ")
		.some((w) => words.has(w));
}

/**
 * Which notes are the recent interactions: backlinks of the matched people and
 * organizations (a few each, newest first, dated by a `date` property or the file name),
 * the thread's other emails (later ones too, marked), and notes and emails on the same
 * matter under another subject (shared participants and topic words), including those
 * that came after this email. Metadata only: nothing is read here.
 */
export function selectInteractions(app: AppSlice, index: VaultIndex, email: ParsedEmail, matches: Match[], options: ContextOptions): InteractionChoice[] {
	const perEntity = options.interactionsPerEntity ?? 3;
	const max = options.maxInteractions ?? 8;
	const own = new Set(options.ownAddresses.map((a) => a.toLowerCase()));
	const chosen = new Map<string, { date: string | null; about: Set<string>; thread: boolean; later: boolean; sameMatter: boolean }>();
	const usable = (path: string): boolean => path !== email.path && !index.isExcludedPath(path) && !options.leaveOut?.has(path);

	// A shared participant other than you: your own address is on every email.
	const participants = [email.from?.address ?? "", ...email.to.map((a) => a.address), ...email.cc.map((a) => a.address)].filter((a) => a && !own.has(a));
	for (const path of index.threadEmails(email.path, email.subject, messageIds(email), participants)) {
		if (!usable(path)) continue;
		const date = index.emailEntry(path)?.date ?? null;
		chosen.set(path, { date, about: new Set(), thread: true, later: !!date && isLater(date, email), sameMatter: false });
	}

	const names = matches.flatMap((m) => [m.entity.name, ...m.entity.aliases]);
	const words = matterWords(email, [...names, ...[email.from, ...email.to, ...email.cc].map((a) => a?.name ?? ""), options.userName ?? ""]);
	const sameMatter: Array<{ path: string; date: string; about: string }> = [];

	for (const match of matches) {
		const candidates: Array<{ path: string; date: string }> = [];
		// Emails with this person are interactions too, linked or not.
		for (const path of index.emailsWith(match.entity.emails)) {
			const entry = index.emailEntry(path);
			const date = entry?.date;
			if (!date || !usable(path) || chosen.get(path)?.thread) continue;
			if (sharesMatter(entry.subject, words)) sameMatter.push({ path, date, about: match.entity.name });
			else if (!isLater(date, email)) candidates.push({ path, date });
		}
		for (const source of index.backlinksOf(match.entity.path)) {
			if (index.entity(source) || !usable(source)) continue;
			const file = fileByPath(app.vault, source);
			if (!file) continue;
			const cache = app.metadataCache.getFileCache(file);
			const type = propertyStrings(cache?.frontmatter, "type")[0]?.toLowerCase();
			if (type === "email-draft") continue;
			const date = noteDate(file.basename, cache);
			if (!date) continue;
			// A later note (the quote, the ticket) counts when it is on the same matter.
			if (isLater(date, email)) {
				if (sharesMatter(file.basename, words)) sameMatter.push({ path: source, date, about: match.entity.name });
			} else candidates.push({ path: source, date });
		}
		candidates.sort((a, b) => byCodeUnits(b.date, a.date) || byCodeUnits(a.path, b.path));
		let taken = 0;
		for (const c of candidates) {
			if (taken >= perEntity) break;
			const existing = chosen.get(c.path);
			if (existing) {
				existing.about.add(match.entity.name);
				continue;
			}
			chosen.set(c.path, { date: c.date, about: new Set([match.entity.name]), thread: false, later: false, sameMatter: false });
			taken++;
		}
	}
	// Same matter: the newest few, later ones first (what has happened since matters most).
	sameMatter.sort((a, b) => byCodeUnits(b.date, a.date) || byCodeUnits(a.path, b.path));
	let matterTaken = 0;
	for (const s of sameMatter) {
		const existing = chosen.get(s.path);
		if (existing) {
			existing.about.add(s.about);
			if (!existing.thread) existing.sameMatter = true;
			continue;
		}
		if (matterTaken >= 3) continue;
		chosen.set(s.path, { date: s.date, about: new Set([s.about]), thread: false, later: isLater(s.date, email), sameMatter: true });
		matterTaken++;
	}

	return [...chosen.entries()]
		.sort((a, b) => Number(b[1].later) - Number(a[1].later) || byCodeUnits(b[1].date ?? "", a[1].date ?? "") || byCodeUnits(a[0], b[0]))
		.slice(0, max)
		.map(([path, info]) => ({ path, date: info.date, about: [...info.about], thread: info.thread, later: info.later, sameMatter: info.sameMatter }));
}

interface BuildState {
	reader: Reader;
	drawn: Drawn;
	attributor: Attributor;
	boundary: Boundary;
	held: HeldBackList;
	addBack: ReadonlySet<string>;
	ownEntity: Entity | null;
	userNames: string[];
	own: Set<string>;
	commitments: Array<Commitment & { key: string }>;
	/** Tasks ticked off in the notes read, within the boundary: evidence that a promise was kept. */
	ticked: Delivery[];
	/** Emails parsed so far (null: not an email that parses), by path: several parts of the context read the same ones. */
	emails: Map<string, ParsedEmail | null>;
}

function emailAt(ctx: BuildState, path: string, text: string): ParsedEmail | null {
	let email = ctx.emails.get(path);
	if (email === undefined) {
		try {
			email = parseEmailNote(path, text);
		} catch {
			email = null;
		}
		ctx.emails.set(path, email);
	}
	return email;
}

/** What an email concerns: the organizations of the people on it (you aside) and those its newest message names. */
function emailOrgs(ctx: BuildState, path: string, email: ParsedEmail): OrgSet {
	const orgs: OrgSet = new Map();
	for (const a of [email.from, ...email.to, ...email.cc]) if (a?.address && !ctx.own.has(a.address)) for (const o of ctx.attributor.orgsOfAddress(a.address)) orgs.set(o.key, o);
	const scope = ctx.attributor.noteScope(path, [], [...orgs.values()]);
	for (const o of ctx.attributor.lineOrgs(email.newestMessage, scope).values()) orgs.set(o.key, o);
	return orgs;
}

function markFor(i: { thread: boolean; later?: boolean; sameMatter?: boolean }): string {
	if (i.thread) return i.later ? "later in this thread" : "earlier in this thread";
	if (i.sameMatter) return i.later ? "same matter, after this email" : "same matter, another subject";
	return "";
}

/** The shorter mark the model sees. */
function promptMark(i: { thread: boolean; later?: boolean; sameMatter?: boolean }): string {
	if (i.thread) return i.later ? "later, this thread" : "this thread";
	if (i.sameMatter) return i.later ? "later, same matter" : "same matter";
	return "";
}

function addCommitment(ctx: BuildState, c: Commitment): void {
	const key = foldName(c.text);
	if (ctx.commitments.some((x) => x.key === key)) return;
	ctx.commitments.push({ ...c, key });
}

/** Keeps a commitment line when it concerns the reply's organizations and passes the boundary. */
function consider(ctx: BuildState, orgs: OrgSet, onThreadDefault: boolean): "keep" | "blocked" | "other" {
	const blocked = ctx.boundary.blocked(orgs.values());
	if (blocked.length) return "blocked";
	const counter = counterparts(orgs, ctx.boundary.ownKey);
	if (counter.some((o) => ctx.boundary.relevant.has(o.key))) return "keep";
	if (ctx.boundary.open && counter.length) return "keep";
	return onThreadDefault ? "keep" : "other";
}

/** The interaction of one note: its lines about the audience (and its commitments). */
async function interactionCard(app: AppSlice, index: VaultIndex, email: ParsedEmail, info: InteractionChoice, ctx: BuildState): Promise<Card | null> {
	const path = info.path;
	const text = await ctx.reader.read(path);
	const file = fileByPath(app.vault, path);
	if (text === null || !file) return null;
	const addBack = ctx.addBack.has(path);
	const mark = markFor(info);
	let title = file.basename;
	let gist = "";
	let kind = "note";

	if (info.thread || index.emailEntry(path)) {
		const other = emailAt(ctx, path, text);
		if (!other) return null;
		title = other.subject || title;
		const fromYou = !!other.from?.address && ctx.own.has(other.from.address);
		const orgs = emailOrgs(ctx, path, other);
		const blocked = ctx.boundary.blocked(orgs.values());
		if (blocked.length && !addBack) {
			ctx.held.add(path, title, blocked, { whole: true });
			return null;
		}
		ctx.drawn(path, text);
		// Your own email's promises are listed once, under your commitments, not again here.
		const promises = fromYou ? findCommitments(other.newestMessage, ctx.userNames, { fromYou: true, bodyOnly: true }) : [];
		const message = promises.length ? other.newestMessage.split("\n").filter((l) => !promises.some((c) => l.includes(c.raw.trim().slice(0, 30)))).join("\n") : other.newestMessage;
		gist = emailGist(message, findAsks(message).slice(0, 3), 180);
		const who = fromYou ? "you" : other.from?.name || other.from?.address || "unknown";
		kind = `email from ${who}`;
		if (fromYou) {
			for (const c of promises) {
				addCommitment(ctx, { text: c.text, date: info.date, path, title, about: counterparts(orgs, ctx.boundary.ownKey).map((o) => o.name), task: c.task });
			}
		}
	} else {
		const cache = app.metadataCache.getFileCache(file);
		const scope = ctx.attributor.noteScope(path);
		const scopeCounter = counterparts(scope.orgs, ctx.boundary.ownKey);
		const mixed = scopeCounter.length > 1;
		const fallback = mixed ? [] : scopeCounter;
		const typeWord = propertyStrings(cache?.frontmatter, "type")[0]?.toLowerCase();
		// What kind of note, for the model: its type, else what its folder or name says.
		kind = typeWord && /^[a-z -]{3,20}$/.test(typeWord) ? typeWord : /(?:^|\/)(?:daily|journal)/i.test(path) || /^\d{4}-\d{2}-\d{2}$/.test(file.basename) ? "daily note" : /(?:^|\/)meetings?\//i.test(path) ? "meeting" : "note";
		title = file.basename.replace(/^\d{4}-\d{2}-\d{2}\s*[-–—]?\s*/, "") || file.basename;
		const kept: string[] = [];
		let heading = "";
		const summaryProp: unknown = cache?.frontmatter?.summary ?? cache?.frontmatter?.description;
		for (const rawLine of cleanBody(text).split("\n")) {
			const line = rawLine.trim();
			if (!line || /^\|/.test(line) || /^>/.test(line)) continue;
			const h = /^#{1,6}\s+(.*)$/.exec(line);
			if (h) {
				heading = h[1] ?? "";
				continue;
			}
			const task = /^[-*+]\s+\[(.)\]\s+(.*)$/.exec(line);
			if (info.tasksOnly && !task) continue;
			const content = (task ? task[2] ?? "" : line).replace(/^(?:[-*+]|\d+[.)])\s+/, "");
			const plain = plainInline(content);
			if (plain.length < 8 || isPlaceholder(plain)) continue;
			const { orgs, inherited } = lineConcerns(ctx.attributor, content, heading, scope, fallback);
			// A line of a note about one organization (or none) may speak of no organization itself;
			// in a note that mixes several, such a line is about nobody in particular and stays out.
			const verdict = consider(ctx, orgs, !mixed);
			if (verdict === "blocked" && !addBack) {
				// (A later note is read for its tasks: a ticked one held back was never going to be shown.)
				if (!(info.tasksOnly && task?.[1] !== " ")) ctx.held.add(path, title, ctx.boundary.blocked(orgs.values()));
				continue;
			}
			if (verdict === "other" || (inherited && mixed)) continue;
			const commitment = task ? (task[1] === " " ? findCommitments(`- [ ] ${content}`, ctx.userNames, { bodyOnly: true })[0] : undefined) : findCommitments(content, ctx.userNames, { bodyOnly: true })[0];
			if (commitment) {
				addCommitment(ctx, { text: commitment.text, date: info.date, path, title, about: counterparts(orgs, ctx.boundary.ownKey).map((o) => o.name), task: commitment.task });
				continue;
			}
			if (task) {
				// A ticked task says something was done ("- [x] Send Ana the pricing option ✅ 2026-11-23").
				if (task[1]?.toLowerCase() === "x") {
					const when = /✅\s*(\d{4}-\d{2}-\d{2})/u.exec(content)?.[1] ?? info.date;
					ctx.ticked.push({ line: clip(plain.replace(/\s*✅\s*\d{4}-\d{2}-\d{2}\s*$/u, ""), 200), date: when, path, title, kind: "task" });
				}
				continue;
			}
			// "Sent Ana the pricing option." in a daily note: evidence that a promise was kept.
			if (isReport(plain)) ctx.ticked.push({ line: clip(plain, 200), date: info.date, path, title, kind: "note" });
			kept.push(clip(plain, 140));
		}
		if (typeof summaryProp === "string" && summaryProp.trim() && !mixed) gist = clip(plainInline(summaryProp), 200);
		if (!kept.length && !gist) {
			// Its commitments may still be used: the note counts as drawn on.
			if (ctx.commitments.some((c) => c.path === path)) ctx.drawn(path, text);
			return null;
		}
		ctx.drawn(path, text);
		// A meeting keeps every line about the audience; other notes their first few.
		const limit = kind === "meeting" ? 8 : 3;
		if (!gist) gist = kept.slice(0, limit).join(" ");
	}
	const about = info.thread ? "" : info.about.join(", ");
	const noteWhy = [mark, about].filter(Boolean).join("; ");
	const date = info.date ?? "undated";
	return {
		section: "interactions",
		path,
		name: title,
		date: info.date,
		noteHead: [`- ${date} · ${wikilink(path, title)}${noteWhy ? ` (${noteWhy})` : ""}${gist ? `: ${gist}` : ""}`],
		promptHead: `- ${date} ${kind}${title === info.date ? "" : ` "${title}"`}${promptMark(info) ? ` (${promptMark(info)})` : ""}: ${gist}`,
		lines: [],
		thread: info.thread,
		later: info.later === true,
	};
}

/** Commitments in the notes of the people and organizations on the reply: open tasks, promises. */
async function entityCommitments(match: Match, ctx: BuildState): Promise<void> {
	const text = await ctx.reader.read(match.entity.path);
	if (!text) return;
	const entityOrgs = ctx.attributor.orgsOfEntity(match.entity);
	if (ctx.boundary.blocked(entityOrgs).length && !ctx.addBack.has(match.entity.path)) return;
	const scope = ctx.attributor.noteScope(match.entity.path, [], entityOrgs);
	for (const c of findCommitments(text, ctx.userNames)) {
		const { orgs } = lineConcerns(ctx.attributor, c.raw, c.heading, scope, entityOrgs);
		if (ctx.boundary.blocked(orgs.values()).length && !ctx.addBack.has(match.entity.path)) {
			ctx.held.add(match.entity.path, match.entity.name, ctx.boundary.blocked(orgs.values()));
			continue;
		}
		addCommitment(ctx, { text: c.text, date: null, path: match.entity.path, title: match.entity.name, about: counterparts(orgs, ctx.boundary.ownKey).map((o) => o.name), task: c.task });
	}
}

/** Your recent sent emails to the people on the reply, and recent notes about them: their promises. */
async function recentCommitments(app: AppSlice, index: VaultIndex, email: ParsedEmail, audience: Audience, matches: Match[], seen: Set<string>, ctx: BuildState): Promise<void> {
	const addresses = audience.recipients.map((r) => r.address).filter(Boolean);
	// Your emails with them: the two lookups intersected before any entry is read (your own
	// address is on nearly every email, theirs on few).
	const sent = index
		.emailsFromWith([...ctx.own], addresses)
		.map((p) => ({ path: p, entry: index.emailEntry(p) }))
		// Sent by you already: `emailsFromWith` reads the index by sender.
		.filter((x) => x.entry && x.path !== email.path && !seen.has(x.path) && !index.isExcludedPath(x.path))
		.sort((a, b) => byCodeUnits(b.entry?.date ?? "", a.entry?.date ?? "") || byCodeUnits(a.path, b.path))
		.slice(0, 4);
	for (const { path, entry } of sent) {
		seen.add(path);
		await interactionCard(app, index, email, { path, date: entry?.date ?? null, about: [], thread: false }, ctx);
	}
	const onReply = matches.filter((m) => m.role !== "mention");
	// Notes linking them (undated ones too: a project note's open tasks), newest first; a
	// note dated after the email only for its open tasks, which are open now whatever its date.
	const notes: Array<{ path: string; date: string | null }> = [];
	const later: Array<{ path: string; date: string }> = [];
	for (const m of onReply) {
		for (const source of index.backlinksOf(m.entity.path)) {
			if (seen.has(source) || index.entity(source) || index.emailEntry(source) || index.isExcludedPath(source)) continue;
			const file = fileByPath(app.vault, source);
			if (!file) continue;
			const cache = app.metadataCache.getFileCache(file);
			if (propertyStrings(cache?.frontmatter, "type")[0]?.toLowerCase() === "email-draft") continue;
			const date = noteDate(file.basename, cache);
			if (!date || !isLater(date, email)) notes.push({ path: source, date });
			else if (cache?.listItems?.some((i) => i.task === " ")) later.push({ path: source, date });
		}
	}
	later.sort((a, b) => byCodeUnits(b.date, a.date) || byCodeUnits(a.path, b.path));
	for (const n of later.slice(0, 3)) {
		if (seen.has(n.path)) continue;
		seen.add(n.path);
		await interactionCard(app, index, email, { path: n.path, date: n.date, about: [], thread: false, later: true, tasksOnly: true }, ctx);
	}
	notes.sort((a, b) => byCodeUnits(b.date ?? "", a.date ?? "") || byCodeUnits(a.path, b.path));
	for (const n of notes.slice(0, 6)) {
		if (seen.has(n.path)) continue;
		seen.add(n.path);
		await interactionCard(app, index, email, { path: n.path, date: n.date, about: [], thread: false }, ctx);
	}
}

/**
 * Your commitments that a later email of yours to the reply's recipients says were done
 * (src/context/fulfilled.ts): each gets that email's sentence and date. Only emails that pass
 * the boundary are read, only their newest message, and only the newest few.
 */
async function markDone(index: VaultIndex, email: ParsedEmail, audience: Audience, commitments: Commitment[], ctx: BuildState): Promise<void> {
	if (!commitments.length) return;
	const addresses = audience.recipients.map((r) => r.address).filter(Boolean);
	const earliest = commitments.reduce<string | null>((min, c) => (c.date === null ? "" : min === null || c.date < min ? c.date : min), null) ?? "";
	const yours = (addresses.length ? index.emailsFromWith([...ctx.own], addresses) : [])
		.map((path) => ({ path, date: index.emailEntry(path)?.date ?? null }))
		.filter((x) => x.path !== email.path && !index.isExcludedPath(x.path) && (x.date ?? "").slice(0, 10) >= earliest)
		.sort((a, b) => byCodeUnits(b.date ?? "", a.date ?? "") || byCodeUnits(a.path, b.path))
		.slice(0, 8);
	const deliveries: Delivery[] = [];
	for (const { path, date } of yours) {
		const text = await ctx.reader.read(path);
		if (text === null) continue;
		const other = emailAt(ctx, path, text);
		if (!other) continue;
		// An email that would be held back lends no sentence either.
		if (ctx.boundary.blocked(emailOrgs(ctx, path, other).values()).length && !ctx.addBack.has(path)) continue;
		for (const line of deliveryLines(other.newestMessage)) deliveries.push({ line: clip(plainInline(line), 200), date: date?.slice(0, 10) ?? null, path, title: other.subject || path, kind: "email" });
	}
	deliveries.push(...ctx.ticked);
	if (!deliveries.length) return;
	// Names are not what a promise is about ("Send Ana the addendum"; "Hi Ana, attached…").
	const names = new Set<string>();
	for (const r of audience.recipients) for (const part of r.name.toLowerCase().split(/[^\p{L}]+/u)) if (part) names.add(part);
	for (const n of ctx.userNames) for (const part of n.toLowerCase().split(/[^\p{L}]+/u)) if (part) names.add(part);
	// Oldest first: the first email that says it was done.
	const inOrder = [...deliveries].sort((a, b) => byCodeUnits(a.date ?? "", b.date ?? "") || byCodeUnits(a.path, b.path));
	for (const c of commitments) {
		// Not the promise's own email; a ticked task or a log line may sit in the note that made the promise.
		const after = inOrder.filter((d) => (d.kind !== "email" || d.path !== c.path) && d.line !== c.text && (c.date === null || (d.date ?? "") >= c.date));
		const done = evidenceFor(c.text, after, names);
		if (!done) continue;
		c.doneIn = done;
		const text = await ctx.reader.read(done.path);
		if (text !== null) ctx.drawn(done.path, text);
	}
}

/** The collected commitments as items: one per source note, newest first. */
/**
 * When a dated promise falls due: its relative date ("by Friday", "this week") resolved
 * against the day it was made, and whether that day is before today. A promise from three
 * weeks ago "by Friday" is overdue or done, never something to promise again as if new.
 */
export function dueOf(c: Pick<Commitment, "text" | "date">, today: string): string {
	const made = /^(\d{4})-(\d{2})-(\d{2})$/.exec(c.date ?? "");
	if (!made) return "";
	const due = resolveRelativeDates(c.text, { year: Number(made[1]), month: Number(made[2]), day: Number(made[3]) }).pop();
	if (!due) return "";
	// A week or a month ("the week of …") is past only once it has ended; a day the day after.
	const past = due.date < today && !/^the\b/i.test(due.text);
	return past ? `due ${due.text}, now past` : `due ${due.text}`;
}

/**
 * One promise told several times (a meeting's "we agreed to send a pricing option", your later
 * "I will send the pricing option this week", the task "Prepare the pricing option") is shown
 * once: the newest telling, with where else it was made. Two lines are the same promise when
 * they share two content words and three quarters of the shorter one's, and do not name
 * different people (sending Ana the guide and sending Mei the guide are two promises).
 */
export function samePromises(commitments: readonly Commitment[]): Array<{ main: Commitment; also: Commitment[] }> {
	const groups: Array<{ main: Commitment; words: Set<string>; names: Set<string>; also: Commitment[] }> = [];
	// Names: capitalised words after the first ("Send Ana the guide"; not "QBR" or "SSO").
	const namesIn = (text: string): Set<string> => new Set(text.split(/\s+/).slice(1).filter((w) => /^\p{Lu}\p{Ll}+$/u.test(w.replace(/[^\p{L}]+$/u, ""))).map((w) => w.replace(/[^\p{L}]+$/u, "").toLowerCase()));
	// Newest first (the list is already in that order); undated ones last.
	for (const c of commitments) {
		const words = contentWords(c.text);
		const names = namesIn(c.text);
		const group = groups.find((g) => {
			if (names.size && g.names.size && !overlap(names, g.names)) return false;
			const shared = overlap(words, g.words);
			return shared >= 2 && shared >= 0.75 * Math.min(words.size, g.words.size);
		});
		if (group) {
			group.also.push(c);
			// A later line that says it was done speaks for the whole promise.
			if (!group.main.doneIn && c.doneIn) group.main = { ...group.main, doneIn: c.doneIn };
		} else groups.push({ main: c, words, names, also: [] });
	}
	return groups.map(({ main, also }) => ({ main, also }));
}

/** Where and when a promise was kept, as the prompt says it (`link` null) or the note does (with the link). */
function doneLine(d: NonNullable<Commitment["doneIn"]>, link: string | null): string {
	const when = d.date ?? "an unknown date";
	if (d.kind === "task") return `ticked off in ${link ?? "your notes"} on ${when}: "${d.line}"`;
	return `your ${d.kind}${link ? ` ${link}` : ""} of ${when} says: "${d.line}"`;
}

function commitmentCards(promises: ReadonlyArray<{ main: Commitment; also: Commitment[] }>, today: string): Card[] {
	const byPath = new Map<string, Array<{ main: Commitment; also: Commitment[] }>>();
	for (const g of promises) byPath.set(g.main.path, [...(byPath.get(g.main.path) ?? []), g]);
	return [...byPath.entries()].map(([path, list]) => {
		const first = (list[0] as { main: Commitment }).main;
		const date = first.date ?? "undated";
		const lines = list.map(({ main: c, also }) => {
			const alsoNote = also.map((a) => `${wikilink(a.path, a.title)}${a.date ? ` (${a.date})` : a.task ? " (open task)" : ""}`).join(", ");
			const alsoPrompt = also.map((a) => (a.task ? `an open task in ${a.title}` : `${a.date ?? "undated"} in ${a.title}`)).join("; ");
			// Done by a later email: when it fell due no longer matters.
			const due = c.doneIn ? dueOf(c, today).replace(/, now past$/, "") : dueOf(c, today);
			const d = c.doneIn;
			const done = d ? doneLine(d, null) : "";
			const doneNote = d ? `; done? ${doneLine(d, wikilink(d.path, d.title))}` : "";
			return {
				note: `- ${c.task ? "Open task: " : ""}${c.text}${c.date ? ` (${[c.date, due].filter(Boolean).join("; ")})` : ""} · ${wikilink(c.path, c.title)}${alsoNote ? `; also ${alsoNote}` : ""}${doneNote}`,
				prompt: `- ${c.task ? "Open task: " : ""}${c.text} (${[c.date, c.title === c.date ? "" : c.title, due, alsoPrompt ? `also ${alsoPrompt}` : "", done].filter(Boolean).join(", ")})`,
			};
		});
		return { section: "commitments" as const, path, name: first.title, date: first.date, noteHead: [], promptHead: "", lines, joinNote: date };
	});
}

/** The context's sections, in the order the note and the prompt show them. */
const SECTIONS: ReadonlyArray<[ContextSection, string]> = [
	["people", "People"],
	["commitments", "Your open commitments"],
	["organizations", "Organizations"],
	["interactions", "Recent interactions"],
];

/** Renders the included items grouped into sections, for the note. */
export function renderContextMarkdown(items: ContextItem[]): string {
	const parts: string[] = [];
	for (const [section, title] of SECTIONS) {
		const inSection = items.filter((i) => i.section === section);
		if (!inSection.length) continue;
		const joiner = section === "interactions" || section === "commitments" ? "\n" : "\n\n";
		parts.push(`### ${title}\n\n${inSection.map((i) => i.markdown.trim()).filter(Boolean).join(joiner)}`);
	}
	return parts.join("\n\n");
}

/** The same items as the model sees them: plain sections, no links, no scaffolding. */
export function renderPromptMarkdown(items: ContextItem[]): string {
	const parts: string[] = [];
	for (const [section, title] of SECTIONS) {
		const inSection = items.filter((i) => i.section === section).map((i) => (i.promptMarkdown ?? "").replace(/^\n+|\n+$/g, "")).filter(Boolean);
		if (inSection.length) parts.push(`${title}:\n${inSection.join("\n")}`);
	}
	return parts.join("\n\n");
}


const PRIORITY: Record<MatchRole, number> = { sender: 0, recipient: 1, mention: 2, organization: 3 };

export async function buildContext(app: AppSlice, index: VaultIndex, email: ParsedEmail, options: ContextOptions): Promise<VaultContext> {
	const leaveOut = options.leaveOut ?? new Set<string>();
	const audience = buildAudience(index, email, { ownAddresses: options.ownAddresses, ownOrganization: options.ownOrganization, userCompany: options.userCompany });
	const time = buildTimeContext({ now: options.now ?? new Date(), timeZone: options.timeZone ?? systemTimeZone(), localZone: options.timeZone === undefined || options.localTimeZone === true, emailDate: email.date, emailOffset: email.dateOffset ?? null, newestMessage: email.newestMessage });
	const resolution = resolveEmail(index, email, options.ownAddresses);
	const matches = [...resolution.people, ...resolution.organizations]
		.filter((m) => !leaveOut.has(m.entity.path))
		.sort((a, b) => PRIORITY[a.role] - PRIORITY[b.role]);
	const reader = makeReader(app);
	const ownPath = audience.ownOrganization?.path ?? null;
	const userName = options.userName?.trim() ?? "";
	const boundary = new Boundary(audience, options.confidentialityBoundary !== false);
	const ctx: BuildState = {
		reader,
		drawn: (path, text) => {
			if (text) reader.chars.set(path, text.length);
		},
		attributor: new Attributor(app, index),
		boundary,
		held: new HeldBackList(boundary),
		addBack: options.addBack ?? new Set<string>(),
		ownEntity: ownPath ? index.entity(ownPath) ?? null : null,
		userNames: [userName, userName.split(/\s+/)[0] ?? ""].filter((n) => n.length > 1),
		own: new Set(options.ownAddresses.map((a) => a.toLowerCase())),
		commitments: [],
		ticked: [],
		emails: new Map(),
	};

	const entityCards: Card[] = [];
	for (const match of matches) {
		entityCards.push(await entityCard(app, index, match, ctx));
		if (match.role !== "mention" || ctx.boundary.open) await entityCommitments(match, ctx);
	}
	const interactionCards: Card[] = [];
	const seen = new Set<string>();
	for (const info of selectInteractions(app, index, email, matches, options)) {
		seen.add(info.path);
		const card = await interactionCard(app, index, email, info, ctx);
		if (card) interactionCards.push(card);
	}
	await recentCommitments(app, index, email, audience, matches, seen, ctx);
	const commitments: Commitment[] = ctx.commitments
		.filter((c) => !leaveOut.has(c.path))
		.sort((a, b) => byCodeUnits(b.date ?? "", a.date ?? "") || byCodeUnits(a.path, b.path))
		.slice(0, 8)
		.map(({ key: _key, ...c }) => c);
	await markDone(index, email, audience, commitments, ctx);

	// Priority: the sender, your commitments, recipients, mentioned people, organizations, interactions.
	const senderCards = entityCards.filter((c) => c.role === "sender");
	const promises = samePromises(commitments);
	const candidates: Card[] = [...senderCards, ...commitmentCards(promises, time.today), ...entityCards.filter((c) => c.role !== "sender"), ...interactionCards];

	const items: ContextItem[] = [];
	const omitted: VaultContext["omitted"] = [];
	// What counts is the prompt as sent, section titles included.
	const fits = (item: ContextItem): boolean => estimateTokens(renderPromptMarkdown([...items, item])) <= options.tokenBudget;
	for (const card of candidates) {
		const whole = renderCard(card);
		if (fits(whole)) {
			items.push(whole);
			continue;
		}
		// A card that does not fit whole keeps its heading and first lines if those fit.
		let shortened: ContextItem | null = null;
		if (card.section !== "interactions") {
			for (let n = card.lines.length - 1; n >= (card.section === "commitments" ? 1 : 0); n--) {
				const candidate = renderCard(card, n);
				if (fits(candidate)) {
					shortened = candidate;
					break;
				}
			}
		}
		if (shortened) items.push(shortened);
		else omitted.push({ path: card.path, reason: "over the context budget" });
	}
	const markdown = renderContextMarkdown(items);
	const promptMarkdown = renderPromptMarkdown(items);
	const included = new Set(items.map((i) => i.path));
	// Every telling of a promise whose line made it in (the line shows the newest and names the others).
	const includedCommitments = promises
		.filter(({ main }) => items.some((i) => i.section === "commitments" && i.path === main.path && i.promptMarkdown?.includes(main.text)))
		.flatMap(({ main, also }) => [commitments.find((c) => c.path === main.path && c.text === main.text) ?? main, ...also])
		.sort((a, b) => commitments.indexOf(a) - commitments.indexOf(b));
	return {
		people: resolution.people.filter((m) => included.has(m.entity.path)).map((m) => ({ path: m.entity.path, name: m.entity.name, matchedBy: m.matchedBy, role: m.role })),
		organizations: resolution.organizations.filter((m) => included.has(m.entity.path)).map((m) => ({ path: m.entity.path, name: m.entity.name, matchedBy: m.matchedBy })),
		interactions: items.filter((i) => i.section === "interactions").map((i) => ({ path: i.path, date: i.date ?? null, title: i.name, thread: i.thread === true, later: i.later === true })),
		items,
		omitted,
		markdown,
		promptMarkdown,
		tokens: estimateTokens(promptMarkdown),
		audience,
		time,
		commitments: includedCommitments,
		heldBack: ctx.held.items().filter((h) => !leaveOut.has(h.path)),
		sourceChars: [...reader.chars.entries()].filter(([p]) => included.has(p)).reduce((n, [, c]) => n + c, 0),
	};
}
