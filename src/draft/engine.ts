/**
 * The engine, read top to bottom as a draft is made: the email (email/), its context
 * (context/), the prompt (prompt.ts), Claude's answer (claude.ts, answer.ts) or the offline
 * outline, then the note (note/). Each step calls only the modules below it. Both hosts call
 * the engine, the plugin with the real `App`, the CLI and the tests with the headless one. A
 * failed or cancelled draft writes no note at all, so nothing half-finished looks like a draft.
 */
import { ownAddressesOf, type OwnAddresses } from "../context/ownAddresses";
import type { AppSlice, FileLike } from "../host/slice";
import { fileByPath } from "../host/slice";
import type { DrafterSettings } from "../settings";
import { EmailError, readEmail, type ParsedEmail } from "../email/parse";
import { findAsks, isOwnAddress, needsReply, type NeedsReply } from "../email/triage";
import { extractTopics } from "../email/topics";
import { baseSubject } from "../email/subject";
import { buildContext, contextOptionsFrom, type VaultContext } from "../context/build";
import type { VaultIndex } from "../context/vaultIndex";
import { linkpathOf } from "../host/path";
import { addUsage, NO_USAGE, type Usage } from "../shared/usage";
import { asksWithReferents } from "./asks";
import { sampleStoreFor, type StyleSample } from "./samples";
import { buildPrompt, CONTINUE_INSTRUCTION, PROMPT_VERSION, type DraftMode } from "./prompt";
import { DraftError, requestDraft, type ClaudeConfig, type ClaudeResult, type DraftRequest } from "./claude";
import { parseAnswer, streamingReply, type DraftAnswer } from "./answer";
import { offlineOutline } from "./offline";
import { estimateCost } from "./pricing";
import { NO_NOTES, placeholdersIn, type AskItem } from "../note/briefing";
import { draftRecipients } from "../note/recipients";
import { draftWarnings } from "../note/warnings";
import { renderDraftNote, replyFromDraftNote, type DraftStatus } from "../note/render";
import { createDraftNote, draftBaseName, draftFolder, linkBack } from "../note/write";
import { fileCacheWhenReady } from "../host/cacheReady";
import { asksForPrompt, emailForPrompt, originalForNote, PROMPT_MESSAGE_CHARS, PROMPT_MESSAGE_CHARS_RETRY } from "./limits";

export interface Engine {
	app: AppSlice;
	index: VaultIndex;
	settings: DrafterSettings;
	/** How to reach Claude; null means offline (no key). */
	claude: ClaudeConfig | null;
	now?: () => Date;
	/** This device's IANA time zone as the host knows it without Intl (the command line); else Intl is asked. */
	deviceTimeZone?: () => string | null;
}

export interface Prepared {
	file: FileLike;
	email: ParsedEmail;
	triage: NeedsReply;
	/** A reply, a reply to an email that needs none (asked for anyway), or a follow-up to your own sent email. */
	mode: DraftMode;
	topics: string[];
	/** The questions and requests of the newest message, each with the sentence it refers to. */
	asks: AskItem[];
	context: VaultContext;
	/** Your own recent emails, sent to the model as examples of your voice. */
	styleSamples: StyleSample[];
	/** Your addresses: the setting, else what the vault shows (src/context/ownAddresses.ts). */
	own: OwnAddresses;
}

export interface PrepareOptions {
	/** Context items the user left out in "Preview context". */
	leaveOut?: ReadonlySet<string>;
	/** Held-back items the user added back in "Preview context". */
	addBack?: ReadonlySet<string>;
	tokenBudget?: number;
}

/** Why an excluded email is refused: it is never read into a prompt or sent. */
export const EXCLUDED = "excluded by your settings (an excluded folder or tag), so it is never read or sent to Claude";

export function fileAt(app: AppSlice, path: string): FileLike {
	const f = fileByPath(app.vault, path);
	if (!f) throw new EmailError(path, "no such file in the vault");
	return f;
}

/** Everyone on an email: sender, reply-to, recipients (Bcc too: you may be one). */
export function addressesOn(email: ParsedEmail): Array<{ address: string; name: string }> {
	return [email.from, ...email.replyTo, ...email.to, ...email.cc, ...email.bcc].flatMap((a) => (a?.address ? [{ address: a.address, name: a.name }] : []));
}

