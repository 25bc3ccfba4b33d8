/**
 * The vault context of one email: resolved people and organizations, recent interactions,
 * and the cards the model sees, filled into a token budget by priority (sender, recipients,
 * mentioned people, organizations, interactions). What is in `items` is exactly what the
 * prompt holds and what "Vault Context Used" shows.
 */
import type { AppSlice } from "../host/slice";
import { fileByPath } from "../host/slice";
import type { ParsedEmail } from "../email/parse";
import { parseEmailNote } from "../email/parse";
import { messageIds } from "../email/subject";
import { noteDate, propertyStrings, linkDisplay, linkTarget } from "./properties";
import { resolveEmail, type Match, type MatchedBy, type MatchRole } from "./resolve";
import { clip, estimateTokens, gistFor, isPlaceholder, plainInline, summarizeNote } from "./summarize";
import type { VaultIndex } from "./vaultIndex";
import type { Audience, Commitment, HeldBackItem, TimeContext } from "./audience.types";
import { wikilink } from "../shared/wikilink";

export { wikilink };

export type { Audience, AudienceMember, Commitment, HeldBackItem, ResolvedDate, TimeContext } from "./audience.types";

export type ContextSection = "people" | "organizations" | "interactions" | "samples";

export interface ContextItem {
	section: ContextSection;
	path: string;
	name: string;
	matchedBy?: MatchedBy;
	role?: MatchRole;
	date?: string | null;
	/** The card as Markdown, with a link back to its note. */
	markdown: string;
	tokens: number;
}

export interface Interaction {
	path: string;
	date: string | null;
	title: string;
	gist: string;
	about: string[];
	thread: boolean;
}

export interface VaultContext {
	people: Array<{ path: string; name: string; matchedBy: MatchedBy; role: MatchRole }>;
	organizations: Array<{ path: string; name: string; matchedBy: MatchedBy }>;
	interactions: Array<{ path: string; date: string | null; title: string }>;
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
}

export interface ContextOptions {
	ownAddresses: string[];
	tokenBudget: number;
	/** Paths the user unticked in "Preview context". */
	leaveOut?: ReadonlySet<string>;
	interactionsPerEntity?: number;
	maxInteractions?: number;
}


const ROLE_LABEL: Record<MatchRole, string> = { sender: "Sender", recipient: "Recipient", mention: "Mentioned", organization: "Organization" };
const FIELD_KEYS = ["relationship", "status", "stage", "tier", "industry", "location", "account owner", "segment", "plan", "contract", "renewal"];

async function entityCard(app: AppSlice, index: VaultIndex, match: Match): Promise<string> {
	const { entity } = match;
	const file = fileByPath(app.vault, entity.path);
	const text = file ? await app.vault.cachedRead(file) : "";
	const cache = file ? app.metadataCache.getFileCache(file) : null;
	const fm = cache?.frontmatter;
	const summary = summarizeNote(text);
	const lines: string[] = [`#### ${wikilink(entity.path, entity.name)}`];
	lines.push(`*${ROLE_LABEL[match.role]} · matched by ${match.matchedBy}${match.address ? ` (${match.address})` : ""}*`);

	if (entity.kind === "person") {
		if (entity.role && !isPlaceholder(entity.role)) lines.push(`- Role: ${plainInline(entity.role)}`);
		const companies = [
			...entity.companyPaths.map((p) => wikilink(p, index.entity(p)?.name ?? p.split("/").pop()?.replace(/\.md$/, "") ?? p)),
			...entity.companyNames.filter((n) => !isPlaceholder(n)),
		];
		if (companies.length) lines.push(`- Company: ${companies.join(", ")}`);
		if (entity.emails.length) lines.push(`- Email: ${entity.emails.slice(0, 2).join(", ")}`);
	} else {
		if (entity.domains.length) lines.push(`- Domain: ${entity.domains.slice(0, 3).join(", ")}`);
	}
	// Frontmatter fields that describe the relationship, when the note has them.
	for (const [key, value] of Object.entries(fm ?? {})) {
		if (!FIELD_KEYS.includes(key.toLowerCase().replace(/[_-]/g, " "))) continue;
		const v = Array.isArray(value) ? value.filter((x) => typeof x === "string").join(", ") : typeof value === "string" || typeof value === "number" ? String(value) : "";
		const shown = linkTarget(v) ? linkDisplay(v) : plainInline(v);
		if (!isPlaceholder(shown)) lines.push(`- ${key.charAt(0).toUpperCase()}${key.slice(1).replace(/[_-]/g, " ")}: ${clip(shown, 120)}`);
	}
	const shownKeys = new Set(lines.map((l) => l.replace(/^- ([^:]+):.*$/, "$1").toLowerCase()));
	for (const [k, v] of summary.fields.slice(0, 6)) {
		if (shownKeys.has(k.toLowerCase()) || ["email", "emails", "type", "company", "role", "aliases"].includes(k.toLowerCase())) continue;
		lines.push(`- ${clip(k, 40)}: ${clip(v, 120)}`);
		shownKeys.add(k.toLowerCase());
	}
	if (summary.summary) lines.push(`- About: ${summary.summary}`);
	for (const fact of summary.facts) lines.push(`- ${fact}`);
	for (const task of summary.tasks) lines.push(`- Open task: ${task}`);
	return lines.join("\n");
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
}

