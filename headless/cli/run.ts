/**
 * `reply-drafter`: the engine over a vault folder, for automation and tests.
 *
 *   reply-drafter context --vault DIR --email PATH [--json]
 *   reply-drafter draft   --vault DIR --email PATH [--offline] [--model ID] [--force] [--json]
 *   reply-drafter triage  --vault DIR [--folder PATH] [--json]
 *   reply-drafter batch   --vault DIR [--folder PATH] [--offline] [--concurrency N] [--json]
 *
 * A Unix tool: `--help`, `--version`, `help COMMAND`; results on stdout, everything else on
 * stderr, every error one line (`--debug` adds the stack trace); text from emails and from
 * the model never drives the terminal (control characters are stripped).
 * Exit codes: 0 success; 2 usage errors, or a file that is missing or not a readable email;
 * 3 nothing drafted because the email needs no reply (pass --force); 1 any other failure
 * (such as an API error).
 */
// Synchronous reads: each is one small file, once per run, and fs/promises would be one more
// module for Node to load before a run's first result.
import { readFileSync, realpathSync } from "fs";
import * as nodePath from "path";
import { HeadlessApp, isDirectoryOnDisk } from "../host";
import { vaultLoadOptions } from "./loading";
import { normalizePath } from "../../src/host/path";
import { fileByPath, isFolder, type FileLike } from "../../src/host/slice";
import { normalizeSettings, transportLimits, type DrafterSettings } from "../../src/settings";
import { VaultIndex } from "../../src/context/vaultIndex";
import { EmailError } from "../../src/email/parse";
import { DraftError, type ClaudeConfig } from "../../src/draft/claude";
import { draftReply, NoReplyNeededError, prepare, type Engine, type Prepared } from "../../src/draft/engine";
import { draftBatch, findEmailFiles, triageFolder } from "../../src/draft/batch";
import { estimateCost, PRICES_AS_OF } from "../../src/draft/pricing";
import { SettingsPathError } from "../../src/note/write";
import manifest from "../../manifest.json";
import { parseArgs, UsageError, type Args } from "./args";
import { deviceTimeZone } from "../timeZone";

export const PLUGIN_ID = "email-reply-drafter";
export const VERSION: string = manifest.version;

export interface CliIO {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	env: Record<string, string | undefined>;
	/** True when stderr is a terminal: the streamed draft and progress are shown there. */
	stderrIsTTY?: boolean;
	/** Overrides the transport (tests). */
	fetch?: ClaudeConfig["fetch"];
	/** The clock for progress (tests). */
	now?: () => number;
}

interface CommandHelp {
	synopsis: string;
	summary: string;
	options: string[];
}

const COMMON = [
	"--vault DIR     the vault folder (required)",
	"--json          machine-readable output on stdout",
	"--cache-dir DIR keep the parsed-metadata cache here (default: the platform's cache folder)",
	"--no-cache      read every note; use and write no cache",
	"--debug         add stack traces to error messages",
];

const COMMANDS: Record<string, CommandHelp> = {
	context: {
		synopsis: "reply-drafter context --vault DIR --email PATH [--json]",
		summary: "Show what the vault knows for an email: people, organizations, recent interactions, and the context the model would see.",
		options: ["--email PATH    the email: a .md note or .eml file, vault-relative (or absolute inside the vault)", ...COMMON],
	},
	draft: {
		synopsis: "reply-drafter draft --vault DIR --email PATH [--offline] [--model ID] [--force] [--json]",
		summary: "Draft a reply and write the draft note beside the email (or in the drafts folder); prints its path.",
		options: [
			"--email PATH    the email: a .md note or .eml file, vault-relative (or absolute inside the vault)",
			"--offline       write the offline outline; send nothing",
			"--model ID      the Claude model (default: the settings' model)",
			"--force         draft even when the email needs no reply (a thank-you, a newsletter)",
			...COMMON,
		],
	},
	triage: {
		synopsis: "reply-drafter triage --vault DIR [--folder PATH] [--json]",
		summary: "List every email under a folder (default: the whole vault), whether it needs a reply and why, and a count.",
		options: ["--folder PATH   only emails under this folder", ...COMMON],
	},
	batch: {
		synopsis: "reply-drafter batch --vault DIR [--folder PATH] [--offline] [--concurrency N] [--json]",
		summary: "Draft replies for the emails that need one under a folder, skipping those that already have a draft.",
		options: ["--folder PATH   only emails under this folder", "--offline       write offline outlines; send nothing", "--concurrency N drafts in flight at once (default: the settings' value)", ...COMMON],
	},
};

