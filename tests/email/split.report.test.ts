/**
 * The real-world report: every case of the vendored reply-split corpus (seven public reply
 * parsers' test suites) and the email-reply-parser fixtures, read as the plugin reads them,
 * with per-source agreement printed on every run.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { splitReply } from "../../src/email/split";
import { corpusCases, newestOf, judge, normalize, emailReplyNames, EMAIL_REPLY, type Verdict } from "./corpus";

const cases = corpusCases();

describe("real-world report: the reply-split corpus", () => {
	it("prints per-source agreement", async () => {
		const bySource = new Map<string, { agree: number; signOff: number; total: number; differ: string[] }>();
		for (const c of cases) {
			let actual = "";
			let verdict: Verdict;
			try {
				actual = await newestOf(c.file);
				verdict = judge(c, actual);
			} catch (e) {
				verdict = "differ";
				actual = `ERROR ${String(e)}`;
			}
			const s = bySource.get(c.source) ?? { agree: 0, signOff: 0, total: 0, differ: [] };
			s.total++;
			if (verdict === "agree") s.agree++;
			else if (verdict === "sign-off kept") s.signOff++;
			else s.differ.push(c.id);
			bySource.set(c.source, s);
			if (verdict === "differ" && process.env.SPLIT_DEBUG) console.debug(`--- ${c.source}/${c.id}\nEXPECTED: ${JSON.stringify(c.expected ?? c.mustContain)}\nGOT: ${JSON.stringify(actual)}`);
		}
		const lines = [...bySource].map(([source, s]) => `${source}: ${s.agree + s.signOff}/${s.total} (${(((s.agree + s.signOff) / s.total) * 100).toFixed(0)}%; ${s.signOff} keep a sign-off the source drops)${s.differ.length ? `; differ: ${s.differ.join(", ")}` : ""}`);
		console.debug(`reply-split corpus\n${lines.join("\n")}`);
		expect(cases.length).toBeGreaterThan(200);
	});
});

describe("real-world report: email-reply-parser fixtures", () => {
	it("prints agreement", () => {
		const names = emailReplyNames();
		const differ: string[] = [];
		const signOff: string[] = [];
		for (const name of names) {
			const input = readFileSync(path.join(EMAIL_REPLY, `${name}.txt`), "utf8");
			const expected = readFileSync(path.join(EMAIL_REPLY, `${name}.expected.txt`), "utf8");
			const actual = splitReply(input).newest;
			const v = judge({ expected }, actual);
			if (v === "differ") differ.push(name);
			if (v === "sign-off kept") signOff.push(name);
			if (v === "differ" && process.env.SPLIT_DEBUG) console.debug(`--- ${name}\nEXPECTED: ${JSON.stringify(normalize(expected))}\nGOT: ${JSON.stringify(normalize(actual))}`);
		}
		console.debug(`email-reply-parser: ${names.length - differ.length}/${names.length}; sign-off kept: ${signOff.join(", ") || "none"}; differ: ${differ.join(", ")}`);
	});
});
