/**
 * The built main.js as Obsidian loads it on every platform: ES2021 syntax only, no RegExp
 * lookbehind (iOS before 16.4 rejects the whole script), no `require` of anything but
 * `obsidian` (the plugin runs on mobile: no Node built-ins, no Electron), within the size
 * budget. The build runs here (`node esbuild.config.mjs check`), so a clean clone needs no
 * prior `npm run build`. A probe bundled with the same options runs the shipped SDK and
 * postal-mime code against the local mock server. The command line as built (cli.js, a small
 * entry that loads engine.js through V8's code cache; the SDK and the MIME parser in files
 * beside them) loads each only for a run that needs it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { execFile, execFileSync } from "child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import * as acorn from "acorn";
import fc from "fast-check";
import PostalMime from "postal-mime";
import { createClient as sourceClient, toDraftError as sourceToDraftError } from "../../src/draft/claude";
import { useMockAnthropic } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault, tempDir } from "../support/vault";
import entities from "../../scripts/mail-entities.json";

const BUDGET = 350 * 1024;
const ROOT = path.resolve(__dirname, "../..");
let out = "";
let mainJs = "";

interface Probe {
	createClient: typeof sourceClient;
	requestDraft: typeof import("../../src/draft/claude").requestDraft;
	listActiveModels: typeof import("../../src/draft/claude").listActiveModels;
	toDraftError: typeof import("../../src/draft/claude").toDraftError;
	PostalMime: typeof PostalMime;
}
let probe: Probe;
type Client = Awaited<ReturnType<typeof sourceClient>>;

beforeAll(() => {
	out = mkdtempSync(path.join(tmpdir(), "erd-bundle-"));
	execFileSync(process.execPath, ["esbuild.config.mjs", "check", out], { cwd: ROOT, stdio: "pipe" });
	mainJs = readFileSync(path.join(out, "main.js"), "utf8");
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built probe is a CommonJS file made in beforeAll
	probe = require(path.join(out, "probe.js")) as Probe;
}, 60000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Token {
	type: string;
	value: string;
}

/** main.js's tokens: acorn (ESLint's parser's own) at the declared ECMAScript level. */
function tokens(code: string): Token[] {
	const out: Token[] = [];
	for (const t of acorn.tokenizer(code, { ecmaVersion: 2021 }) as Iterable<acorn.Token & { value: unknown }>) {
		const kind = t.type.label;
		const value = kind === "regexp" ? (t.value as { pattern: string }).pattern : typeof t.value === "string" ? t.value : code.slice(t.start, t.end);
		out.push({ type: kind === "name" ? "Identifier" : kind === "regexp" ? "RegularExpression" : kind === "string" ? "String" : kind === "template" ? "Template" : "Punctuator", value });
	}
	return out;
}

