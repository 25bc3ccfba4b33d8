/** The CLI as a Unix tool: help, version, one-line errors with a hint, progress, counts, terminal safety. */
import { describe, it, expect, afterAll } from "@jest/globals";
import { runCli, VERSION, forTerminal, type CliIO } from "../../headless/cli/run";
import { useMockAnthropic } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault } from "../support/vault";
import manifest from "../../manifest.json";

const mock = useMockAnthropic();
afterAll(cleanupVaults);

async function run(args: string[], extra: Partial<CliIO> = {}): Promise<{ code: number; out: string; err: string }> {
	let out = "";
	let err = "";
	const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, ...extra });
	return { code, out, err };
}

describe("help and version", () => {
	it("--version and -V print the manifest's version", async () => {
		expect(VERSION).toBe(manifest.version);
		for (const flag of ["--version", "-V"]) expect(await run([flag])).toEqual({ code: 0, out: `${manifest.version}\n`, err: "" });
	});

	it("--help lists every command; help COMMAND and COMMAND --help show that command's options", async () => {
		const all = await run(["--help"]);
		expect(all.code).toBe(0);
		for (const c of ["context", "draft", "triage", "batch"]) expect(all.out).toContain(`reply-drafter ${c} --vault DIR`);
		const viaHelp = await run(["help", "draft"]);
		const viaFlag = await run(["draft", "--help"]);
		expect(viaHelp).toEqual(viaFlag);
		expect(viaHelp.out).toMatch(/^Usage: reply-drafter draft --vault DIR --email PATH/);
		expect(viaHelp.out).toContain("--offline");
		expect(viaHelp.err).toBe("");
	});

	it("help for an unknown command is a usage error, in one line", async () => {
		expect(await run(["help", "frob"])).toEqual({ code: 2, out: "", err: "reply-drafter: no command \"frob\"; commands are context, draft, triage, batch (see reply-drafter --help)\n" });
	});
});

describe("errors are one line on stderr, usage errors with a hint to --help", () => {
	it.each([
		[["draft", "--vault", "x", "--bogus"], 'reply-drafter: unknown option --bogus (see reply-drafter draft --help)\n'],
		[["triage", "--folder"], "reply-drafter: --folder needs a value (see reply-drafter triage --help)\n"],
		[["context", "--email", "a.md"], "reply-drafter: --vault DIR is required (see reply-drafter context --help)\n"],
		[["batch", "--vault", ".", "--concurrency", "zero"], "reply-drafter: --concurrency needs a whole number from 1 to 8 (see reply-drafter batch --help)\n"],
	])("%j", async (args, expected) => {
		const dir = copyExampleVault();
		const { code, out, err } = await run(args.map((a) => (a === "." ? dir : a)));
		expect([code, out, err]).toEqual([2, "", expected]);
	});
});

describe("triage", () => {
	it("ends with a count", async () => {
		const dir = copyExampleVault();
		const rows = JSON.parse((await run(["triage", "--vault", dir, "--folder", "Inbox", "--json"])).out) as Array<{ needsReply: boolean }>;
		const needing = rows.filter((r) => r.needsReply).length;
		expect(needing).toBeGreaterThan(1);
		expect(rows.length - needing).toBeGreaterThan(1);
		const { code, out } = await run(["triage", "--vault", dir, "--folder", "Inbox"]);
		expect(code).toBe(0);
		expect(out.trimEnd().split("\n").at(-1)).toBe(`${rows.length} emails: ${needing} need a reply, ${rows.length - needing} do not.`);
		expect(out.trimEnd().split("\n")).toHaveLength(rows.length + 1);
	});

	it("shows progress on stderr after a second, only when stderr is a terminal, and clears it", async () => {
		let clock = 0;
		const now = (): number => (clock += 400);
		const tty = await run(["triage", "--vault", copyExampleVault()], { stderrIsTTY: true, now });
		expect(tty.err).toMatch(new RegExp(`\\rReading emails \\d+/\\d+${String.fromCharCode(27)}\\[K`));
		expect(tty.err.endsWith("\r\u001b[K")).toBe(true);
		expect(tty.out).not.toContain("Reading emails");
		const piped = await run(["triage", "--vault", copyExampleVault()], { stderrIsTTY: false, now });
		expect(piped.err).toBe("");
		const quick = await run(["triage", "--vault", copyExampleVault()], { stderrIsTTY: true, now: () => 0 });
		expect(quick.err).toBe("");
	});
});

describe("batch", () => {
	it("drafts the emails needing a reply, then skips them the second time, with a count", async () => {
		const dir = copyExampleVault();
		const rows = JSON.parse((await run(["triage", "--vault", dir, "--folder", "Inbox", "--json"])).out) as Array<{ needsReply: boolean }>;
		const needing = rows.filter((r) => r.needsReply).length;
		const first = await run(["batch", "--vault", dir, "--folder", "Inbox", "--offline"]);
		expect(first.code).toBe(0);
		expect(first.out.trim().split("\n")).toHaveLength(needing);
		expect(first.err).toBe(`${needing} drafted, ${rows.length - needing} skipped, 0 failed.\n`);
		const second = await run(["batch", "--vault", dir, "--folder", "Inbox", "--offline", "--json"]);
		const json = JSON.parse(second.out) as { drafted: unknown[]; skipped: Array<{ reason: string }> };
		expect(json.drafted).toEqual([]);
		expect(json.skipped.filter((s) => s.reason === "already has a draft")).toHaveLength(needing);
	});
});

describe("terminal safety", () => {
	it("the model's streamed reply cannot drive the terminal either", async () => {
		mock.enqueue({ kind: "stream", chunks: ["Hi \u001b]52;c;cGF3bmVk\u0007Ana,", " \u001b[2Jyes\u009b31m."] });
		const { code, err } = await run(["draft", "--vault", copyExampleVault(), "--email", "Inbox/2026-11-21 Re Acme renewal.md"], { stderrIsTTY: true, env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: mock.url } });
		expect(code).toBe(0);
		expect(err).toContain("Hi Ana, yes.");
		expect(err).not.toMatch(/[^\P{Cc}\n]/u);
	});

	it("forTerminal keeps text, tabs and line breaks and drops escapes, controls and direction overrides", () => {
		expect(forTerminal("a\tb\r\nc\u001b[1;31md\u001b[0m\u0007e\u202Ef\u0000")).toBe("a\tb\ncdef");
	});
});
