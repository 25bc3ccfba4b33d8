/**
 * `npm run bench`: index build, per-email resolution, incremental update and heap on
 * synthetic vaults of 1,000, 10,000 and 50,000 notes, plus the headless host's first parse;
 * then the command line, cold and warm, against the floor of reading the vault, at 20,000 and
 * 100,000 notes (bench/cli.ts). Figures are medians with the spread (min–max) over repeated
 * runs; exits non-zero when a goal is missed.
 */
import { rmSync, mkdtempSync } from "fs";
import { tmpdir, cpus, totalmem } from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { HeadlessApp, type TFile } from "../headless/host";
import { VaultIndex } from "../src/context/vaultIndex";
import { resolveEmail } from "../src/context/resolve";
import { selectInteractions } from "../src/context/build";
import { parseEmailNote, type ParsedEmail } from "../src/email/parse";
import { normalizeSettings } from "../src/settings";
import { generateVault } from "./generate";
import EmailReplyDrafterPlugin from "../src/main";
import { benchCli, type CliRow } from "./cli";
import { tokenRatio, type TokenRatio } from "./tokenRatio";

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
	// Several passes: the first may leave garbage from earlier vault loads for the next.
	for (let i = 0; i < 3; i++) gc?.();
	return process.memoryUsage().heapUsed;
};

function stats(samples: number[]): { median: number; min: number; max: number } {
	const s = [...samples].sort((a, b) => a - b);
	return { median: s[Math.floor(s.length / 2)] ?? 0, min: s[0] ?? 0, max: s[s.length - 1] ?? 0 };
}

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
const fmt = (x: { median: number; min: number; max: number }): string => `${ms(x.median)} ms (${ms(x.min)}–${ms(x.max)})`;

/** The plugin inside a stand-in for Obsidian: onload, then the layout-ready index build. */
async function pluginLoad(app: HeadlessApp): Promise<{ onload: number; layoutReady: number; indexReady: number }> {
	const ready: Array<() => void> = [];
	const workspace = { onLayoutReady: (cb: () => void) => void ready.push(cb), on: () => ({}), getActiveFile: () => null };
	const fake = Object.assign(Object.create(app) as HeadlessApp, { workspace, secretStorage: { getSecret: () => null } });
	const plugin = new EmailReplyDrafterPlugin(fake as never, {} as never);
	const t0 = performance.now();
	await plugin.onload();
	const t1 = performance.now();
	for (const cb of ready) cb();
	const t2 = performance.now();
	while (!plugin.controller.index.isBuilt) await new Promise((r) => setTimeout(r, 0));
	const t3 = performance.now();
	return { onload: t1 - t0, layoutReady: t2 - t1, indexReady: t3 - t1 };
}

interface Row {
	notes: number;
	firstParse: string;
	firstBuild: number;
	build: string;
	resolve: string;
	matched: number;
	update: string;
	heapMb: string;
	indexMb: string;
	onload: string;
	layoutReady: string;
	indexReady: string;
	buildMedian: number;
	resolveMedian: number;
	updateMedian: number;
}

