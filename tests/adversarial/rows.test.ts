/**
 * Issue 11's table, one `describe` per row ("what was tried"), each through the CLI or the
 * engine as a user would meet it. The API rows (429 retry-after, hangs and stalls, stream
 * errors) are in apiFailures.test.ts; the hostile-email generator in hostile.test.ts.
 */
import { describe, it, expect, afterAll, beforeEach, jest } from "@jest/globals";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { runCli, type CliIO } from "../../headless/cli/run";
import { HeadlessApp, HeadlessVault } from "../../headless/host";
import { VaultIndex } from "../../src/context/vaultIndex";
import { draftForFile, fileAt, readDraftNote } from "../../src/draft/engine";
import { normalizeSettings } from "../../src/settings";
import { MAX_NAME_BYTES, safeFileName, withFrontmatterKey } from "../../src/note/write";
import { NOTE_ORIGINAL_CHARS, PROMPT_MESSAGE_CHARS } from "../../src/draft/limits";
import { useMockAnthropic } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault, tempDir, writeVault } from "../support/vault";
import { builtCli } from "../support/builtCli";

const KEY = "sk-ant-rows-0123456789-SECRET";
const mock = useMockAnthropic();
afterAll(cleanupVaults);
beforeEach(() => mock.reset());

async function cli(args: string[], options: { key?: boolean; tty?: boolean; now?: () => number } = {}): Promise<{ code: number; out: string; err: string }> {
	let out = "";
	let err = "";
	const env: Record<string, string> = options.key ? { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } : {};
	const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stderrIsTTY: options.tty, now: options.now };
	const code = await runCli(args, io);
	return { code, out, err };
}

function allFiles(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string): void => {
		for (const name of readdirSync(d)) {
			const p = path.join(d, name);
			if (statSync(p).isDirectory()) walk(p);
			else out.push(path.relative(dir, p).split(path.sep).join("/"));
		}
	};
	walk(dir);
	return out.sort();
}

const EMAIL = (subject = "Can you help?", extra = ""): string => `---\ntype: email\nfrom: Ana Ruiz <ana@acme.example>\nto: me@northwind.example\nsubject: "${subject}"\n${extra}---\nHi,\n\nCan you send the contract by Friday?\n\nAna\n`;

function withSettings(dir: string, settings: Record<string, unknown>): string {
	writeVault({ ".obsidian/plugins/email-reply-drafter/data.json": JSON.stringify(settings) }, dir);
	return dir;
}

