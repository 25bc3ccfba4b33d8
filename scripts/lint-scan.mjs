/**
 * `npm run lint:scan`: the community directory's scan as it runs (eslint.scan.config.mjs:
 * the plain recommended config over every source file), in one ESLint pass.
 *
 * Fails on any error anywhere (errors fail the directory's review) and on any finding at all
 * in src/, the plugin's source. Node-only code (the headless host and CLI, tests, bench,
 * scripts) is scanned too; its warnings are the ones that say "this is Node code" (Node
 * built-ins and globals, Jest globals, the CLI reading .obsidian), printed as a summary.
 */
import path from "node:path";
import { ESLint } from "eslint";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.scan.config.mjs") });
const results = await eslint.lintFiles(["."]);
const rel = (file) => path.relative(root, file).split(path.sep).join("/");

const failing = results.filter((r) => r.errorCount > 0 || (rel(r.filePath).startsWith("src/") && r.warningCount > 0));
const summary = new Map();
for (const r of results) {
	for (const m of r.messages) {
		const key = `${rel(r.filePath).split("/")[0]}: ${m.ruleId ?? "parse"}${m.severity === 2 ? " (error)" : ""}`;
		summary.set(key, (summary.get(key) ?? 0) + 1);
	}
}
const files = results.length;
const out = (line = "") => process.stdout.write(`${line}\n`);
out(`scan: ${files} files, ${results.reduce((n, r) => n + r.errorCount, 0)} errors, ${results.reduce((n, r) => n + r.warningCount, 0)} warnings`);
for (const [key, count] of [...summary].sort()) out(`  ${String(count).padStart(4)}  ${key}`);
if (failing.length) {
	const formatter = await eslint.loadFormatter("stylish");
	out(await formatter.format(failing));
	out("scan: FAILED (errors, or findings in src/)");
	process.exitCode = 1;
} else {
	out("scan: src/ reports nothing; no errors anywhere");
}
