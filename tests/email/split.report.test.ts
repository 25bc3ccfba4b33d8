/**
 * The real-world report: every case of the vendored reply-split corpus (the test suites of
 * eight public reply parsers, tests/fixtures/reply-split) read as the plugin reads it, with
 * per-source agreement printed on every run. The email-reply-parser fixtures have their own
 * test (split.fixtures.test.ts).
 */
import { describe, it, expect, beforeAll } from "@jest/globals";
import { corpusCases, newestOf, judge, normalize, type Verdict } from "./corpus";

/**
 * Cases where the source's convention differs from ours, or its expected text is one we are
 * sure is wrong. Agreement is also given without them; each is asserted below or in
 * split.cases.test.ts as the behaviour we chose.
 */
const DELIBERATE: Record<string, string> = {
	"discourse-trimmer/embedded_email_11":
		"`2016-03-03 17:21 GMT+01:00 Some One` has lost the address and colon of Gmail's attribution; nothing marks it as one (it reads as a log line), so it and the text under it stay.",
	"discourse-trimmer/embedded_email_16": "Discourse keeps `>` quoted text that has no attribution above it; by our convention several `>` lines are the quoted thread (as in email-reply-parser and talon).",
	"discourse-trimmer/embedded_email_17": "As embedded_email_16: Discourse keeps the `>` quoted lines in the reply.",
	"discourse-trimmer/quote_and_text": "As embedded_email_16: Discourse keeps `> This is a quote.` in the reply; we keep only the text under it.",
	"discourse-trimmer/quote_only": "A note that is nothing but a quote: we answer the quoted text (without the `>` markers); Discourse keeps the markers.",
	"discourse-trimmer/embedded_email_7":
		"Discourse's expected text keeps a `>` quote but drops the attribution line above it; we treat both as the thread and keep the text after them (its Supercite `C>` lines are quoted too).",
	"talon/test_dont_parse_quotations_for_forwarded_messages": "talon keeps a forwarded message in the reply; by our convention a forward's note is the message and the forwarded mail is the thread.",
};

const cases = corpusCases();

interface SourceResult {
	agree: number;
	signOff: number;
	total: number;
	differ: string[];
}

describe("real-world report: the reply-split corpus", () => {
	const results = new Map<string, SourceResult>();
	const actuals = new Map<string, string>();

	beforeAll(async () => {
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
			actuals.set(`${c.source}/${c.id}`, actual);
			const s = results.get(c.source) ?? { agree: 0, signOff: 0, total: 0, differ: [] };
			s.total++;
			if (verdict === "agree") s.agree++;
			else if (verdict === "sign-off kept") s.signOff++;
			else s.differ.push(c.id);
			results.set(c.source, s);
			if (verdict === "differ" && process.env.SPLIT_DEBUG) console.debug(`--- ${c.source}/${c.id}\nEXPECTED: ${JSON.stringify(c.expected ?? c.mustContain)}\nGOT: ${JSON.stringify(actual)}`);
		}
	});

	it("prints per-source agreement, and agrees on at least 90% of every source", () => {
		expect(cases.length).toBeGreaterThan(200);
		const lines = [...results].map(([source, s]) => {
			const rate = ((s.agree + s.signOff) / s.total) * 100;
			const deliberate = s.differ.filter((id) => DELIBERATE[`${source}/${id}`]).length;
			const matching = s.total - deliberate;
			const rateMatching = ((s.agree + s.signOff) / matching) * 100;
			return `${source}: ${s.agree + s.signOff}/${s.total} agree (${rate.toFixed(1)}%; ${s.signOff} keep a sign-off the source drops); where the convention matches ours ${s.agree + s.signOff}/${matching} (${rateMatching.toFixed(1)}%)${s.differ.length ? `; deliberate differences: ${s.differ.join(", ")}` : ""}`;
		});
		const total = [...results.values()].reduce((a, s) => ({ ok: a.ok + s.agree + s.signOff, n: a.n + s.total }), { ok: 0, n: 0 });
		console.debug(`reply-split corpus: ${total.ok}/${total.n} (${((total.ok / total.n) * 100).toFixed(1)}%)\n${lines.join("\n")}`);
		for (const [source, s] of results) expect({ source, rate: (s.agree + s.signOff) / s.total >= 0.9 }).toEqual({ source, rate: true });
	});

	it("differs only where the README and DELIBERATE say why", () => {
		const unexplained = [...results].flatMap(([source, s]) => s.differ.map((id) => `${source}/${id}`)).filter((key) => !DELIBERATE[key]);
		expect(unexplained).toEqual([]);
	});

	it("reads talon's Thunderbird reply, written below the quote, as \"Hello\"", () => {
		expect(normalize(actuals.get("talon-standard-replies/thunderbird") ?? "")).toBe("Hello");
	});

	it("keeps to its convention on the deliberate differences", () => {
		expect(actuals.get("talon/test_dont_parse_quotations_for_forwarded_messages")).toBe("FYI");
		expect(actuals.get("discourse-trimmer/quote_and_text")).toBe("And this is some text.");
		expect(actuals.get("discourse-trimmer/quote_only")).toBe("Email with only quote.");
		expect(actuals.get("discourse-trimmer/embedded_email_11")).toContain("After");
	});
});
