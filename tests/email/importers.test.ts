/**
 * Notes as each popular importer writes them (samples in tests/fixtures/importers, our own
 * words in each tool's exact layout, learned from its source), read through the headless host
 * as the plugin reads them: recognised as emails, with sender address, subject and newest message.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { readEmail, emailSignal, textLooksLikeEmail } from "../../src/email/parse";
import { findEmailFiles } from "../../src/draft/batch";
import { fileByPath } from "../../src/host/slice";
import { cleanupVaults, loadVault, writeVault } from "../support/vault";

afterAll(cleanupVaults);

const SAMPLES = path.resolve(__dirname, "../fixtures/importers");

const EXPECTED: Record<string, { from: string; name?: string; subject: string; newest: RegExp; notInNewest?: string; to?: string[]; cc?: string[] }> = {
	"Email to Vault": { from: "priya@harbor-freight.example", name: "Priya Natarajan", subject: "Pallet scanners for the Rotterdam depot", newest: /^Hi Jordan,[\s\S]*quote them[\s\S]*Thanks,\nPriya$/, notInNewest: "Happy to help", cc: ["ops@harbor-freight.example"] },
	"Send Email into Vault": { from: "tomasz@lumen-labs.example", name: "Tomasz Wiśniewski", subject: "Workshop dates for the data team", newest: /^Hi Jordan,[\s\S]*Which pair suits your team better\?[\s\S]*Tomasz$/, notInNewest: "Keep this one", to: ["jordan@northwind.example"] },
	Postbox: { from: "grace.okafor@meridian-health.example", subject: "Pilot sites and the go-live checklist", newest: /go-live checklist[\s\S]*Grace$/ },
	"E-mail Importer": { from: "lukas.berger@alpenwerk.example", name: "Lukas Berger", subject: "Rahmenvertrag 2027", newest: /telefonisch klären\?\n\nViele Grüße\nLukas$/ },
	SlingMD: { from: "chloe.martin@atelier-sud.example", name: "Chloé Martin", subject: "Re: Invoice 2231", newest: /^Bonjour Jordan,[\s\S]*Merci,\nChloé$/, notInNewest: "#FollowUp", to: ["jordan@northwind.example"], cc: ["hugo.bernard@atelier-sud.example"] },
	"Obsidian Google Mail": { from: "sofia@portoevents.example", name: "Sofia Almeida", subject: "Speaker slot at the logistics summit", newest: /^Hi Jordan,[\s\S]*December 4\.\n\nSofia$/, notInNewest: "gmail" },
	"ObsidianClipper for Thunderbird": { from: "dario.russo@facilita.example", name: "Dario Russo", subject: "Badge access for the new contractors", newest: /^Hi Jordan,[\s\S]*Friday noon\.\n\nDario$/, notInNewest: "Click to open" },
	"Obsidian For Business": { from: "hannah.schultz@rhein-data.example", name: "Hannah Schultz", subject: "Quarterly review agenda", newest: /^Hi Jordan,[\s\S]*item three\?\n\nHannah$/, to: ["jordan@northwind.example"] },
	"Gmail print": { from: "marta@vistula-cargo.example", name: "Marta Kowalczyk", subject: "Freight rates for Q1", newest: /^Hi Jordan,[\s\S]*another quarter\?\n\nMarta$/, cc: ["piotr@vistula-cargo.example"] },
	"Outlook paste": { from: "aiko.tanaka@kinto-systems.example", name: "Aiko Tanaka", subject: "SSO certificate rotation", newest: /^Hi Jordan,[\s\S]*before then\?\n\nRegards,\nAiko$/, cc: ["ken.sato@kinto-systems.example"] },
	"Apple Mail paste": { from: "olivia@tidewater.example", name: "Olivia Brennan", subject: "Re: Training seats", newest: /^Hi Jordan,[\s\S]*sessions\?\n\nOlivia$/, notInNewest: "twelve seats for your team" },
};

/** The people the samples link to, as person notes with an email property. */
const PEOPLE: Record<string, string> = {
	"People/@Hannah Schultz.md": "---\nemail: hannah.schultz@rhein-data.example\n---\nHannah runs analytics at Rhein Data.\n",
	"People/@Jordan Lee.md": "---\nemail: jordan@northwind.example\n---\n",
	"People/Chloé Martin.md": "---\nemail: chloe.martin@atelier-sud.example\n---\n",
};

function sampleVault(): string {
	const files: Record<string, string> = { ...PEOPLE };
	for (const name of readdirSync(SAMPLES).filter((f) => f.endsWith(".md"))) files[`Inbox/${name}`] = readFileSync(path.join(SAMPLES, name), "utf8");
	return writeVault(files);
}

