/**
 * The API failure matrix, through the CLI end to end against the local server: every case
 * ends within its bound, with a one-line message that says what happened (and which limit
 * was hit), exit 1, no note, and never the key or a raw stream chunk on the terminal.
 */
import { describe, it, expect, afterAll, beforeEach } from "@jest/globals";
import { readdirSync, statSync, writeFileSync, mkdirSync } from "fs";
import * as path from "path";
import { runCli, type CliIO } from "../../headless/cli/run";
import { useMockAnthropic, errorReply, type Reply } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault } from "../support/vault";
import { DEFAULT_LIMITS, requestDraft, retryAfterOf, type ClaudeConfig } from "../../src/draft/claude";
import { buildPrompt } from "../../src/draft/prompt";
import { normalizeSettings } from "../../src/settings";
import { parseEmailNote } from "../../src/email/parse";

const KEY = "sk-ant-adversarial-0123456789-SECRET";
const ACME = "Inbox/2026-11-21 Re Acme renewal.md";
const mock = useMockAnthropic();
afterAll(cleanupVaults);
beforeEach(() => {
	mock.reset();
});

function files(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string): void => {
		for (const name of readdirSync(d)) {
			const p = path.join(d, name);
			if (statSync(p).isDirectory()) walk(p);
			else out.push(p);
		}
	};
	walk(dir);
	return out;
}

/** A vault whose data.json sets short limits, so every case ends within a test's time. */
function vaultWithLimits(limits: Record<string, number>): string {
	const dir = copyExampleVault();
	const folder = path.join(dir, ".obsidian", "plugins", "email-reply-drafter");
	mkdirSync(folder, { recursive: true });
	writeFileSync(path.join(folder, "data.json"), JSON.stringify({ excludedFolders: ["Private"], ...limits }));
	return dir;
}

async function draft(vault: string): Promise<{ code: number; out: string; err: string; ms: number }> {
	let out = "";
	let err = "";
	const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } };
	const started = Date.now();
	const code = await runCli(["draft", "--vault", vault, "--email", ACME], io);
	return { code, out, err, ms: Date.now() - started };
}

const FAST = { requestTimeoutSeconds: 0.5, streamStallSeconds: 0.3, draftDeadlineSeconds: 4, maxRetryAfterSeconds: 1, retries: 2 };

interface Case {
	name: string;
	replies: Reply[];
	message: RegExp;
	/** Upper bound on the whole run, in ms. */
	within: number;
	requests?: number;
	limits?: Record<string, number>;
}

const CASES: Case[] = [
	{ name: "429 with retry-after: 3600 fails at once, naming the wait and the cap", replies: [errorReply(429, "Rate limited", { "retry-after": "3600" })], message: /429.*asks to wait 60 minutes, longer than the 1 s this plugin waits.*Longest retry wait/, within: 2000, requests: 1 },
	{ name: "429 with a short retry-after is retried, then the message says so", replies: [0, 1, 2].map(() => errorReply(429, "Rate limited", { "retry-after": "0.05" })), message: /Rate limited.*429.*even after retrying/, within: 3000, requests: 3 },
	{ name: "a server that never answers fails at the request timeout", replies: [{ kind: "hang" }], message: /did not start answering within 0\.5 s.*Request timeout/, within: 3000, requests: 1 },
	{ name: "a stream that stalls mid-reply fails at the stall timeout", replies: [{ kind: "stream", chunks: ["Hi Ana,", " and then"], hangAfter: 1 }], message: /stalled: nothing arrived for 0\.3 s.*Stall timeout/, within: 3000, requests: 1 },
	{ name: "a stream error event (overloaded) before any text is retried, then named", replies: [0, 1, 2].map(() => ({ kind: "stream" as const, chunks: ["x"], breakAfter: { at: 0, how: "error-event", errorType: "overloaded_error" } })), message: /overloaded \(529\) in the middle of the reply/, within: 3000, requests: 2, limits: { retries: 1 } },
	{ name: "a malformed stream event never prints its raw chunk", replies: [0, 1, 2].map(() => ({ kind: "stream" as const, chunks: ["x"], breakAfter: { at: 0, how: "malformed", data: `{"gateway": "echo ${KEY}\nline two` } })), message: /reply stream from the Anthropic API was malformed/, within: 3000, requests: 2, limits: { retries: 1 } },
	{ name: "a connection reset mid-stream is named and retried while no text arrived", replies: [0, 1, 2].map(() => ({ kind: "stream" as const, chunks: ["x"], breakAfter: { at: 0, how: "reset" } })), message: /cut off in the middle of the reply|Could not reach/, within: 3000, requests: 2, limits: { retries: 1 } },
	{ name: "a reset after text has streamed fails without retrying (a retry would show another reply)", replies: [{ kind: "stream", chunks: ["Hi Ana,", " more"], breakAfter: { at: 1, how: "reset" } }], message: /cut off in the middle of the reply/, within: 3000, requests: 1 },
	{ name: "the deadline per draft ends a run of slow retries", replies: [0, 1, 2, 3].map(() => errorReply(529, "Overloaded", { "retry-after": "0.6" })), message: /No reply within the 1 s allowed per draft.*Draft deadline/, within: 2500, limits: { draftDeadlineSeconds: 1, maxRetryAfterSeconds: 5, retries: 5 } },
];

