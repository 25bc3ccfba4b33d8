/**
 * `reply-drafter`: the engine over a vault folder, for automation and tests.
 *
 *   reply-drafter context --vault DIR --email PATH [--json]
 *   reply-drafter draft   --vault DIR --email PATH [--offline] [--model ID] [--json]
 *   reply-drafter triage  --vault DIR [--folder PATH] [--json]
 *
 * Exit codes: 0 success; 2 usage errors, or a file that is missing or not a readable email;
 * 1 any other failure (such as an API error). Messages are one line on stderr; `--debug`
 * adds the stack trace.
 */
import { promises as fs } from "fs";
import * as nodePath from "path";
import { HeadlessApp } from "../host";
import { vaultLoadOptions } from "./loading";
import { normalizePath } from "../../src/host/path";
import { normalizeSettings, type DrafterSettings } from "../../src/settings";
import { VaultIndex } from "../../src/context/vaultIndex";
import { EmailError } from "../../src/email/parse";
import { DraftError, type ClaudeConfig } from "../../src/draft/claude";
import { draftReply, fileAt, prepare, type Engine, type Prepared } from "../../src/draft/engine";
import { triageFolder } from "../../src/draft/batch";
import { estimateCost, PRICES_AS_OF } from "../../src/draft/pricing";

export const PLUGIN_ID = "email-reply-drafter";

export interface CliIO {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	env: Record<string, string | undefined>;
	/** True when stderr is a terminal: the streamed draft is shown as it arrives. */
	stderrIsTTY?: boolean;
	/** Overrides the transport (tests). */
	fetch?: ClaudeConfig["fetch"];
}

class UsageError extends Error {}

const USAGE = `Usage:
  reply-drafter context --vault DIR --email PATH [--json]
  reply-drafter draft   --vault DIR --email PATH [--offline] [--model ID] [--json]
  reply-drafter triage  --vault DIR [--folder PATH] [--json]
Options: --cache-dir DIR keeps the parsed-metadata cache there (default: the platform's cache folder); --no-cache reads every note.
         --debug prints stack traces. ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL are read from the environment.`;

interface Args {
	command: string;
	vault?: string;
	email?: string;
	folder?: string;
	model?: string;
	json: boolean;
	offline: boolean;
	debug: boolean;
	help: boolean;
	"cache-dir"?: string;
	"no-cache"?: boolean;
}

const VALUE_FLAGS = new Set(["--vault", "--email", "--folder", "--model", "--cache-dir"]);
const BOOL_FLAGS = new Set(["--json", "--offline", "--debug", "--help", "-h", "--no-cache"]);

export function parseArgs(argv: string[]): Args {
	const args: Args = { command: "", json: false, offline: false, debug: false, help: false };
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i] ?? "";
		const [flag, inline] = token.startsWith("--") && token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined];
		if (VALUE_FLAGS.has(flag)) {
			const value = inline ?? argv[++i];
			if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
			(args as unknown as Record<string, string>)[flag.slice(2)] = value;
		} else if (BOOL_FLAGS.has(flag)) {
			if (flag === "-h" || flag === "--help") args.help = true;
			else (args as unknown as Record<string, boolean>)[flag.slice(2)] = true;
		} else if (flag.startsWith("-")) {
			throw new UsageError(`unknown option ${flag}`);
		} else if (!args.command) {
			args.command = flag;
		} else {
			throw new UsageError(`unexpected argument "${flag}"`);
		}
	}
	return args;
}

async function loadSettings(vault: string): Promise<DrafterSettings> {
	const file = nodePath.join(vault, ".obsidian", "plugins", PLUGIN_ID, "data.json");
	let text: string;
	try {
		text = await fs.readFile(file, "utf8");
	} catch {
		return normalizeSettings({});
	}
	try {
		return normalizeSettings(JSON.parse(text));
	} catch (error) {
		throw new UsageError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
	}
}

function emailJson(prepared: Prepared): unknown {
	const { email, triage, context, topics } = prepared;
	const addr = (a: { name: string; address: string }): { name: string; address: string } => ({ name: a.name, address: a.address });
	return {
		email: {
			path: email.path,
			from: email.from ? addr(email.from) : null,
			to: email.to.map(addr),
			cc: email.cc.map(addr),
			subject: email.subject,
			date: email.date,
			newestMessage: email.newestMessage,
			quotedHistory: email.quotedHistory,
		},
		needsReply: { needed: triage.needed, reason: triage.reason },
		people: context.people.map((p) => ({ path: p.path, name: p.name, matchedBy: p.matchedBy })),
		organizations: context.organizations.map((o) => ({ path: o.path, name: o.name, matchedBy: o.matchedBy })),
		interactions: context.interactions.map((i) => ({ path: i.path, date: i.date, title: i.title })),
		topics,
		contextMarkdown: context.markdown,
		contextTokens: context.tokens,
	};
}

