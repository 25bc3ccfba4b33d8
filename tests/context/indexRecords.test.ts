/**
 * The index's records (what it holds per note) rebuild the same index: the command line stores
 * them in its on-disk cache and seeds the next run's build with those of unchanged notes.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { VaultIndex, type IndexRecord } from "../../src/context/vaultIndex";
import { normalizeSettings } from "../../src/settings";
import { HeadlessApp } from "../../headless/host";
import { cleanupVaults, copyExampleVault, writeVault } from "../support/vault";
import { seedOf, storedRecords } from "../support/indexSeed";

afterAll(cleanupVaults);

/** Every lookup the engine makes, over every key the index knows. */
function lookups(index: VaultIndex, own: string[]): unknown {
	const entities = index.allEntities().sort((a, b) => a.path.localeCompare(b.path));
	const sorted = (xs: string[]): string[] => [...xs].sort();
	const paths = (xs: Array<{ path: string }>): string[] => sorted(xs.map((x) => x.path));
	return {
		entities,
		byEntity: entities.map((e) => ({
			emails: e.emails.map((m) => paths(index.entitiesByEmail(m))),
			people: e.emails.map((m) => paths(index.peopleByEmail(m))),
			names: [e.name, ...e.aliases].map((n) => index.byFoldedName(n.toLowerCase()).map((h) => `${h.entity.path}:${h.via}`).sort()),
			domains: e.domains.map((d) => paths(index.organizationsByDomain(d))),
			peopleAt: e.kind === "organization" ? paths(index.peopleAt(e)) : null,
			orgs: e.kind === "person" ? paths(index.organizationsOf(e)) : null,
			backlinks: sorted(index.backlinksOf(e.path)),
			links: sorted(index.linksOf(e.path)),
			emailsWith: sorted(index.emailsWith(e.emails)),
		})),
		sent: index.sentEmails(own, 50),
		size: index.size,
	};
}

async function seeded(dir: string, settings = normalizeSettings({ userAddresses: ["me@northwind.example"] })): Promise<{ first: VaultIndex; second: VaultIndex; reads: number; app: HeadlessApp }> {
	const app = await HeadlessApp.load(dir);
	const first = new VaultIndex(app, settings);
	first.build();
	await first.enrichInlineFields();
	const second = new VaultIndex(app, settings);
	second.build(seedOf(storedRecords(first, app)));
	const reads = await second.enrichInlineFields();
	return { first, second, reads, app };
}

describe("the index's records", () => {
	it("rebuild the same index on the example vault, reading no note for inline fields", async () => {
		const { first, second, reads } = await seeded(copyExampleVault());
		expect(lookups(second, ["me@northwind.example"])).toEqual(lookups(first, ["me@northwind.example"]));
		expect(first.size.entities).toBeGreaterThan(3);
		expect(reads).toBe(0);
	});

	it("carry inline fields, managers and linked companies", async () => {
		const dir = writeVault({
			"People/Ana Ruiz.md": "# Ana\nemail:: ana@acme.example\ncompany:: [[Acme]]\n",
			"People/Bo Chen.md": "---\ntype: person\nemail: bo@acme.example\nmanager: \"[[Ana Ruiz]]\"\ncompany: Acme\n---\n",
			"Companies/Acme.md": "---\ntype: customer\ndomain: acme.example\n---\n",
			"Inbox/one.md": "---\ntype: email\nfrom: Bo Chen <bo@acme.example>\nto: me@northwind.example\nsubject: \"Re: Renewal\"\nmessage-id: <a@b>\n---\nHi [[Ana Ruiz]]\n",
		});
		const { first, second } = await seeded(dir);
		const ana = second.entity("People/Ana Ruiz.md");
		expect(ana?.emails).toEqual(["ana@acme.example"]);
		expect(ana?.companyPaths).toEqual(["Companies/Acme.md"]);
		expect(second.entity("People/Bo Chen.md")?.managerPaths).toEqual(["People/Ana Ruiz.md"]);
		expect(second.threadEmails("x", "Renewal", ["a@b"], ["bo@acme.example"])).toEqual(["Inbox/one.md"]);
		expect(lookups(second, [])).toEqual(lookups(first, []));
	});

	it("only for the notes a seed gives: the others are classified as usual", async () => {
		const dir = writeVault({
			"People/Ana Ruiz.md": "---\ntype: person\nemail: ana@acme.example\n---\n",
			"People/Bo Chen.md": "---\ntype: person\nemail: bo@acme.example\n---\n",
		});
		const app = await HeadlessApp.load(dir);
		const index = new VaultIndex(app, normalizeSettings({}));
		// A stale record for Bo says another address; Ana has none and is read from her note.
		const bo: IndexRecord = { links: [], entity: { path: "People/Bo Chen.md", kind: "person", name: "Bo Chen", aliases: [], emails: ["old@acme.example"], domains: [], companyPaths: [], companyNames: [], role: null, managerPaths: [], managerNames: [] } };
		index.build(seedOf(new Map([["People/Bo Chen.md", bo]])));
		expect(index.peopleByEmail("ana@acme.example").map((e) => e.path)).toEqual(["People/Ana Ruiz.md"]);
		expect(index.peopleByEmail("old@acme.example").map((e) => e.path)).toEqual(["People/Bo Chen.md"]);
		// A later plain build forgets the seed.
		index.build();
		expect(index.peopleByEmail("old@acme.example")).toEqual([]);
		expect(index.peopleByEmail("bo@acme.example").map((e) => e.path)).toEqual(["People/Bo Chen.md"]);
	});

	it("depend on the settings that decide people, organizations and exclusions", async () => {
		const app = await HeadlessApp.load(writeVault({ "a.md": "# A\n" }));
		const a = new VaultIndex(app, normalizeSettings({}));
		const b = new VaultIndex(app, normalizeSettings({ excludedFolders: ["Private"] }));
		const c = new VaultIndex(app, normalizeSettings({ userAddresses: ["me@x.example"] }));
		expect(a.optionsKey).not.toBe(b.optionsKey);
		expect(a.optionsKey).toBe(c.optionsKey);
	});
});

describe("reading inline fields after the build", () => {
	it("reads the notes in people and organization folders, nested ones too, and entities elsewhere that lack an address", async () => {
		const app = await HeadlessApp.load(
			writeVault({
				"People/Team/Ana.md": "# Ana\nemail:: ana@acme.example\n",
				"People/Bo.md": "---\nemail: bo@acme.example\n---\n",
				"Contacts/Cy.md": "---\ntype: person\n---\nemail:: cy@acme.example\n",
				"Peoplex/Di.md": "# Di\nemail:: di@acme.example\n",
				"Companies/Acme.md": "# Acme\ndomain:: acme.example\n",
			}),
		);
		const index = new VaultIndex(app, normalizeSettings({ peopleFolders: ["People"], organizationFolders: ["Companies"] }));
		index.build();
		// Ana and Acme (in the folders, no address yet) and Cy (a person elsewhere); not Bo (has one), not Di.
		expect(await index.enrichInlineFields()).toBe(3);
		expect(index.peopleByEmail("ana@acme.example").map((e) => e.path)).toEqual(["People/Team/Ana.md"]);
		expect(index.peopleByEmail("cy@acme.example").map((e) => e.path)).toEqual(["Contacts/Cy.md"]);
		expect(index.peopleByEmail("di@acme.example")).toEqual([]);
		expect(index.organizationsByDomain("acme.example").map((e) => e.path)).toEqual(["Companies/Acme.md"]);
	});
});