const HELP = `reply-drafter ${VERSION}: draft replies to the emails in an Obsidian vault with Claude.

Usage:
${Object.values(COMMANDS)
	.map((c) => `  ${c.synopsis}`)
	.join("\n")}
  reply-drafter help COMMAND | --help | --version

Settings come from DIR/.obsidian/plugins/${PLUGIN_ID}/data.json when present. ANTHROPIC_API_KEY
and ANTHROPIC_BASE_URL are read from the environment; without a key, drafts are offline outlines.
Exit codes: 0 success; 2 usage errors, or a file that is missing or not a readable email;
3 nothing drafted because the email needs no reply (draft --force); 1 other failures.
`;

function commandHelp(name: string): string {
	const c = COMMANDS[name];
	if (!c) throw new UsageError(`no command "${name}"; commands are ${Object.keys(COMMANDS).join(", ")}`);
	return `Usage: ${c.synopsis}\n\n${c.summary}\n\nOptions:\n${c.options.map((o) => `  ${o}`).join("\n")}\n`;
}

/** ANSI/VT escape sequences (CSI, OSC, and two-character ones), then any other control character. */
const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
const CSI8 = String.fromCharCode(0x9b);
const ESCAPES = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?|${ESC}[@-Z\\\\-_]|${CSI8}[0-?]*[ -/]*[@-~]`, "g");
const CONTROLS = /[^\P{Cc}\t\n]|[\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text as it may reach a terminal: escape sequences and control characters (a subject can
 * carry them) are dropped, and direction overrides, which can disguise what is shown. Tabs
 * and line breaks stay.
 */
export function forTerminal(text: string): string {
	return text.replace(/\r\n/g, "\n").replace(ESCAPES, "").replace(CONTROLS, "");
}

/** JSON is escaped already below U+0020; the rest a terminal may act on is escaped too, so it stays the same data. */
function jsonForTerminal(value: unknown): string {
	return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One line: line breaks folded into spaces, controls dropped. */
function oneLine(text: string): string {
	return forTerminal(text.replace(/\s*[\r\n]+\s*/g, " ")).trim();
}

async function loadSettings(vault: string): Promise<DrafterSettings> {
	const file = nodePath.join(vault, ".obsidian", "plugins", PLUGIN_ID, "data.json");
	let text: string;
	try {
		text = readFileSync(file, "utf8");
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
		// Your addresses as the run used them: the setting, or worked out from the vault (inferred).
		you: { addresses: prepared.own.addresses, inferred: prepared.own.inferred !== null },
		people: context.people.map((p) => ({ path: p.path, name: p.name, matchedBy: p.matchedBy })),
		organizations: context.organizations.map((o) => ({ path: o.path, name: o.name, matchedBy: o.matchedBy })),
		interactions: context.interactions.map((i) => ({ path: i.path, date: i.date, title: i.title })),
		topics,
		audience: context.audience,
		time: context.time,
		commitments: context.commitments,
		heldBack: context.heldBack,
		contextMarkdown: context.markdown,
		promptMarkdown: context.promptMarkdown,
		contextTokens: context.tokens,
	};
}

/** Your addresses as the run used them, and where they came from. */
function youLine(prepared: Prepared): string {
	const { addresses, inferred } = prepared.own;
	if (inferred) return oneLine(`${inferred.address} (worked out from ${inferred.by === "vault" ? "the vault" : "your name on the email"}: set "Your addresses" in the plugin's settings to be sure)`);
	return addresses.length ? oneLine(addresses.join(", ")) : `not known ("Your addresses" is not set, and the vault does not show which is yours)`;
}

function contextSummary(prepared: Prepared): string {
	const { email, triage, context, topics } = prepared;
	// Single-line fields stay single-line, whatever the email put in them.
	const lines = [
		`Email:     ${oneLine(email.path)}`,
		`From:      ${email.from ? oneLine(`${email.from.name} <${email.from.address}>`) : "(unknown)"}`,
		`Subject:   ${oneLine(email.subject)}`,
		`Reply:     ${triage.needed ? "needed" : "not needed"}${triage.reason ? ` (${oneLine(triage.reason)})` : ""}`,
		`Topics:    ${oneLine(topics.join(", ")) || "-"}`,
		`People:    ${oneLine(context.people.map((p) => `${p.name} [${p.matchedBy}]`).join(", ")) || "-"}`,
		`Orgs:      ${oneLine(context.organizations.map((o) => `${o.name} [${o.matchedBy}]`).join(", ")) || "-"}`,
		`Recent:    ${oneLine(context.interactions.map((i) => `${i.date ?? "undated"} ${i.title}`).join("; ")) || "-"}`,
		`Audience:  ${oneLine(context.audience.text)}`,
		`You:       ${youLine(prepared)}`,
		`Time:      ${context.time.text.split("\n").map(oneLine).join("\n           ")}`,
		`Context:   ~${context.tokens} tokens (estimate: characters / 4)`,
		...(context.heldBack.length ? [`Held back: ${oneLine(context.heldBack.map((h) => `${h.name} (${h.reason})`).join("; "))}`] : []),
		"",
		context.markdown,
	];
	return lines.join("\n");
}

