/**
 * The command line's arguments, read the same way by the program's small entry (cli.js, which
 * needs the command and the cache flags before it loads the engine: ./index.ts) and by the
 * engine (./run.ts).
 */

/** A mistake in how the program was called: exit code 2, with the command's usage. */
export class UsageError extends Error {
	constructor(message: string, readonly command = "") {
		super(message);
	}
}

export interface Args {
	command: string;
	topic?: string;
	vault?: string;
	email?: string;
	folder?: string;
	model?: string;
	concurrency?: string;
	json: boolean;
	offline: boolean;
	force: boolean;
	debug: boolean;
	help: boolean;
	version: boolean;
	"cache-dir"?: string;
	"no-cache"?: boolean;
}

const VALUE_FLAGS = new Set(["--vault", "--email", "--folder", "--model", "--concurrency", "--cache-dir"]);
const BOOL_FLAGS = new Set(["--json", "--offline", "--force", "--debug", "--help", "-h", "--version", "-V", "--no-cache"]);

export function parseArgs(argv: string[]): Args {
	const args: Args = { command: "", json: false, offline: false, force: false, debug: false, help: false, version: false };
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i] ?? "";
		const [flag, inline] = token.startsWith("--") && token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined];
		if (VALUE_FLAGS.has(flag)) {
			const value = inline ?? argv[++i];
			if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`, args.command);
			(args as unknown as Record<string, string>)[flag.slice(2)] = value;
		} else if (BOOL_FLAGS.has(flag)) {
			if (flag === "-h" || flag === "--help") args.help = true;
			else if (flag === "-V" || flag === "--version") args.version = true;
			else (args as unknown as Record<string, boolean>)[flag.slice(2)] = true;
		} else if (flag.startsWith("-") && flag !== "-") {
			throw new UsageError(`unknown option ${flag}`, args.command);
		} else if (!args.command) {
			args.command = flag;
		} else if (args.command === "help" && args.topic === undefined) {
			args.topic = flag;
		} else {
			throw new UsageError(`unexpected argument "${flag}"`, args.command);
		}
	}
	return args;
}