function contextSummary(prepared: Prepared): string {
	const { email, triage, context, topics } = prepared;
	const lines = [
		`Email:     ${email.path}`,
		`From:      ${email.from ? `${email.from.name} <${email.from.address}>` : "(unknown)"}`,
		`Subject:   ${email.subject}`,
		`Reply:     ${triage.needed ? "needed" : "not needed"}${triage.reason ? ` (${triage.reason})` : ""}`,
		`Topics:    ${topics.join(", ") || "-"}`,
		`People:    ${context.people.map((p) => `${p.name} [${p.matchedBy}]`).join(", ") || "-"}`,
		`Orgs:      ${context.organizations.map((o) => `${o.name} [${o.matchedBy}]`).join(", ") || "-"}`,
		`Recent:    ${context.interactions.map((i) => `${i.date ?? "undated"} ${i.title}`).join("; ") || "-"}`,
		`Context:   ~${context.tokens} tokens (estimate: characters / 4)`,
		"",
		context.markdown,
	];
	return lines.join("\n");
}

async function openEngine(args: Args, io: CliIO): Promise<Engine> {
	if (!args.vault) throw new UsageError("--vault DIR is required");
	const stat = await fs.stat(args.vault).catch(() => null);
	if (!stat?.isDirectory()) throw new UsageError(`${args.vault}: no such vault folder`);
	const settings = await loadSettings(args.vault);
	const loading = vaultLoadOptions({ cacheDir: args["cache-dir"], noCache: args["no-cache"] }, io);
	const app = await HeadlessApp.load(args.vault, loading.options).finally(loading.done);
	const index = new VaultIndex(app, settings);
	index.build();
	await index.enrichInlineFields();
	const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
	const claude: ClaudeConfig | null = apiKey
		? { apiKey, baseURL: io.env.ANTHROPIC_BASE_URL?.trim() || settings.baseUrl || undefined, stream: true, fetch: io.fetch }
		: null;
	return { app, index, settings, claude };
}

function emailPath(args: Args): string {
	if (!args.email) throw new UsageError("--email PATH is required (a path inside the vault)");
	return normalizePath(args.email.replace(/^\.\//, ""));
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
	let args: Args | null = null;
	try {
		args = parseArgs(argv);
		if (args.help || !args.command) {
			(args.help ? io.stdout : io.stderr)(`${USAGE}\n`);
			return args.help ? 0 : 2;
		}
		switch (args.command) {
			case "context": {
				const engine = await openEngine(args, io);
				const prepared = await prepare(engine, fileAt(engine.app, emailPath(args)));
				io.stdout(args.json ? `${JSON.stringify(emailJson(prepared), null, 2)}\n` : `${contextSummary(prepared)}\n`);
				return 0;
			}
			case "draft": {
				const engine = await openEngine(args, io);
				const file = fileAt(engine.app, emailPath(args));
				const prepared = await prepare(engine, file);
				const showStream = !args.json && io.stderrIsTTY === true;
				const outcome = await draftReply(engine, prepared, {
					offline: args.offline,
					model: args.model,
					onText: showStream ? (delta) => io.stderr(delta) : undefined,
				});
				if (showStream) io.stderr("\n");
				if (args.json) {
					io.stdout(`${JSON.stringify({ draftPath: outcome.draftPath, model: outcome.model, offline: outcome.offline, usage: outcome.usage }, null, 2)}\n`);
				} else {
					io.stdout(`${outcome.draftPath}\n`);
					if (!outcome.offline) {
						const cost = estimateCost(outcome.model, outcome.usage);
						io.stderr(
							`${outcome.model}: ${outcome.usage.inputTokens} in, ${outcome.usage.outputTokens} out, ${outcome.usage.cacheReadTokens} cache read, ${outcome.usage.cacheCreationTokens} cache write` +
								`${cost === null ? "" : `, about $${cost.toFixed(4)} (prices of ${PRICES_AS_OF})`}\n`,
						);
					} else if (!engine.claude && !args.offline) {
						io.stderr("No ANTHROPIC_API_KEY: wrote the offline outline.\n");
					}
				}
				return 0;
			}
			case "triage": {
				const engine = await openEngine(args, io);
				const rows = await triageFolder(engine, args.folder ? normalizePath(args.folder) : "");
				const out = rows.map((r) => ({ path: r.path, needsReply: r.needsReply, reason: r.error ? `Not readable: ${r.error}` : r.reason }));
				if (args.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
				else io.stdout(out.map((r) => `${r.needsReply ? "REPLY " : "  -   "} ${r.path}${r.reason ? `  (${r.reason})` : ""}`).join("\n") + (out.length ? "\n" : "No email notes found.\n"));
				return 0;
			}
			default:
				throw new UsageError(`unknown command "${args.command}"`);
		}
	} catch (error) {
		const debug = args?.debug === true;
		if (error instanceof UsageError) {
			io.stderr(`reply-drafter: ${error.message}\n${USAGE}\n`);
			return 2;
		}
		if (error instanceof EmailError) {
			io.stderr(`reply-drafter: ${error.message}\n`);
			if (debug && error.stack) io.stderr(`${error.stack}\n`);
			return 2;
		}
		const message = error instanceof DraftError ? error.message : error instanceof Error ? error.message : String(error);
		io.stderr(`reply-drafter: ${message.split("\n")[0]}\n`);
		if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
		return 1;
	}
}
