/**
 * What the commands, ribbon and menus do, on top of the engine. Obsidian's UI (modals,
 * notices, clipboard, opening files) goes through `ui`, so tests can run every handler on
 * the headless host with the UI stubbed.
 */
import { App, Notice, Platform, TAbstractFile, TFile, TFolder } from "obsidian";
import { transportLimits, type DrafterSettings } from "../settings";
import type { AppSlice, EventRef, FileLike } from "../host/slice";
import { VaultIndex } from "../context/vaultIndex";
import { EmailError, emailSignal, textLooksLikeEmail } from "../email/parse";
import type { ContextItem, HeldBackItem } from "../context/build";
import { DraftError, type ClaudeConfig } from "../draft/claude";
import { draftReply, prepare, readDraftNote, redraft, type DraftOutcome, type Engine } from "../draft/engine";
import { draftBatch, findEmailFiles, type BatchResult } from "../draft/batch";
import { estimateCost } from "../draft/pricing";
import { replySubject } from "../email/subject";
import { mailtoUrl } from "../note/mailto";
import { requestUrlFetch } from "./requestUrlFetch";
import { ConfirmNoReplyModal, DraftProgressModal, PreviewContextModal, RedraftModal } from "./modals";

export interface ProgressView {
	signal: AbortSignal;
	setStatus(text: string): void;
	showText(soFar: string): void;
	close(): void;
}

export interface PreviewChoice {
	leaveOut: Set<string>;
	addBack: Set<string>;
}

export interface DrafterUi {
	progress(title: string): ProgressView;
	askInstructions(): Promise<string | null>;
	/**
	 * Resolves with the paths left out (a set), or with those and the held-back items added
	 * back; null when cancelled.
	 */
	previewContext(items: ContextItem[], heldBack?: HeldBackItem[]): Promise<Set<string> | PreviewChoice | null>;
	/** Asks before drafting a reply to an email that triage says needs none; true to draft anyway. */
	confirmNoReply(subject: string, reason: string): Promise<boolean>;
	notify(message: string, timeoutMs?: number): void;
	copyText(text: string): Promise<void>;
	openUrl(url: string): void;
	openFile(file: FileLike, newTab: boolean): Promise<void>;
	/** Shows batch progress; returns a function that updates it and one that removes it. */
	batchStatus(onCancel: () => void): { update(text: string): void; done(): void };
	/** How to stop a running batch, on this platform. */
	cancelBatchHint(): string;
}

const CANCEL_COMMAND = "Cancel batch drafting";

/**
 * Batch progress on desktop: a status bar counter that cancels when clicked. Mobile has no
 * status bar (addStatusBarItem does nothing there), so progress is a notice that stays until
 * the batch ends, and the command cancels.
 */
function statusBarProgress(statusBar: () => HTMLElement, onCancel: () => void): { update(text: string): void; done(): void } {
	const el = statusBar();
	el.addClass("email-reply-drafter-batch");
	el.setAttr("aria-label", "Click to cancel");
	const click = (): void => onCancel();
	el.addEventListener("click", click);
	return {
		update: (text) => el.setText(`${text} (click to cancel)`),
		done: () => {
			el.removeEventListener("click", click);
			el.remove();
		},
	};
}

function noticeProgress(): { update(text: string): void; done(): void } {
	const message = (text: string): string => `${text}\nRun "${CANCEL_COMMAND}" to stop.`;
	let notice: Notice | null = null;
	return {
		update: (text) => {
			if (notice) notice.setMessage(message(text));
			else notice = new Notice(message(text), 0);
		},
		done: () => notice?.hide(),
	};
}

export function obsidianUi(app: App, statusBar: () => HTMLElement): DrafterUi {
	return {
		progress: (title) => {
			const modal = new DraftProgressModal(app, title);
			modal.open();
			return { signal: modal.controller.signal, setStatus: (t) => modal.setStatus(t), showText: (t) => modal.showText(t), close: () => modal.finish() };
		},
		askInstructions: () => new Promise((resolve) => new RedraftModal(app, resolve).open()),
		previewContext: (items, heldBack) =>
			new Promise((resolve) => new PreviewContextModal(app, items, (leaveOut, addBack) => resolve(leaveOut ? { leaveOut, addBack: addBack ?? new Set() } : null), heldBack).open()),
		confirmNoReply: (subject, reason) => new Promise((resolve) => new ConfirmNoReplyModal(app, subject, reason, resolve).open()),
		notify: (message, timeoutMs) => {
			new Notice(message, timeoutMs);
		},
		copyText: (text) => navigator.clipboard.writeText(text),
		openUrl: (url) => {
			window.open(url);
		},
		openFile: async (file, newTab) => {
			const target = app.vault.getAbstractFileByPath(file.path);
			if (target instanceof TFile) await app.workspace.getLeaf(newTab ? "tab" : false).openFile(target);
		},
		batchStatus: (onCancel) => (Platform.isMobile ? noticeProgress() : statusBarProgress(statusBar, onCancel)),
		cancelBatchHint: () =>
			Platform.isMobile ? `Run "${CANCEL_COMMAND}" from the command palette to stop it.` : `Click its status bar counter, or run "${CANCEL_COMMAND}", to stop it.`,
	};
}

