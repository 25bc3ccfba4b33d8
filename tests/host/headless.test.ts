import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { HeadlessApp, TFile, TFolder } from "../../headless/host";
import { parseMarkdownMetadata } from "../../src/host/markdown";
import { cleanupVaults, writeVault } from "../support/vault";
import { writeAndSettle } from "../support/cacheEvents";

afterAll(cleanupVaults);

describe("metadata of a note", () => {
	it("parses frontmatter with the yaml package, and frontmatter links", () => {
		const cache = parseMarkdownMetadata(`---\ntitle: "A: b"\ncompany: "[[Acme Corp|Acme]]"\nattendees:\n  - "[[Ana Ruiz]]"\n  - plain\ncount: 3\n---\nBody`);
		expect(cache.frontmatter).toEqual({ title: "A: b", company: "[[Acme Corp|Acme]]", attendees: ["[[Ana Ruiz]]", "plain"], count: 3 });
		expect(cache.frontmatterLinks).toEqual([
			{ key: "company", link: "Acme Corp", original: "[[Acme Corp|Acme]]", displayText: "Acme" },
			{ key: "attendees.0", link: "Ana Ruiz", original: "[[Ana Ruiz]]", displayText: "Ana Ruiz" },
		]);
		expect(cache.frontmatterPosition?.start.line).toBe(0);
		expect(cache.frontmatterPosition?.end.line).toBe(7);
	});

	it("gives no frontmatter (and no exception) for malformed YAML, as Obsidian does", () => {
		const cache = parseMarkdownMetadata("---\nkey: [unclosed\n: : :\n---\nSee [[Other]].");
		expect(cache.frontmatter).toBeUndefined();
		expect(cache.links?.map((l) => l.link)).toEqual(["Other"]);
	});

	it("reads wikilinks with aliases, headings and blocks, embeds, Markdown links, tags and headings", () => {
		const text = [
			"# Title",
			"See [[Ana Ruiz|Ana]] and [[Acme Corp#Renewal]] and [[Notes#^abc123]].",
			"![[diagram.png]] and ![[Other note]]",
			"A [markdown link](People/Tom%C3%A1s%20Herrera.md) and [site](https://example.com).",
			"Tags: #project/alpha #todo but not #123 or `#code` or `[[code link]]`",
			"```",
			"[[Not a link]] #nottag",
			"```",
			"## Second heading #tagged",
			"- [ ] open task",
			"- [x] done task",
		].join("\n");
		const cache = parseMarkdownMetadata(text);
		expect(cache.links?.map((l) => [l.link, l.displayText])).toEqual([
			["Ana Ruiz", "Ana"],
			["Acme Corp#Renewal", "Acme Corp#Renewal"],
			["Notes#^abc123", "Notes#^abc123"],
			["People/Tomás Herrera.md", "markdown link"],
		]);
		expect(cache.embeds?.map((e) => e.link)).toEqual(["diagram.png", "Other note"]);
		expect(cache.tags?.map((t) => t.tag)).toEqual(["#project/alpha", "#todo", "#tagged"]);
		expect(cache.headings?.map((h) => [h.level, h.heading])).toEqual([
			[1, "Title"],
			[2, "Second heading #tagged"],
		]);
		expect(cache.listItems?.map((i) => i.task)).toEqual([" ", "x"]);
		const ana = cache.links?.[0];
		expect(ana?.position.start).toEqual({ line: 1, col: 4, offset: text.indexOf("[[Ana") });
	});
});

