import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { runCli, type CliIO } from "../../headless/cli/run";
import { useMockAnthropic, errorReply } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault, writeVault } from "../support/vault";
import { builtCli } from "../support/builtCli";

const mock = useMockAnthropic();
afterAll(cleanupVaults);

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
	let out = "";
	let err = "";
	const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env };
	const code = await runCli(args, io);
	return { code, out, err };
}

const ACME = "Inbox/2026-11-21 Re Acme renewal.md";

describe("reply-drafter context", () => {
	it("prints the contract's JSON", async () => {
		const vault = copyExampleVault();
		const { code, out, err } = await run(["context", "--vault", vault, "--email", ACME, "--json"]);
		expect([code, err]).toEqual([0, ""]);
		const json = JSON.parse(out) as Record<string, unknown>;
		expect(Object.keys(json)).toEqual(["email", "needsReply", "you", "people", "organizations", "interactions", "topics", "audience", "time", "commitments", "heldBack", "contextMarkdown", "promptMarkdown", "contextTokens"]);
		// The example vault's settings name your addresses.
		expect(json.you).toEqual({ addresses: ["jordan@northwind.example", "jordan.lee@gmail.com"], inferred: false });
		expect(json.email).toEqual({
			path: ACME,
			from: { name: "Ruiz, Ana", address: "ana.ruiz@acme.example" },
			to: [{ name: "Jordan Lee", address: "jordan@northwind.example" }],
			cc: [{ name: "Mei Chen", address: "mei.chen@acme.example" }],
			subject: "RE: Re: Acme renewal",
			date: "2026-11-21T09:14:00.000Z",
			newestMessage: expect.stringMatching(/^Hi Jordan,[\s\S]*Thanks,\nAna$/) as unknown,
			quotedHistory: expect.stringContaining("I'll follow up with pricing options.") as unknown,
		});
		expect(json.needsReply).toEqual({ needed: true, reason: "Meeting request" });
		expect(json.people).toEqual([
			{ path: "People/Ana Ruiz.md", name: "Ana Ruiz", matchedBy: "email" },
			{ path: "Contacts/Mei Chen.md", name: "Mei Chen", matchedBy: "email" },
		]);
		expect(json.organizations).toEqual([{ path: "Companies/Acme Corp.md", name: "Acme Corp", matchedBy: "domain" }]);
		expect(json.interactions).toEqual([
			// Issue 9: what happened since, on the same matter under another subject, comes first.
			{ path: "Inbox/2026-11-24 Thanks from Mei.md", date: "2026-11-24", title: "Re: Security questionnaire" },
			{ path: "Sent/2026-11-23 Security questionnaire.md", date: "2026-11-23", title: "Security questionnaire" },
			{ path: "Daily/2026-11-20.md", date: "2026-11-20", title: "2026-11-20" },
			{ path: "Meetings/2026-11-18 Acme QBR.md", date: "2026-11-18", title: "Acme QBR" },
			{ path: "Inbox/2026-11-10 Acme renewal.md", date: "2026-11-10", title: "Acme renewal" },
		]);
		expect(json.topics).toEqual(expect.arrayContaining(["Acme renewal"]));
		expect(typeof json.contextMarkdown).toBe("string");
		// The tokens are those of what the model is sent: the compact prompt cards, not the note's links.
		expect(json.contextTokens).toBe(Math.ceil(String(json.promptMarkdown).length / 4));
	});

	it("counts earlier emails with a person as interactions, even without a link", async () => {
		const { out } = await run(["context", "--vault", copyExampleVault(), "--email", "Inbox/2026-11-22 Globex pilot scope.md", "--json"]);
		const json = JSON.parse(out) as { interactions: Array<{ path: string }>; contextMarkdown: string };
		expect(json.interactions.map((i) => i.path)).toEqual(["Meetings/2026-11-16 Globex QBR.md", "Sent/2026-11-05 Globex pilot follow-up.md", "Meetings/2026-11-04 Globex pilot kickoff.md"]);
		// The gist is what the email says and asks, never its greeting (issue 9).
		expect(json.contextMarkdown).toContain("[[Sent/2026-11-05 Globex pilot follow-up|Globex pilot follow-up]] (same matter, another subject; Tomás Herrera): Thanks for a good kickoff yesterday.");
	});

	it("prints a readable summary without --json", async () => {
		const { code, out } = await run(["context", "--vault", copyExampleVault(), "--email", "Inbox/2026-11-23 Initech connector v3.eml"]);
		expect(code).toBe(0);
		expect(out).toMatch(/From: +Raj Patel <raj\.patel@initech\.example>/);
		expect(out).toMatch(/Orgs: +Initech \[domain\]/);
	});
});

