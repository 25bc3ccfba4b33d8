// `npm run bench`: bundles the bench, the command line and the floor it is measured against
// for Node, and runs the bench with --expose-gc. The plugin's own load is measured on the
// headless host with Obsidian's UI classes stubbed.
import { build } from "esbuild";
import { spawnSync } from "child_process";
import * as path from "path";
import { buildCli } from "./cli-bundle.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const out = (name) => path.join(root, ".bench", name);
const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" };
await build({ ...common, entryPoints: [path.join(root, "bench/bench.ts")], outfile: out("bench.js"), alias: { obsidian: path.join(root, "tests/support/obsidian-stub.ts") } });
// The command line exactly as `npm run build` bundles it, and the floor with the same `yaml`.
await buildCli(out(""), { logLevel: "warning" });
await build({ ...common, entryPoints: [path.join(root, "bench/floor.ts")], outfile: out("floor.js") });
await build({ ...common, entryPoints: [path.join(root, "bench/rusage.ts")], outfile: out("rusage.js") });
const env = { ...process.env, BENCH_CLI: out("cli.js"), BENCH_FLOOR: out("floor.js"), BENCH_RUSAGE: out("rusage.js") };
const result = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", out("bench.js")], { stdio: "inherit", env });
process.exit(result.status ?? 1);
