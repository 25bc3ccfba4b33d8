/**
 * The loader's scan of a note (`outlineNote`) against the full parse (`parseMarkdownMetadata`):
 * the same frontmatter, links, embeds and tags for any text, and every position the parse
 * gives points at its text, on the right line and column.
 */
import { describe, it, expect } from "@jest/globals";
import fc from "fast-check";
import type { Pos } from "obsidian";
import { outlineNote, parseFrontmatterYaml, parseMarkdownMetadata } from "../../src/host/markdown";
import "../../headless/yaml";

const PIECES = [
	"[[Ana Ruiz]]", "![[chart.png]]", "[[Acme|the customer]]", "[[Note#Heading]]", "[[a]b]]", "[x](Notes/y.md)", "![i](img.png)", "[web](https://x.example)",
	"#tag", "#work/q4", "#1984", "#ü", "a#b", "# Heading #h", "## Two", "- item", "- [ ] task [[T]]", "1. one", "`code [[No]] #no`", "``a ` b``",
	"```", "~~~", "    ```", "%%", " ", "word", "[", "]", "#", "`", "\r", "\n", "\n", "\n", "---",
];
const body = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((xs) => xs.join(""));
const frontmatter = fc.constantFrom("", "---\ntitle: x\n---\n", "---\r\ncompany: \"[[Acme]]\"\r\n---\r\n", "---\nbad: [\n---\n", "---\n---\n", "---\ntags: [a, b]\nlinks:\n  - \"[[P]]\"\n---");
const note = fc.tuple(frontmatter, body).map(([f, b]) => f + b);

/** Line and column of an offset, counted the slow way. */
function loc(text: string, offset: number): { line: number; col: number; offset: number } {
	const before = text.slice(0, offset);
	const line = before.split("\n").length - 1;
	return { line, col: offset - (before.lastIndexOf("\n") + 1), offset };
}

const at = (text: string, p: Pos): unknown => ({ start: loc(text, p.start.offset), end: loc(text, p.end.offset) });

describe("the loader's scan of a note", () => {
	it("finds what the full parse finds", () => {
		fc.assert(
			fc.property(note, (text) => {
				const full = parseMarkdownMetadata(text);
				const outline = outlineNote(text);
				expect(outline.frontmatter).toEqual(full.frontmatter);
				expect(outline.hasFrontmatter).toBe(full.frontmatterPosition !== undefined);
				// The YAML text the cache stores gives the same frontmatter when parsed again.
				expect(outline.yaml === undefined).toBe(!outline.hasFrontmatter);
				if (outline.yaml !== undefined) expect(parseFrontmatterYaml(outline.yaml) ?? undefined).toEqual(full.frontmatter);
				expect(outline.frontmatterLinks).toEqual((full.frontmatterLinks ?? []).flatMap((l) => [l.key, l.link]));
				expect(outline.links).toEqual((full.links ?? []).map((l) => l.link));
				expect(outline.embeds).toEqual((full.embeds ?? []).map((l) => l.link));
				expect(outline.tags).toEqual(full.tags ?? []);
			}),
			{ numRuns: 400 },
		);
	});

	it("gives positions that point at the text, on the right line and column", () => {
		fc.assert(
			fc.property(note, (text) => {
				const full = parseMarkdownMetadata(text);
				for (const l of [...(full.links ?? []), ...(full.embeds ?? [])]) {
					expect(text.slice(l.position.start.offset, l.position.end.offset)).toBe(l.original);
					expect(l.position).toEqual(at(text, l.position));
				}
				for (const t of full.tags ?? []) {
					expect(text.slice(t.position.start.offset, t.position.end.offset)).toBe(t.tag);
					expect(t.position).toEqual(at(text, t.position));
				}
				for (const h of [...(full.headings ?? []), ...(full.listItems ?? [])]) expect(h.position).toEqual(at(text, h.position));
				if (full.frontmatterPosition) expect(full.frontmatterPosition).toEqual(at(text, full.frontmatterPosition));
			}),
			{ numRuns: 400 },
		);
	});
});
