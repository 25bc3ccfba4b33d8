/**
 * Preloaded (`node --require`) into each process the bench times: writes its peak memory and
 * CPU time on exit. Bundled to CommonJS on purpose: an ES module preload (`--import`) starts
 * Node's ES module loader in every process, about 40 ms here, which the floor and a warm run
 * would both carry.
 */
import { writeFileSync } from "fs";

const out = process.env.BENCH_RUSAGE_FILE;
if (out) {
	process.on("exit", () => {
		const u = process.resourceUsage();
		writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
	});
}