/**
 * Which notes are the recent interactions: backlinks of the matched people and
 * organizations (a few each, newest first, dated by a `date` property or the file name)
 * and earlier emails of the thread. Metadata only: nothing is read here.
 */
export function selectInteractions(app: AppSlice, index: VaultIndex, email: ParsedEmail, matches: Match[], options: ContextOptions): InteractionChoice[] {
	const perEntity = options.interactionsPerEntity ?? 3;
	const max = options.maxInteractions ?? 8;
	const chosen = new Map<string, { date: string | null; about: Set<string>; thread: boolean }>();

	const threadPaths = index.threadEmails(email.path, email.subject, messageIds(email), [email.from?.address ?? "", ...email.to.map((a) => a.address)].filter(Boolean));
	for (const path of threadPaths) {
		if (index.isExcludedPath(path) || options.leaveOut?.has(path)) continue;
		const entry = index.emailEntry(path);
		const date = entry?.date ?? null;
		if (date && isLater(date, email)) continue;
		chosen.set(path, { date, about: new Set(), thread: true });
	}

	for (const match of matches) {
		const candidates: Array<{ path: string; date: string }> = [];
		// Earlier emails with this person are interactions too, linked or not.
		for (const path of index.emailsWith(match.entity.emails)) {
			const date = index.emailEntry(path)?.date;
			if (path === email.path || !date || index.isExcludedPath(path) || options.leaveOut?.has(path)) continue;
			if (isLater(date, email)) continue;
			candidates.push({ path, date });
		}
		for (const source of index.backlinksOf(match.entity.path)) {
			if (source === email.path || index.entity(source) || index.isExcludedPath(source) || options.leaveOut?.has(source)) continue;
			const file = fileByPath(app.vault, source);
			if (!file) continue;
			const cache = app.metadataCache.getFileCache(file);
			const type = propertyStrings(cache?.frontmatter, "type")[0]?.toLowerCase();
			if (type === "email-draft") continue;
			const date = noteDate(file.basename, cache);
			if (date) candidates.push({ path: source, date });
		}
		candidates.sort((a, b) => b.date.localeCompare(a.date) || a.path.localeCompare(b.path));
		let taken = 0;
		for (const c of candidates) {
			if (taken >= perEntity) break;
			const existing = chosen.get(c.path);
			if (existing) {
				existing.about.add(match.entity.name);
				continue;
			}
			chosen.set(c.path, { date: c.date, about: new Set([match.entity.name]), thread: false });
			taken++;
		}
	}

	return [...chosen.entries()]
		.sort((a, b) => (b[1].date ?? "").localeCompare(a[1].date ?? ""))
		.slice(0, max)
		.map(([path, info]) => ({ path, date: info.date, about: [...info.about], thread: info.thread }));
}

/** The chosen interactions with a title and a one-line gist (this reads those few notes). */
async function collectInteractions(app: AppSlice, index: VaultIndex, email: ParsedEmail, matches: Match[], options: ContextOptions): Promise<Interaction[]> {
	const sorted = selectInteractions(app, index, email, matches, options);
	const names = matches.flatMap((m) => [m.entity.name, ...m.entity.aliases]);
	const out: Interaction[] = [];
	for (const info of sorted) {
		const path = info.path;
		const file = fileByPath(app.vault, path);
		if (!file) continue;
		const text = await app.vault.cachedRead(file);
		let gist = "";
		let title = file.basename;
		if (info.thread || index.emailEntry(path)) {
			try {
				const earlier = parseEmailNote(path, text);
				title = earlier.subject || title;
				gist = clip(plainInline(`${earlier.from?.name || earlier.from?.address || ""}: ${earlier.newestMessage}`), 200);
			} catch {
				gist = gistFor(text, names);
			}
		} else {
			const cache = app.metadataCache.getFileCache(file);
			const summaryProp: unknown = cache?.frontmatter?.summary ?? cache?.frontmatter?.description;
			gist = typeof summaryProp === "string" && summaryProp.trim() ? clip(plainInline(summaryProp), 160) : gistFor(text, [...info.about, ...names]);
		}
		out.push({ path, date: info.date, title: title.replace(/^\d{4}-\d{2}-\d{2}\s*[-–—]?\s*/, "") || title, gist, about: info.about, thread: info.thread });
	}
	return out;
}