async function openEngine(args: Args, io: CliIO): Promise<Engine & { app: HeadlessApp }> {
	if (!args.vault) throw new UsageError("--vault DIR is required", args.command);
	if (!isDirectoryOnDisk(args.vault)) throw new UsageError(`${args.vault}: no such vault folder`, args.command);
	const settings = await loadSettings(args.vault);
	const loading = vaultLoadOptions({ cacheDir: args["cache-dir"], noCache: args["no-cache"] }, io, progressLine(io, "Reading the vault"));
	const app = await HeadlessApp.load(args.vault, { ...loading.options, deferCacheSave: true }).finally(loading.done);
	const index = new VaultIndex(app, settings);
	// Unchanged notes keep the records an earlier run stored; the cache then stores this index's.
	index.build(app.indexSeed(index.optionsKey));
	await index.enrichInlineFields();
	app.saveCache(index);
	const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
	// Node's own fetch, passed explicitly so the transport can watch the stream's bytes (stall timeout).
	const nodeFetch: NonNullable<ClaudeConfig["fetch"]> = (input, init) => fetch(input, init);
	const claude: ClaudeConfig | null = apiKey
		? { apiKey, baseURL: io.env.ANTHROPIC_BASE_URL?.trim() || settings.baseUrl || undefined, stream: true, fetch: io.fetch ?? nodeFetch, limits: transportLimits(settings) }
		: null;
	// The process's own TZ (not io.env's): Date's local clock follows it.
	return { app, index, settings, claude, deviceTimeZone: () => deviceTimeZone(process.env) };
}

/**
 * A path given on the command line, as Obsidian would match it: vault-relative with `/`,
 * `./` and `\` allowed, an absolute path inside the vault, and Unicode compared in NFC (macOS
 * writes names decomposed; a typed or pasted name is usually composed). Null when nothing
 * matches; an error when the path leaves the vault.
 */
export async function vaultPathOf(vaultDir: string, input: string, flag: string): Promise<string> {
	let rel = input.trim();
	if (nodePath.isAbsolute(rel)) {
		const candidates = [nodePath.relative(nodePath.resolve(vaultDir), nodePath.resolve(rel))];
		const realOrNull = (p: string): string | null => {
			try {
				return realpathSync(p);
			} catch {
				return null;
			}
		};
		const real = realOrNull(vaultDir);
		const target = realOrNull(rel);
		if (real) candidates.push(nodePath.relative(real, target ?? nodePath.resolve(rel)));
		const inside = candidates.find((c) => !c.startsWith("..") && !nodePath.isAbsolute(c));
		if (inside === undefined) throw new UsageError(`${flag} ${oneLine(input)}: not inside the vault ${oneLine(vaultDir)}`);
		rel = inside;
	}
	const joined = nodePath.posix.normalize(rel.replace(/\\/g, "/"));
	if (joined === ".." || joined.startsWith("../")) throw new UsageError(`${flag} ${oneLine(input)}: not inside the vault`);
	return normalizePath(joined === "." ? "" : joined);
}

function findFile(app: HeadlessApp, path: string): FileLike | null {
	const exact = fileByPath(app.vault, path);
	if (exact) return exact;
	const nfc = path.normalize("NFC");
	return app.vault.getFiles().find((f) => f.path.normalize("NFC") === nfc) ?? null;
}

function findFolder(app: HeadlessApp, path: string): string | null {
	if (path === "/" || path === "") return "";
	if (isFolder(app.vault.getAbstractFileByPath(path))) return path;
	const nfc = path.normalize("NFC");
	for (const f of app.vault.getFiles()) {
		for (let p = f.parent; p && !p.isRoot(); p = p.parent) if (p.path.normalize("NFC") === nfc) return p.path;
	}
	return null;
}

async function emailFile(app: HeadlessApp, args: Args): Promise<FileLike> {
	if (!args.email) throw new UsageError("--email PATH is required (a path inside the vault)", args.command);
	const path = await vaultPathOf(args.vault ?? ".", args.email, "--email");
	const file = findFile(app, path);
	if (!file) throw new EmailError(oneLine(path), "no such file in the vault");
	return file;
}

