/**
 * How compact the context is: the tokens of what the model is sent (the prompt cards)
 * against the raw text of the notes those cards draw on, over every email of a vault.
 * Issue 9's goal is at most half.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { HeadlessApp, type TFile } from "../headless/host";
import { VaultIndex } from "../src/context/vaultIndex";
import { buildContext, contextOptionsFrom } from "../src/context/build";
import { readEmail } from "../src/email/parse";
import { normalizeSettings, type DrafterSettings } from "../src/settings";

export interface TokenRatio {
	emails: number;
	contextTokens: number;
	rawTokens: number;
	ratio: number;
}

export async function tokenRatio(dir: string, emailPaths: string[] | null, settings?: Partial<DrafterSettings>): Promise<TokenRatio> {
	const app = await HeadlessApp.load(dir);
	const dataJson = path.join(dir, ".obsidian/plugins/email-reply-drafter/data.json");
	const s = normalizeSettings(settings ?? (existsSync(dataJson) ? JSON.parse(readFileSync(dataJson, "utf8")) : {}));
	const index = new VaultIndex(app, s);
	index.build();
	await index.enrichInlineFields();
	// Every note or .eml that reads as an email, unless a list is given.
	const paths = emailPaths ?? app.vault.getFiles().map((f) => f.path).filter((p) => /\.(md|eml)$/i.test(p));
	let contextTokens = 0;
	let rawChars = 0;
	let emails = 0;
	for (const p of paths) {
		const file = app.vault.getAbstractFileByPath(p) as TFile | null;
		if (!file) continue;
		try {
			const email = await readEmail(app, file);
			// Mail you sent is not answered.
			if (email.from && s.userAddresses.includes(email.from.address)) continue;
			// A fixed day and zone, so that runs compare.
			const ctx = await buildContext(app, index, email, contextOptionsFrom({ ...s, timeZone: "UTC" }, { now: new Date("2026-11-25T10:00:00Z") }));
			if (!ctx.sourceChars) continue;
			contextTokens += ctx.tokens;
			rawChars += ctx.sourceChars;
			emails++;
		} catch {
			// Not an email after all: not part of the measure.
		}
	}
	const rawTokens = Math.ceil(rawChars / 4);
	return { emails, contextTokens, rawTokens, ratio: rawTokens ? contextTokens / rawTokens : 0 };
}