const LOOKBEHIND = /\(\?<[=!]/;

describe("main.js loads on every supported platform", () => {
	it("parses as an ES2021 script (nothing newer than the declared target)", () => {
		expect(() => acorn.parse(mainJs, { ecmaVersion: 2021, sourceType: "script" })).not.toThrow();
		// The check can fail: ES2022 class fields are rejected at this level.
		expect(() => acorn.parse("class A { x = 1 }", { ecmaVersion: 2021, sourceType: "script" })).toThrow();
	});

	it("has no RegExp lookbehind, as a literal or as a string given to RegExp", () => {
		const all = tokens(mainJs);
		const regexes = all.filter((t) => t.type === "RegularExpression");
		expect(regexes.length).toBeGreaterThan(50);
		expect(regexes.filter((t) => LOOKBEHIND.test(t.value)).map((t) => t.value)).toEqual([]);
		const strings = all.filter((t) => t.type === "String" || t.type === "Template");
		expect(strings.filter((t) => LOOKBEHIND.test(t.value)).map((t) => t.value)).toEqual([]);
		// The SDK's path check is in the bundle, rewritten (not dropped).
		expect(mainJs).toContain("can't be safely passed as a path parameter");
	});

	it("requires only obsidian: no Node built-ins or Electron (isDesktopOnly is false)", () => {
		const all = tokens(mainJs);
		const required = new Set<string>();
		all.forEach((t, i) => {
			if (t.type === "Identifier" && t.value === "require" && all[i - 1]?.value !== ".") {
				// Every use of `require` is a call with a string: nothing computed or passed around.
				expect([all[i + 1]?.value, all[i + 2]?.type]).toEqual(["(", "String"]);
				required.add(all[i + 2]?.value ?? "");
			}
		});
		expect([...required]).toEqual(["obsidian"]);
		expect(all.some((t, i) => t.value === "import" && all[i + 1]?.value === "(")).toBe(false);
	});

	it(`is at most ${BUDGET / 1024} KB`, () => {
		const size = statSync(path.join(out, "main.js")).size;
		expect(size).toBeLessThanOrEqual(BUDGET);
	});
});

describe("the rewritten path check behaves as the SDK's own", () => {
	const outcome = async (client: Client, id: string): Promise<string> => {
		try {
			await client.models.retrieve(id);
			return "no request";
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	};
	const seen: string[] = [];
	const fakeFetch = async (url: string | URL | Request): Promise<Response> => {
		seen.push(typeof url === "string" ? url : url instanceof URL ? url.href : url.url);
		return new Response(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "nope" } }), { status: 404, headers: { "content-type": "application/json" } });
	};

	it("on dot segments and random ids", async () => {
		const config = { apiKey: "k", baseURL: "http://127.0.0.1:9", maxRetries: 0, stream: false, fetch: fakeFetch };
		const bundled = await probe.createClient(config);
		const source = await sourceClient(config);
		const fixed = ["..", ".", "%2e%2e", "%2E.", "..;x", ".;", "...", "a..", "..a", "claude-sonnet-5-5"];
		for (const id of fixed) {
			seen.length = 0;
			const a = await outcome(bundled, id);
			const urlA = seen.slice();
			seen.length = 0;
			const b = await outcome(source, id);
			expect([id, a, urlA]).toEqual([id, b, seen]);
		}
		expect(await outcome(bundled, "..")).toMatch(/can't be safely passed as a path parameter/);
		await fc.assert(
			fc.asyncProperty(fc.stringMatching(/^[.%2eE;a/]{1,8}$/), async (id) => {
				expect(await outcome(bundled, id)).toBe(await outcome(source, id));
			}),
			{ numRuns: 200 },
		);
	});
});

