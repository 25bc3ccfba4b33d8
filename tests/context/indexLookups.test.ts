/**
 * An index seeded with stored lookup tables (the command line's warm run) reads a stored record
 * only when a lookup finds its note, and answers exactly as the index the tables came from;
 * changed notes, damaged records and damaged tables are handled without a wrong answer.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { LOOKUP_TABLES, VaultIndex, type IndexSeed, type LookupTable } from "../../src/context/vaultIndex";
import { normalizeSettings } from "../../src/settings";
import { HeadlessApp, TFile } from "../../headless/host";
import { cleanupVaults, copyExampleVault, writeVault } from "../support/vault";
import { seedOf, storedRecords } from "../support/indexSeed";
import { writeAndSettle } from "../support/cacheEvents";

afterAll(cleanupVaults);

const OWN = "me@northwind.example";
const settings = normalizeSettings({ userAddresses: [OWN] });

/** Every lookup the engine makes, over every key the index knows (lookups before `allEntities`, which reads every record). */
function answers(index: VaultIndex, keys: { addresses: string[]; names: string[]; domains: string[]; subjects: string[] }): unknown {
	const ids = (xs: Array<{ path: string }>): string[] => xs.map((x) => x.path);
	const finds = {
		byEmail: keys.addresses.map((a) => ids(index.entitiesByEmail(a))),
		people: keys.addresses.map((a) => ids(index.peopleByEmail(a))),
		byName: keys.names.map((n) => index.byFoldedName(n).map((h) => `${h.entity.path}:${h.via}`)),
		byDomain: keys.domains.map((d) => ids(index.organizationsByDomain(d))),
		with: keys.addresses.map((a) => index.emailsWith([a])),
		// The count agrees with the list, seeded or not.
		counts: keys.addresses.map((a) => [index.emailCountWith(a), index.emailsWith([a]).length]),
		mine: keys.addresses.map((a) => index.emailsFromWith([OWN], [a])),
		threads: keys.subjects.map((s) => index.threadEmails("", s, [], keys.addresses)),
		sent: index.sentEmails([OWN, ...keys.addresses], 50),
	};
	const entities = index.allEntities().sort((a, b) => a.path.localeCompare(b.path));
	return { finds, entities, around: entities.map((e) => ids(e.kind === "organization" ? index.peopleAt(e) : index.organizationsOf(e))), size: index.size };
}

/** The keys an index holds, from its own tables (so the comparison covers all of them). */
function keysOf(index: VaultIndex): { addresses: string[]; names: string[]; domains: string[]; subjects: string[] } {
	const keys = (table: LookupTable): string[] => [...index.lookupEntries(table).keys()];
	return {
		addresses: [...new Set([...keys("email"), ...keys("participant"), ...keys("sender")])].sort(),
		names: [...new Set([...keys("name"), ...keys("alias"), ...keys("companyName")])].sort(),
		domains: [...new Set([...keys("domain"), ...keys("peopleDomain")])].sort(),
		subjects: keys("subject"),
	};
}

interface Stored {
	seed: IndexSeed;
	/** The notes whose record the seeded index read, in order. */
	reads: string[];
}

/** What a host stores of an index (records and tables, through JSON), as a seed with lookups. */
function store(index: VaultIndex, app: HeadlessApp, damage: { records?: string[]; tables?: boolean } = {}): Stored {
	const records = storedRecords(index, app);
	// Copied: the index's own maps change with it.
	const tables = new Map(LOOKUP_TABLES.map((t) => [t, new Map([...index.lookupEntries(t)].map(([k, paths]) => [k, [...paths]]))]));
	const reads: string[] = [];
	const plain = seedOf(records);
	const seed: IndexSeed = {
		...plain,
		record: (path) => {
			reads.push(path);
			return damage.records?.includes(path) ? undefined : plain.record(path);
		},
		lookups: {
			has: (path) => records.has(path),
			find: (table, key) => {
				if (damage.tables) throw new Error("damaged");
				return tables.get(table)?.get(key) ?? [];
			},
		},
	};
	return { seed, reads };
}

async function indexes(dir: string, damage: { records?: string[]; tables?: boolean } = {}): Promise<{ app: HeadlessApp; plain: VaultIndex; seeded: VaultIndex; stored: Stored }> {
	const app = await HeadlessApp.load(dir);
	const plain = new VaultIndex(app, settings);
	plain.build();
	await plain.enrichInlineFields();
	const stored = store(plain, app, damage);
	const seeded = new VaultIndex(app, settings);
	seeded.build(stored.seed);
	return { app, plain, seeded, stored };
}

