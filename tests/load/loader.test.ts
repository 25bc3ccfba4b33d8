/**
 * The headless host's loader as the command line meets it: unreadable files, progress, the
 * cache flags, and output that stays clean.
 */
import { describe, it, expect, afterAll, afterEach, jest } from "@jest/globals";
import fs from "fs";
import { chmodSync, existsSync, readdirSync, writeFileSync, mkdirSync } from "fs";
import * as path from "path";
import { HeadlessApp } from "../../headless/host";
import { runCli, type CliIO } from "../../headless/cli/run";
import { parseForLoad, StringPool } from "../../headless/load";
import { flatten } from "../../headless/noteMetadata";
import fc from "fast-check";
import { parseMarkdownMetadata } from "../../src/host/markdown";
import { cleanupVaults, copyExampleVault, tempDir, writeVault } from "../support/vault";

afterEach(() => {
	jest.restoreAllMocks();
});
afterAll(cleanupVaults);

const ACME = "Inbox/2026-11-21 Re Acme renewal.md";

async function run(args: string[], io: Partial<CliIO> = {}): Promise<{ code: number; out: string; err: string }> {
	let out = "";
	let err = "";
	const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, ...io });
	return { code, out, err };
}

/**
 * Makes a file unreadable. As root, permissions do not stop a read, so the open fails the
 * way the kernel fails it for anyone else (EACCES).
 */
function makeUnreadable(abs: string): void {
	chmodSync(abs, 0o000);
	try {
		fs.readFileSync(abs);
	} catch {
		return;
	}
	const denied = (file: unknown): boolean => typeof file === "string" && path.resolve(file) === path.resolve(abs);
	const error = (): Error => Object.assign(new Error(`EACCES: permission denied, open '${abs}'`), { code: "EACCES" });
	const open = fs.openSync;
	jest.spyOn(fs, "openSync").mockImplementation((file, ...rest) => {
		if (denied(file)) throw error();
		return open(file, ...(rest as [fs.OpenMode]));
	});
	const read = fs.readFileSync;
	jest.spyOn(fs, "readFileSync").mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
		if (denied(file)) throw error();
		return (read as (f: fs.PathOrFileDescriptor, ...r: unknown[]) => unknown)(file, ...rest);
	}) as typeof fs.readFileSync);
}

describe("issue 11: one unreadable note anywhere in the vault", () => {
	const SECRET = "Meetings/Archive/2025/Board notes.md";

	function vaultWithUnreadableNote(): string {
		const vault = copyExampleVault();
		const abs = path.join(vault, ...SECRET.split("/"));
		mkdirSync(path.dirname(abs), { recursive: true });
		writeFileSync(abs, "---\ntype: meeting\n---\nWith [[Ana Ruiz]].\n");
		makeUnreadable(abs);
		return vault;
	}

	it("is skipped and named once; the rest of the vault loads", async () => {
		const vault = vaultWithUnreadableNote();
		const told: string[] = [];
		const app = await HeadlessApp.load(vault, { onUnreadable: (p, reason) => told.push(`${p}: ${reason}`) });
		expect(told).toEqual([`${SECRET}: permission denied`]);
		expect(app.loadReport?.unreadable).toEqual([{ path: SECRET, reason: "permission denied" }]);
		expect(app.vault.getAbstractFileByPath(SECRET)).toBeNull();
		expect(app.vault.getAbstractFileByPath(ACME)).not.toBeNull();
		expect(app.vault.getMarkdownFiles().length).toBeGreaterThan(15);
	});

	it("does not fail context or triage: one line on stderr, clean JSON on stdout", async () => {
		const vault = vaultWithUnreadableNote();
		const context = await run(["context", "--vault", vault, "--email", ACME, "--json"]);
		expect(context.code).toBe(0);
		expect(context.err).toBe(`reply-drafter: skipped ${SECRET}: permission denied\n`);
		expect((JSON.parse(context.out) as { email: { path: string } }).email.path).toBe(ACME);

		const triage = await run(["triage", "--vault", vault, "--json"]);
		expect(triage.code).toBe(0);
		expect(triage.err).toBe(`reply-drafter: skipped ${SECRET}: permission denied\n`);
		expect((JSON.parse(triage.out) as Array<{ path: string }>).map((r) => r.path)).toContain(ACME);
	});

	it("skips an unreadable folder the same way", async () => {
		const vault = copyExampleVault();
		const readdir = fs.readdirSync;
		const locked = path.join(vault, "Private");
		jest.spyOn(fs, "readdirSync").mockImplementation(((dir: fs.PathLike, options?: unknown) => {
			if (path.resolve(String(dir)) === locked) throw Object.assign(new Error("EACCES"), { code: "EACCES" });
			return (readdir as (d: fs.PathLike, o?: unknown) => unknown)(dir, options);
		}) as typeof fs.readdirSync);
		const told: string[] = [];
		const app = await HeadlessApp.load(vault, { onUnreadable: (p, reason) => told.push(`${p}: ${reason}`) });
		expect(told).toEqual(["Private: permission denied"]);
		expect(app.vault.getAbstractFileByPath(ACME)).not.toBeNull();
	});
});

