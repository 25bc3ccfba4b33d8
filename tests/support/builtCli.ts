import { execFileSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The command line built into `dir` exactly as `npm run build` builds it (scripts/cli-bundle.mjs:
 * cli.js, engine.js and the files loaded on first use); returns `dir`.
 */
export function builtCli(dir: string): string {
	const script = `import(${JSON.stringify(path.join(ROOT, "scripts/cli-bundle.mjs"))}).then((m) => m.buildCli(${JSON.stringify(dir)}, { logLevel: "silent" }))`;
	execFileSync(process.execPath, ["-e", script], { cwd: ROOT, stdio: "pipe" });
	return dir;
}
