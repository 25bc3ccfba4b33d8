// Preloaded into each process the bench times: writes its peak memory and CPU time on exit.
const { writeFileSync } = require("fs");
const out = process.env.BENCH_RUSAGE_FILE;
if (out) {
	process.on("exit", () => {
		const u = process.resourceUsage();
		writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
	});
}
