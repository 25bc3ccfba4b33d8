/**
 * The vendored reply-splitting corpora (tests/fixtures, each with its licence) read as the
 * plugin reads them: header-block notes through parseEmailNote, `.eml` files through parseEml.
 * Shared by the real-world report test and the per-case regression tests.
 */
import { readdirSync, readFileSync, existsSync } from "fs";
import * as path from "path";
import { parseEmailNote, parseEml } from "../../src/email/parse";

export const FIXTURES = path.resolve(__dirname, "../fixtures");
export const REPLY_SPLIT = path.join(FIXTURES, "reply-split");
export const EMAIL_REPLY = path.join(FIXTURES, "email-reply");

export interface CorpusCase {
	source: string;
	id: string;
	file: string;
	expected?: string;
	mustContain?: string[];
	mustNotContain?: string[];
	leak?: string[];
	tags?: string[];
}

interface CasesJson {
	source: string;
	cases: Array<Omit<CorpusCase, "source">>;
}

/** Every case of every source folder, the ten talon standard replies included. */
export function corpusCases(): CorpusCase[] {
	const out: CorpusCase[] = [];
	for (const folder of readdirSync(REPLY_SPLIT).sort()) {
		const json = path.join(REPLY_SPLIT, folder, "cases.json");
		if (!existsSync(json)) continue;
		const data = JSON.parse(readFileSync(json, "utf8")) as CasesJson;
		for (const c of data.cases) out.push({ ...c, source: folder, file: path.join(REPLY_SPLIT, folder, c.file) });
	}
	const standard = path.join(REPLY_SPLIT, "talon-standard-replies");
	for (const name of readdirSync(standard).filter((f) => f.endsWith(".eml")).sort()) {
		out.push({ source: "talon-standard-replies", id: name.replace(/\.eml$/, ""), file: path.join(standard, name), expected: "Hello" });
	}
	return out;
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
	return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The newest message the plugin reads from a corpus file. */
export async function newestOf(file: string): Promise<string> {
	if (file.endsWith(".eml")) return (await parseEml(path.basename(file), toArrayBuffer(readFileSync(file)))).newestMessage;
	return parseEmailNote(path.basename(file), readFileSync(file, "utf8")).newestMessage;
}

/** Whitespace normalised, as the corpora's READMEs ask. */
export function normalize(text: string): string {
	return text.replace(/\s+/g, " ").trim();
}

export type Verdict = "agree" | "sign-off kept" | "differ";

/**
 * A sign-off and name under the message: a few short lines ("Thanks,\nAna", "Regards, Roman",
 * "Sent from my iPhone" is not one). We keep these; several parsers drop them.
 */
export function isSignOff(extra: string): boolean {
	const lines = extra.split("\n").map((l) => l.trim()).filter(Boolean);
	return lines.length > 0 && lines.length <= 3 && lines.every((l) => l.length <= 40) && !/[?]/.test(extra);
}

export function judge(c: Pick<CorpusCase, "expected" | "mustContain" | "mustNotContain" | "leak">, actual: string): Verdict {
	const got = normalize(actual);
	const ok =
		(c.mustContain ?? []).every((s) => got.includes(normalize(s))) &&
		(c.mustNotContain ?? []).every((s) => !got.includes(normalize(s))) &&
		(c.leak ?? []).every((s) => !got.includes(normalize(s)));
	if (!ok) return "differ";
	if (c.expected === undefined) return "agree";
	const want = normalize(c.expected);
	if (got === want) return "agree";
	if (want && got.startsWith(want) && isSignOff(actual.slice(locate(actual, c.expected)))) return "sign-off kept";
	return "differ";
}

/** Where, in `actual`, the expected text ends (whitespace-insensitively). */
function locate(actual: string, expected: string): number {
	const words = normalize(expected).split(" ");
	let pos = 0;
	for (const w of words) {
		const at = actual.indexOf(w, pos);
		if (at < 0) return actual.length;
		pos = at + w.length;
	}
	return pos;
}

export function emailReplyNames(): string[] {
	return readdirSync(EMAIL_REPLY)
		.filter((f) => f.endsWith(".txt") && !f.endsWith(".expected.txt"))
		.map((f) => f.replace(/\.txt$/, ""))
		.sort();
}