describe("the loader", () => {
	it("reports progress up to the whole vault", async () => {
		const files: Record<string, string> = {};
		for (let i = 0; i < 1200; i++) files[`Notes/n${i}.md`] = `Note ${i} [[n${i + 1}]]\n`;
		const seen: Array<[number, number]> = [];
		await HeadlessApp.load(writeVault(files), { onProgress: ({ done, total }) => seen.push([done, total]) });
		expect(seen.length).toBeGreaterThan(1);
		expect(seen.every(([, total]) => total === 1200)).toBe(true);
		expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
		expect(seen[seen.length - 1]).toEqual([1200, 1200]);
	});

	it("keeps what the engine reads, and parses headings, list items and sections from the file when asked", async () => {
		const text = "---\ntags: [a]\n---\n# Title\n- [ ] task with [[Link]] #tag\n\nText ![[img.png]]\n";
		const app = await HeadlessApp.load(writeVault({ "n.md": text, "Link.md": "" }));
		const file = app.vault.getAbstractFileByPath("n.md");
		const cache = file && app.metadataCache.getFileCache(file as never);
		const full = parseMarkdownMetadata(text);
		expect(JSON.parse(JSON.stringify(cache))).toEqual(JSON.parse(JSON.stringify({ ...full, headings: undefined, listItems: undefined, sections: undefined })));
		expect(cache?.headings).toEqual(full.headings);
		expect(cache?.listItems).toEqual(full.listItems);
		expect(cache?.sections).toEqual(full.sections);
	});
});

describe("the command line's cache", () => {
	it("lives in the platform's cache folder by default, and gives the same answer the second time", async () => {
		const vault = copyExampleVault();
		const home = tempDir("erd-home-");
		const env = { HOME: home, XDG_CACHE_HOME: path.join(home, "xdg") };
		const first = await run(["context", "--vault", vault, "--email", ACME, "--json"], { env });
		const second = await run(["context", "--vault", vault, "--email", ACME, "--json"], { env });
		expect([first.code, first.err, second.code, second.err]).toEqual([0, "", 0, ""]);
		expect(second.out).toBe(first.out);
		expect(readdirSync(path.join(home, "xdg", "email-reply-drafter"))).toHaveLength(1);
	});

	it("moves with --cache-dir and is not written with --no-cache", async () => {
		const vault = copyExampleVault();
		const home = tempDir("erd-home-");
		const env = { HOME: home };
		const elsewhere = path.join(tempDir("erd-cache-"), "here");
		expect((await run(["context", "--vault", vault, "--email", ACME, "--cache-dir", elsewhere], { env })).code).toBe(0);
		expect(readdirSync(elsewhere)).toHaveLength(1);
		expect(existsSync(path.join(home, ".cache"))).toBe(false);
		expect((await run(["context", "--vault", vault, "--email", ACME, "--no-cache"], { env })).code).toBe(0);
		expect(existsSync(path.join(home, ".cache"))).toBe(false);
	});
});

describe("the loader's pre-scan", () => {
	const frontmatter = fc.constantFrom("", "---\ntype: email\nfrom: Ana <ana@acme.example>\n---\n", "---\ncompany: \"[[Acme]]\"\n---\n", "---\nbad: [\n---\n", "---\n---\n");
	const bodyWithout = fc.string({ unit: fc.constantFrom(..."ab \n-*`~>|:!()<>/_.1\t\r".split("")), maxLength: 80 });
	const bodyWith = fc.string({ unit: fc.constantFrom(..."ab \n-*`~>|[]()#!/".split("")), maxLength: 80 });

	it("skips the body parse only where it would find no links, embeds or tags", () => {
		fc.assert(
			fc.property(frontmatter, fc.oneof(bodyWithout, bodyWith), (fm, body) => {
				const text = fm + body;
				expect(parseForLoad(text)).toEqual(flatten(parseMarkdownMetadata(text)));
			}),
			{ numRuns: 2000 },
		);
	});
});

describe("the loader's string pool", () => {
	it("keeps one copy of each long string and leaves values equal", () => {
		const pool = new StringPool();
		const text = "---\nemail: ana.ruiz@acme.example\n---\nSee [[Ana Ruiz at Acme Corp]]";
		const a = pool.get(text.slice(11, 32));
		expect(a).toBe("ana.ruiz@acme.example");
		expect(pool.get(`ana.ruiz@${"acme.example"}`)).toBe(a);
		const value = { to: ["Ana Ruiz <ana.ruiz@acme.example>", 3, null], when: new Date(0), nested: { name: "Ana Ruiz at Acme Corp" }, short: "x" };
		expect(StringPool.detach(structuredClone(value))).toEqual(value);
	});
});