describe("the plugin's Claude client ignores the process environment", () => {
	const mock = useMockAnthropic();
	const saved = { ...process.env };
	afterAll(() => {
		process.env = saved;
		cleanupVaults();
	});

	it("with ANTHROPIC_BASE_URL, ANTHROPIC_CUSTOM_HEADERS and ANTHROPIC_LOG set", async () => {
		// A server that must never be asked: nothing listens on port 9 (discard).
		process.env.ANTHROPIC_BASE_URL = "http://127.0.0.1:9";
		process.env.ANTHROPIC_CUSTOM_HEADERS = "X-Leak: from-the-shell\nAuthorization: Bearer stolen";
		process.env.ANTHROPIC_LOG = "debug";
		const logged: unknown[] = [];
		const spies = (["log", "info", "debug", "warn", "error"] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a)));
		try {
			mock.enqueue({ kind: "message", text: "Hello." });
			const prompt = { system: [{ type: "text" as const, text: "You draft replies." }], user: "Hi" };
			const result = await probe.requestDraft({ apiKey: "sk-ant-env-test", baseURL: mock.url, stream: false, maxRetries: 0 }, { model: "claude-sonnet-5-5", maxTokens: 50, prompt } as never);
			expect(result.text).toBe("Hello.");
			const request = mock.messageRequests()[0];
			expect(request).toBeDefined();
			expect(request?.headers["x-leak"]).toBeUndefined();
			expect(request?.headers.authorization).toBe("Bearer sk-ant-env-test");
			// ANTHROPIC_LOG=debug would log every request and response.
			expect(logged).toEqual([]);
			// Streaming too (the desktop path), through the bundled SDK with tracing stubbed out.
			mock.enqueue({ kind: "stream", chunks: ["Hel", "lo ", "again."] });
			const seen: string[] = [];
			const streamed = await probe.requestDraft({ apiKey: "sk-ant-env-test", baseURL: mock.url, stream: true, maxRetries: 0 }, { model: "claude-sonnet-5-5", maxTokens: 50, prompt } as never, { onText: (d) => void seen.push(d) });
			expect([streamed.text, seen]).toEqual(["Hello again.", ["Hel", "lo ", "again."]]);
			expect(mock.messageRequests()[1]?.headers.traceparent).toBeUndefined();
			// No base URL setting: Anthropic's API, not the environment's.
			expect((await probe.createClient({ apiKey: "k", stream: false })).baseURL).toBe("https://api.anthropic.com");
			// The same settings in the source: base URL and log level are explicit there too.
			expect((await sourceClient({ apiKey: "k", stream: false })).baseURL).toBe("https://api.anthropic.com");
			expect((await sourceClient({ apiKey: "k", stream: false })).logLevel).toBe("warn");
			// The control: the SDK as published (unbundled, in Node) does send the shell's
			// headers, which only the build's environment reader stops.
			mock.enqueue({ kind: "message", text: "Hello." });
			const { requestDraft } = await import("../../src/draft/claude");
			await requestDraft({ apiKey: "sk-ant-env-test", baseURL: mock.url, stream: false, maxRetries: 0 }, { model: "claude-sonnet-5-5", maxTokens: 50, prompt } as never);
			expect(mock.messageRequests().at(-1)?.headers["x-leak"]).toBe("from-the-shell");
		} finally {
			for (const s of spies) s.mockRestore();
			delete process.env.ANTHROPIC_BASE_URL;
			delete process.env.ANTHROPIC_CUSTOM_HEADERS;
			delete process.env.ANTHROPIC_LOG;
		}
	});
	it("the built CLI reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, and no other variable", async () => {
		const vault = copyExampleVault();
		mock.enqueue({ kind: "stream", chunks: ["Hi Ana,\n\nYes.\n\nBest,\nJordan"] });
		const env = {
			...process.env,
			ANTHROPIC_API_KEY: "sk-ant-cli-env",
			ANTHROPIC_BASE_URL: mock.url,
			ANTHROPIC_CUSTOM_HEADERS: "X-Leak: from-the-shell",
			ANTHROPIC_LOG: "debug",
		};
		const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
			execFile(process.execPath, [path.join(out, "cli.js"), "draft", "--vault", vault, "--email", "Inbox/2026-11-21 Re Acme renewal.md"], { env }, (error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
			);
		});
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toBe("Inbox/2026-11-21 Re Acme renewal - reply draft.md");
		const request = mock.messageRequests().at(-1);
		expect(request?.headers.authorization).toBe("Bearer sk-ant-cli-env");
		expect(request?.headers["x-leak"]).toBeUndefined();
		// ANTHROPIC_LOG=debug would print the SDK's request log.
		expect(run.stderr).not.toMatch(/\[log_|debug|sending request/i);
	});
});