describe("`.eml` whose From or Cc display name holds line breaks (encoded-word)", () => {
	// Issue 10 makes names inert in the note at the root (render, note/inert.ts).
	it("the note keeps its sections, and Copy reply, mailto and Redraft find the reply", async () => {
		const word = (s: string): string => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;
		const dir = writeVault({
			"Inbox/x.eml": `From: ${word("Ana\n## Original Email\nRuiz")} <ana@acme.example>\r\nCc: ${word("Mei\r\n## Vault Context Used\n---")} <mei@acme.example>\r\nTo: me@northwind.example\r\nSubject: Renewal\r\n\r\nCan you confirm?\r\n`,
		});
		mock.enqueue({ kind: "stream", chunks: ["Hi Ana, yes: confirmed."] });
		const { code, out } = await cli(["draft", "--vault", dir, "--email", "Inbox/x.eml"], { key: true });
		expect(code).toBe(0);
		const note = readFileSync(path.join(dir, out.trim()), "utf8");
		expect(note.split("\n").filter((l) => /^## /.test(l))).toEqual(["## What they ask", "## Reply", "## Original Email", "## Vault Context Used"]);
		const app = await HeadlessApp.load(dir);
		const info = await readDraftNote(app, fileAt(app, out.trim()));
		expect(info.reply).toContain("yes: confirmed");
	});
});

describe("four parallel `draft` runs of one email (two terminals, a script, a batch and a command)", () => {
	it("two hosts that loaded the vault before either wrote (as two processes do) both get a note, under different names", async () => {
		const dir = writeVault({ "Inbox/e.md": EMAIL() });
		const settings = normalizeSettings({});
		const hosts = await Promise.all([HeadlessApp.load(dir), HeadlessApp.load(dir), HeadlessApp.load(dir), HeadlessApp.load(dir)]);
		const engines = hosts.map((app) => {
			const index = new VaultIndex(app, settings);
			index.build();
			return { app, index, settings, claude: null };
		});
		const outcomes = await Promise.all(engines.map((e) => draftForFile(e, fileAt(e.app, "Inbox/e.md"))));
		expect(outcomes.map((o) => o.draftPath).sort()).toEqual(["Inbox/e - reply draft 2.md", "Inbox/e - reply draft 3.md", "Inbox/e - reply draft 4.md", "Inbox/e - reply draft.md"]);
		for (const o of outcomes) expect(readFileSync(path.join(dir, o.draftPath), "utf8")).toContain("type: email-draft");
	});

	it("four CLI processes at once: all exit 0, four notes, none overwritten", async () => {
		const { spawn } = await import("child_process");
		const bundle = path.join(builtCli(tempDir("erd-cli-")), "cli.js");
		const dir = writeVault({ "Inbox/e.md": EMAIL() });
		const runs = Array.from({ length: 4 }, () =>
			new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
				const child = spawn(process.execPath, [bundle, "draft", "--vault", dir, "--email", "Inbox/e.md"], { env: { PATH: process.env.PATH ?? "" } });
				let out = "";
				let err = "";
				child.stdout.on("data", (d: Buffer) => (out += d.toString()));
				child.stderr.on("data", (d: Buffer) => (err += d.toString()));
				child.on("close", (code) => resolve({ code, out, err }));
			}),
		);
		const results = await Promise.all(runs);
		expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
		expect(new Set(results.map((r) => r.out.trim())).size).toBe(4);
		expect(allFiles(dir).filter((f) => f.includes("reply draft"))).toHaveLength(4);
	}, 30000);
});

describe("an email inside an excluded folder (`Private/`), drafted directly", () => {
	const vault = (): string => withSettings(writeVault({ "Private/secret.md": EMAIL("Pricing floor"), "Inbox/tagged.md": EMAIL("Tagged", "tags: [private]\n") }), { excludedFolders: ["Private"] });

	it.each([["draft"], ["context"]])("`%s` refuses it before reading, and nothing is sent", async (command) => {
		const dir = vault();
		const before = allFiles(dir);
		const { code, err } = await cli([command, "--vault", dir, "--email", "Private/secret.md"], { key: true });
		expect(code).toBe(2);
		expect(err).toBe("reply-drafter: Private/secret.md: excluded by your settings (an excluded folder or tag), so it is never read or sent to Claude\n");
		expect(mock.messageRequests()).toEqual([]);
		expect(allFiles(dir)).toEqual(before);
	});

	it.each([["./Private/"], ["/Private"], ["Private\\"], ["private"]])("an excluded folder written as %s holds too", async (folder) => {
		const dir = withSettings(writeVault({ "Private/secret.md": EMAIL("Pricing floor") }), { excludedFolders: [folder] });
		const { code, err } = await cli(["draft", "--vault", dir, "--email", "Private/secret.md"], { key: true });
		expect(code).toBe(2);
		expect(err).toMatch(/excluded by your settings/);
		expect(mock.messageRequests()).toEqual([]);
	});

	it("an excluded tag is refused the same way, and a batch over explicit files skips both", async () => {
		const dir = vault();
		expect((await cli(["draft", "--vault", dir, "--email", "Inbox/tagged.md"], { key: true })).code).toBe(2);
		const { loadVault } = await import("../support/vault");
		const v = await loadVault(dir, { excludedFolders: ["Private"] });
		const { draftBatch } = await import("../../src/draft/batch");
		const result = await draftBatch(v.engine(), [fileAt(v.app, "Private/secret.md"), fileAt(v.app, "Inbox/tagged.md")]);
		expect(result.skipped.map((s) => s.reason)).toEqual(["excluded by your settings", "excluded by your settings"]);
		expect(result.drafted).toEqual([]);
		expect(mock.messageRequests()).toEqual([]);
	});
});