/** Issue 11's rows, by their "what was tried", and the cases that belong to each. */
const ROWS: Array<[string, RegExp]> = [
	["429 with `retry-after: 3600`; a server that hangs; one that stalls mid-stream", /^(429|a server|a stream that stalls|the deadline)/],
	["stream `error` event; malformed SSE; connection reset mid-stream", /^(a stream error|a malformed|a connection reset|a reset after)/],
];

async function runCase(c: Case): Promise<void> {
	mock.enqueue(...c.replies);
	const vault = vaultWithLimits({ ...FAST, ...c.limits });
	const before = files(vault).length;
	const { code, out, err, ms } = await draft(vault);
	expect(code).toBe(1);
	expect(out).toBe("");
	expect(err).toMatch(c.message);
	expect(err.trimEnd().split("\n")).toHaveLength(1);
	expect(err).not.toContain(KEY);
	expect(err).not.toMatch(/echo|line two/);
	expect(ms).toBeLessThan(c.within);
	if (c.requests !== undefined) expect(mock.messageRequests()).toHaveLength(c.requests);
	expect(files(vault)).toHaveLength(before);
}

describe.each(ROWS)("%s (CLI, local server, each case bounded)", (_row, which) => {
	it.each(CASES.filter((c) => which.test(c.name)).map((c) => [c.name, c] as const))("%s", async (_name, c) => runCase(c));
});

describe("a slow but live stream is not a stall", () => {
	it("pings for longer than the stall timeout, then the reply: drafted", async () => {
		mock.enqueue({ kind: "stream", chunks: ["Thought it through."], pingsFirst: { count: 8, everyMs: 100 } });
		const { code, out, err } = await draft(vaultWithLimits(FAST));
		expect([code, err.includes("stalled")]).toEqual([0, false]);
		expect(out).toMatch(/reply draft\.md\n$/);
	});
});

describe("stream `error` event; malformed SSE; connection reset mid-stream: retried where safe", () => {
	it("a stream error event followed by a good answer: the retry succeeds", async () => {
		mock.enqueue({ kind: "stream" as const, chunks: ["x"], breakAfter: { at: 0, how: "error-event", errorType: "overloaded_error" } }, { kind: "stream", chunks: ["Recovered."] });
		const { code, out } = await draft(vaultWithLimits(FAST));
		expect(code).toBe(0);
		expect(out).toMatch(/reply draft\.md\n$/);
		expect(mock.messageRequests()).toHaveLength(2);
	});
});

describe("the limits' defaults and the buffered transport (Obsidian's requestUrl cannot be aborted)", () => {
	it("defaults are bounded: no wait longer than a minute, three minutes per draft", () => {
		expect(DEFAULT_LIMITS.maxRetryAfterMs).toBeLessThanOrEqual(60_000);
		expect(DEFAULT_LIMITS.deadlineMs).toBeLessThanOrEqual(180_000);
		expect(DEFAULT_LIMITS.stallTimeoutMs).toBeLessThan(DEFAULT_LIMITS.deadlineMs);
	});

	it("retry-after in seconds, milliseconds and as a date", () => {
		const h = (entries: Record<string, string>): { headers: Headers } => ({ headers: new Headers(entries) });
		expect(retryAfterOf(h({ "retry-after": "3600" }))).toBe(3_600_000);
		expect(retryAfterOf(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
		expect(retryAfterOf(h({ "retry-after": new Date(10_000 + 30_000).toUTCString() }), 10_000)).toBeGreaterThan(25_000);
		expect(retryAfterOf(h({}))).toBeNull();
	});

	it("a buffered transport that never settles still ends at the deadline", async () => {
		const never: ClaudeConfig["fetch"] = () => new Promise<Response>(() => undefined);
		const config: ClaudeConfig = { apiKey: KEY, baseURL: mock.url, stream: false, fetch: never, limits: { requestTimeoutMs: 60_000, deadlineMs: 300, retries: 0 } };
		const noContext = {
			promptMarkdown: "",
			audience: { recipients: [], ownOrganization: null, organizations: [], internalOnly: false, text: "" },
			time: { timeZone: "UTC", today: "", todayText: "", emailDateSender: null, emailDateLocal: null, relativeDates: [], text: "" },
		};
		const prompt = buildPrompt(normalizeSettings({}), { email: parseEmailNote("a.md", "---\nfrom: a@b.example\nsubject: Hi\n---\nCan you help?"), mode: "reply", reason: null, asks: [], context: noContext }, "m");
		const started = Date.now();
		await expect(requestDraft(config, { model: "m", maxTokens: 10, prompt })).rejects.toMatchObject({ kind: "timeout", message: expect.stringMatching(/Draft deadline/) as unknown });
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