export async function prepare(engine: Engine, file: FileLike, options: PrepareOptions = {}): Promise<Prepared> {
	const { app, index } = engine;
	// Every entry point (command, menu, preview, redraft, batch, CLI) comes through here.
	if (index.isExcludedPath(file.path)) throw new EmailError(file.path, EXCLUDED);
	const email = await readEmail(app, file, engine.settings);
	// With "Your addresses" empty, the address on this email that is on most of the vault's emails is yours.
	const own = ownAddressesOf(engine.settings.userAddresses, index, addressesOn(email), engine.settings.userName);
	const settings = own.inferred ? { ...engine.settings, userAddresses: own.addresses } : engine.settings;
	const triage = needsReply(email, settings.userAddresses);
	const ownEmail = isOwnAddress(email.from?.address, settings.userAddresses);
	const mode: DraftMode = ownEmail ? "follow-up" : triage.needed ? "reply" : "reply-not-needed";
	const participantNames = [email.from, ...email.to, ...email.cc].flatMap((a) => (a?.name ? [a.name] : []));
	const topics = extractTopics(email.subject, email.newestMessage, [...participantNames, settings.userName]);
	const asks = ownEmail ? [] : asksWithReferents(email.newestMessage, findAsks(email.newestMessage));
	const context = await buildContext(
		app,
		index,
		email,
		contextOptionsFrom(settings, {
			tokenBudget: options.tokenBudget ?? settings.contextTokenBudget,
			leaveOut: options.leaveOut,
			addBack: options.addBack,
			now: engine.now?.() ?? new Date(),
		}, engine.deviceTimeZone),
	);
	// The day's snapshot, the same bytes for every draft (the cached prefix depends on it).
	const all = await sampleStoreFor(index).get(app, index, settings, engine.now?.() ?? new Date());
	const styleSamples = options.leaveOut?.size ? all.filter((s) => !options.leaveOut?.has(s.path)) : all;
	return { file, email, triage, mode, topics, asks, context, styleSamples, own };
}

/** Drafting an email that triage says needs no reply, without saying so. */
export class NoReplyNeededError extends Error {
	constructor(readonly path: string, readonly reason: string) {
		super(`${path} needs no reply (${reason}).`);
		this.name = "NoReplyNeededError";
	}
}

export interface DraftOptions {
	offline?: boolean;
	model?: string;
	signal?: AbortSignal;
	/** The reply as it streams (only the reply part of the answer). */
	onText?: (delta: string, soFar: string) => void;
	/** Draft even when triage says no reply is needed (the plugin asks first; the CLI needs --force). */
	force?: boolean;
	/** Redraft: the user's instructions and the draft being rewritten. */
	instructions?: string;
	previousDraft?: { path: string; reply: string; version: number };
	leaveOut?: ReadonlySet<string>;
}

export interface DraftOutcome {
	draft: FileLike;
	draftPath: string;
	model: string;
	offline: boolean;
	usage: Usage;
	costUsd: number | null;
	reply: string;
	topics: string[];
	/** "incomplete" when the reply was cut off at the output limit even after continuing once. */
	status: DraftStatus;
	prepared: Prepared;
	linkedBack: boolean;
	/** Why the link back was not added (the draft itself is fine), when it was asked for. */
	linkBackSkipped: string | null;
}

interface ClaudeDraft {
	answer: DraftAnswer;
	usage: Usage;
	model: string;
	prepared: Prepared;
	incomplete: boolean;
}

/** One request, then one follow-up request if the answer stopped at max_tokens. */
async function askClaude(config: ClaudeConfig, request: DraftRequest, options: DraftOptions): Promise<{ text: string; usage: Usage; model: string; incomplete: boolean }> {
	let lastShown = "";
	const show = (soFar: string): void => {
		const visible = streamingReply(soFar);
		if (visible !== lastShown) {
			options.onText?.(visible.slice(lastShown.length), visible);
			lastShown = visible;
		}
	};
	const first: ClaudeResult = await requestDraft(config, request, { signal: options.signal, onText: (_d, soFar) => show(soFar) });
	if (first.stopReason !== "max_tokens") return { text: first.text, usage: first.usage, model: first.model, incomplete: false };
	try {
		const more = await requestDraft(
			config,
			{ ...request, continuation: { partial: first.text, instruction: CONTINUE_INSTRUCTION } },
			{ signal: options.signal, onText: (_d, soFar) => show(first.text + soFar) },
		);
		return { text: first.text + more.text, usage: addUsage(first.usage, more.usage), model: first.model, incomplete: more.stopReason === "max_tokens" };
	} catch (error) {
		if (error instanceof DraftError && error.kind === "cancelled") throw error;
		// The first part is still worth keeping, marked incomplete.
		return { text: first.text, usage: first.usage, model: first.model, incomplete: true };
	}
}