async function benchSize(total: number): Promise<Row> {
	const dir = mkdtempSync(path.join(tmpdir(), `erd-bench-${total}-`));
	try {
		const vault = generateVault(dir, total);
		const settings = normalizeSettings({ userAddresses: ["me@northwind.example"] });

		const parseSamples: number[] = [];
		for (let i = 0; i < (total >= 50000 ? 3 : 5); i++) {
			const t = performance.now();
			await HeadlessApp.load(dir);
			parseSamples.push(performance.now() - t);
		}
		// A fresh load for the index measurements, with the timing runs' garbage collected first.
		heap();
		const app = await HeadlessApp.load(dir);

		const before = heap();
		const index = new VaultIndex(app, settings);
		// The first build meets every frontmatter object for the first time, as in Obsidian after
		// startup; later builds (settings changes) reuse the per-object property groups.
		const firstStart = performance.now();
		index.build();
		const firstBuild = performance.now() - firstStart;
		const buildSamples: number[] = [];
		for (let i = 0; i < 10; i++) {
			const t = performance.now();
			index.build();
			buildSamples.push(performance.now() - t);
		}
		await index.enrichInlineFields();
		const indexBytes = heap() - before;

		// Per-email resolution: matching and choosing interactions, without reading card notes.
		const emails: ParsedEmail[] = [];
		for (const p of vault.emails.slice(0, 200)) emails.push(parseEmailNote(p, await app.vault.cachedRead(app.vault.getAbstractFileByPath(p) as TFile)));
		const resolveSamples: number[] = [];
		let matched = 0;
		for (let round = 0; round < 5; round++) {
			for (const email of emails) {
				const t = performance.now();
				const r = resolveEmail(index, email, settings.userAddresses);
				const matches = [...r.people, ...r.organizations];
				const chosen = selectInteractions(app, index, email, matches, { ownAddresses: settings.userAddresses, tokenBudget: settings.contextTokenBudget });
				resolveSamples.push(performance.now() - t);
				if (round === 0) matched += matches.length + chosen.length;
			}
		}

		// Incremental update: one person note changes (its text and metadata already parsed).
		const person = app.vault.getAbstractFileByPath(vault.people[3]?.path ?? "") as TFile;
		const cache = app.metadataCache.getFileCache(person);
		const text = await app.vault.cachedRead(person);
		const updateSamples: number[] = [];
		for (let i = 0; i < 200; i++) {
			const t = performance.now();
			index.onChanged(person, text, cache);
			updateSamples.push(performance.now() - t);
		}

		const loads: Array<{ onload: number; layoutReady: number; indexReady: number }> = [];
		for (let i = 0; i < 5; i++) loads.push(await pluginLoad(app));
		const b = stats(buildSamples);
		const r = stats(resolveSamples);
		const u = stats(updateSamples);
		return {
			notes: vault.notes,
			firstParse: fmt(stats(parseSamples)),
			firstBuild,
			build: fmt(b),
			resolve: fmt(r),
			matched: Math.round(matched / emails.length),
			update: fmt(u),
			heapMb: (heap() / 1048576).toFixed(0),
			onload: fmt(stats(loads.map((l) => l.onload))),
			layoutReady: fmt(stats(loads.map((l) => l.layoutReady))),
			indexReady: fmt(stats(loads.map((l) => l.indexReady))),
			indexMb: (indexBytes / 1048576).toFixed(1),
			buildMedian: b.median,
			resolveMedian: r.median,
			updateMedian: u.median,
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The bench prints its report, as a command-line program does. */
const print = (line = ""): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const sizes = (process.env.BENCH_SIZES ?? "1000,10000,50000").split(",").map(Number);
	print(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${gc ? "" : " (run with --expose-gc for exact heap figures)"}\n`);
	const rows: Row[] = [];
	for (const size of sizes) {
		process.stdout.write(`generating and measuring ${size} notes…\n`);
		rows.push(await benchSize(size));
	}
	print("\n| notes | host first parse | first index build | index rebuild | per-email resolution | matched notes per email | incremental update | index heap | total heap |");
	print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
	for (const r of rows) print(`| ${r.notes.toLocaleString("en")} | ${r.firstParse} | ${ms(r.firstBuild)} ms | ${r.build} | ${r.resolve} | ${r.matched} | ${r.update} | ${r.indexMb} MB | ${r.heapMb} MB |`);
	print("\n| notes | plugin onload | longest block at layout ready (one slice of 2,000 notes) | index ready (built in slices) |");
	print("|---:|---:|---:|---:|");
	for (const r of rows) print(`| ${r.notes.toLocaleString("en")} | ${r.onload} | ${r.layoutReady} | ${r.indexReady} |`);

	const targets: Array<readonly [string, boolean]> = [];
	// Compactness (issue 9): prompt-card tokens against the raw notes they draw on.
	const ratioDir = mkdtempSync(path.join(tmpdir(), "erd-bench-ratio-"));
	let ratios: Array<[string, TokenRatio]> = [];
	try {
		const generated = generateVault(ratioDir, 1000);
		ratios = [
			["bench vault (1,000 notes, 200 emails)", await tokenRatio(ratioDir, generated.emails.slice(0, 200), { userAddresses: ["me@northwind.example"] })],
			["example vault (every email)", await tokenRatio(path.resolve(__dirname, "../examples/vault"), null)],
		];
	} finally {
		rmSync(ratioDir, { recursive: true, force: true });
	}
	print("\n| vault | emails | context tokens (prompt cards) | raw notes they draw on | ratio |");
	print("|---|---:|---:|---:|---:|");
	for (const [name, r] of ratios) print(`| ${name} | ${r.emails} | ${r.contextTokens.toLocaleString("en")} | ${r.rawTokens.toLocaleString("en")} | ${(r.ratio * 100).toFixed(0)}% |`);

	const largest = rows[rows.length - 1];
	const smallest = rows[0];
	if (largest && smallest) {
		targets.push(
			[`resolution ≤ 5 ms at ${largest.notes}`, largest.resolveMedian <= 5],
			[`index build ≤ 1 s at ${largest.notes} (first build ${ms(largest.firstBuild)} ms)`, Math.max(largest.buildMedian, largest.firstBuild) <= 1000],
			[`update ≤ 1 ms at ${largest.notes}`, largest.updateMedian <= 1],
			[`resolution does not grow with vault size (${ms(smallest.resolveMedian)} → ${ms(largest.resolveMedian)} ms, ×${(largest.notes / smallest.notes).toFixed(0)} notes)`, largest.resolveMedian <= Math.max(smallest.resolveMedian * 3, 0.5)],
		);
		for (const [name, r] of ratios) print(`${r.ratio <= 0.5 ? "PASS" : "MISS"}  context ≤ 50% of the raw notes on the ${name.replace(/ \(.*\)$/, "")} (${(r.ratio * 100).toFixed(0)}%; reported, not gated)`);
	}

	const cli = { cli: process.env.BENCH_CLI, floor: process.env.BENCH_FLOOR, rusage: process.env.BENCH_RUSAGE };
	const cliSizes = (process.env.BENCH_CLI_SIZES ?? "20000,100000").split(",").filter(Boolean).map(Number);
	if (cli.cli && cli.floor && cli.rusage && cliSizes.length) {
		const cliRows: CliRow[] = [];
		for (const size of cliSizes) {
			process.stdout.write(`\nthe command line at ${size} notes (floor, cold and warm runs interleaved)…\n`);
			cliRows.push(benchCli({ cli: cli.cli, floor: cli.floor, rusage: cli.rusage }, size, size >= 100000 ? 3 : 5, (line) => print(line)));
		}
		const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
		print("\n| notes | cold run ÷ floor | warm run ÷ floor | (CPU time: cold, warm ÷ floor) | peak memory: floor, cold, warm | cold ÷ floor |");
		print("|---:|---:|---:|---:|---:|---:|");
		for (const r of cliRows) {
			print(`| ${r.notes.toLocaleString("en")} | ${x(r.cold.ms, r.floor.ms)} | ${x(r.warm.ms, r.floor.ms)} | ${x(r.cold.cpuMs, r.floor.cpuMs)}, ${x(r.warm.cpuMs, r.floor.cpuMs)} | ${r.floor.rssMb.toFixed(0)}, ${r.cold.rssMb.toFixed(0)}, ${r.warm.rssMb.toFixed(0)} MB | ${x(r.cold.rssMb, r.floor.rssMb)} |`);
		}
		for (const r of cliRows) {
			targets.push(
				[`cold command line ≤ 1.2× the floor at ${r.notes} (${x(r.cold.ms, r.floor.ms)})`, r.cold.ms <= 1.2 * r.floor.ms],
				[`warm command line ≤ 0.3× the floor at ${r.notes} (${x(r.warm.ms, r.floor.ms)})`, r.warm.ms <= 0.3 * r.floor.ms],
			);
		}
		const biggest = cliRows[cliRows.length - 1];
		if (biggest) targets.push([`peak memory ≤ 2× the floor's at ${biggest.notes} (${x(biggest.cold.rssMb, biggest.floor.rssMb)})`, biggest.cold.rssMb <= 2 * biggest.floor.rssMb]);
	}

	print("");
	for (const [name, ok] of targets) print(`${ok ? "PASS" : "FAIL"}  ${name}`);
	if (targets.some(([, ok]) => !ok)) process.exitCode = 1;
}

void main();
