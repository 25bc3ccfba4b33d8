/**
 * The engine: email → context → draft → note. Both hosts call it, the plugin with the real
 * `App`, the CLI and the tests with the headless one. A failed or cancelled draft writes no
 * note at all, so nothing half-finished ever looks like a draft.
 */
import type { AppSlice, FileLike } from "../host/slice";
import { fileByPath } from "../host/slice";
import type { DrafterSettings } from "../settings";
import { EmailError, readEmail, type ParsedEmail } from "../email/parse";
import { findAsks, needsReply, type NeedsReply } from "../email/triage";
import { extractTopics } from "../email/topics";
import { buildContext, contextOptionsFrom, type VaultContext } from "../context/build";
import type { VaultIndex } from "../context/vaultIndex";
import { buildPrompt, splitTopics } from "./prompt";
import { DraftError, requestDraft, type ClaudeConfig } from "./claude";
import { offlineOutline } from "./offline";
import { estimateCost, NO_USAGE, type Usage } from "./pricing";
import { renderDraftNote, replyFromDraftNote } from "../note/render";
import { createDraftNote, draftBaseName, draftFolder, linkBack } from "../note/write";
import { linkpathOf } from "../host/path";
import { fileCacheWhenReady } from "../host/cacheReady";
import { readStyleSamples, type StyleSample } from "./samples";
import { asksForPrompt, emailForPrompt, PROMPT_MESSAGE_CHARS, PROMPT_MESSAGE_CHARS_RETRY } from "./limits";

export interface Engine {
	app: AppSlice;
	index: VaultIndex;
	settings: DrafterSettings;
	/** How to reach Claude; null means offline (no key). */
	claude: ClaudeConfig | null;
	now?: () => Date;
}

export interface Prepared {
	file: FileLike;
	email: ParsedEmail;
	triage: NeedsReply;
	topics: string[];
	asks: string[];
	context: VaultContext;
	/** Your own recent emails, sent to the model as examples of your voice. */
	styleSamples: StyleSample[];
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

export async function prepare(engine: Engine, file: FileLike, options: PrepareOptions = {}): Promise<Prepared> {
	const { app, index, settings } = engine;
	// Every entry point (command, menu, preview, redraft, batch, CLI) comes through here.
	if (index.isExcludedPath(file.path)) throw new EmailError(file.path, EXCLUDED);
	const email = await readEmail(app, file, settings);
	const triage = needsReply(email, settings.userAddresses);
	const participantNames = [email.from, ...email.to, ...email.cc].flatMap((a) => (a?.name ? [a.name] : []));
	const topics = extractTopics(email.subject, email.newestMessage, [...participantNames, settings.userName]);
	const asks = findAsks(email.newestMessage);
	const context = await buildContext(app, index, email, contextOptionsFrom(settings, {
		tokenBudget: options.tokenBudget ?? settings.contextTokenBudget,
		leaveOut: options.leaveOut,
		addBack: options.addBack,
		now: engine.now?.() ?? new Date(),
	}));
	const styleSamples = await readStyleSamples(app, index, settings.userAddresses, settings.styleSamples, { exclude: file.path, leaveOut: options.leaveOut });
	return { file, email, triage, topics, asks, context, styleSamples };
}

export interface DraftOptions {
	offline?: boolean;
	model?: string;
	signal?: AbortSignal;
	onText?: (delta: string, soFar: string) => void;
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
	prepared: Prepared;
	linkedBack: boolean;
	/** Why the link back was not added (the draft itself is fine), when it was asked for. */
	linkBackSkipped: string | null;
}

async function callClaude(engine: Engine, prepared: Prepared, options: DraftOptions, model: string): Promise<{ reply: string; topics: string[]; usage: Usage; model: string; prepared: Prepared }> {
	const config = engine.claude;
	if (!config) throw new DraftError("auth", "No API key is set.");
	const attempt = async (p: Prepared, threadChars: number, messageChars: number): Promise<{ reply: string; topics: string[]; usage: Usage; model: string }> => {
		const prompt = buildPrompt(engine.settings, {
			// Bounded copies: a huge email is cut with a marker, never sent whole.
			email: emailForPrompt(p.email, messageChars),
			reason: p.triage.reason,
			asks: asksForPrompt(p.asks),
			contextMarkdown: p.context.markdown,
			threadChars,
			instructions: options.instructions,
			previousDraft: options.previousDraft?.reply,
			styleSamples: p.styleSamples,
		});
		const result = await requestDraft(
			config,
			{ model, maxTokens: engine.settings.maxOutputTokens, temperature: engine.settings.temperature, prompt },
			{ signal: options.signal, onText: options.onText },
		);
		const { reply, topics } = splitTopics(result.text);
		return { reply, topics, usage: result.usage, model: result.model };
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

export async function draftReply(engine: Engine, prepared: Prepared, options: DraftOptions = {}): Promise<DraftOutcome> {
	const offline = options.offline === true || engine.claude === null;
	const model = options.model?.trim() || engine.settings.model;
	let reply: string;
	let topics = prepared.topics;
	let usage: Usage = { ...NO_USAGE };
	let usedModel = model;
	let finalPrepared = prepared;
	// A drafts folder outside the vault is refused before anything is sent (or paid for).
	draftFolder(prepared.file, engine.settings);
	if (offline) {
		reply = offlineOutline(engine.settings, prepared.email, prepared.asks);
	} else {
		const result = await callClaude(engine, prepared, options, model);
		reply = result.reply;
		if (result.topics.length) topics = result.topics;
		usage = result.usage;
		usedModel = result.model;
		finalPrepared = result.prepared;
	}
	if (options.signal?.aborted) throw new DraftError("cancelled", "Drafting was cancelled.");

	const now = engine.now?.() ?? new Date();
	const costUsd = offline ? 0 : estimateCost(usedModel, usage);
	const content = renderDraftNote({
		email: finalPrepared.email,
		emailPath: finalPrepared.file.path,
		reason: finalPrepared.triage.reason,
		topics,
		context: finalPrepared.context,
		reply,
		model: usedModel,
		offline,
		usage,
		costUsd,
		created: now,
		form: engine.settings.collapsibleForm,
		ownAddresses: engine.settings.userAddresses,
		// Samples are listed only when the model saw them.
		styleSamples: offline ? [] : finalPrepared.styleSamples,
		version: options.previousDraft ? options.previousDraft.version + 1 : undefined,
		previousDraftPath: options.previousDraft?.path,
		instructions: options.instructions,
	});
	const folder = draftFolder(finalPrepared.file, engine.settings);
	const base = draftBaseName(finalPrepared.file, engine.settings.fileNameTemplate, finalPrepared.email.subject, now);
	const draft = await createDraftNote(engine.app, folder, base, content);
	rememberDraft(engine, finalPrepared.file.path, draft.path);
	// The draft is written whole; the link back never fails it (a reason is returned instead).
	const link = engine.settings.linkBackToOriginal ? await linkBack(engine.app, finalPrepared.file, draft) : null;
	const linkedBack = link?.linked === true;
	const linkBackSkipped = link && !link.linked ? link.reason : null;
	return { draft, draftPath: draft.path, model: offline ? "offline" : usedModel, offline, usage, costUsd, reply, topics, prepared: finalPrepared, linkedBack, linkBackSkipped };
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