export class DrafterController {
	readonly index: VaultIndex;
	private headerBlockNotes = new Map<string, { mtime: number; email: boolean }>();
	private batchAbort: AbortController | null = null;

	constructor(
		private readonly app: App,
		private readonly settings: () => DrafterSettings,
		readonly ui: DrafterUi,
	) {
		this.index = new VaultIndex(this.engineApp, this.settings());
	}

	/** The real App is the engine's slice; this line is the compile-time proof. */
	get engineApp(): AppSlice {
		return this.app;
	}

	/** Aborted when the plugin unloads: background work checks it between steps. */
	private readonly lifetime = new AbortController();

	get stopped(): boolean {
		return this.lifetime.signal.aborted;
	}

	/**
	 * A draft stops when its dialog is cancelled or the plugin unloads, so a disabled plugin
	 * never writes a note later. (AbortSignal.any is missing from older iOS WebViews.)
	 */
	private untilUnload(signal: AbortSignal): AbortSignal {
		const both = new AbortController();
		const abort = (): void => both.abort();
		for (const s of [signal, this.lifetime.signal]) {
			if (s.aborted) both.abort();
			else s.addEventListener("abort", abort, { once: true });
		}
		return both.signal;
	}

	/**
	 * Subscribes to the metadata cache and builds the index from it in slices (called once
	 * the layout is ready), then reads the few notes that may hold inline fields. After
	 * unload (a plugin disabled before the layout was ready) it does nothing.
	 */
	start(): EventRef[] {
		if (this.stopped) return [];
		const refs = this.index.attach();
		const signal = this.lifetime.signal;
		// Each slice waits for the next task; after unload the wait fails and the build stops.
		const nextSlice = (): Promise<void> =>
			new Promise((resolve, reject) => window.setTimeout(() => (signal.aborted ? reject(new Error("unloaded")) : resolve()), 0));
		void this.index
			.buildGradually(nextSlice)
			.then(() => (signal.aborted ? 0 : this.index.enrichInlineFields(signal)))
			.catch(() => undefined);
		return refs;
	}

	private rebuildTimer: number | null = null;

	/** Settings are saved on every keystroke; the index follows once typing pauses. */
	settingsChanged(): void {
		if (this.rebuildTimer !== null) window.clearTimeout(this.rebuildTimer);
		this.rebuildTimer = window.setTimeout(() => {
			this.rebuildTimer = null;
			this.index.setOptions(this.settings());
		}, 600);
	}

	stop(): void {
		this.lifetime.abort();
		if (this.rebuildTimer !== null) window.clearTimeout(this.rebuildTimer);
		this.rebuildTimer = null;
		this.cancelBatch();
	}

	private ensureIndex(): void {
		if (!this.index.isBuilt) this.index.build();
	}

	/** Obsidian's requestUrl: no streaming, but no CORS trouble and it works on every platform. */
	bufferedConfig(): ClaudeConfig | null {
		const settings = this.settings();
		const key = settings.apiKeySecretName ? this.app.secretStorage.getSecret(settings.apiKeySecretName) : null;
		if (!key) return null;
		return { apiKey: key, baseURL: settings.baseUrl || undefined, browser: true, fetch: requestUrlFetch(), stream: false, limits: transportLimits(settings) };
	}

	private claudeConfig(): ClaudeConfig | null {
		const buffered = this.bufferedConfig();
		if (!buffered) return null;
		// Why window.fetch and not requestUrl here: requestUrl returns the whole response at
		// once and takes no abort signal, so with it the draft could neither appear as Claude
		// writes it nor be cancelled (Cancel, closing the dialog, unloading the plugin). The
		// Messages API streams server-sent events and allows direct calls from a browser
		// (CORS, with the `anthropic-dangerous-direct-browser-access` header the SDK sends
		// for dangerouslyAllowBrowser), so on desktop fetch streams and aborts. The request
		// goes only to the configured base URL, never the process environment's (createClient).
		// Mobile, and any proxy that refuses a browser call, get requestUrl (buffered).
		if (Platform.isDesktopApp) return { ...buffered, fetch: (input, init) => window.fetch(input, init), stream: true, fallback: buffered };
		return buffered;
	}