const ACME = {
	"People/Ana Ruiz.md": "# Ana\nemail:: ana@acme.example\ncompany:: [[Acme]]\n",
	"People/Bo Chen.md": "---\ntype: person\nemail: bo@acme.example\naliases: [Bobby]\nmanager: \"[[Ana Ruiz]]\"\ncompany: Acme\n---\n",
	"Archive/Bo Chen.md": "---\ntype: person\nemail: bo@acme.example\n---\nAn old note about Bo.\n",
	"Companies/Acme.md": "---\ntype: customer\ndomain: acme.example\naliases: Acme Inc\n---\n",
	"Inbox/one.md": `---\ntype: email\nfrom: Bo Chen <bo@acme.example>\nto: ${OWN}\nsubject: "Renewal"\nmessage-id: <a@b>\ndate: 2026-11-02\n---\nHi\n`,
	"Sent/two.md": `---\ntype: email\nfrom: ${OWN}\nto: Bo Chen <bo@acme.example>\nsubject: "Re: Renewal"\nin-reply-to: <a@b>\ndate: 2026-11-03\n---\nSure.\n`,
	"Sent/three.md": `---\ntype: email\nfrom: ${OWN}\nto: ana@acme.example\nsubject: "Lunch"\ndate: 2026-11-04\n---\nThursday?\n`,
};

describe("an index seeded with stored lookup tables", () => {
	it("reads no record at the build, and then only those of the notes a lookup finds", async () => {
		const { seeded, stored } = await indexes(writeVault(ACME));
		expect(stored.reads).toEqual([]);
		expect(await seeded.enrichInlineFields()).toBe(0);
		expect(stored.reads).toEqual([]);
		expect(seeded.peopleByEmail("ana@acme.example").map((e) => e.path)).toEqual(["People/Ana Ruiz.md"]);
		expect(stored.reads).toEqual(["People/Ana Ruiz.md"]);
		// Read once.
		seeded.entity("People/Ana Ruiz.md");
		expect(stored.reads).toEqual(["People/Ana Ruiz.md"]);
	});

	it("answers every lookup as the index its tables came from, on the example vault and on one with same-named people", async () => {
		for (const dir of [copyExampleVault(), writeVault(ACME)]) {
			const { plain, seeded } = await indexes(dir);
			const keys = keysOf(plain);
			expect(keys.addresses.length).toBeGreaterThan(2);
			expect(answers(seeded, keys)).toEqual(answers(plain, keys));
		}
	});

	it("keeps a stored note's inline fields when an event without the note's text changes it", async () => {
		const { app, seeded } = await indexes(writeVault(ACME));
		const ana = app.vault.getAbstractFileByPath("People/Ana Ruiz.md") as TFile;
		seeded.onChanged(ana, null, app.metadataCache.getFileCache(ana));
		expect(seeded.peopleByEmail("ana@acme.example").map((e) => e.path)).toEqual(["People/Ana Ruiz.md"]);
		expect(seeded.entity("People/Ana Ruiz.md")?.companyPaths).toEqual(["Companies/Acme.md"]);
	});

	it("falls back to its own maps when a stored record cannot be read, and says so (the host then stores no records)", async () => {
		const { plain, seeded } = await indexes(writeVault(ACME), { records: ["People/Bo Chen.md"] });
		const keys = keysOf(plain);
		expect(seeded.storedDamage).toBe(false);
		expect(answers(seeded, keys)).toEqual(answers(plain, keys));
		expect(seeded.storedDamage).toBe(true);
	});

	it("falls back to its own maps when a stored table cannot be read", async () => {
		const { plain, seeded } = await indexes(writeVault(ACME), { tables: true });
		const keys = keysOf(plain);
		expect(answers(seeded, keys)).toEqual(answers(plain, keys));
		expect(seeded.storedDamage).toBe(false);
	});
});

describe("lookups with several answers", () => {
	it("list them by path, whatever order the notes were filed in", async () => {
		const app = await HeadlessApp.load(writeVault({ "Zed/Bo.md": "---\ntype: person\nemail: bo@acme.example\n---\n" }));
		const index = new VaultIndex(app, settings);
		index.build();
		index.attach();
		// Filed after Zed/Bo.md, found before it.
		await writeAndSettle(app.metadataCache, () => app.vault.create("Archive/Bo.md", "---\ntype: person\nemail: bo@acme.example\n---\n"));
		expect(index.peopleByEmail("bo@acme.example").map((e) => e.path)).toEqual(["Archive/Bo.md", "Zed/Bo.md"]);
		expect(index.byFoldedName("bo").map((h) => h.entity.path)).toEqual(["Archive/Bo.md", "Zed/Bo.md"]);
	});

	it("find your emails with someone by intersecting two lookups", async () => {
		const app = await HeadlessApp.load(writeVault(ACME));
		const index = new VaultIndex(app, settings);
		index.build();
		expect(index.emailsFromWith([OWN], ["bo@acme.example"])).toEqual(["Sent/two.md"]);
		expect(index.emailsFromWith([OWN.toUpperCase()], ["ana@acme.example", "bo@acme.example"])).toEqual(["Sent/three.md", "Sent/two.md"]);
		expect(index.emailsFromWith([], ["bo@acme.example"])).toEqual([]);
		expect(index.emailsFromWith(["bo@acme.example"], [OWN])).toEqual(["Inbox/one.md"]);
	});
});