describe('`draftsFolder: "../elsewhere"` in `data.json` (a shared vault can carry this)', () => {
	it.each([["../elsewhere", "points outside the vault"], ["Drafts/../../elsewhere", "points outside the vault"], ["/tmp/drafts", "is an absolute path"], ["C:\\drafts", "is an absolute path"], [".obsidian/drafts", "is a hidden folder, which Obsidian does not show"]])(
		"%s is refused before anything is sent, and nothing is written anywhere",
		async (folder, problem) => {
			const parent = tempDir("erd-outside-");
			const dir = path.join(parent, "vault");
			writeVault({ "Inbox/e.md": EMAIL() }, dir);
			withSettings(dir, { draftsFolder: folder });
			const { code, err } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md"], { key: true });
			expect(code).toBe(2);
			expect(err).toContain(`The "Drafts folder" setting "${folder}" ${problem}. Choose a folder inside the vault.`);
			expect(err.split("\n")).toHaveLength(2);
			expect(mock.messageRequests()).toEqual([]);
			expect(allFiles(parent)).toEqual(["vault/.obsidian/plugins/email-reply-drafter/data.json", "vault/Inbox/e.md"]);
		},
	);

	it("the headless host itself never writes outside the vault, whatever path it is given", async () => {
		const parent = tempDir("erd-walls-");
		const dir = path.join(parent, "vault");
		writeVault({ "a.md": "x" }, dir);
		const app = await HeadlessApp.load(dir);
		await expect(app.vault.create("../escaped.md", "x")).rejects.toThrow(/not inside the vault/);
		await expect(app.vault.createFolder("Inbox/../../out")).rejects.toThrow(/not inside the vault/);
		expect(allFiles(parent)).toEqual(["vault/a.md"]);
	});

	it("a folder inside the vault, written with ./ or backslashes, is used", async () => {
		const dir = withSettings(writeVault({ "Inbox/e.md": EMAIL() }), { draftsFolder: "./Drafts\\Replies/" });
		const { code, out } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md"]);
		expect(code).toBe(0);
		expect(out).toBe("Drafts/Replies/e - reply draft.md\n");
	});
});

describe("one unreadable note anywhere in the vault (the CLI's part: an unreadable email exits 2, in one line)", () => {
	it("an email that cannot be read: exit 2, its vault path and the reason, no absolute path", async () => {
		const dir = writeVault({ "Inbox/e.eml": "From: a@b.example\r\nSubject: s\r\n\r\nCan you?\r\n" });
		const abs = path.join(dir, "Inbox", "e.eml");
		const spy = jest.spyOn(HeadlessVault.prototype, "readBinary").mockRejectedValue(Object.assign(new Error(`EACCES: permission denied, open '${abs}'`), { code: "EACCES", path: abs }));
		try {
			const { code, err } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.eml"]);
			expect(code).toBe(2);
			expect(err).toBe("reply-drafter: Inbox/e.eml: cannot be read or written (permission denied)\n");
		} finally {
			spy.mockRestore();
		}
	});

	(process.getuid?.() === 0 ? it.skip : it)("a note without read permission (not testable as root)", async () => {
		const dir = writeVault({ "Inbox/e.md": EMAIL() });
		chmodSync(path.join(dir, "Inbox/e.md"), 0);
		const { code, err } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md"]);
		expect(code).toBe(2);
		expect(err).toMatch(/^reply-drafter: Inbox\/e\.md: .*\n$/);
		expect(err).not.toContain(dir);
	});
});

describe("an email whose file name is NFD (as macOS writes it)", () => {
	it("`triage` lists it, and `draft` finds it by the listed name and by the composed one", async () => {
		const nfd = "Inbox/Re\u0301union Tomás.md".normalize("NFD");
		const dir = writeVault({ [nfd]: EMAIL("Réunion") });
		const triage = await cli(["triage", "--vault", dir, "--json"]);
		const listed = (JSON.parse(triage.out) as Array<{ path: string }>)[0]?.path ?? "";
		expect(listed.normalize("NFC")).toBe("Inbox/Réunion Tomás.md");
		for (const typed of [listed, listed.normalize("NFC"), listed.normalize("NFD")]) {
			const { code, err } = await cli(["draft", "--vault", dir, "--email", typed, "--offline"]);
			expect([code, err]).toEqual([0, ""]);
		}
	});
});

