// `npm run demo`: drafts a reply for an email of the example vault, in a git-ignored copy
// (.demo-vault/, made fresh each run, so the checked-in vault is never written to), and
// prints the draft note. With ANTHROPIC_API_KEY it asks Claude; without, it writes the
// offline outline.
import { buildCli } from "./cli-bundle.mjs";
import { cpSync, readFileSync, rmSync } from "fs";
import { spawnSync } from "child_process";
import * as path from "path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const vault = path.join(root, ".demo-vault");
const email = process.argv[2] ?? "Inbox/2026-11-21 Re Acme renewal.md";

// The command line as `npm run build` writes it (cli.js and the files it loads on first use).
await buildCli(path.join(root, "dist"), { logLevel: "warning" });

rmSync(vault, { recursive: true, force: true });
cpSync(path.join(root, "examples/vault"), vault, { recursive: true });

/** The demo prints its output, as a command-line program does. */
const print = (text) => process.stdout.write(`${text}\n`);

const mode = process.env.ANTHROPIC_API_KEY ? "with Claude" : "offline (set ANTHROPIC_API_KEY to draft with Claude)";
print(`Drafting a reply to "${email}" ${mode}…\n`);
const result = spawnSync(process.execPath, [path.join(root, "dist/cli.js"), "draft", "--vault", vault, "--email", email], { encoding: "utf8", env: process.env });
if (result.status !== 0) {
	process.stderr.write(result.stderr);
	process.exit(result.status ?? 1);
}
if (result.stderr.trim()) process.stderr.write(result.stderr);
const draftPath = result.stdout.trim();
const full = path.join(vault, draftPath);
print(`Draft note written to ${path.relative(root, full)}\n`);
print("─".repeat(72));
print(readFileSync(full, "utf8"));
print("─".repeat(72));
print(`\nOpen ${path.relative(root, vault)}/ as a vault in Obsidian to see it rendered, or try:\n  node dist/cli.js context --vault .demo-vault --email "${email}"\n  node dist/cli.js triage --vault .demo-vault`);
