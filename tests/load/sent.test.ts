/** Your sent emails come from an index by sender, kept current as notes change. */
import { describe, it, expect, afterAll } from "@jest/globals";
import { cleanupVaults, loadVault, writeVault } from "../support/vault";

afterAll(cleanupVaults);

const email = (from: string, date: string, subject: string): string => `---\ntype: email\nfrom: ${from}\nto: someone@acme.example\nsubject: ${subject}\ndate: ${date}\n---\nHi\n`;

describe("sentEmails", () => {
	it("lists your own emails newest first, from any of your addresses, and follows changes", async () => {
		const files: Record<string, string> = {};
		for (let i = 0; i < 300; i++) files[`Inbox/in ${i}.md`] = email(`Ana <ana${i}@acme.example>`, `2026-10-${String((i % 28) + 1).padStart(2, "0")}`, `Question ${i}`);
		files["Sent/a.md"] = email("Jordan <JORDAN@northwind.example>", "2026-11-01", "First");
		files["Sent/b.md"] = email("jordan.lee@gmail.com", "2026-11-03", "Second");
		files["Private/c.md"] = email("jordan@northwind.example", "2026-11-04", "Private one");
		const dir = writeVault(files);
		const w = await loadVault(dir, { userAddresses: ["jordan@northwind.example", "Jordan.Lee@gmail.com"], excludedFolders: ["Private"] });
		expect(w.index.sentEmails(w.settings.userAddresses, 5).map((e) => e.path)).toEqual(["Sent/b.md", "Sent/a.md"]);
		expect(w.index.sentEmails(w.settings.userAddresses, 1).map((e) => e.subject)).toEqual(["Second"]);

		const newer = w.app.vault.getAbstractFileByPath("Inbox/in 0.md");
		await w.app.vault.modify(newer as never, email("jordan@northwind.example", "2026-11-09", "Newest"));
		await new Promise((r) => setTimeout(r, 50));
		expect(w.index.sentEmails(w.settings.userAddresses, 5).map((e) => e.path)).toEqual(["Inbox/in 0.md", "Sent/b.md", "Sent/a.md"]);
		await w.app.vault.delete(w.app.vault.getAbstractFileByPath("Sent/b.md") as never);
		await new Promise((r) => setTimeout(r, 50));
		expect(w.index.sentEmails(w.settings.userAddresses, 5).map((e) => e.path)).toEqual(["Inbox/in 0.md", "Sent/a.md"]);
		expect(w.index.sentEmails([], 5)).toEqual([]);
	});
});
