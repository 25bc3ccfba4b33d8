/**
 * Your voice: a few of your own recent sent emails, shown to the model as examples of how you
 * write. They sit in the cached system prompt, so they must be the same bytes from one draft
 * to the next: they are picked from the index (no scan) and kept for the day, not re-read for
 * each email, so a sent email indexed at noon changes the samples tomorrow, not mid-batch.
 */
import type { AppSlice } from "../host/slice";
import { fileByPath } from "../host/slice";
import { parseEmailNote } from "../email/parse";
import { clip } from "../context/summarize";
import type { VaultIndex } from "../context/vaultIndex";
import type { DrafterSettings } from "../settings";

export interface StyleSample {
	path: string;
	date: string | null;
	title: string;
	text: string;
}

export async function readStyleSamples(
	app: AppSlice,
	index: VaultIndex,
	ownAddresses: readonly string[],
	count: number,
	options: { exclude?: string; leaveOut?: ReadonlySet<string> } = {},
): Promise<StyleSample[]> {
	const out: StyleSample[] = [];
	for (const sent of index.sentEmails(ownAddresses, count + 1)) {
		if (out.length >= count) break;
		if (sent.path === options.exclude || options.leaveOut?.has(sent.path)) continue;
		const file = fileByPath(app.vault, sent.path);
		if (!file) continue;
		try {
			const email = parseEmailNote(sent.path, await app.vault.cachedRead(file));
			const text = [email.newestMessage, email.signature].filter((t) => t.trim()).join("\n\n");
			if (text.trim()) out.push({ path: sent.path, date: sent.date, title: email.subject || file.basename, text: clip(text, 1000) });
		} catch {
			// A sent email that no longer parses is simply not a sample.
		}
	}
	return out;
}

/** One snapshot of the samples per vault index, refreshed when the day or the settings change. */
export class StyleSampleStore {
	private snapshot: { key: string; samples: StyleSample[] } | null = null;
	private pending: Promise<StyleSample[]> | null = null;
	private pendingKey = "";

	async get(app: AppSlice, index: VaultIndex, settings: DrafterSettings, now: Date): Promise<StyleSample[]> {
		const key = `${localDay(now)}|${settings.styleSamples}|${settings.userAddresses.join(",")}`;
		if (this.snapshot?.key === key) return this.snapshot.samples;
		// Drafts of a batch start together: they share one read.
		if (this.pending && this.pendingKey === key) return this.pending;
		this.pendingKey = key;
		this.pending = readStyleSamples(app, index, settings.userAddresses, settings.styleSamples).then((samples) => {
			this.snapshot = { key, samples };
			this.pending = null;
			return samples;
		});
		return this.pending;
	}

	/** Forget the snapshot (the next draft reads the samples again). */
	reset(): void {
		this.snapshot = null;
	}
}

function localDay(now: Date): string {
	return `${now.getFullYear()}-${now.getMonth() + 1}-${now.getDate()}`;
}

const stores = new WeakMap<VaultIndex, StyleSampleStore>();

/** The store that belongs to an index: every engine over the same vault shares it. */
export function sampleStoreFor(index: VaultIndex): StyleSampleStore {
	let store = stores.get(index);
	if (!store) {
		store = new StyleSampleStore();
		stores.set(index, store);
	}
	return store;
}