async function callClaude(engine: Engine, prepared: Prepared, options: DraftOptions, model: string): Promise<ClaudeDraft> {
	const config = engine.claude;
	if (!config) throw new DraftError("auth", "No API key is set.");
	const attempt = async (p: Prepared, threadChars: number, messageChars: number): Promise<Omit<ClaudeDraft, "prepared">> => {
		const prompt = buildPrompt(
			engine.settings,
			{
				// Bounded copies: a huge email is cut with a marker, never sent whole.
				email: emailForPrompt(p.email, messageChars),
				mode: p.mode,
				reason: p.triage.reason,
				asks: asksForPrompt(p.asks),
				context: p.context,
				threadChars,
				instructions: options.instructions,
				previousDraft: options.previousDraft?.reply,
				styleSamples: p.styleSamples,
			},
			model,
		);
		const result = await askClaude(config, { model, maxTokens: engine.settings.maxOutputTokens, temperature: engine.settings.temperature, prompt }, options);
		const answer = parseAnswer(result.text);
		if (!answer.reply.trim()) throw new DraftError("empty", "Claude's answer held no reply text. No note was written; try again.");
		return { answer, usage: result.usage, model: result.model, incomplete: result.incomplete };
	};
	try {
		return { ...(await attempt(prepared, 1500, PROMPT_MESSAGE_CHARS)), prepared };
	} catch (error) {
		if (!(error instanceof DraftError) || error.kind !== "too-long") throw error;
		// Too long for the model: shrink the context to a quarter, drop the thread, cut the message harder, retry once.
		const smaller = await prepare(engine, prepared.file, { leaveOut: options.leaveOut, tokenBudget: Math.max(200, Math.floor(engine.settings.contextTokenBudget / 4)) });
		return { ...(await attempt(smaller, 0, PROMPT_MESSAGE_CHARS_RETRY)), prepared: smaller };
	}
}

/** "Ruiz, Ana" → "Ana Ruiz". */
function naturalName(name: string): string {
	// "@Hannah Schultz" is a people-note name, not part of hers.
	const n = name.trim().replace(/^@(?=\p{L})/u, "");
	const m = /^([^,]+),\s*([^,]+)$/.exec(n);
	return m ? `${m[2]} ${m[1]}` : n;
}

