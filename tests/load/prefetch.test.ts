/**
 * A first run's files read ahead in a worker thread (headless/prefetch.ts): the same vault as
 * the loader reads on its own, failures reported the same way, and a worker that stops leaves
 * the rest to the loader.
 */
import { describe, it, expect, afterAll, afterEach, jest } from "@jest/globals";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { HeadlessApp } from "../../headless/host";
import { Prefetch, type Prefetched } from "../../headless/prefetch";
import { cleanupVaults, copyExampleVault, tempDir } from "../support/vault";

afterEach(() => {
	jest.restoreAllMocks();
});
afterAll(cleanupVaults);

/** `Prefetch.prototype.take` as it is before a test replaces it. */
function originalTake(): (this: Prefetch, i: number) => Prefetched | undefined {
	return (Object.getOwnPropertyDescriptor(Prefetch.prototype, "take") as { value: (this: Prefetch, i: number) => Prefetched | undefined }).value;
}

/** Every file and what the metadata cache holds for each note. */
function snapshot(app: HeadlessApp): unknown {
	const files = app.vault.getFiles().map((f) => [f.path, f.stat.size, f.stat.mtime]).sort();
	const notes = app.vault
		.getMarkdownFiles()
		.sort((a, b) => a.path.localeCompare(b.path))
		.map((file) => {
			const cache = app.metadataCache.getFileCache(file);
			return [file.path, cache?.frontmatter ?? null, (cache?.links ?? []).map((l) => l.link), (cache?.tags ?? []).map((t) => t.tag), app.metadataCache.resolvedLinks[file.path] ?? null];
		});
	return { files, notes, unresolved: app.metadataCache.unresolvedLinks };
}

/** The example vault, with enough notes for several batches, nested folders and a file that is not a note. */
function bigVault(): string {
	const vault = copyExampleVault();
	mkdirSync(path.join(vault, "Notes/Deep/Deeper"), { recursive: true });
	for (let i = 0; i < 300; i++) {
		const folder = i % 3 === 0 ? "Notes/Deep/Deeper" : "Notes";
		writeFileSync(path.join(vault, folder, `Note ${i}.md`), `---\ntags: [n${i % 7}]\n---\nWith [[Ana Ruiz]] and [[Note ${(i + 1) % 300}]] #topic/${i % 5}\n`);
	}
	writeFileSync(path.join(vault, "Notes/data.csv"), "a,b\n1,2\n");
	writeFileSync(path.join(vault, "Notes/bom.md"), "\uFEFF---\ntype: person\nemail: bom@acme.example\n---\n");
	return vault;
}

