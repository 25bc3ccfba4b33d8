import { describe, it, expect } from "@jest/globals";
import fc from "fast-check";
import { isDeepStrictEqual, inspect } from "util";
import { parse } from "yaml";
import { coreScalar, parsePlainFrontmatter } from "../../src/host/frontmatter";
import { parseFrontmatterYaml } from "../../src/host/markdown";

/** What the host made of frontmatter before the fast path: `yaml` alone. */
function withYaml(yaml: string): Record<string, unknown> | null {
	try {
		const value: unknown = parse(yaml, { prettyErrors: false, uniqueKeys: false });
		if (value === null || value === undefined) return {};
		if (typeof value !== "object" || Array.isArray(value)) return null;
		return value as Record<string, unknown>;
	} catch {
		return null;
	}
}

/** The fast path, where it answers, equals `yaml` exactly (NaN, -0 and key order included). */
function agrees(doc: string): boolean {
	const fast = parsePlainFrontmatter(doc);
	if (fast === undefined) return isDeepStrictEqual(parseFrontmatterYaml(doc), withYaml(doc));
	const reference = withYaml(doc);
	const same = isDeepStrictEqual(fast, reference) && isDeepStrictEqual(Object.keys(fast), Object.keys(reference ?? {}));
	if (!same) throw new Error(`fast path ${inspect(fast)} but yaml ${inspect(reference)} for ${JSON.stringify(doc)}`);
	return true;
}

// Scalars at the edges of the core schema and of YAML's plain-scalar rules.
const TRICKY = [
	"", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRue", "false", "no", "yes", "on",
	"0", "-0", "+0", "+12", "012", "0o17", "0o8", "0x1F", "0xg", "-0x1F", "1e3", "1E-2", "-1.5e+3", ".5", "-.5", "1.", "1.0", "1.10",
	".inf", "-.Inf", "+.INF", ".nan", ".NaN", "-.nan", "1_000", "12345678901234567890", "2024-01-01", "2024-01-01T10:00:00Z", "12:30",
	"a: b", "a:b", "a:", "a #b", "a#b", "#a", "-a", "- a", "-", "-5", "--5", "?x", "? x", ":x", ": x", "[x]", "[]", "[ ]", "[a, b]", "[a,]",
	"[a, [b]]", '["a", \'b\']', '["a,b"]', "{x}", "{a: 1}", "x]", "x,y", "&a", "*a", "!t", "!!str 1", "|", ">", "%x", "@x", "`x",
	"'q'", "'it''s'", "'a'b'", "''", "'", '"dq"', '"a\\nb"', '"a"b"', '""', '"', '"x" # c', "[[Ana Ruiz]]", '"[[Ana Ruiz|Ana]]"',
	"Ana Ruiz <ana@acme.example>", "https://acme.example/x?y=1#z", "ü", "😀", "\u00a0x", "x\u00a0", "a  b", " x", "x ",
	"\\", "a\\b", "\ud800", "\t", "a\tb", "\u2028", "\ufeff",
];
const KEYS = ["type", "name", "tags", "a b", "x.y", "k-1", "_", "Key", "aliases", "null", "true", "True", "1", "0x1", "__proto__", "constructor", "a:b", "-k", "k ", " k", "?k", '"q"', "é"];

