/**
 * Your voice: a few of your own recent sent emails, shown to the model as examples of how you
 * write. They are the same from one draft to the next, so together with the system prompt
 * they make a stable prefix long enough for Anthropic's prompt cache.
 */
import type { AppSlice } from "../host/slice";
import { fileByPath } from "../host/slice";
import { parseEmailNote } from "../email/parse";
import { clip } from "../context/summarize";
import type { VaultIndex } from "../context/vaultIndex";

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