async function folderOf(app: HeadlessApp, args: Args): Promise<string> {
	if (args.folder === undefined) return "";
	const path = await vaultPathOf(args.vault ?? ".", args.folder, "--folder");
	const folder = findFolder(app, path);
	if (folder === null) throw new EmailError(oneLine(path), "no such folder in the vault");
	return folder;
}

/**
 * Progress for work that takes more than a second, on stderr when it is a terminal: one line
 * redrawn in place, cleared at the end.
 */
function progressLine(io: CliIO, label: string): { update: (done: number, total: number) => void; end: () => void } {
	const now = io.now ?? Date.now;
	const started = now();
	let last = 0;
	let shown = false;
	return {
		update(done, total) {
			if (!io.stderrIsTTY) return;
			const t = now();
			if (t - started < 1000 || (t - last < 100 && done < total)) return;
			last = t;
			shown = true;
			io.stderr(`\r${label} ${done}/${total}${ESC}[K`);
		},
		end() {
			if (shown) io.stderr(`\r${ESC}[K`);
		},
	};
}

/** File-system failures as a person reads them; absolute paths become vault-relative. */
const FS_PROBLEMS: Record<string, string> = {
	EACCES: "permission denied",
	EPERM: "permission denied",
	ENOENT: "no such file",
	EISDIR: "is a folder",
	EIO: "input/output error",
	ELOOP: "too many symbolic links",
	ENAMETOOLONG: "name too long",
	EMFILE: "too many open files",
	ENOSPC: "no space left on the disk",
	EROFS: "read-only file system",
};