	engine(): Engine {
		this.ensureIndex();
		return { app: this.engineApp, index: this.index, settings: this.settings(), claude: this.claudeConfig() };
	}

	/** Synchronous (for checkCallback): from the metadata cache, or what reading the note showed. */
	isEmailFile(file: TAbstractFile | null): file is TFile {
		if (!(file instanceof TFile)) return false;
		const signal = emailSignal(file, file.extension === "md" ? this.app.metadataCache.getFileCache(file) : null, this.settings());
		if (signal !== null) return signal;
		const seen = this.headerBlockNotes.get(file.path);
		return !!seen && seen.mtime === file.stat.mtime && seen.email;
	}

	/** Reads an opened note once to tell whether it is a pasted email (a header block). */
	async noteOpened(file: TFile | null): Promise<void> {
		if (!file || file.extension !== "md") return;
		const signal = emailSignal(file, this.app.metadataCache.getFileCache(file), this.settings());
		if (signal !== null) return;
		const seen = this.headerBlockNotes.get(file.path);
		if (seen && seen.mtime === file.stat.mtime) return;
		const text = await this.app.vault.cachedRead(file);
		this.headerBlockNotes.set(file.path, { mtime: file.stat.mtime, email: textLooksLikeEmail(text) });
	}

	isDraftNote(file: TAbstractFile | null): file is TFile {
		return file instanceof TFile && this.app.metadataCache.getFileCache(file)?.frontmatter?.type === "email-draft";
	}

	/** A failure, named by the action that failed ("Could not copy the reply. …"). */
	private report(error: unknown, file: FileLike | undefined, failed: string): void {
		if (error instanceof DraftError && error.kind === "cancelled") {
			this.ui.notify("Drafting cancelled. No note was written.");
			return;
		}
		const message = error instanceof Error ? error.message : String(error);
		const prefix = error instanceof EmailError || !file ? "" : `${file.path}: `;
		this.ui.notify(`${failed}. ${prefix}${message}`, 10000);
	}

	private done(outcome: DraftOutcome): void {
		if (outcome.linkBackSkipped) this.ui.notify(`The draft is written, but reply_draft was not added to the email: ${outcome.linkBackSkipped}.`, 10000);
		if (outcome.status === "incomplete") {
			this.ui.notify(`Draft written to ${outcome.draftPath}, but the reply was cut off at the output limit (marked incomplete). Finish it by hand, or raise Max output tokens and redraft.`, 12000);
			return;
		}
		if (outcome.offline) {
			this.ui.notify(`Offline outline written to ${outcome.draftPath}. Add an API key in settings to draft with Claude.`, 8000);
			return;
		}
		const cost = estimateCost(outcome.model, outcome.usage);
		const u = outcome.usage;
		this.ui.notify(
			`Draft written to ${outcome.draftPath}. ${u.inputTokens} input, ${u.outputTokens} output, ${u.cacheReadTokens} cached tokens${cost === null ? "" : `, about $${cost.toFixed(4)}`}.`,
			8000,
		);
	}

	/** "Draft reply" on one email; with `preview`, the user first chooses the context. */
	async draft(file: TFile, options: { preview?: boolean } = {}): Promise<DraftOutcome | null> {
		const engine = this.engine();
		let progress: ProgressView | null = null;
		try {
			let prepared = await prepare(engine, file);
			// Triage says no reply is needed: ask first, saying why (your own sent email gets a follow-up instead).
			if (prepared.mode === "reply-not-needed" && !(await this.ui.confirmNoReply(prepared.email.subject || file.basename, prepared.triage.reason ?? "no question or request"))) return null;
			if (options.preview) {
				const samples: ContextItem[] = prepared.styleSamples.map((s) => ({ section: "samples", path: s.path, name: s.title, date: s.date, markdown: s.text, tokens: Math.ceil(s.text.length / 4) }));
				const choice = await this.ui.previewContext(engine.claude ? [...prepared.context.items, ...samples] : prepared.context.items, prepared.context.heldBack);
				if (!choice) return null;
				const { leaveOut, addBack } = choice instanceof Set ? { leaveOut: choice, addBack: new Set<string>() } : choice;
				if (leaveOut.size || addBack.size) prepared = await prepare(engine, file, { leaveOut, addBack });
			}
			progress = this.ui.progress(engine.claude ? `Drafting a reply to ${prepared.email.subject || file.basename}` : "Writing an offline outline");
			progress.setStatus(engine.claude ? `Asking ${engine.settings.model}…` : "No API key: writing an outline.");
			const view = progress;
			const outcome = await draftReply(engine, prepared, { force: true, signal: this.untilUnload(view.signal), onText: (_d, soFar) => view.showText(soFar) });
			view.close();
			progress = null;
			this.done(outcome);
			await this.ui.openFile(outcome.draft, engine.settings.openDraftInNewTab);
			return outcome;
		} catch (error) {
			progress?.close();
			this.report(error, file, "Could not draft a reply");
			return null;
		}
	}

