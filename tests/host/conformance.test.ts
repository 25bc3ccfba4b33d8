/**
 * Host conformance: one table of Obsidian behaviours the engine depends on, each with its
 * source, run against the headless host. The README's development section shows the same
 * table (ids, behaviours, sources); the last test checks that every row is there.
 *
 * Sources are what is public: the `obsidian` package's typings (node_modules/obsidian/obsidian.d.ts,
 * 1.13), Obsidian's help (obsidian.md/help), and observations recorded in public threads.
 * Obsidian's own source is not public.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import type { CachedMetadata } from "obsidian";
import { HeadlessApp, TFile } from "../../headless/host";
import { parseLinktext } from "../../src/host/links";
import { parseFrontMatterAliases, parseFrontMatterTags, parseMarkdownMetadata } from "../../src/host/markdown";
import { emailSignal } from "../../src/email/parse";
import { isExcluded } from "../../src/context/properties";
import { normalizeSettings } from "../../src/settings";
import { nextEvent } from "../support/cacheEvents";
import { cleanupVaults, writeVault } from "../support/vault";

afterAll(cleanupVaults);

interface Row {
	id: string;
	behaviour: string;
	source: string;
	check: () => Promise<void> | void;
}

const load = (files: Record<string, string>): Promise<HeadlessApp> => HeadlessApp.load(writeVault(files));
const dest = (app: HeadlessApp, link: string, from: string): string | null => app.metadataCache.getFirstLinkpathDest(link, from)?.path ?? null;
const file = (app: HeadlessApp, p: string): TFile => app.vault.getAbstractFileByPath(p) as TFile;

const D_TS = "obsidian.d.ts";
const HELP_LINKS = "help: Internal links";
const OBSERVED_1_13_7 = "observed on Obsidian 1.13.7 via `getFirstLinkpathDest` (pvliesdonk/markdown-vault-mcp#1380, #1385)";

export const ROWS: Row[] = [
	// Link resolution
	{
		id: "L1",
		behaviour: "An exact vault path wins: `[[Note]]` is `Note.md` at the root, `[[b/Note]]` is `b/Note.md`, even from a folder holding another `Note.md`",
		source: OBSERVED_1_13_7,
		async check() {
			const app = await load({ "Note.md": "", "b/Note.md": "", "x/Note.md": "", "x/src.md": "" });
			expect(dest(app, "Note", "x/y/src.md")).toBe("Note.md");
			expect(dest(app, "b/Note", "x/src.md")).toBe("b/Note.md");
		},
	},
	{
		id: "L2",
		behaviour: "Otherwise files under the source note's folder, at any depth, come first: `[[Note]]` from `x/src.md` picks `x/deep/Note.md` over `a/Note.md`",
		source: `${OBSERVED_1_13_7} (own folder first); issue 12's audit (any depth)`,
		async check() {
			const app = await load({ "a/Note.md": "", "x/deep/Note.md": "", "x/src.md": "" });
			expect(dest(app, "Note", "x/src.md")).toBe("x/deep/Note.md");
			expect(dest(app, "Note", "elsewhere/src.md")).toBe("a/Note.md");
		},
	},
	{
		id: "L3",
		behaviour: "An ancestor folder counts for nothing: `[[Note]]` from `zzzz/deep/src.md` picks `b/Note.md` over `zzzz/Note.md`",
		source: OBSERVED_1_13_7,
		async check() {
			const app = await load({ "zzzz/Note.md": "", "b/Note.md": "" });
			expect(dest(app, "Note", "zzzz/deep/src.md")).toBe("b/Note.md");
		},
	},
	{
		id: "L4",
		behaviour: "Then the shortest path (as a string, not the fewest folders): `[[Note]]` from `x/src.md` picks `a/b/Note.md` over `zzzz/Note.md`",
		source: `${OBSERVED_1_13_7}; issue 12's audit`,
		async check() {
			const app = await load({ "zzzz/Note.md": "", "a/b/Note.md": "" });
			expect(dest(app, "Note", "x/src.md")).toBe("a/b/Note.md");
		},
	},
	{
		id: "L5",
		behaviour: "A leading `/` names a vault path only: `[[/Note]]` is `Note.md` at the root, and nothing when only `sub/Note.md` exists",
		source: `${HELP_LINKS} ("Folder paths start at the vault root"); issue 12's audit`,
		async check() {
			const app = await load({ "sub/Note.md": "", "sub/Other.md": "", "Other.md": "" });
			expect(dest(app, "/Note", "sub/src.md")).toBeNull();
			expect(dest(app, "/Other", "sub/src.md")).toBe("Other.md");
			expect(dest(app, "/sub/Note", "x.md")).toBe("sub/Note.md");
		},
	},
	{
		id: "L6",
		behaviour: "`.md` may be written or left out; other files need their extension (`[[Figure 1.png]]`)",
		source: `${HELP_LINKS} ("links to file formats other than Markdown needs to include a file extension")`,
		async check() {
			const app = await load({ "Notes/Plan.md": "", "img/Figure 1.png": "" });
			expect(dest(app, "Plan.md", "x.md")).toBe("Notes/Plan.md");
			expect(dest(app, "Plan", "x.md")).toBe("Notes/Plan.md");
			expect(dest(app, "Figure 1.png", "x.md")).toBe("img/Figure 1.png");
			expect(dest(app, "Figure 1", "x.md")).toBeNull();
		},
	},
	{
		id: "L7",
		behaviour: "A Markdown link's destination is decoded and looked up vault-wide like a name: `[y](My%20Note.md)` from the root resolves `Sub/My Note.md`",
		source: "observed on Obsidian 1.13.7 (pvliesdonk/markdown-vault-mcp#1385, #1383)",
		async check() {
			const app = await load({ "Sub/My Note.md": "", "src.md": "[y](My%20Note.md)" });
			expect(app.metadataCache.resolvedLinks["src.md"]).toEqual({ "Sub/My Note.md": 1 });
		},
	},
	{
		id: "L8",
		behaviour: "`[[#Heading]]` links the note to itself in `resolvedLinks`",
		source: "observed on Obsidian 1.13.7 (pvliesdonk/markdown-vault-mcp#1385)",
		async check() {
			const app = await load({ "a.md": "# Top\nSee [[#Top]]." });
			expect(app.metadataCache.resolvedLinks["a.md"]).toEqual({ "a.md": 1 });
		},
	},
	// Link text
	{
		id: "T1",
		behaviour: "`parseLinktext` splits at the first `#` only; the subpath keeps its `#` (`Note#A#B` → `Note` + `#A#B`)",
		source: `${D_TS}:4398 MetadataCache ("a path and a subpath, such as 'My note#Heading'"), :4798 parseLinktext ("subpath can refer either to a block id, or a heading"), :2931 generateMarkdownLink ("A subpath, starting with \`#\`")`,
		check() {
			expect(parseLinktext("Note#A#B")).toEqual({ path: "Note", subpath: "#A#B" });
			expect(parseLinktext("Note")).toEqual({ path: "Note", subpath: "" });
		},
	},
	{
		id: "T2",
		behaviour: "A block reference is `#^id`: `[[Note#^abc]]` links `Note`; `[[Note^abc]]` names a note `Note^abc`",
		source: `${HELP_LINKS} ("\`#^\` at the end of your link destination … \`[[2023-01-01#^37066d]]\`"); ${D_TS}:4798 parseLinktext`,
		async check() {
			const app = await load({ "Note.md": "x ^abc", "src.md": "[[Note#^abc]] [[Note^abc]]" });
			expect(parseLinktext("Note#^abc")).toEqual({ path: "Note", subpath: "#^abc" });
			expect(parseLinktext("Note^abc")).toEqual({ path: "Note^abc", subpath: "" });
			expect(app.metadataCache.resolvedLinks["src.md"]).toEqual({ "Note.md": 1 });
			expect(app.metadataCache.unresolvedLinks["src.md"]).toEqual({ "Note^abc": 1 });
		},
	},
	{
		id: "T3",
		behaviour: "Display text follows `|`, after the subpath: `[[Note#H|shown]]` has link `Note#H` and display text `shown`",
		source: `${HELP_LINKS}; help: Embed files (\`![[Internal links#Link to a heading in a note|headings]]\`); ${D_TS}:5338 Reference.displayText`,
		check() {
			const cache = parseMarkdownMetadata("[[Note#H|shown]]");
			expect(cache.links?.map((l) => [l.link, l.displayText, l.original])).toEqual([["Note#H", "shown", "[[Note#H|shown]]"]]);
		},
	},
	{
		id: "T4",
		behaviour: "A single `]` does not end a wikilink: `[[Sq]uare]]` links `Sq]uare`",
		source: "observed on Obsidian 1.13.7 (pvliesdonk/markdown-vault-mcp#1385, #1384)",
		check() {
			const cache = parseMarkdownMetadata("[[Sq]uare]] and [[a]] [b] [[c]]");
			expect(cache.links?.map((l) => l.link)).toEqual(["Sq]uare", "a", "c"]);
		},
	},
	// Properties
	{
		id: "P1",
		behaviour: "`aliases` as text is split at commas (`aliases: This, also that` is two aliases; a trailing comma adds none); as a list, each item",
		source: 'obsidianmd/obsidian-importer#64 ("Obsidian then treats as two separate aliases"); snezhig/obsidian-front-matter-title#107 (trailing comma); help: Properties (`aliases` is a list)',
		check() {
			expect(parseFrontMatterAliases({ aliases: "This, also that" })).toEqual(["This", "also that"]);
			expect(parseFrontMatterAliases({ aliases: "SomeTitle," })).toEqual(["SomeTitle"]);
			expect(parseFrontMatterAliases({ aliases: ["A, B", "C"] })).toEqual(["A, B", "C"]);
			expect(parseFrontMatterAliases({ Alias: "Old style" })).toEqual(["Old style"]);
			expect(parseFrontMatterAliases({ title: "x" })).toBeNull();
		},
	},
	{
		id: "P2",
		behaviour: "`tags` as a list or as text split at commas and spaces, each with its `#`; the engine reads a note's tags this way",
		source: `${D_TS}:4790 parseFrontMatterTags, :3332 getAllTags ("Combines all tags from frontmatter and note content"); help: Tags ("Tags in YAML should always be formatted as a list"); issue 12's audit. Disputed: a public plugin's comment reports 1.13.7 reading a \`tags\` text as one tag; splitting is kept, the safe reading for privacy exclusions`,
		async check() {
			expect(parseFrontMatterTags({ tags: ["a", "#b"] })).toEqual(["#a", "#b"]);
			expect(parseFrontMatterTags({ tags: "a, b c" })).toEqual(["#a", "#b", "#c"]);
			const { noteTags } = await import("../../src/host/tags");
			expect(noteTags({ frontmatter: { Tags: "Email, private" } })).toEqual(["email", "private"]);
		},
	},
	{
		id: "P3",
		behaviour: "A `#tag` in the body takes letters of any script, digits, `_`, `-`, `/` and emoji, ends at punctuation, and needs one non-digit (`#1984` is no tag)",
		source: 'help: Tags ("Commonly accepted Unicode characters", "Tags must contain at least one non-numerical character")',
		check() {
			const tags = parseMarkdownMetadata("#📧inbox #café/été #tag. #1984 #y1984 a#b #日本語").tags?.map((t) => t.tag);
			expect(tags).toEqual(["#📧inbox", "#café/été", "#tag", "#y1984", "#日本語"]);
		},
	},
	{
		id: "P4",
		behaviour: "`frontmatterLinks` holds a quoted property value that is a wikilink (lists too, keyed `key.0`), not in `links`; a Markdown link in a property is text; text with a link inside stays text here",
		source: `${D_TS}:1458 CachedMetadata.frontmatterLinks (since 1.4.0); help: Properties ("Text and List type properties can contain … [[Link]]"); blacksmithgu/obsidian-dataview#2030 ("if properly quoted … not added to the .links property"); mnaoumov/obsidian-frontmatter-markdown-links README ("a markdown link written in a property is just text: it does not resolve … and it does not register as a backlink"). Text around a link: not documented, the host's choice`,
		check() {
			const cache = parseMarkdownMetadata('---\ncompany: "[[Acme Corp|Acme]]"\nattendees:\n  - "[[Ana Ruiz]]"\n  - plain\nnote: "see [[Other]] too"\nsite: "[Acme](Companies/Acme.md)"\n---\nBody');
			expect(cache.frontmatterLinks).toEqual([
				{ key: "company", link: "Acme Corp", original: "[[Acme Corp|Acme]]", displayText: "Acme" },
				{ key: "attendees.0", link: "Ana Ruiz", original: "[[Ana Ruiz]]", displayText: "Ana Ruiz" },
			]);
			expect(cache.links).toBeUndefined();
		},
	},
	// Events and their timing
	{
		id: "E1",
		behaviour: "`changed` fires after `await vault.create` has returned, not inside it: right after the write the note has no cache",
		source: `${D_TS}:4453 on('changed') ("Called when a file has been indexed, and its (updated) cache is now available"); luiisca/obsidian-periodic-notes-calendar#16 (the cache updates after the vault's event)`,
		async check() {
			const app = await load({ "a.md": "" });
			const seen: string[] = [];
			app.metadataCache.on("changed", (f: TFile) => seen.push(f.path));
			const changed = nextEvent(app.metadataCache, "changed");
			const created = await app.vault.create("New.md", "---\ntype: person\n---\n");
			expect(seen).toEqual([]);
			expect(app.metadataCache.getFileCache(created)).toBeNull();
			const [f, data, cache] = (await changed) as [TFile, string, CachedMetadata];
			expect([f.path, data, cache.frontmatter]).toEqual(["New.md", "---\ntype: person\n---\n", { type: "person" }]);
		},
	},
	{
		id: "E2",
		behaviour: "After `await vault.modify` the previous cache stays until `changed`",
		source: `${D_TS}:4453 on('changed') ("its (updated) cache is now available")`,
		async check() {
			const app = await load({ "a.md": "---\nv: 1\n---\n" });
			const a = file(app, "a.md");
			const changed = nextEvent(app.metadataCache, "changed");
			await app.vault.modify(a, "---\nv: 2\n---\n");
			expect(app.metadataCache.getFileCache(a)?.frontmatter).toEqual({ v: 1 });
			await changed;
			expect(app.metadataCache.getFileCache(a)?.frontmatter).toEqual({ v: 2 });
		},
	},
	{
		id: "E3",
		behaviour: "Order: `changed`, then `resolve` for the note (and for older notes whose links it now resolves), then `resolved`",
		source: `${D_TS}:4466 on('resolve') ("This happens sometimes after a file has been indexed"), on('resolved') :4471 ("fired each time files get modified after the initial load")`,
		async check() {
			const app = await load({ "old.md": "[[Later]]" });
			const order: string[] = [];
			app.metadataCache.on("changed", (f: TFile) => order.push(`changed ${f.path}`));
			app.metadataCache.on("resolve", (f: TFile) => order.push(`resolve ${f.path}`));
			const resolved = nextEvent(app.metadataCache, "resolved", () => {
				order.push("resolved");
				return true;
			});
			await app.vault.create("Later.md", "[[old]]");
			await resolved;
			expect(order[0]).toBe("changed Later.md");
			expect(order.slice(1, 3).sort()).toEqual(["resolve Later.md", "resolve old.md"]);
			expect(order[3]).toBe("resolved");
			expect(app.metadataCache.resolvedLinks["old.md"]).toEqual({ "Later.md": 1 });
		},
	},
	{
		id: "E4",
		behaviour: "A rename fires the vault's `rename` and no `changed`; the cache is at the new path at once, links are re-resolved after",
		source: `${D_TS}:4453 on('changed') ("This is not called when a file is renamed for performance reasons. You must hook the vault rename event for those.")`,
		async check() {
			const app = await load({ "a.md": "---\nv: 1\n---\n[[b]]", "b.md": "", "c.md": "[[a]]" });
			const events: string[] = [];
			app.metadataCache.on("changed", (f: TFile) => events.push(`changed ${f.path}`));
			app.vault.on("rename", (f: TFile, old: string) => events.push(`rename ${old} ${f.path}`));
			const a = file(app, "a.md");
			const resolved = nextEvent(app.metadataCache, "resolved");
			await app.vault.rename(a, "z.md");
			expect(events).toEqual(["rename a.md z.md"]);
			expect(app.metadataCache.getFileCache(a)?.frontmatter).toEqual({ v: 1 });
			await resolved;
			expect(events).toEqual(["rename a.md z.md"]);
			expect(app.metadataCache.resolvedLinks["z.md"]).toEqual({ "b.md": 1 });
			expect(app.metadataCache.unresolvedLinks["c.md"]).toEqual({ a: 1 });
		},
	},
	{
		id: "E5",
		behaviour: "A delete fires `deleted` with the previous cache",
		source: `${D_TS}:4459 on('deleted') ("A best-effort previous version of the cached metadata is presented")`,
		async check() {
			const app = await load({ "a.md": "---\nv: 1\n---\n" });
			const deleted = nextEvent(app.metadataCache, "deleted");
			await app.vault.delete(file(app, "a.md"));
			const [f, prev] = (await deleted) as [TFile, CachedMetadata | null];
			expect([f.path, prev?.frontmatter]).toEqual(["a.md", { v: 1 }]);
		},
	},
	// Files that are not notes
	{
		id: "N1",
		behaviour: "The cache of a non-Markdown file (an `.eml`) is null here; the typings allow null and say nothing more, so the engine treats null and `{}` alike",
		source: `${D_TS}:4417 getFileCache(file): \`CachedMetadata | null\` (no doc comment); no public source says \`{}\` (issue 12 says so, unverified)`,
		async check() {
			const app = await load({ "Inbox/mail.eml": "From: a@b.example\r\n\r\nHi" });
			const eml = file(app, "Inbox/mail.eml");
			expect(app.metadataCache.getFileCache(eml)).toBeNull();
			const settings = normalizeSettings({ excludedTags: ["private"], excludedFolders: ["Private"] });
			expect(emailSignal(eml, {}, settings)).toBe(emailSignal(eml, null, settings));
			expect(isExcluded(eml.path, {}, settings)).toBe(isExcluded(eml.path, null, settings));
		},
	},
	// processFrontMatter
	{
		id: "F1",
		behaviour: "`processFrontMatter` changes only the frontmatter; the body is kept byte for byte, a note without one gets one",
		source: `${D_TS}:2954 FileManager.processFrontMatter ("Atomically read, modify, and save the frontmatter of a note", and its example)`,
		async check() {
			const body = "\n# Title\r\n\nText --- and   \n---\nnot frontmatter\n";
			const dir = writeVault({ "a.md": `---\nb: 1\n---${body}`, "plain.md": "No frontmatter\n" });
			const app = await HeadlessApp.load(dir);
			await app.fileManager.processFrontMatter(file(app, "a.md"), (fm: Record<string, unknown>) => (fm.c = 2));
			expect(readFileSync(path.join(dir, "a.md"), "utf8")).toBe(`---\nb: 1\nc: 2\n---${body}`);
			await app.fileManager.processFrontMatter(file(app, "plain.md"), (fm: Record<string, unknown>) => (fm.x = 1));
			expect(readFileSync(path.join(dir, "plain.md"), "utf8")).toBe("---\nx: 1\n---\nNo frontmatter\n");
		},
	},
	{
		id: "F2",
		behaviour: "A link written as a property value is a quoted string, so it reads back as a frontmatter link (after `changed`)",
		source: `help: Properties (links in properties); blacksmithgu/obsidian-dataview#2030 ("if properly quoted"); ${D_TS}:2954 processFrontMatter`,
		async check() {
			const dir = writeVault({ "mail.md": "---\nsubject: Hi\n---\nBody" });
			const app = await HeadlessApp.load(dir);
			const mail = file(app, "mail.md");
			const changed = nextEvent(app.metadataCache, "changed");
			await app.fileManager.processFrontMatter(mail, (fm: Record<string, unknown>) => (fm.reply_draft = "[[Drafts/mail - reply draft]]"));
			expect(readFileSync(path.join(dir, "mail.md"), "utf8")).toBe('---\nsubject: Hi\nreply_draft: "[[Drafts/mail - reply draft]]"\n---\nBody');
			await changed;
			expect(app.metadataCache.getFileCache(mail)?.frontmatterLinks?.map((l) => [l.key, l.link])).toEqual([["reply_draft", "Drafts/mail - reply draft"]]);
		},
	},
	{
		id: "F3",
		behaviour: "Invalid YAML or an error in the callback: `processFrontMatter` throws and the file is unchanged",
		source: `${D_TS}:2954 processFrontMatter ("@throws YAMLParseError if the YAML parsing fails", "@throws any errors that your callback function throws")`,
		async check() {
			const bad = "---\nkey: [unclosed\n: : :\n---\nBody";
			const dir = writeVault({ "bad.md": bad, "ok.md": "---\na: 1\n---\n" });
			const app = await HeadlessApp.load(dir);
			await expect(app.fileManager.processFrontMatter(file(app, "bad.md"), (fm: Record<string, unknown>) => (fm.x = 1))).rejects.toThrow();
			expect(readFileSync(path.join(dir, "bad.md"), "utf8")).toBe(bad);
			await expect(
				app.fileManager.processFrontMatter(file(app, "ok.md"), () => {
					throw new Error("no");
				}),
			).rejects.toThrow("no");
			expect(readFileSync(path.join(dir, "ok.md"), "utf8")).toBe("---\na: 1\n---\n");
		},
	},
	{
		id: "F4",
		behaviour: "`processFrontMatter` takes Markdown files only",
		source: `${D_TS}:2954 processFrontMatter ("@param file - the file to be modified. Must be a Markdown file.")`,
		async check() {
			const app = await load({ "mail.eml": "From: a@b.example\r\n\r\nHi" });
			await expect(app.fileManager.processFrontMatter(file(app, "mail.eml"), () => undefined)).rejects.toThrow(/Markdown/);
		},
	},
];

describe("host conformance with Obsidian", () => {
	it.each(ROWS.map((r) => [r.id, r] as const))("%s", async (_id, row) => {
		await row.check();
	});

	it("the README's table lists every row with its source", () => {
		const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
		for (const row of ROWS) {
			const line = readme.split("\n").find((l) => l.startsWith(`| ${row.id} |`));
			expect(line).toBeDefined();
			expect(line).toContain(row.behaviour.replace(/\|/g, "\\|"));
			expect(line).toContain("pass");
		}
	});
});