describe("reply-drafter draft", () => {
	it("writes the draft offline without a key and prints its path", async () => {
		const vault = copyExampleVault();
		const { code, out, err } = await run(["draft", "--vault", vault, "--email", ACME]);
		expect(code).toBe(0);
		expect(out).toBe("Inbox/2026-11-21 Re Acme renewal - reply draft.md\n");
		expect(err).toMatch(/No ANTHROPIC_API_KEY/);
		expect(readFileSync(path.join(vault, out.trim()), "utf8")).toContain("model: offline");
	});

	it("uses ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, and prints the JSON contract", async () => {
		mock.enqueue({ kind: "stream", chunks: ["Hi Ana, yes."], usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 3, cache_creation_input_tokens: 2 } });
		const vault = copyExampleVault();
		const { code, out } = await run(["draft", "--vault", vault, "--email", ACME, "--json", "--model", "claude-haiku-4-5"], { ANTHROPIC_API_KEY: "sk-ant-cli", ANTHROPIC_BASE_URL: mock.url });
		expect(code).toBe(0);
		expect(JSON.parse(out)).toEqual({
			draftPath: "Inbox/2026-11-21 Re Acme renewal - reply draft.md",
			model: "claude-haiku-4-5",
			offline: false,
			usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 3, cacheCreationTokens: 2 },
			// New in the draft contract: incomplete drafts (cut off at the output limit) say so.
			status: "draft",
		});
		expect(mock.messageRequests().at(-1)?.body?.model).toBe("claude-haiku-4-5");
	});

	it("--offline makes no request even with a key", async () => {
		const before = mock.requests.length;
		const { code, out } = await run(["draft", "--vault", copyExampleVault(), "--email", ACME, "--offline", "--json"], { ANTHROPIC_API_KEY: "sk-ant-cli", ANTHROPIC_BASE_URL: mock.url });
		expect(code).toBe(0);
		expect(JSON.parse(out)).toMatchObject({ offline: true, model: "offline" });
		expect(mock.requests.length).toBe(before);
	});

	it("exits 1 with a one-line message on an API error, with no stack trace", async () => {
		mock.enqueue(errorReply(401, "invalid x-api-key"));
		const { code, out, err } = await run(["draft", "--vault", copyExampleVault(), "--email", ACME], { ANTHROPIC_API_KEY: "sk-ant-bad", ANTHROPIC_BASE_URL: mock.url });
		expect(code).toBe(1);
		expect(out).toBe("");
		expect(err).toBe("reply-drafter: The Anthropic API key was rejected (401). Check the key in the plugin's settings.\n");
		expect(err).not.toContain("sk-ant-bad");
	});

	it("--debug adds the stack trace", async () => {
		mock.enqueue(errorReply(404, "no such model"));
		const { code, err } = await run(["draft", "--vault", copyExampleVault(), "--email", ACME, "--debug"], { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: mock.url });
		expect(code).toBe(1);
		expect(err).toMatch(/model "claude-sonnet-5-5" was not found[\s\S]*\n\s+at /);
	});
});

describe("reply-drafter triage", () => {
	it("lists every email under a folder with needsReply and reason", async () => {
		const { code, out } = await run(["triage", "--vault", copyExampleVault(), "--folder", "Inbox", "--json"]);
		expect(code).toBe(0);
		expect(JSON.parse(out)).toEqual([
			{ path: "Inbox/2026-11-10 Acme renewal.md", needsReply: false, reason: "Sent by you" },
			{ path: "Inbox/2026-11-21 Re Acme renewal.md", needsReply: true, reason: "Meeting request" },
			{ path: "Inbox/2026-11-22 Globex pilot scope.md", needsReply: true, reason: "Deadline mentioned" },
			{ path: "Inbox/2026-11-23 Initech connector v3.eml", needsReply: true, reason: "Deadline mentioned" },
			{ path: "Inbox/2026-11-24 Joint listing with Acme.md", needsReply: true, reason: "Deadline mentioned" },
			{ path: "Inbox/2026-11-24 Northwind weekly digest.md", needsReply: false, reason: "Newsletter or bulk mail" },
			{ path: "Inbox/2026-11-24 Renewal prep.md", needsReply: true, reason: "Contains question" },
			{ path: "Inbox/2026-11-24 Thanks from Mei.md", needsReply: false, reason: "Thanks only" },
		]);
	});
});