function fsFailure(error: unknown, vaultDir: string | undefined): { path: string | null; problem: string } | null {
	const e = error as { code?: unknown; path?: unknown } | null;
	if (!e || typeof e.code !== "string" || !(e.code in FS_PROBLEMS)) return null;
	let path: string | null = null;
	if (typeof e.path === "string") {
		const rel = vaultDir ? nodePath.relative(nodePath.resolve(vaultDir), e.path) : e.path;
		path = rel && !rel.startsWith("..") && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join("/") : e.path;
	}
	return { path, problem: FS_PROBLEMS[e.code] ?? e.code };
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
	let args: Args | null = null;
	let emailPath: string | null = null;
	const out = (text: string): void => io.stdout(forTerminal(text));
	const err = (text: string): void => io.stderr(forTerminal(text));
	try {
		args = parseArgs(argv);
		if (args.version) {
			out(`${VERSION}\n`);
			return 0;
		}
		if (args.command === "help") {
			out(args.topic ? commandHelp(args.topic) : HELP);
			return 0;
		}
		if (args.help) {
			out(args.command && COMMANDS[args.command] ? commandHelp(args.command) : HELP);
			return 0;
		}
		if (!args.command) throw new UsageError(`a command is needed: ${Object.keys(COMMANDS).join(", ")}`);
		switch (args.command) {
			case "context": {
				const engine = await openEngine(args, io);
				const file = await emailFile(engine.app, args);
				emailPath = file.path;
				const prepared = await prepare(engine, file);
				out(args.json ? `${jsonForTerminal(emailJson(prepared))}\n` : `${contextSummary(prepared)}\n`);
				return 0;
			}
			case "draft": {
				const engine = await openEngine(args, io);
				const file = await emailFile(engine.app, args);
				emailPath = file.path;
				const prepared = await prepare(engine, file);
				const showStream = !args.json && io.stderrIsTTY === true;
				const outcome = await draftReply(engine, prepared, {
					offline: args.offline,
					model: args.model,
					force: args.force,
					onText: showStream ? (delta) => err(delta) : undefined,
				});
				if (showStream) err("\n");
				if (outcome.linkBackSkipped) err(`reply-drafter: warning: reply_draft was not added to ${oneLine(file.path)}: ${oneLine(outcome.linkBackSkipped)}\n`);
				if (args.json) {
					out(`${jsonForTerminal({ draftPath: outcome.draftPath, model: outcome.model, offline: outcome.offline, usage: outcome.usage, status: outcome.status })}\n`);
				} else {
					out(`${outcome.draftPath}\n`);
					if (outcome.status === "incomplete") err("reply-drafter: warning: the reply was cut off at the output limit; the draft is marked incomplete.\n");
					if (!outcome.offline) {
						const cost = estimateCost(outcome.model, outcome.usage);
						err(
							`${outcome.model}: ${outcome.usage.inputTokens} in, ${outcome.usage.outputTokens} out, ${outcome.usage.cacheReadTokens} cache read, ${outcome.usage.cacheCreationTokens} cache write` +
								`${cost === null ? "" : `, about $${cost.toFixed(4)} (prices of ${PRICES_AS_OF})`}\n`,
						);
					} else if (!engine.claude && !args.offline) {
						err("No ANTHROPIC_API_KEY: wrote the offline outline.\n");
					}
				}
				return 0;
			}
			case "triage": {
				const engine = await openEngine(args, io);
				const folder = await folderOf(engine.app, args);
				const progress = progressLine(io, "Reading emails");
				const rows = await triageFolder(engine, folder, (done, total) => progress.update(done, total));
				progress.end();
				const rowsOut = rows.map((r) => ({ path: r.path, needsReply: r.needsReply, reason: r.error ? `Not readable: ${r.error}` : r.reason }));
				if (args.json) {
					out(`${jsonForTerminal(rowsOut)}\n`);
					return 0;
				}
				for (const r of rowsOut) out(`${r.needsReply ? "REPLY " : "  -   "} ${oneLine(r.path)}${r.reason ? `  (${oneLine(r.reason)})` : ""}\n`);
				const needing = rows.filter((r) => r.needsReply).length;
				const unreadable = rows.filter((r) => r.error).length;
				out(
					rows.length
						? `${rows.length} email${rows.length === 1 ? "" : "s"}: ${needing} need${needing === 1 ? "s" : ""} a reply, ${rows.length - needing - unreadable} do${rows.length - needing - unreadable === 1 ? "es" : ""} not${unreadable ? `, ${unreadable} not readable` : ""}.\n`
						: "No email notes found.\n",
				);
				return 0;
			}
			case "batch": {
				const engine = await openEngine(args, io);
				const folder = await folderOf(engine.app, args);
				const concurrency = args.concurrency === undefined ? undefined : Number(args.concurrency);
				if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 8)) throw new UsageError("--concurrency needs a whole number from 1 to 8", args.command);
				const files = await findEmailFiles(engine, folder);
				const progress = progressLine(io, "Drafting");
				const result = await draftBatch(engine, files, { offline: args.offline, concurrency, onProgress: (p) => progress.update(p.done, p.total) });
				progress.end();
				const summary = { drafted: result.drafted.map((d) => ({ path: d.prepared.file.path, draftPath: d.draftPath })), skipped: result.skipped, failed: result.failed };
				if (args.json) out(`${jsonForTerminal(summary)}\n`);
				else {
					for (const d of summary.drafted) out(`${oneLine(d.draftPath)}\n`);
					for (const f of result.failed) err(`reply-drafter: ${oneLine(f.path)}: ${oneLine(f.error)}\n`);
					err(`${result.drafted.length} drafted, ${result.skipped.length} skipped, ${result.failed.length} failed.\n`);
				}
				return result.failed.length ? 1 : 0;
			}
			default:
				throw new UsageError(`unknown command "${args.command}"`);
		}
	} catch (error) {
		const debug = args?.debug === true;
		const stack = (): void => {
			if (debug && error instanceof Error && error.stack) err(`${error.stack}\n`);
		};
		if (error instanceof UsageError) {
			const cmd = error.command && COMMANDS[error.command] ? ` ${error.command}` : "";
			err(`reply-drafter: ${oneLine(error.message)} (see reply-drafter${cmd} --help)\n`);
			return 2;
		}
		if (error instanceof NoReplyNeededError) {
			err(`reply-drafter: ${oneLine(error.message)} Nothing drafted; pass --force to draft a reply anyway.\n`);
			return 3;
		}
		if (error instanceof EmailError || error instanceof SettingsPathError) {
			err(`reply-drafter: ${oneLine(error.message)}\n`);
			stack();
			return 2;
		}
		const failure = fsFailure(error, args?.vault);
		if (failure && emailPath === null && args?.email && args.vault) emailPath = await vaultPathOf(args.vault, args.email, "--email").catch(() => null);
		if (failure) {
			err(`reply-drafter: ${failure.path ? `${oneLine(failure.path)}: ` : ""}cannot be read or written (${failure.problem})\n`);
			stack();
			// The email itself unreadable is a bad input (2); anything else is a failure (1).
			return failure.path !== null && emailPath !== null && failure.path.normalize("NFC") === emailPath.normalize("NFC") ? 2 : 1;
		}
		const message = error instanceof DraftError ? error.message : error instanceof Error ? error.message : String(error);
		const root = args?.vault ? nodePath.resolve(args.vault) : null;
		err(`reply-drafter: ${oneLine(root ? message.split(root + nodePath.sep).join("").split(root).join(".") : message)}\n`);
		stack();
		return 1;
	}
}