/** A phrase that sets a deadline: "by December 1", "before Friday", "bis Freitag", "avant lundi". */
const DEADLINE = /^(?:by|before|until|no later than|latest|bis|spätestens|avant|d'ici|au plus tard|antes|para el|entro|prima di|uiterlijk|vóór|até)\b/i;

/**
 * One line saying what is asked, when the model gave none (offline, or an untagged answer):
 * who asks (and from which organization), how many things, about what (the subject, as the
 * sender named it) and the first deadline the message sets, as a date. "Ana Ruiz (Acme Corp)
 * asks 4 things about “Acme renewal” (deadline: Tuesday 1 December 2026)."
 */
function fallbackSummary(prepared: Prepared): string {
	const { email, asks, mode, triage, context } = prepared;
	if (mode === "follow-up") return `Your own email${email.to[0] ? ` to ${naturalName(email.to[0].name) || email.to[0].address}` : ""}: a follow-up to its recipients.`;
	if (mode === "reply-not-needed") return `No reply needed (${triage.reason ?? "no question or request"}).`;
	const from = email.replyTo[0] ?? email.from;
	const sender = naturalName(from?.name ?? "") || from?.address || "The sender";
	const member = context.audience.recipients.find((r) => r.address.toLowerCase() === from?.address.toLowerCase());
	const organization = member && !member.internal && member.organization ? ` (${member.organization})` : "";
	const count = asks.length === 1 ? "one thing" : asks.length ? `${asks.length} things` : "for a reply";
	const subject = baseSubject(email.subject).replace(/\s+/g, " ").trim();
	const about = subject ? ` about “${subject}”` : "";
	const deadline = context.time.relativeDates.find((r) => DEADLINE.test(r.phrase));
	return `${sender}${organization} asks ${count}${about}${deadline ? ` (deadline: ${deadline.text})` : ""}.`;
}

export async function draftReply(engine: Engine, prepared: Prepared, options: DraftOptions = {}): Promise<DraftOutcome> {
	if (prepared.mode === "reply-not-needed" && !options.force && !options.previousDraft) {
		throw new NoReplyNeededError(prepared.file.path, prepared.triage.reason ?? "no question or request");
	}
	const offline = options.offline === true || engine.claude === null;
	const model = options.model?.trim() || engine.settings.model;
	let answer: DraftAnswer;
	let usage: Usage = { ...NO_USAGE };
	let usedModel = model;
	let finalPrepared = prepared;
	let incomplete = false;
	// A drafts folder outside the vault is refused before anything is sent (or paid for).
	draftFolder(prepared.file, engine.settings);
	if (offline) {
		const reply = offlineOutline(engine.settings, { email: prepared.email, mode: prepared.mode, reason: prepared.triage.reason, asks: prepared.asks, context: prepared.context });
		// The outline's hints from your notes are not placeholders to fill; the answers are.
		const placeholders = placeholdersIn(reply).filter((p) => !/^\[[^:\]]{3,40}: /.test(p) || /^\[(?:next steps|nächste|prochaines|próximos|prossimi|volgende)/i.test(p));
		answer = { reply, summary: "", notes: { ...NO_NOTES, placeholders }, topics: [], structured: false };
	} else {
		const result = await callClaude(engine, prepared, options, model);
		answer = result.answer;
		usage = result.usage;
		usedModel = result.model;
		finalPrepared = result.prepared;
		incomplete = result.incomplete;
	}
	if (options.signal?.aborted) throw new DraftError("cancelled", "Drafting was cancelled.");

	const now = engine.now?.() ?? new Date();
	const costUsd = offline ? 0 : estimateCost(usedModel, usage);
	const followUp = finalPrepared.mode === "follow-up";
	const ownAddresses = finalPrepared.own.addresses;
	const recipients = draftRecipients(finalPrepared.email, ownAddresses, followUp);
	const warnings = draftWarnings({
		email: finalPrepared.email,
		context: finalPrepared.context,
		triage: finalPrepared.triage,
		recipients,
		ownAddresses,
		own: finalPrepared.own,
		asks: finalPrepared.asks.map((a) => a.text),
		incomplete,
	});
	const status: DraftStatus = incomplete ? "incomplete" : "draft";
	const topics = answer.topics.length ? answer.topics : finalPrepared.topics;
	const content = renderDraftNote({
		// Size limit (limits.ts): the note keeps the original message whole only up to a bound.
		email: { ...finalPrepared.email, newestMessage: originalForNote(finalPrepared.email.newestMessage.trim()) },
		emailPath: finalPrepared.file.path,
		reason: finalPrepared.triage.reason,
		topics,
		context: finalPrepared.context,
		reply: answer.reply,
		model: usedModel,
		offline,
		usage,
		costUsd,
		created: now,
		form: engine.settings.collapsibleForm,
		ownAddresses,
		// Samples are listed only when the model saw them.
		styleSamples: offline ? [] : finalPrepared.styleSamples,
		version: options.previousDraft ? options.previousDraft.version + 1 : undefined,
		previousDraftPath: options.previousDraft?.path,
		instructions: options.instructions,
		status,
		promptVersion: offline ? undefined : PROMPT_VERSION,
		summary: answer.summary || fallbackSummary(finalPrepared),
		asks: finalPrepared.asks,
		notes: answer.notes,
		warnings,
		followUp,
	});
	const folder = draftFolder(finalPrepared.file, engine.settings);
	const base = draftBaseName(finalPrepared.file, engine.settings.fileNameTemplate, finalPrepared.email.subject, now);
	const draft = await createDraftNote(engine.app, folder, base, content);
	rememberDraft(engine, finalPrepared.file.path, draft.path);
	// The draft is written whole; the link back never fails it (a reason is returned instead).
	const link = engine.settings.linkBackToOriginal ? await linkBack(engine.app, finalPrepared.file, draft) : null;
	const linkedBack = link?.linked === true;
	const linkBackSkipped = link && !link.linked ? link.reason : null;
	return { draft, draftPath: draft.path, model: offline ? "offline" : usedModel, offline, usage, costUsd, reply: answer.reply, topics, status, prepared: finalPrepared, linkedBack, linkBackSkipped };
}

/** Drafts a reply for an email file: prepare, then draft. */
export async function draftForFile(engine: Engine, file: FileLike, options: DraftOptions = {}): Promise<DraftOutcome> {
	const prepared = await prepare(engine, file, { leaveOut: options.leaveOut });
	return draftReply(engine, prepared, options);
}

export interface DraftNoteInfo {
	originalPath: string;
	reply: string;
	version: number;
}

/** Reads a draft note: which email it answers, its reply text and version. */
export async function readDraftNote(app: AppSlice, draft: FileLike): Promise<DraftNoteInfo> {
	// A draft written a moment ago is indexed only after its `changed` event.
	const cache = await fileCacheWhenReady(app, draft);
	const fm = cache?.frontmatter;
	if (!fm || fm.type !== "email-draft") throw new EmailError(draft.path, "this note is not a reply draft (no `type: email-draft`)");
	const link = cache?.frontmatterLinks?.find((l) => l.key === "original")?.link ?? (typeof fm.original === "string" ? fm.original.replace(/^\[\[|\]\]$/g, "").split("|")[0] ?? "" : "");
	const original = link ? app.metadataCache.getFirstLinkpathDest(linkpathOf(link), draft.path) : null;
	if (!original) throw new EmailError(draft.path, `the original email (${link || "no original property"}) is not in the vault`);
	const text = await app.vault.cachedRead(draft);
	const version = typeof fm.version === "number" ? fm.version : 1;
	return { originalPath: original.path, reply: replyFromDraftNote(text), version };
}

/** "Redraft with instructions": a new version beside the old one, which stays as it was. */
export async function redraft(engine: Engine, draft: FileLike, instructions: string, options: Omit<DraftOptions, "instructions" | "previousDraft"> = {}): Promise<DraftOutcome> {
	const info = await readDraftNote(engine.app, draft);
	const emailFile = fileAt(engine.app, info.originalPath);
	return draftForFile(engine, emailFile, {
		...options,
		instructions,
		previousDraft: { path: draft.path, reply: info.reply, version: info.version },
	});
}

/**
 * Drafts written in this session that the index may not have seen yet: Obsidian indexes a
 * new note after `vault.create` has returned, so a batch started right after a draft must
 * still know about it. Per index; an entry goes once the index has the draft.
 */
const writtenDrafts = new WeakMap<object, Map<string, Set<string>>>();

function rememberDraft(engine: Engine, emailPath: string, draftPath: string): void {
	let byEmail = writtenDrafts.get(engine.index);
	if (!byEmail) writtenDrafts.set(engine.index, (byEmail = new Map<string, Set<string>>()));
	let drafts = byEmail.get(emailPath);
	if (!drafts) byEmail.set(emailPath, (drafts = new Set<string>()));
	drafts.add(draftPath);
}

/** Drafts that already answer an email: `type: email-draft` notes whose `original` links to it. */
export function existingDrafts(engine: Engine, emailPath: string): string[] {
	const indexed = indexedDrafts(engine, emailPath);
	const pending = writtenDrafts.get(engine.index)?.get(emailPath);
	if (!pending) return indexed;
	for (const path of [...pending]) {
		// Seen by the index (its own answer counts from now on), or gone.
		const file = fileByPath(engine.app.vault, path);
		if (!file || indexed.includes(path) || engine.app.metadataCache.getFileCache(file)) pending.delete(path);
		else indexed.push(path);
	}
	return indexed;
}

function indexedDrafts(engine: Engine, emailPath: string): string[] {
	return engine.index.backlinksOf(emailPath).filter((source) => {
		const f = fileByPath(engine.app.vault, source);
		if (!f) return false;
		const cache = engine.app.metadataCache.getFileCache(f);
		if (cache?.frontmatter?.type !== "email-draft") return false;
		// A draft's context section links to other emails of the thread; only `original` counts.
		const original = cache.frontmatterLinks?.find((l) => l.key === "original");
		return !!original && engine.app.metadataCache.getFirstLinkpathDest(linkpathOf(original.link), source)?.path === emailPath;
	});
}
