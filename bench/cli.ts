/**
 * The command line as a user runs it, against the floor (bench/floor.ts: listing the vault,
 * reading every note and parsing its frontmatter with `yaml`). Each size gets a generated
 * vault; rounds interleave floor, cold run (no metadata cache yet: read, parse, write the
 * cache) and warm run (an unchanged vault, the cache in place), each a fresh Node process
 * running `context --json` for one email. Ratios of medians, so the machine's speed (and
 * whatever else it is doing) matters less than it would for absolute times.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { generateVault } from "./generate";

export interface CliPaths {
	cli: string;
	floor: string;
	rusage: string;
}

interface Sample {
	ms: number;
	cpuMs: number;
	rssMb: number;
}

export interface CliRow {
	notes: number;
	floor: Sample;
	cold: Sample;
	warm: Sample;
	rounds: number;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)] ?? 0;
}

function timed(paths: CliPaths, args: string[], work: string): Sample {
	const usage = path.join(work, "rusage.json");
	const t = performance.now();
	const result = spawnSync(process.execPath, ["--require", paths.rusage, ...args], {
		encoding: "utf8",
		env: { PATH: process.env.PATH ?? "", BENCH_RUSAGE_FILE: usage },
		maxBuffer: 64 * 1024 * 1024,
	});
	const ms = performance.now() - t;
	if (result.status !== 0) throw new Error(`${args.join(" ")} failed (${result.status}): ${result.stderr}`);
	const u = JSON.parse(readFileSync(usage, "utf8")) as { maxRssKb: number; cpuMs: number };
	return { ms, cpuMs: u.cpuMs, rssMb: u.maxRssKb / 1024 };
}

const summarize = (samples: Sample[]): Sample => ({ ms: median(samples.map((s) => s.ms)), cpuMs: median(samples.map((s) => s.cpuMs)), rssMb: median(samples.map((s) => s.rssMb)) });

export function benchCli(paths: CliPaths, total: number, rounds: number, log: (line: string) => void): CliRow {
	const work = mkdtempSync(path.join(tmpdir(), `erd-cli-${total}-`));
	try {
		const dir = path.join(work, "vault");
		const vault = generateVault(dir, total);
		const email = vault.emails[Math.floor(vault.emails.length / 2)] ?? "";
		const context = (cacheDir: string): string[] => [paths.cli, "context", "--vault", dir, "--email", email, "--json", "--cache-dir", cacheDir];
		const warmCache = path.join(work, "warm-cache");
		// The warm runs' cache, written once; the page cache warmed for everyone alike.
		timed(paths, context(warmCache), work);
		timed(paths, [paths.floor, dir], work);
		const floor: Sample[] = [];
		const cold: Sample[] = [];
		const warm: Sample[] = [];
		for (let round = 0; round < rounds; round++) {
			floor.push(timed(paths, [paths.floor, dir], work));
			const coldCache = path.join(work, `cold-cache-${round}`);
			cold.push(timed(paths, context(coldCache), work));
			rmSync(coldCache, { recursive: true, force: true });
			warm.push(timed(paths, context(warmCache), work));
			log(`  round ${round + 1}/${rounds}: floor ${floor[round]?.ms.toFixed(0)} ms, cold ${cold[round]?.ms.toFixed(0)} ms, warm ${warm[round]?.ms.toFixed(0)} ms`);
		}
		return { notes: vault.notes, floor: summarize(floor), cold: summarize(cold), warm: summarize(warm), rounds };
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
