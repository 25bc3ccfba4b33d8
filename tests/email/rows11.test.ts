/**
 * Issue 11's rows on reading emails, each a named test that failed before the fix, run
 * end to end through the CLI on a copy of the example vault.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { runCli, type CliIO } from "../../headless/cli/run";
import { cleanupVaults, copyExampleVault } from "../support/vault";

afterAll(cleanupVaults);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
	let out = "";
	let err = "";
	const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} };
	const code = await runCli(args, io);
	return { code, out, err };
}

const LINKED = [
	"---",
	"type: email",
	'from: "[[Ana Ruiz]]"',
	'to: "Jordan Lee <jordan@northwind.example>"',
	"cc:",
	'  - "[[Mei Chen]]"',
	"subject: Security questionnaire",
	"date: 2026-11-24",
	"---",
	"Hi Jordan,",
	"",
	"Could you send the security questionnaire by Friday?",
	"",
	"Thanks,",
	"Ana",
].join("\n");

describe("issue 11 rows: reading emails", () => {
	it('`from: "[[Ana Ruiz]]"` (a link to a person note) → to: ""; linked Cc entries silently dropped', async () => {
		const vault = copyExampleVault();
		writeFileSync(path.join(vault, "Inbox", "2026-11-24 Linked.md"), LINKED);
		const context = await run(["context", "--vault", vault, "--email", "Inbox/2026-11-24 Linked.md", "--json"]);
		expect(context.err).toBe("");
		const json = JSON.parse(context.out) as { email: { from: unknown; cc: unknown } };
		expect(json.email.from).toEqual({ name: "Ana Ruiz", address: "ana.ruiz@acme.example" });
		// Mei Chen's note gives her address as an inline field (email:: …), which the cache does not hold.
		expect(json.email.cc).toEqual([{ name: "Mei Chen", address: "mei.chen@acme.example" }]);

		const draft = await run(["draft", "--vault", vault, "--email", "Inbox/2026-11-24 Linked.md", "--offline", "--json"]);
		expect([draft.code, draft.err]).toEqual([0, ""]);
		const note = readFileSync(path.join(vault, (JSON.parse(draft.out) as { draftPath: string }).draftPath), "utf8");
		expect(note).toMatch(/^to: ana\.ruiz@acme\.example$/m);
		expect(note).toMatch(/^cc:\n {2}- mei\.chen@acme\.example$/m);
	});

	it("a UTF-8 byte-order mark before the frontmatter → \"not an email\"", async () => {
		const vault = copyExampleVault();
		writeFileSync(path.join(vault, "Inbox", "2026-11-24 BOM.md"), `\uFEFF${LINKED.replace("[[Ana Ruiz]]", "Ana Ruiz <ana.ruiz@acme.example>")}`);
		const triage = await run(["triage", "--vault", vault, "--folder", "Inbox", "--json"]);
		expect(triage.code).toBe(0);
		expect(JSON.parse(triage.out)).toContainEqual({ path: "Inbox/2026-11-24 BOM.md", needsReply: true, reason: expect.any(String) as unknown });
		const draft = await run(["draft", "--vault", vault, "--email", "Inbox/2026-11-24 BOM.md", "--offline", "--json"]);
		expect([draft.code, draft.err]).toEqual([0, ""]);
		const note = readFileSync(path.join(vault, (JSON.parse(draft.out) as { draftPath: string }).draftPath), "utf8");
		expect(note).toMatch(/^subject: "?Re: Security questionnaire"?$/m);
		expect(note).toMatch(/^to: ana\.ruiz@acme\.example$/m);
	});
});
