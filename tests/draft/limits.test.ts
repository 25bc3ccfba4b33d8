/** Size limits for the prompt and the note: cut visibly, at whole characters, never silently. */
import { describe, it, expect } from "@jest/globals";
import { asksForPrompt, cutText, emailForPrompt, originalForNote, NOTE_ORIGINAL_CHARS, PROMPT_FIELD_CHARS, PROMPT_LIST_ITEMS } from "../../src/draft/limits";
import { parseEmailNote } from "../../src/email/parse";

describe("cutText", () => {
	it("leaves short text alone and marks what it cuts", () => {
		expect(cutText("short", 10, () => "[cut]")).toBe("short");
		expect(cutText("one two three four five", 12, (n) => `[${n} cut]`)).toMatch(/^one two three?\n\n\[\d+ cut\]$/);
	});

	it("never splits a surrogate pair", () => {
		const cut = cutText("𝕏".repeat(10), 5, () => "");
		expect(cut.trim()).toBe("𝕏𝕏");
		expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
	});
});

describe("emailForPrompt", () => {
	it("bounds the message, single-line fields and lists; the parsed email is untouched", () => {
		const many = Array.from({ length: 80 }, (_, i) => `p${i}@x.example`).join(", ");
		const email = parseEmailNote("a.md", `---\nfrom: a@b.example\nto: ${JSON.stringify(many)}\nsubject: ${JSON.stringify("S".repeat(2000))}\n---\n${"word ".repeat(20000)}`);
		const bounded = emailForPrompt(email, 1000);
		expect(bounded.newestMessage.length).toBeLessThan(1300);
		expect(bounded.newestMessage).toMatch(/more characters of this message were cut/);
		expect(bounded.subject.length).toBeLessThanOrEqual(PROMPT_FIELD_CHARS + 10);
		expect(bounded.to.length).toBeLessThanOrEqual(PROMPT_LIST_ITEMS);
		expect(email.newestMessage.length).toBeGreaterThan(90_000);
	});

	it("asks are bounded whether plain or with a referent", () => {
		const long = "Can you? ".repeat(200);
		expect(asksForPrompt(Array.from({ length: 70 }, () => long))).toHaveLength(PROMPT_LIST_ITEMS);
		const [item] = asksForPrompt([{ text: long, referent: long }]);
		expect(item?.text.length).toBeLessThan(PROMPT_FIELD_CHARS + 20);
		expect(item?.referent?.length).toBeLessThan(PROMPT_FIELD_CHARS + 20);
	});
});

describe("originalForNote", () => {
	it("keeps the original whole up to the limit, then a marker", () => {
		expect(originalForNote("hello")).toBe("hello");
		const cut = originalForNote("x ".repeat(NOTE_ORIGINAL_CHARS));
		expect(cut.length).toBeLessThan(NOTE_ORIGINAL_CHARS + 200);
		expect(cut).toMatch(/more characters are in the original email, not repeated here/);
	});
});