function interactionLine(i: Interaction): string {
	const about = i.thread ? " (earlier in this thread)" : i.about.length ? ` (${i.about.join(", ")})` : "";
	return `- ${i.date ?? "undated"} · ${wikilink(i.path, i.title)}${about}${i.gist ? `: ${i.gist}` : ""}`;
}

/** Renders the included items grouped into People, Organizations and Recent interactions. */
export function renderContextMarkdown(items: ContextItem[]): string {
	const groups: Array<[ContextSection, string]> = [
		["people", "People"],
		["organizations", "Organizations"],
		["interactions", "Recent interactions"],
	];
	const parts: string[] = [];
	for (const [section, title] of groups) {
		const inSection = items.filter((i) => i.section === section);
		if (!inSection.length) continue;
		const joiner = section === "interactions" ? "\n" : "\n\n";
		parts.push(`### ${title}\n\n${inSection.map((i) => i.markdown).join(joiner)}`);
	}
	return parts.join("\n\n");
}

const PRIORITY: Record<MatchRole, number> = { sender: 0, recipient: 1, mention: 2, organization: 3 };

export async function buildContext(app: AppSlice, index: VaultIndex, email: ParsedEmail, options: ContextOptions): Promise<VaultContext> {
	const resolution = resolveEmail(index, email, options.ownAddresses);
	const leaveOut = options.leaveOut ?? new Set<string>();
	const matches = [...resolution.people, ...resolution.organizations]
		.filter((m) => !leaveOut.has(m.entity.path))
		.sort((a, b) => PRIORITY[a.role] - PRIORITY[b.role]);

	const candidates: ContextItem[] = [];
	for (const match of matches) {
		const markdown = await entityCard(app, index, match);
		candidates.push({
			section: match.entity.kind === "person" ? "people" : "organizations",
			path: match.entity.path,
			name: match.entity.name,
			matchedBy: match.matchedBy,
			role: match.role,
			markdown,
			tokens: estimateTokens(markdown),
		});
	}
	for (const interaction of await collectInteractions(app, index, email, matches, options)) {
		const markdown = interactionLine(interaction);
		candidates.push({ section: "interactions", path: interaction.path, name: interaction.title, date: interaction.date, markdown, tokens: estimateTokens(markdown) });
	}

	const items: ContextItem[] = [];
	const omitted: VaultContext["omitted"] = [];
	let used = 0;
	for (const item of candidates) {
		if (used + item.tokens <= options.tokenBudget) {
			items.push(item);
			used += item.tokens;
			continue;
		}
		// A card that does not fit whole keeps its heading and first lines if those fit.
		const lines = item.markdown.split("\n");
		let shortened = "";
		for (let n = lines.length - 1; n >= 2; n--) {
			const candidate = lines.slice(0, n).join("\n");
			if (used + estimateTokens(candidate) <= options.tokenBudget) {
				shortened = candidate;
				break;
			}
		}
		if (shortened && item.section !== "interactions") {
			const tokens = estimateTokens(shortened);
			items.push({ ...item, markdown: shortened, tokens });
			used += tokens;
		} else {
			omitted.push({ path: item.path, reason: "over the context budget" });
		}
	}
	const markdown = renderContextMarkdown(items);
	const included = new Set(items.map((i) => i.path));
	return {
		people: resolution.people.filter((m) => included.has(m.entity.path)).map((m) => ({ path: m.entity.path, name: m.entity.name, matchedBy: m.matchedBy, role: m.role })),
		organizations: resolution.organizations.filter((m) => included.has(m.entity.path)).map((m) => ({ path: m.entity.path, name: m.entity.name, matchedBy: m.matchedBy })),
		interactions: items.filter((i) => i.section === "interactions").map((i) => ({ path: i.path, date: i.date ?? null, title: i.name })),
		items,
		omitted,
		markdown,
		// Placeholders until the audience, time and commitments land (issue 9).
		promptMarkdown: markdown,
		tokens: estimateTokens(markdown),
		audience: { recipients: [], ownOrganization: null, organizations: [], internalOnly: false, text: "" },
		time: { timeZone: "UTC", today: "", todayText: "", emailDateSender: null, emailDateLocal: null, relativeDates: [], text: "" },
		commitments: [],
		heldBack: [],
	};
}
