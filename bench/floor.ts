/**
 * The floor the command line is measured against: list the vault, read every note, and
 * parse its frontmatter with the same `yaml` package (no fast path), keeping the results.
 * Nothing less can answer a question about a vault folder. Prints the number of notes.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { findFrontmatter } from "../src/host/markdown";

function walk(base: string, rel: string, out: string[]): void {
	for (const entry of readdirSync(rel ? path.join(base, rel) : base, { withFileTypes: true })) {
		if (entry.name.startsWith(".")) continue;
		const child = rel ? `${rel}/${entry.name}` : entry.name;
		if (entry.isDirectory()) walk(base, child, out);
		else if (entry.isFile() && child.endsWith(".md")) out.push(child);
	}
}

const base = path.resolve(process.argv[2] ?? ".");
const notes: string[] = [];
walk(base, "", notes);
const frontmatter = new Map<string, unknown>();
for (const note of notes) {
	const block = findFrontmatter(readFileSync(path.join(base, note), "utf8"));
	if (!block) continue;
	try {
		frontmatter.set(note, parse(block.yaml, { prettyErrors: false, uniqueKeys: false }));
	} catch {
		frontmatter.set(note, null);
	}
}
process.stdout.write(`${notes.length} notes, ${frontmatter.size} with frontmatter\n`);
