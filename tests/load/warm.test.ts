/**
 * The command line's second run: notes, links and the index's records come from the on-disk
 * cache, and whatever changed between runs (a note's content, a note added, renamed or
 * deleted, the settings) is seen. Each run's whole `context --json` answer must equal the
 * answer of a run without any cache.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { runCli } from "../../headless/cli/run";
import { HeadlessApp } from "../../headless/host";
import { VaultIndex } from "../../src/context/vaultIndex";
import { normalizeSettings } from "../../src/settings";
import { cleanupVaults, tempDir, writeVault } from "../support/vault";
import { writeAndSettle } from "../support/cacheEvents";
import { TFile } from "../../headless/host";

afterAll(cleanupVaults);

const EMAIL = "Inbox/2026-11-20 Renewal.md";
const VAULT = {
	"People/Bo Lee.md": "---\ntype: person\nemail: bo@acme.example\ncompany: \"[[Acme]]\"\n---\n- Prefers short emails.\n",
	"People/Cy Park.md": "# Cy\nemail:: cy@acme.example\n",
	"Companies/Acme.md": "---\ntype: customer\ndomain: acme.example\n---\nAcme renews in March.\n",
	"Meetings/2026-11-02 QBR.md": "---\ndate: 2026-11-02\n---\nWith [[Bo Lee]] and [[Cy Park]] about [[Acme]]: renewal.\n",
	[EMAIL]: "---\ntype: email\nfrom: \"B. <bo@acme.example>\"\nto: me@northwind.example\ncc: cy@acme.example\nsubject: \"Renewal\"\ndate: 2026-11-20\n---\nHi,\n\nCan we talk about the renewal next week?\n\nBo\n",
};

async function context(vault: string, cache: string[]): Promise<string> {
	let out = "";
	let err = "";
	const code = await runCli(["context", "--vault", vault, "--email", EMAIL, "--json", ...cache], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
	expect(err).toBe("");
	expect(code).toBe(0);
	return out;
}

/** A cached run's answer, checked against a run without a cache; returns it parsed. */
type Answer = { people: Array<{ path: string; matchedBy: string }>; organizations: Array<{ path: string }> };

async function same(vault: string, cacheDir: string): Promise<Answer> {
	const cached = await context(vault, ["--cache-dir", cacheDir]);
	expect(cached).toBe(await context(vault, ["--no-cache"]));
	return JSON.parse(cached) as Answer;
}

function setup(): { vault: string; cacheDir: string } {
	return { vault: writeVault(VAULT), cacheDir: path.join(tempDir("erd-warm-"), "cache") };
}

const paths = (xs: Array<{ path: string }>): string[] => xs.map((x) => x.path).sort();
const byEmail = (xs: Array<{ path: string; matchedBy?: string }>): string[] => paths(xs.filter((x) => x.matchedBy === "email"));

describe("the command line's warm run", () => {
	it("gives the same answer as a run without a cache, and writes nothing when nothing changed", async () => {
		const { vault, cacheDir } = setup();
		const first = await same(vault, cacheDir);
		expect(paths(first.people)).toEqual(["People/Bo Lee.md", "People/Cy Park.md"]);
		const [file] = readdirSync(cacheDir);
		const written = readFileSync(path.join(cacheDir, file ?? ""));
		expect(await same(vault, cacheDir)).toEqual(first);
		expect(readFileSync(path.join(cacheDir, file ?? "")).equals(written)).toBe(true);
	});

	it("sees a person's address changed between runs", async () => {
		const { vault, cacheDir } = setup();
		await same(vault, cacheDir);
		const bo = path.join(vault, "People/Bo Lee.md");
		writeFileSync(bo, readFileSync(bo, "utf8").replace("bo@acme.example", "bo@globex.example"));
		expect(byEmail((await same(vault, cacheDir)).people)).toEqual(["People/Cy Park.md"]);
	});

	it("sees inline fields changed between runs", async () => {
		const { vault, cacheDir } = setup();
		await same(vault, cacheDir);
		writeFileSync(path.join(vault, "People/Cy Park.md"), "# Cy\nemail:: cy@globex.example\n");
		expect(byEmail((await same(vault, cacheDir)).people)).toEqual(["People/Bo Lee.md"]);
	});

	it("sees a note deleted, added and renamed between runs", async () => {
		const { vault, cacheDir } = setup();
		await same(vault, cacheDir);
		const bo = path.join(vault, "People/Bo Lee.md");
		const text = readFileSync(bo, "utf8");
		rmSync(bo);
		expect(byEmail((await same(vault, cacheDir)).people)).toEqual(["People/Cy Park.md"]);
		writeFileSync(bo, text);
		expect(byEmail((await same(vault, cacheDir)).people)).toEqual(["People/Bo Lee.md", "People/Cy Park.md"]);
		mkdirSync(path.join(vault, "Archive"));
		renameSync(path.join(vault, "Companies/Acme.md"), path.join(vault, "Archive/Acme Inc.md"));
		expect(paths((await same(vault, cacheDir)).organizations)).toEqual(["Archive/Acme Inc.md"]);
	});

	it("sees the settings changed between runs", async () => {
		const { vault, cacheDir } = setup();
		await same(vault, cacheDir);
		const settings = path.join(vault, ".obsidian", "plugins", "email-reply-drafter");
		mkdirSync(settings, { recursive: true });
		writeFileSync(path.join(settings, "data.json"), JSON.stringify({ excludedFolders: ["People"] }));
		expect(byEmail((await same(vault, cacheDir)).people)).toEqual([]);
		writeFileSync(path.join(settings, "data.json"), JSON.stringify({}));
		expect(paths((await same(vault, cacheDir)).people)).toEqual(["People/Bo Lee.md", "People/Cy Park.md"]);
	});
});