describe("the headless vault", () => {
	const files = {
		"People/Ana Ruiz.md": "---\ntype: person\n---\nAna",
		"Archive/People/Ana Ruiz.md": "Old copy",
		"Projects/Alpha/Plan.md": "Links: [[Ana Ruiz]] [[Projects/Alpha/Notes]] [[Missing note]] [[Notes#Heading]]",
		"Projects/Alpha/Notes.md": "---\nowner: \"[[Ana Ruiz]]\"\n---\nNotes",
		"Projects/Beta/Notes.md": "Beta notes",
		"Inbox/mail.eml": "From: a@b.com\r\n\r\nHi",
		".obsidian/app.json": "{}",
	};

	it("lists files and folders as TFile and TFolder, skipping the hidden config folder", async () => {
		const app = await HeadlessApp.load(writeVault(files));
		const paths = app.vault.getFiles().map((f) => f.path).sort();
		expect(paths).toEqual(Object.keys(files).filter((p) => !p.startsWith(".")).sort());
		expect(app.vault.getMarkdownFiles()).toHaveLength(5);
		const ana = app.vault.getAbstractFileByPath("People/Ana Ruiz.md");
		expect(ana).toBeInstanceOf(TFile);
		expect(ana instanceof TFile && [ana.basename, ana.extension, ana.parent?.path]).toEqual(["Ana Ruiz", "md", "People"]);
		expect(app.vault.getAbstractFileByPath("Projects/Alpha")).toBeInstanceOf(TFolder);
	});

	it("resolves link paths by path, by name, and to the nearest file when names repeat", async () => {
		const app = await HeadlessApp.load(writeVault(files));
		const mc = app.metadataCache;
		expect(mc.getFirstLinkpathDest("People/Ana Ruiz", "x.md")?.path).toBe("People/Ana Ruiz.md");
		expect(mc.getFirstLinkpathDest("Archive/People/Ana Ruiz.md", "x.md")?.path).toBe("Archive/People/Ana Ruiz.md");
		expect(mc.getFirstLinkpathDest("ana ruiz", "Inbox/x.md")?.path).toBe("People/Ana Ruiz.md");
		expect(mc.getFirstLinkpathDest("Ana Ruiz", "Archive/People/y.md")?.path).toBe("Archive/People/Ana Ruiz.md");
		expect(mc.getFirstLinkpathDest("Notes", "Projects/Beta/Other.md")?.path).toBe("Projects/Beta/Notes.md");
		expect(mc.getFirstLinkpathDest("Notes", "Projects/Alpha/Plan.md")?.path).toBe("Projects/Alpha/Notes.md");
		expect(mc.getFirstLinkpathDest("./Notes", "Projects/Beta/x.md")?.path).toBe("Projects/Beta/Notes.md");
		expect(mc.getFirstLinkpathDest("mail.eml", "x.md")?.path).toBe("Inbox/mail.eml");
		expect(mc.getFirstLinkpathDest("Nowhere", "x.md")).toBeNull();
	});

	it("fills resolvedLinks and unresolvedLinks, frontmatter links included", async () => {
		const app = await HeadlessApp.load(writeVault(files));
		expect(app.metadataCache.resolvedLinks["Projects/Alpha/Plan.md"]).toEqual({ "People/Ana Ruiz.md": 1, "Projects/Alpha/Notes.md": 2 });
		expect(app.metadataCache.unresolvedLinks["Projects/Alpha/Plan.md"]).toEqual({ "Missing note": 1 });
		expect(app.metadataCache.resolvedLinks["Projects/Alpha/Notes.md"]).toEqual({ "People/Ana Ruiz.md": 1 });
	});

	it("fires changed, deleted and rename events and keeps the cache and links current", async () => {
		const dir = writeVault(files);
		const app = await HeadlessApp.load(dir);
		const seen: string[] = [];
		app.metadataCache.on("changed", (f: TFile, data: string) => seen.push(`changed ${f.path} ${data.length}`));
		app.metadataCache.on("deleted", (f: TFile) => seen.push(`deleted ${f.path}`));
		app.vault.on("rename", (f: TFile, old: string) => seen.push(`rename ${old} -> ${f.path}`));
		app.metadataCache.on("resolve", (f: TFile) => seen.push(`resolve ${f.path}`));

		const settle = <T>(write: () => Promise<T>): Promise<T> => writeAndSettle(app.metadataCache, write);
		const created = await settle(() => app.vault.create("Missing note.md", "now exists"));
		expect(seen).toContain("changed Missing note.md 10");
		// The older note whose link now resolves is re-resolved too, as in Obsidian.
		expect(seen).toContain("resolve Projects/Alpha/Plan.md");
		expect(app.metadataCache.resolvedLinks["Projects/Alpha/Plan.md"]?.["Missing note.md"]).toBe(1);
		expect(app.metadataCache.unresolvedLinks["Projects/Alpha/Plan.md"]).toEqual({});

		await settle(() => app.vault.modify(created, "---\ntype: person\n---\n"));
		expect(app.metadataCache.getFileCache(created)?.frontmatter).toEqual({ type: "person" });

		const plan = app.vault.getAbstractFileByPath("Projects/Alpha/Notes.md") as TFile;
		await settle(() => app.vault.rename(plan, "Projects/Alpha/Renamed.md"));
		expect(seen).toContain("rename Projects/Alpha/Notes.md -> Projects/Alpha/Renamed.md");
		expect(plan.path).toBe("Projects/Alpha/Renamed.md");
		expect(app.metadataCache.getFileCache(plan)?.frontmatter?.owner).toBe("[[Ana Ruiz]]");
		expect(app.vault.getAbstractFileByPath("Projects/Alpha/Notes.md")).toBeNull();

		await settle(() => app.vault.delete(created));
		expect(seen).toContain("deleted Missing note.md");
		// The renamed note's old path no longer resolves (the host does not rewrite links).
		expect(app.metadataCache.unresolvedLinks["Projects/Alpha/Plan.md"]).toEqual({ "Missing note": 1, "Projects/Alpha/Notes": 1 });
		expect(readFileSync(path.join(dir, "Projects/Alpha/Renamed.md"), "utf8")).toContain("Notes");
	});

	it("never overwrites: create fails on an existing path", async () => {
		const app = await HeadlessApp.load(writeVault(files));
		await expect(app.vault.create("People/Ana Ruiz.md", "x")).rejects.toThrow(/already exists/);
	});

	it("processFrontMatter edits only the frontmatter and leaves the body byte for byte", async () => {
		const body = "\n# Title\r\n\nText with --- and trailing spaces   \n---\nnot frontmatter\n";
		const dir = writeVault({ "a.md": `---\n# a comment\nb: 1\nlist: [x, y]\n---${body}`, "plain.md": "No frontmatter\n" });
		const app = await HeadlessApp.load(dir);
		const a = app.vault.getAbstractFileByPath("a.md") as TFile;
		await writeAndSettle(app.metadataCache, () =>
			app.fileManager.processFrontMatter(a, (fm) => {
				fm.reply_draft = "[[a - reply draft]]";
				fm.b = 2;
			}),
		);
		const text = readFileSync(path.join(dir, "a.md"), "utf8");
		expect(text.endsWith(`---${body}`)).toBe(true);
		expect(text).toContain("# a comment");
		expect(app.metadataCache.getFileCache(a)?.frontmatter).toEqual({ b: 2, list: ["x", "y"], reply_draft: "[[a - reply draft]]" });
		const plain = app.vault.getAbstractFileByPath("plain.md") as TFile;
		await app.fileManager.processFrontMatter(plain, (fm) => (fm.x = 1));
		expect(readFileSync(path.join(dir, "plain.md"), "utf8")).toBe("---\nx: 1\n---\nNo frontmatter\n");
	});

	it("processFrontMatter rewrites only what the callback changed, and never folds a long value", async () => {
		const dir = writeVault({ "a.md": "---\n# keep me\nb: 1\ntitle: 'Quoted: yes'\n---\nBody" });
		const app = await HeadlessApp.load(dir);
		const long = "[[Inbox/2026-11-21 Re Acme renewal with a very long subject line that goes on - reply draft]]";
		await app.fileManager.processFrontMatter(app.vault.getAbstractFileByPath("a.md") as TFile, (fm) => {
			fm.reply_draft = long;
		});
		expect(readFileSync(path.join(dir, "a.md"), "utf8")).toBe(`---\n# keep me\nb: 1\ntitle: 'Quoted: yes'\nreply_draft: "${long}"\n---\nBody`);
	});
});

