/**
 * Link resolution on a warm command line: the name index starts from the order the cache stored
 * (headless/cache.ts `filesNamed`, src/host/links.ts `NameSeed`) instead of filing every file's
 * name, and must answer every link exactly as a host that filed them all, before and after
 * files come, go and are renamed.
 */
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import * as path from "path";
import { HeadlessApp } from "../../headless/host";
import { LinkResolver } from "../../src/host/links";
import { cleanupVaults, tempDir, writeVault } from "../support/vault";

afterAll(cleanupVaults);

const VAULT: Record<string, string | Buffer> = {
	"People/Ana.md": "# Ana\n",
	"Archive/People/Ana.md": "# Old Ana\n",
	"ana.md": "# root ana\n",
	"Projects/Plan.md": "# plan\n",
	"Projects/Sub/Plan.md": "# sub plan\n",
	"Other/Plan.md": "# other plan\n",
	"Files/report.pdf": Buffer.from("%PDF-1.4\n"),
	"Files/report.pdf.md": "# notes on the report\n",
	"Root Note.md": "# root\n",
	"Deep/Root Note.md": "# deep\n",
	"Names/Élan.md": "# élan\n",
	"Names/ÉLAN 2.md": "# élan 2\n",
	"Projects/Sub/x.md": "[[Plan]] [[Ana]]\n",
	"Other/y.md": "[[Plan]]\n",
	"z.md": "[[Root Note]]\n",
	"Archive/People/q.md": "[[Ana]]\n",
	// Two root files whose paths differ only by case (where the file system allows it): the
	// later listed answers, so the order of a key's files matters.
	"Todo.md": "# Todo\n",
	"todo.md": "# todo\n",
};

const LINKS = ["todo", "TODO.md", "Ana", "ana", "ANA.md", "People/Ana", "people/ana.md", "/ana", "/Root Note", "Root Note", "Plan", "Sub/Plan", "./Plan", "../Plan", "../../Other/Plan", "report.pdf", "report.pdf.md", "Report", "élan", "Élan.md", "élan 2", "missing", "Files/report", "", "#Heading", "Plan#Goals", "x", "Deep/Root Note"];
const SOURCES = ["Projects/Sub/x.md", "Projects/w.md", "Other/y.md", "Deep/v.md", "z.md", "Archive/People/q.md", "Names/new.md", "Files/u.md"];

/**
 * Every link from every source: links by name alone first, since the first link with a folder
 * in it files every name (the map by path is made from them) and the seed is done with.
 */
function answers(app: HeadlessApp): Array<[string, string, string | null]> {
	const out: Array<[string, string, string | null]> = [];
	const ordered = [...LINKS.filter((l) => !l.includes("/")), ...LINKS.filter((l) => l.includes("/"))];
	for (const link of ordered) for (const source of SOURCES) out.push([link, source, app.metadataCache.getFirstLinkpathDest(link.replace(/#.*/, ""), source)?.path ?? null]);
	return out;
}

async function pair(): Promise<{ warm: HeadlessApp; fresh: HeadlessApp }> {
	const cacheDir = path.join(tempDir("erd-names-"), "cache");
	const warmVault = writeVault(VAULT);
	await HeadlessApp.load(warmVault, { cacheDir });
	const warm = await HeadlessApp.load(warmVault, { cacheDir });
	expect(warm.loadReport?.cached).toBeGreaterThan(0);
	return { warm, fresh: await HeadlessApp.load(writeVault(VAULT)) };
}

describe("a warm run's name index, from the cache's stored order", () => {
	it("files no name to answer links, and answers every link as a host that filed them all", async () => {
		const { warm, fresh } = await pair();
		const add = jest.spyOn(LinkResolver.prototype, "add");
		const warmAnswers = answers(warm);
		expect(add).not.toHaveBeenCalled();
		add.mockRestore();
		expect(warmAnswers).toEqual(answers(fresh));
		// The answers are not trivially the same: same-named files are told apart by folder, and
		// a root file's exact path comes first.
		expect(warmAnswers).toContainEqual(["Plan", "Projects/Sub/x.md", "Projects/Sub/Plan.md"]);
		expect(warmAnswers).toContainEqual(["Plan", "Other/y.md", "Other/Plan.md"]);
		expect(warmAnswers).toContainEqual(["Ana", "Archive/People/q.md", "ana.md"]);
		expect(warmAnswers).toContainEqual(["report.pdf", "z.md", "Files/report.pdf"]);
	});

	it("stays the same as files are created, deleted and renamed after the load", async () => {
		const { warm, fresh } = await pair();
		// Some keys used before the changes, some not (the seed's files for a key are taken in when it is first used).
		answers(warm).slice(0, 5);
		for (const app of [warm, fresh]) {
			await app.vault.create("Projects/Sub/Ana.md", "# another Ana\n");
			await app.vault.create("Names/élan.md", "# lower élan\n");
			await app.vault.delete(app.vault.getAbstractFileByPath("Other/Plan.md") as never);
			await app.vault.rename(app.vault.getAbstractFileByPath("People/Ana.md") as never, "People/Ana Old.md");
			await app.vault.rename(app.vault.getAbstractFileByPath("Deep/Root Note.md") as never, "Deep/Plan.md");
		}
		expect(answers(warm)).toEqual(answers(fresh));
		expect(warm.metadataCache.getFirstLinkpathDest("Sub/Ana", "z.md")?.path).toBe("Projects/Sub/Ana.md");
		expect(warm.metadataCache.getFirstLinkpathDest("People/Ana", "z.md")?.path).toBe("Archive/People/Ana.md");
		expect(warm.metadataCache.getFirstLinkpathDest("Plan", "Deep/x.md")?.path).toBe("Deep/Plan.md");
	});
});