/** The index as the command line builds it: seeded from the cache, which then stores its records. */
async function cachedIndex(vault: string, cacheDir: string): Promise<{ index: VaultIndex; app: HeadlessApp }> {
	const app = await HeadlessApp.load(vault, { cacheDir, deferCacheSave: true });
	const index = new VaultIndex(app, normalizeSettings({}));
	index.build(app.indexSeed(index.optionsKey));
	await index.enrichInlineFields();
	app.saveCache(index);
	return { index, app };
}

async function freshIndex(vault: string): Promise<VaultIndex> {
	const index = new VaultIndex(await HeadlessApp.load(vault), normalizeSettings({}));
	index.build();
	await index.enrichInlineFields();
	return index;
}

/** The addresses, names, domains and subjects the test vaults use, present or gone. */
const KEYS = {
	addresses: ["bo@acme.example", "cy@acme.example", "bo@globex.example", "me@northwind.example"],
	names: ["bo lee", "bo lee-smith", "cy park", "acme", "acme corp", "acme inc"],
	domains: ["acme.example", "globex.example"],
};

/** Each note's links and backlinks, every entity, and what each lookup finds, as the index holds them. */
function holds(index: VaultIndex, app: HeadlessApp): unknown {
	const notes = app.vault.getMarkdownFiles().map((f) => f.path).sort();
	// Lookups first: allEntities reads every record a seeded index has not read yet.
	const ids = (xs: Array<{ path: string }>): string[] => xs.map((x) => x.path);
	const finds = {
		byEmail: KEYS.addresses.map((a) => ids(index.entitiesByEmail(a))),
		byName: KEYS.names.map((n) => index.byFoldedName(n).map((h) => `${h.entity.path}:${h.via}`)),
		byDomain: KEYS.domains.map((d) => ids(index.organizationsByDomain(d))),
		with: KEYS.addresses.map((a) => index.emailsWith([a])),
		thread: index.threadEmails("", "Re: Renewal", [], KEYS.addresses),
		sent: index.sentEmails(["bo@acme.example"], 5),
	};
	const entities = index.allEntities().sort((a, b) => a.path.localeCompare(b.path));
	return {
		finds,
		entities,
		people: entities.map((e) => [e.path, ids(e.kind === "organization" ? index.peopleAt(e) : index.organizationsOf(e))]),
		links: notes.map((p) => [p, [...index.linksOf(p)].sort(), index.backlinksOf(p).sort()]),
		emails: notes.map((p) => index.emailEntry(p) ?? null),
	};
}

describe("the index's records in the cache", () => {
	it("are reused for unchanged notes only while the vault has the same files", async () => {
		const { vault, cacheDir } = setup();
		writeFileSync(path.join(vault, "Meetings/2026-11-09 Plan.md"), "Notes on [[Roadmap]] with [[Bo Lee]].\n");
		await cachedIndex(vault, cacheDir);
		const again = await cachedIndex(vault, cacheDir);
		expect(again.app.loadReport).toMatchObject({ parsed: 0, cacheWritten: false });
		expect(holds(again.index, again.app)).toEqual(holds(await freshIndex(vault), again.app));

		// A new note resolves a link that an unchanged note had left unresolved.
		writeFileSync(path.join(vault, "Roadmap.md"), "# Roadmap\n");
		const added = await cachedIndex(vault, cacheDir);
		expect(added.index.backlinksOf("Roadmap.md")).toEqual(["Meetings/2026-11-09 Plan.md"]);
		expect(holds(added.index, added.app)).toEqual(holds(await freshIndex(vault), added.app));

		// A renamed company: Bo's unchanged note now names a company it cannot link to.
		renameSync(path.join(vault, "Companies/Acme.md"), path.join(vault, "Companies/Acme Corp.md"));
		const renamed = await cachedIndex(vault, cacheDir);
		expect(renamed.index.entity("People/Bo Lee.md")).toMatchObject({ companyPaths: [], companyNames: ["Acme"] });
		expect(holds(renamed.index, renamed.app)).toEqual(holds(await freshIndex(vault), renamed.app));
		const settled = await cachedIndex(vault, cacheDir);
		expect(settled.app.loadReport).toMatchObject({ parsed: 0, cacheWritten: false });
		expect(holds(settled.index, settled.app)).toEqual(holds(await freshIndex(vault), settled.app));
	});
});

