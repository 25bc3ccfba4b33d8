import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { parseEmailNote, type ParsedEmail } from "../../src/email/parse";
import { buildContext } from "../../src/context/build";
import { resolveEmail } from "../../src/context/resolve";
import { clip, summarizeNote } from "../../src/context/summarize";
import { inlineFields } from "../../src/context/properties";
import type { TFile } from "../../headless/host";
import { cleanupVaults, loadVault, writeVault, type Loaded } from "../support/vault";
import { nextEvent, writeAndSettle } from "../support/cacheEvents";

afterAll(cleanupVaults);

const ME = ["jordan@northwind.example"];

const VAULT: Record<string, string> = {
	"People/Ana Ruiz.md": "---\ntype: person\nemail: ana.ruiz@acme.example\ncompany: \"[[Acme Corp]]\"\nrole: VP Engineering\n---\nAna runs engineering.",
	"People/Ana Costa.md": "---\ntype: person\nemail: ana.costa@initech.example\ncompany: \"[[Initech]]\"\n---\nPartner manager.",
	"People/Tomás Herrera.md": "---\naliases: [Tom Herrera]\nemails:\n  - tomas@globex.example\n  - tom.herrera@gmail.com\norg: \"[[Globex]]\"\nposition: Director\n---\n- Leads the pilot.",
	"Contacts/Mei Chen.md": "# Mei Chen\n\nemail:: mei.chen@acme.example\ncompany:: [[Acme Corp]]\n\nProcurement.",
	"Notes/Liu Yang.md": "---\nemail: liu@somewhere.example\n---\nJust an email property.",
	"Crm/Zed.md": "---\ncategories:\n  - \"[[People]]\"\n---\nZed via categories.",
	"Crm/Bea Bo.md": "---\ntags: [people/friend]\nemail: bea@bo.example\n---\n",
	"Companies/Acme Corp.md": "---\ntype: customer\ndomains: [acme.example, acme-corp.example]\n---\nOur largest customer.",
	"Companies/Initech.md": "---\ntype: partner\ndomain: initech.example\n---\nPartner.",
	"Partners/Globex.md": "---\nwebsite: https://www.globex.example\n---\nPilot customer.",
	"Vendors/Gmail Inc.md": "---\ntype: vendor\ndomain: gmail.com\n---\nShould never match free mail.",
	"Private/Secret Person.md": "---\ntype: person\nemail: secret@acme.example\n---\nPrivate.",
	"Private/2026-11-19 Pricing floor.md": "---\ndate: 2026-11-19\n---\nWalk-away price for [[Acme Corp]] with [[Ana Ruiz]].",
	"Meetings/2026-11-18 Acme QBR.md": "---\ndate: 2026-11-18\n---\n- [[Ana Ruiz]] wants SSO for all seats.",
	"Meetings/2026-10-01 Old sync.md": "Talked with [[Ana Ruiz]] about the roadmap.",
	"Meetings/Secret sync.md": "---\ndate: 2026-11-20\ntags: [private]\n---\n[[Ana Ruiz]] confidential.",
	"Daily/2026-11-20.md": "- Call with [[Ana Ruiz|Ana]] about EU data residency.",
	"Daily/2026-11-21.md": "- Sent [[Globex]] the order form. [[Tomás Herrera]] will sign.",
};

function mail(from: string, body = "Hello", extra = ""): ParsedEmail {
	return parseEmailNote("Inbox/x.md", `---\ntype: email\nfrom: '${from}'\nto: Jordan <jordan@northwind.example>\nsubject: Test\n${extra}---\n${body}`);
}

let v: Loaded;
beforeAll(async () => {
	v = await loadVault(writeVault(VAULT), { excludedFolders: ["Private"], excludedTags: ["private"] });
});

function people(email: ParsedEmail): Array<[string, string]> {
	return resolveEmail(v.index, email, ME).people.map((m) => [m.entity.path, m.matchedBy]);
}
function orgs(email: ParsedEmail): Array<[string, string]> {
	return resolveEmail(v.index, email, ME).organizations.map((m) => [m.entity.path, m.matchedBy]);
}

describe("Dataview inline fields", () => {
	it("reads whole-line fields (links included), bracketed ones in text, and skips code", () => {
		const fields = inlineFields("email:: a@b.example\n- company:: [[Acme Corp]]\nMet [role:: CTO] and (team:: data)\n```\nx:: y\n```\n");
		expect(Object.fromEntries(fields)).toEqual({ email: ["a@b.example"], company: ["[[Acme Corp]]"], role: ["CTO"], team: ["data"] });
	});
});