describe("a long CJK subject with a `{{subject}}` file name template", () => {
	it("the name fits in bytes, whole characters only, so the draft is written", async () => {
		const subject = "会議の議事録と来週の予定についてのご確認のお願い".repeat(8);
		const dir = withSettings(writeVault({ "Inbox/e.md": EMAIL(subject) }), { fileNameTemplate: "{{subject}}" });
		const { code, out } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md"]);
		expect(code).toBe(0);
		const name = path.basename(out.trim(), ".md");
		expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
		expect(subject.startsWith(name)).toBe(true);
		expect(existsSync(path.join(dir, out.trim()))).toBe(true);
	});

	it("emoji are never split; reserved names and line breaks are handled", () => {
		const family = "👨‍👩‍👧‍👦";
		const cut = safeFileName(family.repeat(40));
		expect(cut).not.toContain("\uFFFD");
		expect(cut.length % family.length).toBe(0);
		expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_NAME_BYTES);
		expect(safeFileName("CON")).toBe("CON reply");
		expect(safeFileName("nul.tar")).toBe("nul.tar reply");
		expect(safeFileName("Console")).toBe("Console");
		expect(safeFileName("Budget\nQ3\r\nplan")).toBe("Budget Q3 plan");
		expect(safeFileName("evil\u202Egnp.md")).toBe("evilgnp.md");
		expect(safeFileName("trailing dots...")).toBe("trailing dots");
	});
});

describe("a 20 MB `.eml` (here 400 KB: past every limit, within the suite's time)", () => {
	it("the prompt carries a cut message with a marker, the retry after `too long` cuts harder, the note keeps a bounded original", async () => {
		const line = "Line of a very long message that goes on. Can you check row 7?\r\n";
		const body = line.repeat(Math.ceil(400_000 / line.length));
		const dir = writeVault({ "Inbox/big.eml": `From: Big <big@example.com>\r\nTo: me@example.com\r\nSubject: Huge\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}` });
		mock.enqueue({ kind: "error", status: 400, type: "invalid_request_error", message: "prompt is too long: 300000 tokens > 200000 maximum" }, { kind: "stream", chunks: ["Short reply."] });
		const { code, out } = await cli(["draft", "--vault", dir, "--email", "Inbox/big.eml"], { key: true });
		expect(code).toBe(0);
		const [first, second] = mock.messageRequests().map((r) => String((r.body?.messages as Array<{ content: string }>)[0]?.content));
		expect(first?.length).toBeLessThan(PROMPT_MESSAGE_CHARS + 10_000);
		expect(first).toMatch(/more characters of this message were cut: the email is too long to send whole/);
		expect(second?.length).toBeLessThan((first?.length ?? 0) / 2);
		const note = readFileSync(path.join(dir, out.trim()), "utf8");
		expect(note.length).toBeLessThan(NOTE_ORIGINAL_CHARS * 1.2);
		expect(note).toMatch(/more characters are in the original email, not repeated here/);
		expect(readFileSync(path.join(dir, "Inbox/big.eml"), "utf8").length).toBeGreaterThan(400_000);
	});
});