describe("usage errors and bad files exit 2 with a message naming the problem", () => {
	const vault = (): string => writeVault({ "note.md": "# Not an email\n", "empty.md": "", "a.md": "---\ntype: email\nfrom: a@b.example\nsubject: s\n---\nHi?" });
	it.each([
		[[], /a command is needed: context, draft, triage, batch \(see reply-drafter --help\)/],
		[["frobnicate", "--vault", "."], /unknown command "frobnicate"/],
		[["context", "--email", "a.md"], /--vault DIR is required/],
		[["context", "--vault", "/no/such/dir", "--email", "a.md"], /\/no\/such\/dir: no such vault folder/],
		[["draft", "--vault", "VAULT"], /--email PATH is required/],
		[["draft", "--vault", "VAULT", "--email", "missing.md"], /missing\.md: no such file in the vault/],
		[["draft", "--vault", "VAULT", "--email", "note.md"], /note\.md: this note is not an email/],
		[["context", "--vault", "VAULT", "--email", "empty.md"], /empty\.md: the note is empty/],
		[["triage", "--vault", "VAULT", "--folder", "Nope"], /Nope: no such folder in the vault/],
		[["draft", "--vault", "VAULT", "--email", "a.md", "--bogus"], /unknown option --bogus/],
		[["draft", "--vault", "VAULT", "--email"], /--email needs a value/],
	])("%j", async (args, message) => {
		const dir = vault();
		const { code, err } = await run(args.map((a) => (a === "VAULT" ? dir : a)));
		expect(code).toBe(2);
		expect(err).toMatch(message);
		expect(err).not.toMatch(/\n\s+at /);
		expect(err.split("\n")).toEqual([expect.any(String), ""]);
	});

	it("a data.json that is not JSON is named", async () => {
		const dir = writeVault({ ".obsidian/plugins/email-reply-drafter/data.json": "{nope", "a.md": "x" });
		const { code, err } = await run(["triage", "--vault", dir]);
		expect(code).toBe(2);
		expect(err).toMatch(/data\.json: not valid JSON/);
	});

	it("--help prints usage and exits 0", async () => {
		const { code, out } = await run(["--help"]);
		expect(code).toBe(0);
		expect(out).toMatch(/reply-drafter context --vault DIR --email PATH/);
	});
});

describe("the bundled CLI (dist/cli.js as npm installs it)", () => {
	it("runs as a Node program with the same exit codes", async () => {
		const { tempDir } = await import("../support/vault");
		const { spawnSync } = await import("child_process");
		const out = path.join(builtCli(tempDir("erd-cli-")), "cli.js");
		const vault = copyExampleVault();
		const env = { PATH: process.env.PATH ?? "" };
		const ok = spawnSync(process.execPath, [out, "draft", "--vault", vault, "--email", ACME, "--json"], { encoding: "utf8", env });
		expect(ok.status).toBe(0);
		expect(JSON.parse(ok.stdout)).toMatchObject({ draftPath: "Inbox/2026-11-21 Re Acme renewal - reply draft.md", offline: true });
		const missing = spawnSync(process.execPath, [out, "draft", "--vault", vault, "--email", "Inbox/none.md"], { encoding: "utf8", env });
		expect(missing.status).toBe(2);
		expect(missing.stderr).toBe("reply-drafter: Inbox/none.md: no such file in the vault\n");
	});
});

describe("reply-drafter context with your addresses not set", () => {
	it("shows the address it took as yours, and says it was worked out", async () => {
		const mail = (n: number, from: string): [string, string] => [`Inbox/m${n}.md`, `---\ntype: email\nfrom: ${from}\nto: Jordan Lee <jordan@northwind.example>\nsubject: Question ${n}\ndate: 2026-11-1${n}T09:00:00Z\n---\nCould we talk on Friday?`];
		const vault = writeVault(Object.fromEntries([mail(1, "ana@acme.example"), mail(2, "mei@acme.example"), mail(3, "tomas@globex.example"), mail(4, "ana@acme.example"), mail(5, "raj@initech.example")]));
		const text = await run(["context", "--vault", vault, "--email", "Inbox/m4.md", "--no-cache"]);
		expect(text.out).toContain(`You:       jordan@northwind.example (worked out from the vault: set "Your addresses" in the plugin's settings to be sure)`);
		const json = JSON.parse((await run(["context", "--vault", vault, "--email", "Inbox/m4.md", "--no-cache", "--json"])).out) as { you: unknown; audience: { recipients: Array<{ address: string }> } };
		expect(json.you).toEqual({ addresses: ["jordan@northwind.example"], inferred: true });
		// Your reply goes to Ana alone, not to you.
		expect(json.audience.recipients.map((r) => r.address)).toEqual(["ana@acme.example"]);
	});
});