describe("reading ahead in a worker", () => {
	it("loads the same vault as the loader on its own, and is used only when nothing is cached", async () => {
		const vault = bigVault();
		const take = jest.spyOn(Prefetch.prototype, "take");
		const ahead = await HeadlessApp.load(vault, { prefetchFrom: 1 });
		expect(take).toHaveBeenCalled();
		take.mockClear();
		const alone = await HeadlessApp.load(vault, { prefetchFrom: Infinity });
		expect(take).not.toHaveBeenCalled();
		expect(snapshot(ahead)).toEqual(snapshot(alone));
		expect(ahead.loadReport).toEqual(alone.loadReport);

		// With a usable cache most notes are not read at all: no worker.
		const cacheDir = path.join(tempDir("erd-prefetch-"), "cache");
		await HeadlessApp.load(vault, { cacheDir, prefetchFrom: 1 });
		take.mockClear();
		const warm = await HeadlessApp.load(vault, { cacheDir, prefetchFrom: 1 });
		expect(take).not.toHaveBeenCalled();
		expect(snapshot(warm)).toEqual(snapshot(alone));
	});

	it("reports a file it could not stat or read as the loader does, and the rest loads", async () => {
		const vault = bigVault();
		// The worker's answers, made here so that they do not depend on timing: two notes fail.
		jest.spyOn(Prefetch.prototype, "take").mockImplementation(function (this: Prefetch, i: number): Prefetched {
			const file = path.join(this.base, ...(this.paths[i] ?? "").split("/"));
			if (file.endsWith(`${path.sep}Note 7.md`)) return { stat: null, text: null, error: { code: "ENOENT", message: "ENOENT: no such file" } };
			const st = statSync(file);
			const stat = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, birthtimeMs: st.birthtimeMs };
			if (file.endsWith(`${path.sep}Note 4.md`)) return { stat, text: null, error: { code: "EACCES", message: "EACCES: permission denied" } };
			return { stat, text: file.endsWith(".md") ? readFileSync(file, "utf8") : null, error: null };
		});
		const told: string[] = [];
		const app = await HeadlessApp.load(vault, { prefetchFrom: 1, onUnreadable: (p, reason) => told.push(`${p}: ${reason}`) });
		expect(told.sort()).toEqual(["Notes/Note 4.md: permission denied", "Notes/Note 7.md: it disappeared while the vault was loading"]);
		expect(app.vault.getAbstractFileByPath("Notes/Note 4.md")).toBeNull();
		expect(app.vault.getAbstractFileByPath("Notes/Note 10.md")).not.toBeNull();
		jest.restoreAllMocks();
		expect(app.vault.getMarkdownFiles()).toHaveLength((await HeadlessApp.load(vault, { prefetchFrom: Infinity })).vault.getMarkdownFiles().length - 2);
	});

	it("reads a file itself whenever the worker has not got to it", async () => {
		const vault = bigVault();
		const take = originalTake();
		// The worker has nothing for every other file, then nothing at all.
		let calls = 0;
		jest.spyOn(Prefetch.prototype, "take").mockImplementation(function (this: Prefetch, i: number) {
			const got = take.call(this, i);
			return ++calls > 200 || i % 2 ? undefined : got;
		});
		const alone = await HeadlessApp.load(vault, { prefetchFrom: Infinity });
		expect(snapshot(await HeadlessApp.load(vault, { prefetchFrom: 1 }))).toEqual(snapshot(alone));
		expect(calls).toBeGreaterThan(300);
	});
});

describe("the worker", () => {
	it("gives each file's stat and text once it has them, leaves the caller's own batch to it, and says why a file failed", async () => {
		const dir = tempDir("erd-prefetch-");
		const paths: string[] = [];
		for (let i = 0; i < 12; i++) {
			const p = path.join(dir, `f${i}.md`);
			writeFileSync(p, `text ${i}`);
			paths.push(p);
		}
		mkdirSync(path.join(dir, "folder.md"));
		mkdirSync(path.join(dir, "sub"));
		writeFileSync(path.join(dir, "sub", "g.md"), "nested");
		const all = [...paths.map((p) => path.basename(p)), "missing.md", "folder.md", "f0.md", "sub/g.md"];
		let asked = 0;
		const prefetch = new Prefetch(dir, all, () => asked++ !== 14, 3, 8);
		// The caller stays at its first batch; the worker, once started, reads the files after it.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		try {
			for (let i = 0; i < 3; i++) expect(prefetch.take(i)).toBeUndefined();
			for (let i = 3; i < 12; i++) expect(prefetch.take(i)).toEqual({ stat: expect.objectContaining({ size: `text ${i}`.length }), text: `text ${i}`, error: null });
			expect(prefetch.take(12)).toMatchObject({ stat: null, text: null, error: { code: "ENOENT" } });
			expect(prefetch.take(13)).toMatchObject({ stat: { size: expect.any(Number) }, text: null, error: { code: "EISDIR" } });
			// Not to be read: stat'ed only.
			expect(prefetch.take(14)).toMatchObject({ stat: { size: 6 }, text: null, error: null });
			// A path in a folder, joined with the platform's separator.
			expect(prefetch.take(15)).toMatchObject({ stat: { size: 6 }, text: "nested", error: null });
		} finally {
			prefetch.close();
		}
	});
});