describe("link-back on, an email with flow-style frontmatter", () => {
	const cases: Array<[string, string]> = [
		["flow values in a block mapping", '---\ntype: email\nfrom: "Ana <ana@acme.example>"\nto: [me@northwind.example, "Mei, Chen <mei@acme.example>"]\nsubject: "A subject long enough that a YAML writer would fold it across lines if it were re-serialised, which it must not be"\nmeta: {thread: 42, labels: [a, b]}\n---\nCan you?\n'],
		["a flow mapping as the whole frontmatter", "---\n{type: email, from: ana@acme.example, subject: 'Can you?'}\n---\nCan you?\n"],
		["CRLF line endings and a comment", "---\r\n# imported by the mail plugin\r\ntype: email\r\nfrom: ana@acme.example\r\nsubject: s\r\n---\r\nCan you?\r\n"],
		["a byte-order mark before the frontmatter", "\uFEFF---\ntype: email\nfrom: ana@acme.example\nsubject: s\n---\nCan you?\n"],
		["an earlier reply_draft on one line", '---\ntype: email\nfrom: ana@acme.example\nsubject: s\nreply_draft: "[[old]]"\nstatus: open\n---\nCan you?\n'],
	];
	it.each(cases)("%s: only the reply_draft key is added; every other byte stays", async (_name, text) => {
		const dir = withSettings(writeVault({ "Inbox/e.md": text }), { linkBackToOriginal: true });
		const { code, out, err } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md", "--offline"]);
		expect([code, err]).toEqual([0, ""]);
		const after = readFileSync(path.join(dir, "Inbox/e.md"), "utf8");
		const link = `reply_draft: "[[${out.trim().replace(/\.md$/, "")}]]"`;
		expect(after).toContain(link);
		// Removing our key (and the separator it needed) gives the original bytes back.
		const without = after.replace(new RegExp(`(, )?${link.replace(/[[\]().*+?^$|\\]/g, "\\$&")}(\\r?\\n)?`), (_m, comma?: string, eol?: string) => (comma ? (eol ?? "") : ""));
		if (text.includes("reply_draft")) expect(after.replace(link, 'reply_draft: "[[old]]"')).toBe(text);
		else expect(without).toBe(text);
	});

	it("a byte-order mark stays first, the key goes inside the frontmatter after it (the BOM row itself is issue 14's)", () => {
		const text = "\uFEFF---\ntype: email\nfrom: ana@acme.example\n---\nCan you?\n";
		expect(withFrontmatterKey(text, "[[d]]")).toEqual({ text: '\uFEFF---\ntype: email\nfrom: ana@acme.example\nreply_draft: "[[d]]"\n---\nCan you?\n' });
		expect(withFrontmatterKey("---\n---\nx", "[[d]]")).toEqual({ text: '---\nreply_draft: "[[d]]"\n---\nx' });
		expect(withFrontmatterKey("From: a@b.example\r\n\r\nx", "[[d]]")).toEqual({ text: '---\r\nreply_draft: "[[d]]"\r\n---\r\nFrom: a@b.example\r\n\r\nx' });
	});

	it("shapes that cannot be edited safely are left alone, with the reason", () => {
		expect(withFrontmatterKey("---\nreply_draft:\n  - a\n  - b\n---\nx", "[[d]]")).toEqual({ reason: "its reply_draft property spans several lines" });
		expect(withFrontmatterKey("---\nreply_draft: a\nreply_draft: b\n---\nx", "[[d]]")).toEqual({ reason: "its frontmatter has reply_draft more than once" });
		expect(withFrontmatterKey("---\n- a\n- b\n---\nx", "[[d]]")).toEqual({ reason: "its frontmatter is not valid YAML" });
	});
});

describe("link-back on, an email whose frontmatter is malformed", () => {
	it("the draft is written whole, the email is untouched, the run succeeds with a one-line warning", async () => {
		const text = '---\ntype: email\nfrom: ana@acme.example\nsubject: "unclosed\nbad: [\n---\nFrom: ana@acme.example\nSubject: s\n\nCan you?\n';
		const dir = withSettings(writeVault({ "Inbox/e.md": text }), { linkBackToOriginal: true });
		const { code, out, err } = await cli(["draft", "--vault", dir, "--email", "Inbox/e.md", "--offline"]);
		if (code === 2) {
			// Not readable as an email at all: then nothing was written.
			expect(allFiles(dir).filter((f) => f.includes("reply draft"))).toEqual([]);
			return;
		}
		expect(code).toBe(0);
		expect(err).toBe("reply-drafter: warning: reply_draft was not added to Inbox/e.md: its frontmatter is not valid YAML\n");
		expect(readFileSync(path.join(dir, "Inbox/e.md"), "utf8")).toBe(text);
		const note = readFileSync(path.join(dir, out.trim()), "utf8");
		expect(note).toMatch(/^---\nstatus: draft\n/);
		expect(note).toContain("## Vault Context Used");
	});
});

