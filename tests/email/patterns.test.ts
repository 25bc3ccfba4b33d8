/**
 * cheapToCompile writes `.` and `\S` in case-insensitive Unicode patterns as negated classes,
 * which V8 compiles far faster. The rewrite must not change what any pattern matches: checked
 * on every code point for the two classes, on the scanner's edge cases (escapes, classes,
 * flags), and on random text for patterns of the kind the email parser uses.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { cheapToCompile } from "../../src/email/patterns";

describe("cheapToCompile", () => {
	it("`.` and `\\S` match exactly the same code points as their rewrites, case-insensitively", () => {
		const pairs = [/^.$/iu, /^\S$/iu, /^a.b$/iu].map((re) => [re, cheapToCompile(re)] as const);
		for (const [original, cheap] of pairs) expect(cheap.source).not.toBe(original.source);
		const differ: string[] = [];
		for (let cp = 0; cp <= 0x10ffff; cp++) {
			const c = String.fromCodePoint(cp);
			for (const [original, cheap] of pairs) {
				const text = original.source.startsWith("^a") ? `a${c}b` : c;
				if (original.test(text) !== cheap.test(text)) differ.push(`${original.source} U+${cp.toString(16)}`);
			}
		}
		expect(differ).toEqual([]);
	});

	it("rewrites only outside character classes and escapes, keeping the flags", () => {
		expect(cheapToCompile(/a.b\S[.\S\]]\.\\.x/giu).source).toBe("a[^\\n\\r\\u2028\\u2029]b[^\\s][.\\S\\]]\\.\\\\[^\\n\\r\\u2028\\u2029]x");
		expect(cheapToCompile(/a.b\S[.\S\]]\.\\.x/giu).flags).toBe("giu");
		expect(cheapToCompile(/[^]./iu).source).toBe("[^][^\\n\\r\\u2028\\u2029]");
		expect(cheapToCompile(/\p{L}.\u{1F600}/iu).source).toBe("\\p{L}[^\\n\\r\\u2028\\u2029]\\u{1F600}");
		// Patterns it is not for come back as they are: without `i` or `u` V8 compiles `.`
		// cheaply, and with `s` the dot matches line terminators too.
		for (const re of [/a.b/i, /a.b/u, /a.b/ius, /a\Sb/g]) expect(cheapToCompile(re)).toBe(re);
		const none = /^\s*[*_]{0,2}$/iu;
		expect(cheapToCompile(none)).toBe(none);
	});

	it("matches what the original matches, on random text", () => {
		const patterns = [
			/^Envoyé de mon\s.{2,40}$/iu,
			/^(?:Get|Download|Télécharger)\s+Outlook\s+(?:for|pour)\s+\S.{0,20}$/iu,
			/^-{2,}\s*\S.*\s(?:wrote|schrieb|написал\S*)\s*-{2,}$/iu,
			/^.{2,25}から送信$/u,
			/This (?:e-?mail|message)\b.{0,80}\b(?:confidential|intended)/iu,
		];
		const pieces = fc.constantFrom("Envoyé de mon ", "ENVOYÉ DE MON ", "Get Outlook for ", "iOS", "----", " Ana ", "wrote", "НАПИСАЛ", "написала", "\n", "\r", "\u2028", "\u2029", "\t", " ", "ſ", "K", "İ", "ı", "😀", "\ud800", "から送信", "this email is ", "CONFIDENTIAL", ".", "x");
		const text = fc.array(fc.oneof(pieces, fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 14 }).map((parts) => parts.join(""));
		fc.assert(
			fc.property(text, (t) => {
				for (const re of patterns) expect([re.source, t, cheapToCompile(re).test(t)]).toEqual([re.source, t, re.test(t)]);
			}),
			{ numRuns: 1000 },
		);
	});
});
