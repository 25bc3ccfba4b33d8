import { describe, it, expect } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { splitReply } from "../../src/email/split";
import { EMAIL_REPLY, emailReplyNames, judge, normalize } from "./corpus";

/**
 * The 90 real-world bodies vendored in tests/fixtures/email-reply (crisp-oss/email-reply-parser,
 * MIT; see its LICENSE). Their expected text is that library's answer; ours agrees, or keeps
 * a sign-off and name it drops (then its text is contained in ours), or differs on purpose.
 */
const names = emailReplyNames();

/** Where we knowingly differ from email-reply-parser's answer, and why. */
const DELIBERATE: Record<string, string> = {
	email_2_1: "Outlook's `*From:* … *Sent:* … *To:* … *Subject:*` block is the start of the quoted message; the library keeps it visible.",
	email_thread: "`On Nov 21, 2014,` / `at 10:18,` / `John Doe <…> wrote:` is one attribution wrapped over three lines; the library keeps it as text.",
	email_tricky_17_forward_header: "A forwarded message is thread context, not the sender's new words; it goes to the quoted history (the model still sees it).",
	email_custom_quote_header: "`2013.02.08. 7:31 keltezéssel, \"…\" írta:` is Thunderbird's Hungarian attribution; the library keeps it (and the `-- ` signature's name) as text.",
	email_sent_from_my_not_signature:
		"\"Sent from my desk, is much easier then my mobile phone.\" is a sentence, not a device line; the library cuts it (alfonsrv/mail-parser-reply's own fixture expects it kept).",
	email_tricky_16_unicode_signatures: "The name under \"Cheers\" stays; the contact block under it (title, mail, phone) is signature by our convention; the library keeps it.",
};

describe("newest message on the email-reply-parser fixtures (vendored)", () => {
	const results = names.map((name) => {
		const input = readFileSync(path.join(EMAIL_REPLY, `${name}.txt`), "utf8");
		const expected = readFileSync(path.join(EMAIL_REPLY, `${name}.expected.txt`), "utf8");
		const actual = splitReply(input).newest;
		return { name, expected, actual, verdict: judge({ expected }, actual) };
	});

	it("agrees on every fixture but the deliberate differences; sign-offs we keep contain their text", () => {
		expect(names.length).toBe(90);
		const agree = results.filter((r) => r.verdict === "agree").map((r) => r.name);
		const signOff = results.filter((r) => r.verdict === "sign-off kept").map((r) => r.name);
		const differ = results.filter((r) => r.verdict === "differ").map((r) => r.name);
		console.debug(
			`email-reply-parser fixtures: ${agree.length + signOff.length}/${names.length} agree (${agree.length} exactly, ${signOff.length} keep the sign-off and name the library drops: ${signOff.join(", ")}); deliberate differences: ${differ.join(", ") || "none"}`,
		);
		for (const r of results.filter((x) => x.verdict === "sign-off kept")) expect(normalize(r.actual)).toContain(normalize(r.expected));
		expect(differ.filter((name) => !DELIBERATE[name])).toEqual([]);
		expect(agree.length + signOff.length).toBeGreaterThanOrEqual(84);
	});
});

describe("where we deliberately differ from the fixtures", () => {
	const read = (name: string): string => readFileSync(path.join(EMAIL_REPLY, `${name}.txt`), "utf8");
	it("treats an Outlook From/Sent block as history", () => {
		const { newest, quoted } = splitReply(read("email_2_1"));
		expect(newest).not.toContain("Google Apps Sync user");
		expect(quoted).toContain("Google Apps Sync user");
	});
	it("removes an attribution wrapped over three lines", () => {
		expect(splitReply(read("email_thread")).newest).toBe("This is new email reply in thread from bellow.");
	});
	it("keeps a forwarded message as thread context", () => {
		const { newest, quoted } = splitReply(read("email_tricky_17_forward_header"));
		expect(newest).toBe("See the forwarded message below.");
		expect(quoted).toContain("This is the forwarded content");
	});
	it("reads Thunderbird's Hungarian attribution as the start of the thread", () => {
		const { newest, quoted } = splitReply(read("email_custom_quote_header"));
		expect(newest).toBe("Thank you!");
		expect(quoted).toContain("írta:");
	});
	it("keeps a sentence that starts like a device line", () => {
		expect(splitReply(read("email_sent_from_my_not_signature")).newest).toContain("Sent from my desk, is much easier");
	});
	it("keeps the name under the sign-off and cuts the contact block", () => {
		const { newest, signature } = splitReply(read("email_tricky_16_unicode_signatures"));
		expect(newest).toBe("Thanks for the update!\n\nCheers 🎉\nSarah");
		expect(signature).toContain("+1 555-0123");
	});
});