describe("the SDK modules the build leaves out (scripts/sdk-stubs)", () => {
	const mock = useMockAnthropic();
	const prompt = { system: [{ type: "text" as const, text: "You draft replies." }], user: "Hi" };
	type ClientClass = new (options: Record<string, unknown>) => Client;
	const bundledClass = async (): Promise<ClientClass> => (await probe.createClient({ apiKey: "k", stream: false })).constructor as ClientClass;

	it("are out of main.js, and the build says where each stand-in came from", () => {
		// Strings only the left-out modules have: tracing's span names and attributes, the
		// credential chain's config loading, the error-code classes, the batches endpoint, qs's
		// charset sentinel.
		for (const gone of ["gen_ai.usage.input_tokens", "could not record the streamed message", "oidc-federation-2026-04-01", "cannot_sign_out_self", "external_storage_in_use", "/v1/messages/batches", "%E2%9C%93"]) {
			expect([gone, mainJs.includes(gone)]).toEqual([gone, false]);
		}
		expect(mainJs).toContain("Email Reply Drafter's build left out the SDK's tracing");
	});

	it("API errors keep their status, message and error code, and read the same to the plugin", async () => {
		const body = { type: "error", error: { type: "invalid_request_error", message: "Already a member.", details: { error_code: "already_member" } } };
		const fetch = async (): Promise<Response> => new Response(JSON.stringify(body), { status: 400, headers: { "content-type": "application/json", "request-id": "req_1" } });
		const caught = async (client: Client, toDraftError: typeof sourceToDraftError): Promise<Record<string, unknown>> => {
			try {
				await client.messages.create({ model: "claude-sonnet-5-5", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
			} catch (error) {
				const e = error as { status?: number; message?: string; errorCode?: string; requestID?: string; constructor: { name: string } };
				return { status: e.status, message: e.message, errorCode: e.errorCode, requestID: e.requestID, draft: toDraftError(error, "claude-sonnet-5-5", "k").message };
			}
			return {};
		};
		const config = { apiKey: "k", baseURL: "http://127.0.0.1:9", maxRetries: 0, stream: false, fetch };
		const bundled = await caught(await probe.createClient(config), probe.toDraftError);
		expect(bundled).toMatchObject({ status: 400, errorCode: "already_member", requestID: "req_1" });
		expect(bundled.draft).toContain("Already a member.");
		expect(bundled).toEqual(await caught(await sourceClient(config), sourceToDraftError));
		// The only difference: the class is the status's (the SDK's own has one per error code).
		const bundledError = await (await probe.createClient(config)).messages.create({ model: "m", max_tokens: 5, messages: [] }).catch((e: unknown) => e);
		const sourceError = await (await sourceClient(config)).messages.create({ model: "m", max_tokens: 5, messages: [] }).catch((e: unknown) => e);
		expect([(bundledError as Error).name, (sourceError as Error).name]).toEqual(["BadRequestError", "AlreadyMemberError"]);
		const errors = (await bundledClass()) as unknown as { APIError: new (...a: never[]) => Error; BadRequestError: new (...a: never[]) => Error };
		expect([bundledError instanceof errors.APIError, bundledError instanceof errors.BadRequestError]).toEqual([true, true]);
	});

	it("tracing off: requests streamed and not, a withOptions copy, and model listing with a query", async () => {
		mock.enqueue({ kind: "message", text: "Plain." });
		mock.enqueue({ kind: "stream", chunks: ["Stre", "amed."] });
		const config = { apiKey: "sk-ant-stub", baseURL: mock.url, maxRetries: 0 };
		expect((await probe.requestDraft({ ...config, stream: false }, { model: "claude-sonnet-5-5", maxTokens: 50, prompt } as never)).text).toBe("Plain.");
		expect((await probe.requestDraft({ ...config, stream: true }, { model: "claude-sonnet-5-5", maxTokens: 50, prompt } as never)).text).toBe("Streamed.");
		for (const r of mock.messageRequests().slice(-2)) expect([r.headers.traceparent, r.headers["x-api-key"] ?? r.headers.authorization]).toEqual([undefined, expect.stringContaining("sk-ant-stub")]);
		mock.enqueue({ kind: "models", models: [{ id: "claude-sonnet-5-5", display_name: "Claude Sonnet 5.5" }] });
		const models = await probe.listActiveModels({ ...config, stream: false });
		expect(models.map((m) => m.id)).toEqual(["claude-sonnet-5-5"]);
		expect((await probe.createClient({ apiKey: "k", stream: false })).openTelemetry).toEqual((await sourceClient({ apiKey: "k", stream: false })).openTelemetry);
	});

	it("flat queries are written exactly as the SDK's qs writes them", async () => {
		// The client's own (protected) query writer, which buildURL calls.
		type Writer = { stringifyQuery(q: Record<string, unknown>): string };
		const bundled = (await probe.createClient({ apiKey: "k", stream: false })) as unknown as Writer;
		const source = (await sourceClient({ apiKey: "k", stream: false })) as unknown as Writer;
		const flat = fc.oneof(fc.string({ unit: "grapheme" }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(undefined));
		const query = fc.dictionary(fc.string({ unit: "grapheme", minLength: 1 }), fc.oneof(flat, fc.array(flat)));
		fc.assert(
			fc.property(query, (q) => {
				expect(bundled.stringifyQuery(q)).toBe(source.stringifyQuery(q));
			}),
			{ numRuns: 500 },
		);
		expect(bundled.stringifyQuery({ limit: 100, after_id: "claude-x y" })).toBe("limit=100&after_id=claude-x%20y");
		expect(() => bundled.stringifyQuery({ filter: { a: 1 } })).toThrow(/only flat query values/);
	});

	it("fail loudly if a left-out path is ever taken", async () => {
		const Bundled = await bundledClass();
		// Tracing on: refused when the client is made, not silently untraced.
		expect(() => new Bundled({ apiKey: "k", openTelemetry: { traces: true } })).toThrow(/left out the SDK's tracing/);
		// No API key: the credential chain is not looked for; the request says why it failed.
		expect(() => new Bundled({ apiKey: "k" })).toThrow(/left out the SDK's tracing/);
		const keyless = new Bundled({ baseURL: mock.url, maxRetries: 0, openTelemetry: false });
		await expect(keyless.messages.create({ model: "m", max_tokens: 5, messages: [] })).rejects.toThrow(/no credential chain/);
		expect(() => new Bundled({ credentials: { get: async () => ({ token: "t" }) }, openTelemetry: false })).toThrow(/no OAuth token cache/);
		// The Message Batches API: never a request.
		const before = mock.messageRequests().length;
		expect(() => new Bundled({ apiKey: "k", baseURL: mock.url, openTelemetry: false }).messages.batches.create({ requests: [] })).toThrow(/left out the Message Batches API/);
		expect(mock.messageRequests().length).toBe(before);
	});
});

describe("postal-mime's entity table, cut to what mail uses", () => {
	const mixed = (html: string): string =>
		[
			"From: a@example.com",
			"To: b@example.com",
			"Subject: entities",
			'Content-Type: multipart/mixed; boundary="b"',
			"",
			"--b",
			"Content-Type: text/plain; charset=utf-8",
			"",
			"plain",
			"--b",
			"Content-Type: text/html; charset=utf-8",
			"",
			html,
			"--b--",
			"",
		].join("\r\n");

	it("decodes every HTML 4 entity exactly as the full table does", async () => {
		const html = `<p>${entities.names.map((n) => `[${n}:&${n};]`).join(" ")} [num:&#8217;&#x2014;]</p>`;
		const full = await PostalMime.parse(mixed(html));
		const cut = await probe.PostalMime.parse(mixed(html));
		expect(cut.text).toBe(full.text);
		expect(cut.text).toContain("[eacute:é]");
		expect(cut.text).toContain("[num:’—]");
	});

	it("leaves other names as written, and the table is small", async () => {
		const cut = await probe.PostalMime.parse(mixed("<p>&bigstar; &NewLine;x</p>"));
		expect(cut.text).toContain("&bigstar; &NewLine;x");
		expect(mainJs).not.toContain("&bigstar;");
	});
});

describe("the command line loads the SDK and the MIME parser only for a run that needs them", () => {
	const mock = useMockAnthropic();
	afterAll(cleanupVaults);

	/** Runs the built cli.js and lists the files Node loaded from the build's folder. */
	const run = (args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; loaded: string[] }> => {
		const preload = path.join(out, "report-loaded.cjs");
		const report = `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(path.join(out, "loaded.json"))}, JSON.stringify(Object.keys(require.cache))));\n`;
		writeFileSync(preload, report);
		return new Promise((resolve) => {
			execFile(process.execPath, ["-r", preload, path.join(out, "cli.js"), ...args], { env: { PATH: process.env.PATH ?? "", ...env } }, (error, stdout) => {
				const files = JSON.parse(readFileSync(path.join(out, "loaded.json"), "utf8")) as string[];
				const loaded = files.filter((f) => path.dirname(f) === out && f !== preload).map((f) => path.basename(f));
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, loaded: loaded.sort() });
			});
		});
	};
	const ACME = "Inbox/2026-11-21 Re Acme renewal.md";
	const EML = "Inbox/2026-11-23 Initech connector v3.eml";

	it("engine.js holds neither; each is a file of its own beside it; cli.js is only the entry", () => {
		const engineJs = readFileSync(path.join(out, "engine.js"), "utf8");
		expect(engineJs).not.toMatch(/@anthropic-ai[\\/]sdk|postal-mime[\\/]dist[\\/]\w+[\\/](?:postal-mime|mime-node|html-entities)\.js/);
		// postal-mime's address parser stays: every note's addresses go through it.
		expect(engineJs).toMatch(/postal-mime[\\/]dist[\\/]\w+[\\/]address-parser\.js/);
		const cliJs = readFileSync(path.join(out, "cli.js"), "utf8");
		expect(cliJs).not.toMatch(/src[\\/](?:context|email|draft|note)[\\/]|node_modules/);
		expect(cliJs.length).toBeLessThan(20000);
		expect(readFileSync(path.join(out, "anthropic.js"), "utf8")).toContain("@anthropic-ai/sdk");
		expect(readFileSync(path.join(out, "mime.js"), "utf8")).toMatch(/postal-mime[\\/]dist[\\/]\w+[\\/]mime-node\.js/);
	});

	it("`context` and `triage` of note emails, and an offline draft, load neither", async () => {
		const vault = copyExampleVault();
		const context = await run(["context", "--vault", vault, "--email", ACME, "--json", "--no-cache"], { ANTHROPIC_API_KEY: "sk-ant-unused" });
		expect([context.code, context.loaded]).toEqual([0, ["cli.js", "engine.js"]]);
		expect(JSON.parse(context.stdout)).toMatchObject({ email: { path: ACME }, needsReply: { needed: true } });
		const triage = await run(["triage", "--vault", vault, "--folder", "Meetings", "--json", "--no-cache"]);
		expect([triage.code, triage.loaded]).toEqual([0, ["cli.js", "engine.js"]]);
		const offline = await run(["draft", "--vault", vault, "--email", ACME, "--offline", "--json", "--no-cache"], { ANTHROPIC_API_KEY: "sk-ant-unused" });
		expect([offline.code, offline.loaded]).toEqual([0, ["cli.js", "engine.js"]]);
		expect(mock.messageRequests()).toEqual([]);
	});

	it("an .eml file loads the MIME parser; a draft sent to Claude loads the SDK", async () => {
		const vault = copyExampleVault();
		const eml = await run(["context", "--vault", vault, "--email", EML, "--json", "--no-cache"]);
		expect([eml.code, eml.loaded]).toEqual([0, ["cli.js", "engine.js", "mime.js"]]);
		expect(JSON.parse(eml.stdout)).toMatchObject({ email: { path: EML, from: { address: expect.stringContaining("@") } } });
		mock.enqueue({ kind: "stream", chunks: ["Hi Ana,\n\nYes.\n\nBest,\nJordan"] });
		const draft = await run(["draft", "--vault", vault, "--email", ACME, "--json", "--no-cache"], { ANTHROPIC_API_KEY: "sk-ant-lazy", ANTHROPIC_BASE_URL: mock.url });
		expect([draft.code, draft.loaded]).toEqual([0, ["anthropic.js", "cli.js", "engine.js"]]);
		expect(JSON.parse(draft.stdout)).toMatchObject({ offline: false });
		expect(mock.messageRequests()).toHaveLength(1);
	});

	it("with cli.js and engine.js copied alone, a run that needs a missing part names it; the others run", async () => {
		const alone = tempDir("cli-alone");
		copyFileSync(path.join(out, "cli.js"), path.join(alone, "cli.js"));
		copyFileSync(path.join(out, "engine.js"), path.join(alone, "engine.js"));
		const vault = copyExampleVault();
		const runAlone = (args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
			new Promise((resolve) => {
				execFile(process.execPath, [path.join(alone, "cli.js"), ...args], { env: { PATH: process.env.PATH ?? "", ...env } }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
			});
		const note = await runAlone(["context", "--vault", vault, "--email", ACME, "--json", "--no-cache"]);
		expect(note.code).toBe(0);
		const eml = await runAlone(["context", "--vault", vault, "--email", EML, "--json", "--no-cache"]);
		expect(eml.code).toBe(1);
		expect(eml.stderr).toBe("reply-drafter: the installation is incomplete: mime.js is missing beside the program (reinstall it, or rebuild it with npm run build)\n");
		const requests = mock.messageRequests().length;
		const draft = await runAlone(["draft", "--vault", vault, "--email", ACME, "--json", "--no-cache"], { ANTHROPIC_API_KEY: "sk-ant-alone", ANTHROPIC_BASE_URL: mock.url });
		expect(draft.code).toBe(1);
		expect(draft.stderr).toContain("anthropic.js is missing beside the program");
		expect(draft.stderr).not.toContain("Cannot find module");
		expect(mock.messageRequests()).toHaveLength(requests);
	});

	it("with cli.js alone, every run says engine.js is missing", async () => {
		const alone = tempDir("cli-alone");
		copyFileSync(path.join(out, "cli.js"), path.join(alone, "cli.js"));
		const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
			execFile(process.execPath, [path.join(alone, "cli.js"), "--version"], { env: { PATH: process.env.PATH ?? "" } }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }));
		});
		expect(result).toEqual({ code: 1, stderr: "reply-drafter: the installation is incomplete: engine.js is missing beside the program (reinstall it, or rebuild it with npm run build)\n" });
	});

	describe("the compiled-code cache", () => {
		const runIn = (args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
			new Promise((resolve) => {
				execFile(process.execPath, [path.join(out, "cli.js"), ...args], { env: { PATH: process.env.PATH ?? "", ...env } }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
			});
		const codeFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith("code-")) : []);

		it("is written once by a successful run, beside the vault cache, and the next runs answer the same from it", async () => {
			const vault = copyExampleVault();
			const cacheDir = tempDir("erd-code-cache-");
			const args = ["context", "--vault", vault, "--email", ACME, "--json", "--cache-dir", cacheDir];
			const first = await runIn(args, {});
			expect(first.code).toBe(0);
			const [file] = codeFiles(cacheDir);
			expect(file).toMatch(new RegExp(`^code-[0-9a-f]{16}-${process.arch}-v8-.+\\.cache$`));
			const written = statSync(path.join(cacheDir, file as string)).mtimeMs;
			const second = await runIn(args, {});
			expect([second.code, second.stdout, second.stderr]).toEqual([0, first.stdout, first.stderr]);
			// Covered already: not written again.
			expect(statSync(path.join(cacheDir, file as string)).mtimeMs).toBe(written);
			expect(codeFiles(cacheDir)).toEqual([file]);
		});

		it("a failed run stores nothing; --no-cache neither reads nor writes one", async () => {
			const vault = copyExampleVault();
			const home = tempDir("erd-home-");
			const failed = await runIn(["context", "--vault", vault, "--email", "Inbox/none.md"], { HOME: home });
			expect(failed.code).toBe(2);
			expect(codeFiles(path.join(home, ".cache", "email-reply-drafter"))).toEqual([]);
			const fresh = tempDir("erd-home-");
			const ok = await runIn(["context", "--vault", vault, "--email", ACME, "--no-cache"], { HOME: fresh });
			expect(ok.code).toBe(0);
			expect(existsSync(path.join(fresh, ".cache"))).toBe(false);
			// The same run with the cache: the default folder holds the vault's cache and the code's.
			expect((await runIn(["context", "--vault", vault, "--email", ACME], { HOME: fresh })).code).toBe(0);
			expect(codeFiles(path.join(fresh, ".cache", "email-reply-drafter"))).toHaveLength(1);
		});
	});
});