describe("a damaged index record in the cache", () => {
	it("gives the same answer, and the next cache written holds no records until a run classifies every note again", async () => {
		const { vault, cacheDir } = setup();
		await cachedIndex(vault, cacheDir);
		const file = path.join(cacheDir, readdirSync(cacheDir)[0] ?? "");
		const text = readFileSync(file).toString("latin1");
		// Acme's record, its JSON broken at the same length (so every offset still holds).
		expect(text).toContain('"kind":"organization"');
		writeFileSync(file, Buffer.from(text.replace('"kind":"organization"', '"kind"!"organization"'), "latin1"));
		await same(vault, cacheDir);
		const seedHasLookups = async (): Promise<boolean> => {
			const app = await HeadlessApp.load(vault, { cacheDir, deferCacheSave: true });
			const index = new VaultIndex(app, normalizeSettings({}));
			const seed = app.indexSeed(index.optionsKey);
			index.build(seed);
			await index.enrichInlineFields();
			app.saveCache(index);
			return seed?.lookups !== undefined;
		};
		// A note changes, so the cache is written again: the damage is found and no records are stored.
		writeFileSync(path.join(vault, "People/Bo Lee.md"), VAULT["People/Bo Lee.md"].replace("Prefers short", "Prefers long"));
		expect(await seedHasLookups()).toBe(true);
		expect(await seedHasLookups()).toBe(false);
		expect(await seedHasLookups()).toBe(true);
		await same(vault, cacheDir);
	});
});

describe.each([
	["seeded from the cache", true],
	["reading links from the host's table (a cold run)", false],
])("an index %s, as the vault changes", (_name, warm) => {
	it("keeps the same links, backlinks and entities as an index built the usual way", async () => {
		const { vault, cacheDir } = setup();
		writeFileSync(path.join(vault, "Meetings/2026-11-09 Plan.md"), "Notes on [[Roadmap]] with [[Bo Lee]] and [[Acme]].\n");
		mkdirSync(path.join(vault, "Notes"));
		writeFileSync(path.join(vault, "Notes/about.md"), "About [[Acme]].\n");
		if (warm) await cachedIndex(vault, cacheDir);
		const app = await HeadlessApp.load(vault, warm ? { cacheDir, deferCacheSave: true } : {});
		const seeded = new VaultIndex(app, normalizeSettings({}));
		const seed = app.indexSeed(seeded.optionsKey);
		expect(seed).toBeDefined();
		// Warm, records are read through the stored lookup tables, not filed at the build.
		expect(seed?.lookups !== undefined).toBe(warm);
		seeded.build(seed);
		const plain = new VaultIndex(app, normalizeSettings({}));
		plain.build();
		const read = await plain.enrichInlineFields();
		// Seeded from the cache, the inline fields came with the records: no note is read.
		expect(await seeded.enrichInlineFields()).toBe(warm ? 0 : read);
		const refs = [...seeded.attach(), ...plain.attach()];
		// Paths that stop existing on the way are asked about too.
		const gone = ["Companies/Acme.md", "People/Bo Lee.md"];
		const same = (): void => {
			expect(holds(seeded, app)).toEqual(holds(plain, app));
			expect(gone.map((p) => [seeded.linksOf(p), seeded.backlinksOf(p).sort()])).toEqual(gone.map((p) => [plain.linksOf(p), plain.backlinksOf(p).sort()]));
		};
		same();
		const file = (p: string): TFile => {
			const f = app.vault.getAbstractFileByPath(p);
			if (!(f instanceof TFile)) throw new Error(`${p} is missing`);
			return f;
		};
		// A note others link to is renamed; a note changes its links; one is deleted; one is added.
		// Also between the vault's event and the re-resolution of the notes that linked there.
		await writeAndSettle(app.metadataCache, async () => {
			await app.vault.rename(file("People/Bo Lee.md"), "People/Bo Lee-Smith.md");
			same();
		});
		same();
		await writeAndSettle(app.metadataCache, () => app.vault.modify(file("Meetings/2026-11-02 QBR.md"), "With [[Cy Park]] only.\n"));
		same();
		// A person's address and an email's people change: what the stored tables filed them under no longer counts.
		await writeAndSettle(app.metadataCache, () => app.vault.modify(file("People/Cy Park.md"), "# Cy\nemail:: cy@globex.example\n"));
		same();
		await writeAndSettle(app.metadataCache, () => app.vault.modify(file(EMAIL), VAULT[EMAIL].replace("cc: cy@acme.example", "cc: bo@globex.example")));
		same();
		await writeAndSettle(app.metadataCache, async () => {
			await app.vault.delete(file("Companies/Acme.md"));
			same();
		});
		same();
		await writeAndSettle(app.metadataCache, () => app.vault.create("Roadmap.md", "See [[Cy Park]].\n"));
		same();
		expect(seeded.backlinksOf("Roadmap.md")).toEqual(["Meetings/2026-11-09 Plan.md"]);
		for (const ref of refs) app.offref(ref);
	});
});
