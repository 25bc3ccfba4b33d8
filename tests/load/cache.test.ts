/**
 * The command line's on-disk metadata cache: a second run reads no unchanged note, and a note
 * changed, added, renamed or deleted between runs is seen. Each check compares the cached
 * load with a fresh load without a cache: metadata and resolved links must be identical.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, statSync } from "fs";
import * as path from "path";
import { HeadlessApp } from "../../headless/host";
import { cacheFileName, defaultCacheDir, noteRow, CACHE_FORMAT } from "../../headless/cache";
import { cleanupVaults, tempDir, writeVault } from "../support/vault";

afterAll(cleanupVaults);

const VAULT = {
	"People/Ana Ruiz.md": "---\ntype: person\nemail: ana@acme.example\naliases: [Ana R.]\n---\n# Ana\n- Met in Lisbon #contact\n",
	"Companies/Acme.md": "---\ntype: customer\ndomains:\n  - acme.example\n---\nAcme is a customer.\n",
	"Meetings/2026-11-02 QBR.md": "---\ndate: 2026-11-02\nattendees:\n  - \"[[Ana Ruiz]]\"\n---\nWith [[Ana Ruiz]] about [[Acme]] and [[Roadmap]].\n",
	"Inbox/renewal.md": "---\ntype: email\nfrom: Ana Ruiz <ana@acme.example>\nsubject: Renewal\n---\nHi\n",
	"Notes/idea.md": "Plain note #idea with [[Ana Ruiz|Ana]], ![[contract.pdf]] and [a link](Companies/Acme.md)\n",
	"Files/contract.pdf": "%PDF-1.4",
};

/** Everything the engine can see of a loaded vault, as plain data. */
function snapshot(app: HeadlessApp): unknown {
	const notes: Record<string, unknown> = {};
	for (const file of app.vault.getMarkdownFiles().sort((a, b) => a.path.localeCompare(b.path))) {
		const cache = app.metadataCache.getFileCache(file);
		notes[file.path] = {
			meta: JSON.parse(JSON.stringify(cache)) as unknown,
			headings: cache?.headings ?? null,
			size: file.stat.size,
			resolved: app.metadataCache.resolvedLinks[file.path],
			unresolved: app.metadataCache.unresolvedLinks[file.path],
		};
	}
	return { files: app.vault.getFiles().map((f) => f.path).sort(), notes };
}

async function expectSameAsFresh(vault: string, cacheDir: string): Promise<HeadlessApp> {
	const cached = await HeadlessApp.load(vault, { cacheDir });
	const fresh = await HeadlessApp.load(vault);
	expect(snapshot(cached)).toEqual(snapshot(fresh));
	return cached;
}

function setup(): { vault: string; cacheDir: string } {
	return { vault: writeVault(VAULT), cacheDir: path.join(tempDir("erd-cache-"), "cache") };
}

