/**
 * Text from an email, a vault note or the model, made inert in the draft note: nothing in it
 * can open a code fence, a comment (`%%`, `<!--`), math (`$$`), a callout, a heading, a tag,
 * an embed or a wikilink, or close one of ours. Backslash escapes are Markdown's own, so the
 * note reads normally; `restoreInert` is the exact inverse, which is how Copy reply gets the
 * reply back character for character.
 */

/** Every ASCII punctuation character can be backslash-escaped in CommonMark. */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

function escapeLineStart(line: string): string {
	// Block constructs are recognised after up to three spaces of indentation.
	const m = /^( {0,3})(.*)$/.exec(line);
	const indent = m?.[1] ?? "";
	const rest = m?.[2] ?? line;
	// Fences, block quotes and callouts, thematic breaks and setext underlines, list markers
	// that would make "---" or "***" a rule, numbered headings are covered by the `#` rule.
	if (/^(?:`{3,}|~{3,}|>|-{3,}|={2,}|\*{3,}|_{3,}|\+{3,}|\|)/.test(rest)) return `${indent}\\${rest}`;
	if (/^[-*_](?:\s*[-*_]){2,}\s*$/.test(rest)) return `${indent}\\${rest}`;
	return line;
}

/** Escapes one piece of free text for the body of the note (any number of lines). */
export function inert(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.replace(/\\/g, "\\\\")
		// Tags and headings (`#` anywhere), math (`$`), HTML and comments (`<`), Obsidian
		// comments (`%%`), wikilinks and embeds (`[[`), highlights are harmless and stay.
		.replace(/#/g, "\\#")
		.replace(/\$/g, "\\$")
		.replace(/</g, "\\<")
		.replace(/%%/g, "%\\%")
		.replace(/\[\[/g, "\\[\\[")
		.replace(/\]\]/g, "\\]\\]")
		.split("\n")
		.map(escapeLineStart)
		.join("\n");
}

/** The exact inverse of `inert`. */
export function restoreInert(text: string): string {
	return text.replace(ESCAPED, "$1");
}

/** One line: for display names, subjects and other header values (line breaks become spaces). */
export function inertLine(text: string): string {
	return inert(text.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim());
}

/** Prefixes every line so the whole text stays inside a blockquote or callout. */
export function quoteBlock(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((line) => (line.trim() ? `> ${line}` : ">"))
		.join("\n");
}

/**
 * Vault-context Markdown that we built (cards with wikilinks, headings of our own) keeps its
 * links and headings, but nothing in it may open a fence, a comment or math, or end our
 * `<details>` block.
 */
export function inertContext(markdown: string): string {
	return markdown
		.replace(/\r\n?/g, "\n")
		.replace(/\$/g, "\\$")
		.replace(/%%/g, "%\\%")
		.replace(/<(?=[!/a-zA-Z])/g, "\\<")
		.split("\n")
		.map((line) => (/^\s{0,3}(?:`{3,}|~{3,}|-{3,}\s*$|={2,}\s*$|\*{3,}\s*$|_{3,}\s*$)/.test(line) ? line.replace(/^(\s*)/, "$1\\") : line))
		.join("\n");
}