describe("which notes are people and organizations", () => {
	it("uses folders, type, categories, tags and an email property; excluded folders are never indexed", () => {
		const kinds = Object.fromEntries(v.index.allEntities().map((e) => [e.path, e.kind]));
		expect(kinds).toEqual({
			"People/Ana Ruiz.md": "person",
			"People/Ana Costa.md": "person",
			"People/Tomás Herrera.md": "person",
			"Contacts/Mei Chen.md": "person",
			"Notes/Liu Yang.md": "person",
			"Crm/Zed.md": "person",
			"Crm/Bea Bo.md": "person",
			"Companies/Acme Corp.md": "organization",
			"Companies/Initech.md": "organization",
			"Partners/Globex.md": "organization",
			"Vendors/Gmail Inc.md": "organization",
		});
	});
});

describe("matching an email", () => {
	it("matches the sender by address, case-insensitively, and the organization by domain and company", () => {
		expect(people(mail("ANA.RUIZ@Acme.Example"))).toEqual([["People/Ana Ruiz.md", "email"]]);
		expect(orgs(mail("ANA.RUIZ@Acme.Example"))).toEqual([["Companies/Acme Corp.md", "domain"]]);
	});

	it("finds a person by an address listed on their note (a personal one), and their company by the link", () => {
		expect(people(mail("Tom <tom.herrera@gmail.com>"))).toEqual([["People/Tomás Herrera.md", "email"]]);
		// gmail.com is free mail: never an organization, even with a note claiming the domain.
		expect(orgs(mail("Tom <tom.herrera@gmail.com>"))).toEqual([["Partners/Globex.md", "company"]]);
	});

	it("finds a sender whose display name is an alias, and names without diacritics", () => {
		expect(people(mail("Tom Herrera <tom@newjob.example>"))).toEqual([["People/Tomás Herrera.md", "alias"]]);
		expect(people(mail("Tomas Herrera <t@elsewhere.example>"))).toEqual([["People/Tomás Herrera.md", "name"]]);
		expect(people(mail("\"Herrera, Tomás\" <t@elsewhere.example>"))).toEqual([["People/Tomás Herrera.md", "name"]]);
	});

	it("reads Dataview inline fields", () => {
		expect(people(mail("mei.chen@acme.example"))).toEqual([["Contacts/Mei Chen.md", "email"]]);
	});

	it("matches an organization with several domains, and subdomains", () => {
		expect(orgs(mail("x@acme-corp.example"))).toEqual([["Companies/Acme Corp.md", "domain"]]);
		expect(orgs(mail("x@mail.acme.example"))).toEqual([["Companies/Acme Corp.md", "domain"]]);
	});

	it("an unknown person from a known company's domain gives the organization, and the colleagues you know there", () => {
		const r = resolveEmail(v.index, mail("Raj Patel <raj@initech.example>"), ME);
		// Issue 9: the colleague an unknown sender should talk to is pulled in, marked as such.
		expect(r.people.map((m) => [m.entity.path, m.matchedBy])).toEqual([["People/Ana Costa.md", "colleague"]]);
		expect(r.organizations.map((m) => m.entity.path)).toEqual(["Companies/Initech.md"]);
		expect(r.unknown.map((a) => a.address)).toEqual(["raj@initech.example"]);
	});

	it("a free-mail sender nobody knows matches nothing", () => {
		const r = resolveEmail(v.index, mail("Someone <someone@gmail.com>"), ME);
		expect([r.people, r.organizations]).toEqual([[], []]);
	});

	it("a first name alone never picks one of two people who share it", () => {
		expect(people(mail("Ana <ana@hotmail.com>", "Ana here. Ana will call."))).toEqual([]);
	});

	it("finds people and organizations named in the newest message, on word boundaries", () => {
		const r = resolveEmail(v.index, mail("x@unknown.example", "I spoke with Ana Costa and Tom Herrera at Initech. Acmecorp is not Acme.\n\nOn Mon, Nov 2, 2026 Jordan <j@x.example> wrote:\n> Ana Ruiz"), ME);
		expect(r.people.map((m) => [m.entity.path, m.matchedBy])).toEqual([
			["People/Ana Costa.md", "mention"],
			["People/Tomás Herrera.md", "mention"],
		]);
		expect(r.organizations.map((m) => [m.entity.path, m.matchedBy])).toEqual([["Companies/Initech.md", "mention"]]);
	});

	it("skips your own addresses and excluded people", () => {
		expect(people(parseEmailNote("a.md", "---\nfrom: jordan@northwind.example\nto: secret@acme.example\nsubject: s\n---\nHi"))).toEqual([]);
	});
});