describe("the headless metadata cache after a delete", () => {
	it("has nothing for the deleted file, asked by file or by path", async () => {
		const app = await HeadlessApp.load(writeVault({ "a.md": "---\ntitle: A\n---\n" }));
		const file = app.vault.getAbstractFileByPath("a.md");
		if (!(file instanceof TFile)) throw new Error("a.md is not loaded");
		expect(app.metadataCache.getFileCache(file)?.frontmatter).toEqual({ title: "A" });
		await app.vault.delete(file);
		expect(app.metadataCache.getFileCache(file)).toBeNull();
		expect(app.metadataCache.getCache("a.md")).toBeNull();
	});
});

describe("the headless vault's file lists", () => {
	it("a file's basename and extension, cut from its name when asked, and a note known without cutting it", () => {
		for (const [path, basename, extension] of [
			["a.md", "a", "md"],
			["Notes/x.pdf.md", "x.pdf", "md"],
			["a..md", "a.", "md"],
			["Files/report.pdf", "report", "pdf"],
			["Notes/a.MD", "a", "MD"],
			["Notes/README", "README", ""],
			["Notes/.md", ".md", ""],
			["md", "md", ""],
		] as const) {
			const file = new TFile(path, { ctime: 0, mtime: 0, size: 0 });
			expect([file.basename, file.extension, file.isNote]).toEqual([basename, extension, extension === "md"]);
			file.setPath(`Moved/${basename}.md`);
			expect([file.name, file.basename, file.extension, file.isNote]).toEqual([`${basename}.md`, basename, "md", true]);
		}
	});

	it("follow files created, renamed and deleted, and are the caller's to change", async () => {
		const app = await HeadlessApp.load(writeVault({ "a.md": "# A\n", "b.pdf": "%PDF" }));
		const notes = (): string[] => app.vault.getMarkdownFiles().map((f) => f.path).sort();
		expect(notes()).toEqual(["a.md"]);
		app.vault.getMarkdownFiles().length = 0;
		expect(notes()).toEqual(["a.md"]);
		const c = await app.vault.create("c.md", "# C\n");
		expect(notes()).toEqual(["a.md", "c.md"]);
		await app.vault.rename(c, "d.md");
		expect(notes()).toEqual(["a.md", "d.md"]);
		const a = app.vault.getAbstractFileByPath("a.md");
		if (!(a instanceof TFile)) throw new Error("a.md is not loaded");
		await app.vault.delete(a);
		expect(notes()).toEqual(["d.md"]);
		expect(app.vault.getFiles().map((f) => f.path).sort()).toEqual(["b.pdf", "d.md"]);
	});
});
