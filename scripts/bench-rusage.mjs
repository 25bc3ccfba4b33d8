// Preloaded (node --import) into each process the bench times: writes its peak memory and CPU time on exit.
import { writeFileSync } from "node:fs";
import process from "node:process";

const out = process.env.BENCH_RUSAGE_FILE;
if (out) {
	process.on("exit", () => {
		const u = process.resourceUsage();
		writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
	});
}