describe("context cards", () => {
	it("hold recent interactions from backlinks, newest first, never from excluded folders or tags", async () => {
		const ctx = await buildContext(v.app, v.index, mail("ana.ruiz@acme.example"), { ownAddresses: ME, tokenBudget: 4000 });
		expect(ctx.interactions.map((i) => [i.path, i.date])).toEqual([
			["Daily/2026-11-20.md", "2026-11-20"],
			["Meetings/2026-11-18 Acme QBR.md", "2026-11-18"],
			// Dated by its file name, as it has no date property.
			["Meetings/2026-10-01 Old sync.md", "2026-10-01"],
		]);
		expect(ctx.markdown).not.toMatch(/Walk-away|confidential|Private\//);
		expect(ctx.people.map((p) => p.matchedBy)).toEqual(["email"]);
		expect(ctx.organizations.map((o) => o.matchedBy)).toEqual(["domain"]);
	});

	it("fill the token budget by priority: the sender first, interactions last", async () => {
		const email = mail("ana.ruiz@acme.example", "Hi, with Mei Chen in copy.", "cc: mei.chen@acme.example\n");
		const wide = await buildContext(v.app, v.index, email, { ownAddresses: ME, tokenBudget: 4000 });
		expect(wide.items.map((i) => i.section)).toEqual(["people", "people", "organizations", "interactions", "interactions", "interactions"]);
		const narrow = await buildContext(v.app, v.index, email, { ownAddresses: ME, tokenBudget: 60 });
		expect(narrow.items[0]?.path).toBe("People/Ana Ruiz.md");
		expect(narrow.tokens).toBeLessThanOrEqual(60 + 10);
		expect(narrow.omitted.length).toBeGreaterThan(0);
		expect(narrow.items.some((i) => i.section === "interactions")).toBe(false);
		// What the JSON lists is what the cards hold.
		expect(narrow.people.map((p) => p.path)).toEqual(narrow.items.filter((i) => i.section === "people").map((i) => i.path));
	});

	it("leave out what the user unticked", async () => {
		const ctx = await buildContext(v.app, v.index, mail("ana.ruiz@acme.example"), { ownAddresses: ME, tokenBudget: 4000, leaveOut: new Set(["Companies/Acme Corp.md", "Daily/2026-11-20.md"]) });
		expect(ctx.items.map((i) => i.path)).toEqual(["People/Ana Ruiz.md", "Meetings/2026-11-18 Acme QBR.md", "Meetings/2026-10-01 Old sync.md"]);
	});

	it("summarise without frontmatter, code or Dataview blocks, and cut at boundaries", () => {
		const note = "---\ntype: customer\nsecret: x\n---\n# Acme\n\n| Field | Value |\n|---|---|\n| **Status** | Prospect |\n| **Industry** | _Unknown_ |\n\n## Key facts\n- Fact one is here.\n- [[Link|Shown]] fact with **bold**.\n\n```dataview\nTASK FROM this.file.folder\n```\n\n%% hidden %%\n<!-- hidden too -->\n\n## Open tasks\n- [ ] Send pricing\n- [x] Done thing\n";
		const s = summarizeNote(note);
		expect(s.fields).toEqual([["Status", "Prospect"]]);
		expect(s.facts).toEqual(["Fact one is here.", "Shown fact with bold."]);
		expect(s.tasks).toEqual(["Send pricing"]);
		expect(JSON.stringify(s)).not.toMatch(/---|```|dataview|TASK|hidden|secret/);
		expect(clip("One sentence here. Another sentence that is long.", 30)).toBe("One sentence here.");
		expect(clip("averyveryverylongword another", 12)).toBe("averyveryve…");
		// Never longer than asked, ellipsis included.
		expect(clip("Some words that will be cut somewhere", 20)).toBe("Some words that…");
	});
});

describe("the index stays current", () => {
	it("rebuilds on new settings only when they change who is a person or an organization", async () => {
		const w = await loadVault(writeVault(VAULT));
		const unrelated = { ...w.settings, userName: "Someone" };
		expect(w.index.setOptions(unrelated)).toBe(false);
		expect(w.index.peopleByEmail("liu@somewhere.example")).toHaveLength(1);
		expect(w.index.setOptions({ ...w.settings, excludedFolders: ["Notes"] })).toBe(true);
		expect(w.index.peopleByEmail("liu@somewhere.example")).toHaveLength(0);
	});

	it("builds in slices, applying changes that arrive meanwhile exactly once", async () => {
		const w = await loadVault(writeVault(VAULT));
		let slices = 0;
		const mei = w.app.vault.getAbstractFileByPath("Contacts/Mei Chen.md") as TFile;
		// The edit's `changed` arrives after modify returns, as in Obsidian: during or after the build.
		const changed = nextEvent(w.app.metadataCache, "changed");
		await w.index.buildGradually(async () => {
			if (slices++ === 0) await w.app.vault.modify(mei, "email:: mei@changed.example\n");
		}, 3);
		await changed;
		expect(slices).toBeGreaterThan(3);
		expect(w.index.isBuilt).toBe(true);
		expect(w.index.peopleByEmail("mei@changed.example").map((e) => e.path)).toEqual(["Contacts/Mei Chen.md"]);
		expect(w.index.byFoldedName("mei chen")).toHaveLength(1);
		// Eleven as before, plus the Private person: nothing is excluded in this vault's settings.
		expect(w.index.allEntities()).toHaveLength(12);
	});

	it("after create, edit, rename and delete", async () => {
		const w = await loadVault(writeVault(VAULT), { excludedFolders: ["Private"] });
		const find = (addr: string): string[] => w.index.peopleByEmail(addr).map((e) => e.path);

		// Obsidian indexes a write after it returns: the index follows the cache's events.
		const settle = <T>(write: () => Promise<T>): Promise<T> => writeAndSettle(w.app.metadataCache, write);
		const created = await w.app.vault.create("People/New Person.md", "---\ntype: person\nemail: new@acme.example\n---\n");
		expect(find("new@acme.example")).toEqual([]);
		await nextEvent(w.app.metadataCache, "resolved");
		expect(find("new@acme.example")).toEqual(["People/New Person.md"]);

		await settle(() => w.app.vault.modify(created, "---\ntype: person\nemail: changed@acme.example\n---\n"));
		expect(find("new@acme.example")).toEqual([]);
		expect(find("changed@acme.example")).toEqual(["People/New Person.md"]);

		const ana = w.app.vault.getAbstractFileByPath("People/Ana Ruiz.md") as TFile;
		await w.app.vault.rename(ana, "People/Ana Ruiz-Lopez.md");
		// A rename is applied from the vault's event at once (the cache fires no `changed` for it).
		expect(find("ana.ruiz@acme.example")).toEqual(["People/Ana Ruiz-Lopez.md"]);
		await nextEvent(w.app.metadataCache, "resolved");
		// The host, like Obsidian with "update internal links" off, leaves [[Ana Ruiz]] as written:
		// it no longer resolves, so it is nobody's backlink until a note links the new name.
		expect(w.index.backlinksOf("People/Ana Ruiz.md")).toEqual([]);
		expect(w.index.backlinksOf("People/Ana Ruiz-Lopez.md")).toEqual([]);
		const qbr = w.app.vault.getAbstractFileByPath("Meetings/2026-11-18 Acme QBR.md") as TFile;
		await settle(() => w.app.vault.modify(qbr, "---\ndate: 2026-11-18\n---\n- [[Ana Ruiz-Lopez]] wants SSO for all seats."));
		expect(w.index.backlinksOf("People/Ana Ruiz-Lopez.md")).toEqual(["Meetings/2026-11-18 Acme QBR.md"]);

		await settle(() => w.app.vault.delete(created));
		expect(find("changed@acme.example")).toEqual([]);

		// A note linking to a person becomes an interaction at once.
		await settle(() => w.app.vault.create("Meetings/2026-11-24 New call.md", "Call with [[Mei Chen]]."));
		const ctx = await buildContext(w.app, w.index, mail("mei.chen@acme.example"), { ownAddresses: ME, tokenBudget: 4000 });
		expect(ctx.interactions.map((i) => i.path)).toContain("Meetings/2026-11-24 New call.md");

		// A note that turns an older note's unresolved link into a resolved one gains that backlink.
		await settle(() => w.app.vault.create("Meetings/2026-11-25 Chat.md", "Chat with [[Not Yet Written]]."));
		expect(w.index.backlinksOf("People/Not Yet Written.md")).toEqual([]);
		await settle(() => w.app.vault.create("People/Not Yet Written.md", "---\ntype: person\n---\n"));
		expect(w.index.backlinksOf("People/Not Yet Written.md")).toEqual(["Meetings/2026-11-25 Chat.md"]);

		// Inline fields edited through the vault are picked up from the event's text.
		const mei = w.app.vault.getAbstractFileByPath("Contacts/Mei Chen.md") as TFile;
		await settle(() => w.app.vault.modify(mei, "email:: mei@new-acme.example\n"));
		expect(find("mei@new-acme.example")).toEqual(["Contacts/Mei Chen.md"]);
	});
});