const key = fc.oneof(fc.constantFrom(...KEYS), fc.stringMatching(/^[a-z_ .:#-]{1,6}$/));
const tricky = fc.constantFrom(...TRICKY);
const odd = fc.string({ unit: fc.constantFrom(..."ab1 :#-[]{},'\"\\.~!&*|>%@`?\tü😀e+x".split("").concat(["😀"])), maxLength: 10 });
const scalarText = fc.oneof({ weight: 3, arbitrary: tricky }, { weight: 2, arbitrary: odd }, { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .@<>/-]{0,12}$/) });
const indent = fc.constantFrom("", " ", "  ", "    ");

const line = fc.oneof(
	{ weight: 6, arbitrary: fc.tuple(key, scalarText).map(([k, v]) => `${k}: ${v}`) },
	{ weight: 2, arbitrary: key.map((k) => `${k}:`) },
	{ weight: 1, arbitrary: fc.tuple(key, scalarText).map(([k, v]) => `${k}:${v}`) },
	{ weight: 3, arbitrary: fc.tuple(indent, scalarText).map(([i, v]) => `${i}- ${v}`) },
	{ weight: 1, arbitrary: indent.map((i) => `${i}-`) },
	{ weight: 2, arbitrary: fc.tuple(key, fc.array(scalarText, { maxLength: 4 }), fc.constantFrom(", ", ",", " , ")).map(([k, vs, sep]) => `${k}: [${vs.join(sep)}]`) },
	{ weight: 1, arbitrary: fc.constantFrom("# a comment", "  # indented comment", "", "   ", "---", "...", "%YAML 1.2", "key: value\r", "\tkey: x", "a: b: c", "? complex", "- top") },
	{ weight: 1, arbitrary: fc.tuple(indent, scalarText).map(([i, v]) => `${i}${v}`) },
	{ weight: 1, arbitrary: odd },
);
const doc = fc.tuple(fc.array(line, { maxLength: 8 }), fc.boolean()).map(([lines, trailing]) => lines.join("\n") + (trailing ? "\n" : ""));

// Documents with only the plain shapes: the fast path must answer these itself.
const plainKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/).filter((k) => coreScalar(k) === k && k !== "__proto__");
const plainValue = fc.oneof(
	fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .@<>/]{0,15}[A-Za-z0-9>]$/),
	fc.constantFrom("null", "~", "true", "False", "0", "-7", "3.25", "1e3", "0x1F", ".inf", "2024-05-01", "'it''s'", '"[[Ana Ruiz|Ana]]"', '"Re: renewal"'),
	fc.integer().map(String),
);
const plainEntry = fc.oneof(
	fc.tuple(plainKey, plainValue).map(([k, v]) => `${k}: ${v}`),
	fc.tuple(plainKey, fc.array(plainValue, { maxLength: 4 })).map(([k, vs]) => `${k}: [${vs.join(", ")}]`),
	fc.tuple(plainKey, fc.array(plainValue, { minLength: 1, maxLength: 4 }), fc.constantFrom("", "  ")).map(([k, vs, i]) => `${k}:\n${vs.map((v) => `${i}- ${v}`).join("\n")}`),
	plainKey.map((k) => `${k}:`),
);
const plainEntries = fc.uniqueArray(plainEntry, { maxLength: 8, selector: (e) => e.slice(0, e.indexOf(":")) });
const plainDoc = plainEntries.map((entries) => `${entries.join("\n")}\n`);
// Plain frontmatter with one edge case in it, so the fast path's boundary is what gets tested.
const nearlyPlainDoc = fc.tuple(plainEntries, line, fc.nat(), fc.boolean()).map(([entries, extra, at, trailing]) => {
	const lines = [...entries];
	lines.splice(at % (lines.length + 1), 0, extra);
	return lines.join("\n") + (trailing ? "\n" : "");
});

describe("the frontmatter fast path", () => {
	it("equals yaml on any text built from YAML's edge cases, malformed documents included", () => {
		fc.assert(fc.property(doc, agrees), { numRuns: 2000 });
		fc.assert(fc.property(nearlyPlainDoc, agrees), { numRuns: 4000 });
	});

	it("answers plain frontmatter itself, and equals yaml there", () => {
		fc.assert(
			fc.property(plainDoc, (text) => {
				expect(parsePlainFrontmatter(text)).not.toBeUndefined();
				return agrees(text);
			}),
			{ numRuns: 1000 },
		);
	});

	it("reads the shapes importers write", () => {
		const text = [
			"type: email",
			'from: "Ana Ruiz <ana@acme.example>"',
			"to: me@northwind.example",
			"subject: 'Re: Q3 renewal, it''s time'",
			"date: 2024-05-01",
			"count: 3",
			"ratio: -0.5",
			"done: false",
			"cc:",
			"tags: [email, inbox]",
			"attendees:",
			'  - "[[Ana Ruiz]]"',
			"  - Tomás Herrera",
			"  -",
			"",
		].join("\n");
		expect(parsePlainFrontmatter(text)).toEqual({
			type: "email",
			from: "Ana Ruiz <ana@acme.example>",
			to: "me@northwind.example",
			subject: "Re: Q3 renewal, it's time",
			date: "2024-05-01",
			count: 3,
			ratio: -0.5,
			done: false,
			cc: null,
			tags: ["email", "inbox"],
			attendees: ["[[Ana Ruiz]]", "Tomás Herrera", null],
		});
		expect(agrees(text)).toBe(true);
	});

	it.each([
		["a nested map", "person:\n  name: Ana\n"],
		["a multi-line string", "summary: >\n  one\n  two\n"],
		["an escaped string", 'subject: "Tab\\there"\n'],
		["an unquoted wikilink (a nested list)", "company: [[Acme]]\n"],
		["a comment after a value", "status: active # since May\n"],
		["a duplicate key", "a: 1\na: 2\n"],
		["malformed YAML", "key: [unclosed\n: : :\n"],
		["an anchor", "a: &x 1\nb: *x\n"],
	])("leaves %s to yaml, which gives the same answer through the host", (_, text) => {
		expect(parsePlainFrontmatter(text)).toBeUndefined();
		expect(parseFrontmatterYaml(text)).toEqual(withYaml(text));
	});
});