describe("the on-disk metadata cache", () => {
	it("a run with a cache, which stats each file as it lists it, lists the same files with the same stats", async () => {
		const { vault, cacheDir } = setup();
		mkdirSync(path.join(vault, "Deep", "er", "still"), { recursive: true });
		writeFileSync(path.join(vault, "Deep", "er", "still", "Note.md"), "# deep\n");
		writeFileSync(path.join(vault, "Deep", "photo.png"), Buffer.from([137, 80, 78, 71]));
		mkdirSync(path.join(vault, ".hidden"));
		writeFileSync(path.join(vault, ".hidden", "Secret.md"), "# no\n");
		writeFileSync(path.join(vault, "Deep", ".dotfile.md"), "# no\n");
		// Symbolic links, to a note and to a folder: not part of the vault, with or without a cache.
		symlinkSync(path.join(vault, "People", "Ana Ruiz.md"), path.join(vault, "Deep", "Linked note.md"));
		symlinkSync(path.join(vault, "People"), path.join(vault, "Linked folder"));
		const listing = (app: HeadlessApp): Array<[string, unknown]> => app.vault.getFiles().map((f) => [f.path, f.stat] as [string, unknown]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
		const fresh = await HeadlessApp.load(vault);
		await HeadlessApp.load(vault, { cacheDir });
		const warm = await HeadlessApp.load(vault, { cacheDir });
		expect(warm.loadReport?.cached).toBeGreaterThan(0);
		expect(listing(warm)).toEqual(listing(fresh));
		expect(listing(fresh).map(([p]) => p)).toEqual(expect.arrayContaining(["Deep/er/still/Note.md", "Deep/photo.png"]));
		expect(listing(fresh).map(([p]) => p).filter((p) => p.includes("Linked") || p.includes(".hidden") || p.includes(".dotfile"))).toEqual([]);
	});

	it("lets a second run over an unchanged vault read no note, with the same metadata and links", async () => {
		const { vault, cacheDir } = setup();
		const first = await HeadlessApp.load(vault, { cacheDir });
		expect(first.loadReport).toMatchObject({ parsed: 5, cached: 0, cacheWritten: true });
		const second = await expectSameAsFresh(vault, cacheDir);
		expect(second.loadReport).toMatchObject({ parsed: 0, cached: 5, cacheWritten: false });
		// Headings are still there, parsed from the file when asked for.
		const ana = second.vault.getAbstractFileByPath("People/Ana Ruiz.md");
		expect(ana && second.metadataCache.getFileCache(ana as never)?.headings?.map((h) => h.heading)).toEqual(["Ana"]);
	});

	it("is stored outside the vault, in one file, with nothing left half-written", async () => {
		const { vault, cacheDir } = setup();
		const before = readdirSync(vault).sort();
		await HeadlessApp.load(vault, { cacheDir });
		expect(readdirSync(vault).sort()).toEqual(before);
		const files = readdirSync(cacheDir);
		expect(files).toHaveLength(1);
		expect(files[0]).toBe(cacheFileName(vault));
		expect(files[0]).toMatch(new RegExp(`\\.v${CACHE_FORMAT}\\.cache$`));
		// It holds private notes' frontmatter too: only its owner may read it.
		if (process.platform !== "win32") {
			expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
			expect(statSync(path.join(cacheDir, files[0] ?? "")).mode & 0o777).toBe(0o600);
		}
	});

	it("round-trips a vault larger than one written chunk of rows, non-ASCII text included", async () => {
		const many: Record<string, string> = { ...VAULT };
		for (let i = 0; i < 1203; i++) many[`Notes/n${i}.md`] = `---\ntitle: "Tomás ${i} — ü"\n---\nSee [[Ana Ruiz]] and [[n${i + 1}]] #tag${i % 7}\n`;
		const vault = writeVault(many);
		const cacheDir = path.join(tempDir("erd-cache-"), "cache");
		await HeadlessApp.load(vault, { cacheDir });
		const second = await expectSameAsFresh(vault, cacheDir);
		expect(second.loadReport).toMatchObject({ parsed: 0, cached: 1208 });
	});

	it("sees a note changed between runs, at the same size too", async () => {
		const { vault, cacheDir } = setup();
		await HeadlessApp.load(vault, { cacheDir });
		const ana = path.join(vault, "People/Ana Ruiz.md");
		const text = readFileSync(ana, "utf8");
		const same = text.replace("ana@acme.example", "ana@acme.exampl2");
		expect(same.length).toBe(text.length);
		writeFileSync(ana, same);
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.loadReport).toMatchObject({ parsed: 1, cached: 4 });
		const file = app.vault.getAbstractFileByPath("People/Ana Ruiz.md");
		expect(file && app.metadataCache.getFileCache(file as never)?.frontmatter?.email).toBe("ana@acme.exampl2");
		// The rewritten cache: the changed note encoded anew, the others' stored bytes copied.
		expect((await expectSameAsFresh(vault, cacheDir)).loadReport).toMatchObject({ parsed: 0, cached: 5, cacheWritten: false });
	});

	it("sees a change even when the modification time is put back", async () => {
		const { vault, cacheDir } = setup();
		const idea = path.join(vault, "Notes/idea.md");
		const when = new Date("2026-11-01T10:00:00Z");
		utimesSync(idea, when, when);
		await HeadlessApp.load(vault, { cacheDir });
		writeFileSync(idea, readFileSync(idea, "utf8").replace("#idea", "#ide2"));
		utimesSync(idea, when, when);
		expect(statSync(idea).mtimeMs).toBe(when.getTime());
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.loadReport?.parsed).toBe(1);
	});

	it("sees a note added between runs, and the links that now resolve to it", async () => {
		const { vault, cacheDir } = setup();
		const first = await HeadlessApp.load(vault, { cacheDir });
		expect(first.metadataCache.unresolvedLinks["Meetings/2026-11-02 QBR.md"]).toEqual({ Roadmap: 1 });
		writeFileSync(path.join(vault, "Roadmap.md"), "# Roadmap\n");
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.loadReport).toMatchObject({ parsed: 1, cached: 5 });
		expect(app.metadataCache.resolvedLinks["Meetings/2026-11-02 QBR.md"]?.["Roadmap.md"]).toBe(1);
	});

	it("sees a note renamed between runs: gone at the old path, links resolved anew", async () => {
		const { vault, cacheDir } = setup();
		await HeadlessApp.load(vault, { cacheDir });
		renameSync(path.join(vault, "Companies/Acme.md"), path.join(vault, "Companies/Acme Corp.md"));
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.vault.getAbstractFileByPath("Companies/Acme.md")).toBeNull();
		expect(app.vault.getAbstractFileByPath("Companies/Acme Corp.md")).not.toBeNull();
		expect(app.metadataCache.unresolvedLinks["Meetings/2026-11-02 QBR.md"]).toEqual({ Acme: 1, Roadmap: 1 });
	});

	it("sees a note deleted between runs", async () => {
		const { vault, cacheDir } = setup();
		await HeadlessApp.load(vault, { cacheDir });
		rmSync(path.join(vault, "People/Ana Ruiz.md"));
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.vault.getAbstractFileByPath("People/Ana Ruiz.md")).toBeNull();
		expect(app.metadataCache.unresolvedLinks["Meetings/2026-11-02 QBR.md"]).toMatchObject({ "Ana Ruiz": 2 });
		expect(app.loadReport?.cacheWritten).toBe(true);
	});

	it("ignores a damaged cache file or one of another format, and rewrites it", async () => {
		const { vault, cacheDir } = setup();
		await HeadlessApp.load(vault, { cacheDir });
		const file = path.join(cacheDir, readdirSync(cacheDir)[0] ?? "");
		const good = readFileSync(file);
		// Cut anywhere, or with bytes changed inside a note's entry: never used.
		for (const damaged of [good.subarray(0, 100), good.subarray(0, good.length - 10)]) {
			writeFileSync(file, damaged);
			const app = await expectSameAsFresh(vault, cacheDir);
			expect(app.loadReport?.cacheWritten).toBe(true);
		}
		// A note's entry is decoded only when asked for; a damaged one is read from the note
		// instead, and the cache is mended at the next write.
		writeFileSync(file, Buffer.from(good.toString("latin1").replace("ana@acme.example", "ana@acme.exampl\u0000"), "latin1"));
		const mended = await expectSameAsFresh(vault, cacheDir);
		expect(mended.loadReport).toMatchObject({ cached: 5, cacheWritten: false });
		expect(mended.saveCache(null)).toBe(true);
		// Damaged again, and a file added: every stored note is decoded at once, and still read right.
		writeFileSync(file, Buffer.from(readFileSync(file).toString("latin1").replace("ana@acme.example", "ana@acme.exampl\u0000"), "latin1"));
		writeFileSync(path.join(vault, "Roadmap.md"), "# Roadmap\n");
		expect((await expectSameAsFresh(vault, cacheDir)).loadReport).toMatchObject({ parsed: 1, cached: 5, cacheWritten: true });
		rmSync(path.join(vault, "Roadmap.md"));
		await expectSameAsFresh(vault, cacheDir);
		expect((await expectSameAsFresh(vault, cacheDir)).saveCache(null)).toBe(false);
		// Another format's file, with the same name (a format change also changes the name).
		const other = readFileSync(file).toString("latin1").replace(`"format":${CACHE_FORMAT}`, `"format":${CACHE_FORMAT + 1}`);
		expect(other).toContain(`"format":${CACHE_FORMAT + 1}`);
		writeFileSync(file, Buffer.from(other, "latin1"));
		const app = await expectSameAsFresh(vault, cacheDir);
		expect(app.loadReport).toMatchObject({ parsed: 5, cacheWritten: true });
		expect(readdirSync(cacheDir)).toEqual([path.basename(file)]);
	});

	it("is written once per load: a second save writes nothing and leaves the cache whole", async () => {
		const { vault, cacheDir } = setup();
		const app = await HeadlessApp.load(vault, { cacheDir, deferCacheSave: true });
		expect(app.saveCache(null)).toBe(true);
		expect(app.saveCache(null)).toBe(false);
		expect((await expectSameAsFresh(vault, cacheDir)).loadReport).toMatchObject({ parsed: 0, cached: 5 });
	});

	it("keeps one cache per vault", async () => {
		const a = setup();
		const b = writeVault({ "x.md": "# X\n" });
		await HeadlessApp.load(a.vault, { cacheDir: a.cacheDir });
		await HeadlessApp.load(b, { cacheDir: a.cacheDir });
		expect(readdirSync(a.cacheDir)).toHaveLength(2);
		const again = await HeadlessApp.load(b, { cacheDir: a.cacheDir });
		expect(again.loadReport).toMatchObject({ parsed: 0, cached: 1 });
	});

	it("reports a cache it cannot write, and the load still succeeds", async () => {
		const { vault } = setup();
		const blocker = path.join(tempDir("erd-cache-"), "a-file");
		writeFileSync(blocker, "");
		const errors: string[] = [];
		const app = await HeadlessApp.load(vault, { cacheDir: path.join(blocker, "cache"), onCacheError: (m) => errors.push(m) });
		expect(app.vault.getMarkdownFiles()).toHaveLength(5);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toContain("could not write the metadata cache");
		expect(existsSync(path.join(blocker, "cache"))).toBe(false);
	});
});

