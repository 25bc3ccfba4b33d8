import { readdirSync, readFileSync, existsSync } from "fs";
import * as path from "path";
import { splitReply } from "../../src/email/split";

/** The real-world fixtures in ../shared (from crisp-oss/email-reply-parser, MIT). */
const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/email-reply");

function normalize(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((l) => l.replace(/\s+$/, ""))
		.join("\n")
		.replace(/\n{2,}/g, "\n")
		.trim();
}

/**
 * Fixtures where we knowingly differ from email-reply-parser's answer, and why.
 */
const DELIBERATE: Record<string, string> = {
	email_2_1:
		"Outlook's `*From:* … *Sent:* … *To:* … *Subject:*` block is the start of the quoted message; the library keeps it visible.",
	email_thread:
		"`On Nov 21, 2014,` / `at 10:18,` / `John Doe <…> wrote:` is one quote header wrapped over three lines; the library keeps two of them as text.",
	email_tricky_17_forward_header:
		"A forwarded message is thread context, not the sender's new words; we move it to the quoted history (the model still sees it).",
};

const names = existsSync(FIXTURES)
	? readdirSync(FIXTURES).filter((f) => f.endsWith(".txt") && !f.endsWith(".expected.txt")).map((f) => f.replace(/\.txt$/, ""))
	: [];

// CI always has ../shared beside the clone; a newcomer's machine may not, and then this is skipped.
const describeFixtures = names.length > 0 || process.env.CI ? describe : describe.skip;

describeFixtures("newest message on the shared real-world fixtures", () => {
	it("matches the expected newest message for at least 95% of fixtures", () => {
		expect(names.length).toBeGreaterThanOrEqual(80);
		const failures: string[] = [];
		for (const name of names) {
			const input = readFileSync(path.join(FIXTURES, `${name}.txt`), "utf8");
			const expected = readFileSync(path.join(FIXTURES, `${name}.expected.txt`), "utf8");
			const actual = splitReply(input).newest;
			if (normalize(actual) !== normalize(expected)) failures.push(name);
		}
		const passed = names.length - failures.length;
		const rate = passed / names.length;
		// The figure the issue asks for, printed on every run.
		process.stdout.write(`reply splitting: ${passed}/${names.length} fixtures match (${(rate * 100).toFixed(1)}%); differing: ${failures.join(", ") || "none"}\n`);
		const unexpected = failures.filter((name) => !DELIBERATE[name]);
		if (unexpected.length) process.stdout.write(`differences not explained in DELIBERATE: ${unexpected.join(", ")}\n`);
		expect(rate).toBeGreaterThanOrEqual(0.95);
	});
});

describeFixtures("where we deliberately differ from the fixtures", () => {
	it("treats an Outlook From/Sent block as history", () => {
		const input = readFileSync(path.join(FIXTURES, "email_2_1.txt"), "utf8");
		const { newest, quoted } = splitReply(input);
		expect(newest).not.toContain("Google Apps Sync user");
		expect(quoted).toContain("Google Apps Sync user");
	});
	it("removes a quote header wrapped over three lines", () => {
		const { newest } = splitReply(readFileSync(path.join(FIXTURES, "email_thread.txt"), "utf8"));
		expect(newest).toBe("This is new email reply in thread from bellow.");
	});
	it("keeps a forwarded message as thread context", () => {
		const { newest, quoted } = splitReply(readFileSync(path.join(FIXTURES, "email_tricky_17_forward_header.txt"), "utf8"));
		expect(newest).toBe("See the forwarded message below.");
		expect(quoted).toContain("This is the forwarded content");
	});
});