describe("every popular importer's notes", () => {
	it("has a sample for every importer and export format", () => {
		expect(readdirSync(SAMPLES).filter((f) => f.endsWith(".md")).map((f) => f.replace(/\.md$/, "")).sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(Object.keys(EXPECTED))("%s: recognised, with sender address, subject and newest message", async (name) => {
		const { app } = await loadVault(sampleVault());
		const file = fileByPath(app.vault, `Inbox/${name}.md`);
		if (!file) throw new Error(`no sample ${name}`);
		const signal = emailSignal(file, app.metadataCache.getFileCache(file), { emailFolders: [], emailTag: "" });
		expect(signal === true || (signal === null && textLooksLikeEmail(await app.vault.cachedRead(file)))).toBe(true);
		const email = await readEmail(app, file);
		const want = EXPECTED[name]!;
		expect(email.from?.address).toBe(want.from);
		if (want.name) expect(email.from?.name).toBe(want.name);
		expect(email.subject).toBe(want.subject);
		expect(email.newestMessage).toMatch(want.newest);
		if (want.notInNewest) expect(email.newestMessage).not.toContain(want.notInNewest);
		if (want.to) expect(email.to.map((a) => a.address)).toEqual(want.to);
		if (want.cc) expect(email.cc.map((a) => a.address)).toEqual(want.cc);
	});

	it("finds every sample when listing a folder's emails (batch and triage)", async () => {
		const loaded = await loadVault(sampleVault());
		const found = (await findEmailFiles(loaded.engine(), "Inbox")).map((f) => f.basename).sort();
		expect(found).toEqual(Object.keys(EXPECTED).sort());
	});
});

describe("a setting maps anyone else's property names", () => {
	const NOTE = "---\nsender_address: Rui Costa <rui@lisboa-tiles.example>\nbetreff: Tile samples\nsent_on: 2026-11-20\n---\nCan you confirm the delivery address for the samples?\n";
	const MAPPING = ["sender_address: from", "betreff = subject", "sent_on -> date"];

	it("reads the mapped properties as the email's fields", async () => {
		const { parseEmailNote, frontmatterSaysEmail, parsePropertyNames } = await import("../../src/email/parse");
		expect(() => parseEmailNote("a.md", NOTE)).toThrow(/not an email/);
		const email = parseEmailNote("a.md", NOTE, { emailPropertyNames: MAPPING });
		expect(email.from).toEqual({ name: "Rui Costa", address: "rui@lisboa-tiles.example" });
		expect(email.subject).toBe("Tile samples");
		expect(email.date).toBe("2026-11-20");
		expect(frontmatterSaysEmail({ sender_address: "x@y.example", betreff: "s" }, { emailPropertyNames: MAPPING })).toBe(true);
		expect(parsePropertyNames(["a: nonsense", "b: from"]).problems).toEqual(["a: nonsense"]);
	});

	it("comes from the settings (data.json) and reaches triage and drafting", async () => {
		const { normalizeSettings } = await import("../../src/settings");
		expect(normalizeSettings({ emailPropertyNames: "sender_address: from\nbetreff: subject" }).emailPropertyNames).toEqual(["sender_address: from", "betreff: subject"]);
		const loaded = await loadVault(writeVault({ "Inbox/tiles.md": NOTE }), { emailPropertyNames: MAPPING });
		const engine = loaded.engine();
		expect((await findEmailFiles(engine, "Inbox")).map((f) => f.path)).toEqual(["Inbox/tiles.md"]);
		const { prepare } = await import("../../src/draft/engine");
		const prepared = await prepare(engine, fileByPath(loaded.app.vault, "Inbox/tiles.md")!);
		expect(prepared.email.from?.address).toBe("rui@lisboa-tiles.example");
	});
});

describe("a sender known only by a name", () => {
	it("gets the address of the person note of that name", async () => {
		const { app } = await loadVault(writeVault({ ...PEOPLE, "Inbox/pasted.md": "From: Hannah Schultz\nTo: Jordan Lee <jordan@northwind.example>\nSubject: Agenda\n\nCan we add the pipeline?\n", "People/Hannah Schultz.md": "---\nemails:\n  - hannah.schultz@rhein-data.example\n---\n" }));
		const email = await readEmail(app, fileByPath(app.vault, "Inbox/pasted.md")!);
		expect(email.from).toEqual({ name: "Hannah Schultz", address: "hannah.schultz@rhein-data.example" });
	});

	it("stays a name when no person note gives an address", async () => {
		const { app } = await loadVault(writeVault({ "Inbox/pasted.md": "From: Nobody Known\nTo: Jordan Lee <jordan@northwind.example>\nSubject: Hi\n\nHello?\n", "Nobody Known.md": "Just a note.\n" }));
		const email = await readEmail(app, fileByPath(app.vault, "Inbox/pasted.md")!);
		expect(email.from).toEqual({ name: "Nobody Known", address: "" });
	});
});
