// `npm run bench`: bundles bench/bench.ts for Node and runs it with --expose-gc. The plugin's
// own load is measured on the headless host with Obsidian's UI classes stubbed.
import { build } from "esbuild";
import { spawnSync } from "child_process";
import * as path from "path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const out = path.join(root, ".bench/bench.js");
await build({ entryPoints: [path.join(root, "bench/bench.ts")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: out, logLevel: "warning", alias: { obsidian: path.join(root, "tests/support/obsidian-stub.ts") } });
const result = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", out], { stdio: "inherit", env: process.env });
process.exit(result.status ?? 1);