describe("where the cache lives by default", () => {
	it("follows each platform's convention, and needs a home to exist", () => {
		expect(defaultCacheDir({ HOME: "/home/ana" }, "linux")).toBe("/home/ana/.cache/email-reply-drafter");
		expect(defaultCacheDir({ HOME: "/home/ana", XDG_CACHE_HOME: "/var/cache/ana" }, "linux")).toBe("/var/cache/ana/email-reply-drafter");
		expect(defaultCacheDir({ HOME: "/home/ana", XDG_CACHE_HOME: "relative" }, "linux")).toBe("/home/ana/.cache/email-reply-drafter");
		expect(defaultCacheDir({ HOME: "/Users/ana", XDG_CACHE_HOME: "/x" }, "darwin")).toBe("/Users/ana/Library/Caches/email-reply-drafter");
		expect(defaultCacheDir({ LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local" }, "win32")).toBe("C:\\Users\\ana\\AppData\\Local\\email-reply-drafter\\Cache");
		expect(defaultCacheDir({ USERPROFILE: "C:\\Users\\ana" }, "win32")).toBe("C:\\Users\\ana\\AppData\\Local\\email-reply-drafter\\Cache");
		expect(defaultCacheDir({}, "linux")).toBeNull();
		expect(defaultCacheDir({}, "win32")).toBeNull();
	});
});

describe("a note's row in the cache", () => {
	it("is the JSON of the row, whatever the note holds", () => {
		const flats = [{}, { fp: 1 as const }, { f: { a: 1 }, fp: 1 as const, fl: ["company", "Acme"], l: ["Ana \"R\"", "x\\y"], e: ["img.png"], t: [["#t", 0, 1, 1, 0, 3, 3] as [string, number, number, number, number, number, number]] }];
		for (const yaml of [undefined, "", "title: x\n", "quote: \"é\u2028\"\n"]) {
			for (const flat of flats) {
				expect(JSON.parse(noteRow(yaml, flat))).toEqual([yaml ?? 0, flat.fp ?? 0, flat.fl ?? [], flat.l ?? [], flat.e ?? [], flat.t ?? []]);
			}
		}
	});
});