	async redraft(file: TFile): Promise<DraftOutcome | null> {
		const instructions = await this.ui.askInstructions();
		if (!instructions) return null;
		const engine = this.engine();
		const progress = this.ui.progress("Redrafting with your instructions");
		try {
			const outcome = await redraft(engine, file, instructions, { signal: this.untilUnload(progress.signal), onText: (_d, soFar) => progress.showText(soFar) });
			progress.close();
			this.done(outcome);
			await this.ui.openFile(outcome.draft, engine.settings.openDraftInNewTab);
			return outcome;
		} catch (error) {
			progress.close();
			this.report(error, file, "Could not redraft");
			return null;
		}
	}

	async copyReply(file: TFile): Promise<void> {
		try {
			const info = await readDraftNote(this.engineApp, file);
			await this.ui.copyText(info.reply);
			this.ui.notify("Reply copied to the clipboard.");
		} catch (error) {
			this.report(error, file, "Could not copy the reply");
		}
	}

	async openInMailApp(file: TFile): Promise<void> {
		try {
			const info = await readDraftNote(this.engineApp, file);
			const fm = this.app.metadataCache.getFileCache(file)?.frontmatter ?? {};
			const to = typeof fm.to === "string" ? fm.to : "";
			const subject = typeof fm.subject === "string" ? fm.subject : replySubject("");
			const cc = Array.isArray(fm.cc) ? fm.cc.filter((a): a is string => typeof a === "string") : [];
			this.ui.openUrl(mailtoUrl(to, subject, info.reply, cc));
		} catch (error) {
			this.report(error, file, "Could not open the reply in your mail app");
		}
	}

	/** "Draft replies for emails needing a reply" on a folder or a selection. */
	async draftMany(targets: TAbstractFile[]): Promise<BatchResult | null> {
		if (this.batchAbort) {
			this.ui.notify(`A batch is already drafting. ${this.ui.cancelBatchHint()}`);
			return null;
		}
		if (this.stopped) return null;
		const engine = this.engine();
		const files: FileLike[] = [];
		for (const target of targets) {
			if (target instanceof TFolder) files.push(...(await findEmailFiles(engine, target.path)));
			else if (target instanceof TFile && (this.isEmailFile(target) || (await this.looksLikeEmail(target)))) files.push(target);
		}
		const unique = [...new Map(files.map((f) => [f.path, f])).values()];
		if (!unique.length) {
			this.ui.notify("No emails found there.");
			return null;
		}
		this.batchAbort = new AbortController();
		const status = this.ui.batchStatus(() => this.cancelBatch());
		status.update(`Drafting 0/${unique.length}…`);
		try {
			const result = await draftBatch(engine, unique, {
				signal: this.batchAbort.signal,
				concurrency: engine.settings.batchConcurrency,
				onProgress: ({ done, total }) => status.update(`Drafting ${done}/${total}…`),
			});
			const parts = [`${result.drafted.length} drafted`, `${result.skipped.length} skipped`];
			if (result.failed.length) parts.push(`${result.failed.length} failed (${result.failed.map((f) => f.path).slice(0, 3).join(", ")})`);
			this.ui.notify(`${result.cancelled ? "Batch cancelled" : "Batch done"}: ${parts.join(", ")}.`, 10000);
			return result;
		} finally {
			status.done();
			this.batchAbort = null;
		}
	}

	isBatchRunning(): boolean {
		return this.batchAbort !== null;
	}

	cancelBatch(): boolean {
		if (!this.batchAbort) return false;
		this.batchAbort.abort();
		return true;
	}

	private async looksLikeEmail(file: TFile): Promise<boolean> {
		if (file.extension !== "md") return false;
		await this.noteOpened(file);
		return this.isEmailFile(file);
	}
}