describe("ANSI escape codes in an `.eml` subject, `context` on a terminal", () => {
	it("nothing that drives a terminal is printed, by context, triage or draft", async () => {
		const evil = "=?UTF-8?B?" + Buffer.from("Invoice \u001b[2J\u001b]0;pwned\u0007\u001b[31mURGENT\u001b[0m \u009b31m\u202Eevil").toString("base64") + "?=";
		const dir = writeVault({ "Inbox/x.eml": `From: "Bad \u001b[5mGuy" <bad@example.com>\r\nTo: me@example.com\r\nSubject: ${evil}\r\n\r\nCan you pay \u001b[8mhidden\u001b[0m today?\r\n` });
		for (const args of [["context", "--email", "Inbox/x.eml"], ["context", "--email", "Inbox/x.eml", "--json"], ["triage"], ["draft", "--email", "Inbox/x.eml"]]) {
			const { code, out, err } = await cli([args[0] ?? "", "--vault", dir, ...args.slice(1)], { tty: true });
			expect(code).toBe(0);
			for (const text of [out, err]) expect(text).not.toMatch(/[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/u);
		}
		const { out } = await cli(["context", "--vault", dir, "--email", "Inbox/x.eml"]);
		expect(out).toMatch(/Subject: +Invoice URGENT 31mevil|Subject: +Invoice URGENT evil/);
	});
});

describe("a fresh clone with no shared folder beside it, tests as the release workflow runs them (`CI=true`); the fixtures part is issue 14's (tests/email/fixtures.vendored.test.ts)", () => {
	it("the release workflow runs the CI script itself (npm ci, build, npm test) before attaching a build", () => {
		const root = path.resolve(__dirname, "../..");
		const release = readFileSync(path.join(root, ".github/workflows/release.yml"), "utf8");
		const ci = readFileSync(path.join(root, ".ci/run"), "utf8");
		expect(release).toMatch(/run: bash \.ci\/run/);
		expect(release).not.toMatch(/run: npm (?:ci|test)\b/);
		expect(ci).toMatch(/npm ci[\s\S]*npm run build[\s\S]*npm test/);
		expect(release.indexOf("bash .ci/run")).toBeLessThan(release.indexOf("gh release create"));
	});
});

describe("CLI paths: `--folder ./Inbox`, an absolute path inside the vault", () => {
	it("./, trailing slashes, backslashes and absolute paths inside the vault all name the same folder and file", async () => {
		const dir = copyExampleVault();
		const expected = (await cli(["triage", "--vault", dir, "--folder", "Inbox", "--json"])).out;
		for (const folder of ["./Inbox", "Inbox/", "./Inbox/.", path.join(dir, "Inbox"), `${dir}/Inbox/`]) {
			const { code, out, err } = await cli(["triage", "--vault", dir, "--folder", folder, "--json"]);
			expect([code, err]).toEqual([0, ""]);
			expect(out).toBe(expected);
		}
		const abs = path.join(dir, "Inbox", "2026-11-21 Re Acme renewal.md");
		const { code, out } = await cli(["draft", "--vault", dir, "--email", abs, "--offline"]);
		expect(code).toBe(0);
		expect(out).toBe("Inbox/2026-11-21 Re Acme renewal - reply draft.md\n");
	});

	it("a path outside the vault is refused, naming it as typed", async () => {
		const dir = copyExampleVault();
		const outside = path.join(path.dirname(dir), "elsewhere", "x.md");
		for (const [flag, value] of [["--email", outside], ["--email", "../x.md"], ["--folder", "Inbox/../../x"]] as const) {
			const { code, err } = await cli([flag === "--email" ? "draft" : "triage", "--vault", dir, flag, value]);
			expect(code).toBe(2);
			expect(err).toMatch(new RegExp(`^reply-drafter: ${flag} ${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not inside the vault`));
			expect(err.split("\n")).toHaveLength(2);
		}
	});
});

// Keep the example vault pristine: a smoke check that nothing above wrote into it.
afterAll(() => {
	const example = path.resolve(__dirname, "../../examples/vault");
	expect(allFiles(example).some((f) => f.includes("reply draft"))).toBe(false);
});
