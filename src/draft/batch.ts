/**
 * Many emails at once: finding the email files under a folder, triage over them, and the
 * batch drafter behind "Draft replies for emails needing a reply" (a concurrency limit,
 * progress, cancel, and skipping emails that need no reply or already have a draft).
 */
import { ownAddressesOf } from "../context/ownAddresses";
import type { FileLike } from "../host/slice";
import { isFolder, isFile } from "../host/slice";
import { isInFolder } from "../host/path";
import { EmailError, emailSignal, readEmail, textLooksLikeEmail } from "../email/parse";
import { needsReply } from "../email/triage";
import { addressesOn, draftReply, existingDrafts, prepare, type DraftOutcome, type Engine } from "./engine";
import { DraftError } from "./claude";

/** Email files (notes and `.eml`) under a folder, in path order. Header-block notes are read to tell. */
export async function findEmailFiles(engine: Engine, folder = ""): Promise<FileLike[]> {
	const { app, settings } = engine;
	const root = folder.replace(/^\/+|\/+$/g, "");
	if (root && !isFolder(app.vault.getAbstractFileByPath(root))) throw new EmailError(root, "no such folder in the vault");
	const out: FileLike[] = [];
	for (const file of app.vault.getFiles()) {
		if (root && !isInFolder(file.path, root)) continue;
		if (engine.index.isExcludedPath(file.path)) continue;
		const signal = emailSignal(file, file.extension === "md" ? app.metadataCache.getFileCache(file) : null, settings);
		if (signal === true) out.push(file);
		else if (signal === null && file.stat.size < 2 * 1024 * 1024 && textLooksLikeEmail(await app.vault.cachedRead(file))) out.push(file);
	}
	return out.sort((a, b) => a.path.localeCompare(b.path));
}

export interface TriageRow {
	path: string;
	needsReply: boolean;
	reason: string | null;
	error?: string;
}

export async function triageFolder(engine: Engine, folder = "", onProgress?: (done: number, total: number) => void): Promise<TriageRow[]> {
	const rows: TriageRow[] = [];
	const files = await findEmailFiles(engine, folder);
	// Your addresses per set of people on an email (a mailbox's emails share many), and each
	// address's number of emails, worked out once for the folder.
	const ownFor = new Map<string, string[]>();
	const counts = new Map<string, number>();
	for (const file of files) {
		onProgress?.(rows.length, files.length);
		try {
			const email = await readEmail(engine.app, file, engine.settings);
			// Mail from you needs no reply: your addresses, else the one the vault shows (ownAddresses.ts).
			const people = addressesOn(email);
			const key = people.map((p) => `${p.address.toLowerCase()} ${p.name}`).sort().join("\n");
			let own = ownFor.get(key);
			if (!own) {
				own = ownAddressesOf(engine.settings.userAddresses, engine.index, people, engine.settings.userName, counts).addresses;
				ownFor.set(key, own);
			}
			const verdict = needsReply(email, own);
			rows.push({ path: file.path, needsReply: verdict.needed, reason: verdict.reason });
		} catch (error) {
			rows.push({ path: file.path, needsReply: false, reason: null, error: error instanceof Error ? error.message : String(error) });
		}
	}
	onProgress?.(rows.length, files.length);
	return rows;
}

export interface BatchOptions {
	concurrency?: number;
	signal?: AbortSignal;
	offline?: boolean;
	onProgress?: (progress: { done: number; total: number; path: string; outcome: "drafted" | "skipped" | "failed" }) => void;
}

export interface BatchResult {
	drafted: DraftOutcome[];
	skipped: Array<{ path: string; reason: string }>;
	failed: Array<{ path: string; error: string }>;
	cancelled: boolean;
	/** The most drafts that were in flight at once (the concurrency limit held). */
	peakConcurrency: number;
}

export async function draftBatch(engine: Engine, files: FileLike[], options: BatchOptions = {}): Promise<BatchResult> {
	const limit = Math.max(1, options.concurrency ?? engine.settings.batchConcurrency);
	const result: BatchResult = { drafted: [], skipped: [], failed: [], cancelled: false, peakConcurrency: 0 };
	const queue = files.filter((f) => isFile(f));
	let next = 0;
	let done = 0;
	let inFlight = 0;
	const report = (path: string, outcome: "drafted" | "skipped" | "failed"): void => {
		done++;
		options.onProgress?.({ done, total: queue.length, path, outcome });
	};

	const worker = async (): Promise<void> => {
		while (next < queue.length) {
			if (options.signal?.aborted) {
				result.cancelled = true;
				return;
			}
			const file = queue[next++];
			if (!file) return;
			if (engine.index.isExcludedPath(file.path)) {
				result.skipped.push({ path: file.path, reason: "excluded by your settings" });
				report(file.path, "skipped");
				continue;
			}
			if (existingDrafts(engine, file.path).length) {
				result.skipped.push({ path: file.path, reason: "already has a draft" });
				report(file.path, "skipped");
				continue;
			}
			inFlight++;
			result.peakConcurrency = Math.max(result.peakConcurrency, inFlight);
			try {
				const prepared = await prepare(engine, file);
				if (!prepared.triage.needed) {
					result.skipped.push({ path: file.path, reason: prepared.triage.reason ?? "needs no reply" });
					report(file.path, "skipped");
					continue;
				}
				const outcome = await draftReply(engine, prepared, { offline: options.offline, signal: options.signal });
				result.drafted.push(outcome);
				report(file.path, "drafted");
			} catch (error) {
				if (error instanceof DraftError && error.kind === "cancelled") {
					result.cancelled = true;
					return;
				}
				result.failed.push({ path: file.path, error: error instanceof Error ? error.message : String(error) });
				report(file.path, "failed");
			} finally {
				inFlight--;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, () => worker()));
	if (options.signal?.aborted) result.cancelled = true;
	return result;
}
