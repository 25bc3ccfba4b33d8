/**
 * Stats and reads a vault's files in a worker thread a little ahead of the loader, so that on
 * a first run (nothing cached, every note to read) the file system's time overlaps the parse
 * instead of adding to it. The loader stays synchronous and never waits: it takes file `i`
 * from the worker when the worker has it, and otherwise stats and reads it itself (while the
 * worker starts, or if it falls behind; the worker then moves on past the loader). The worker
 * keeps at most a few batches ahead, so the texts in flight stay small.
 */
import { createRequire } from "module";
import * as nodePath from "path";
import type * as WorkerThreads from "worker_threads";
import type { MessagePort, Worker } from "worker_threads";

// Loaded when a first run starts a worker, not by every run: Node compiles the module on its
// first load (2 to 4 ms), which a warm run, which never reads ahead, would pay for nothing.
let workerThreads: typeof WorkerThreads | null = null;
const threads = (): typeof WorkerThreads => (workerThreads ??= createRequire(__filename)("worker_threads") as typeof WorkerThreads);

/** What the worker found for one file. */
export interface Prefetched {
	/** Size, modification, change and birth time; null when the stat failed. */
	stat: { size: number; mtimeMs: number; ctimeMs: number; birthtimeMs: number } | null;
	/** The file's text (notes only); null when not read or the read failed. */
	text: string | null;
	/** Why the stat or the read failed (`code` as Node gives it). */
	error: { code?: string; message: string } | null;
}

interface Batch {
	start: number;
	stats: Float64Array;
	texts: Array<string | null>;
	errors: Array<[index: number, code: string | undefined, message: string]>;
}

/** Shared numbers: where the loader is (the first file of its current batch), and stop. */
const MAIN = 0;
const STOP = 1;

// Plain JavaScript run by the worker (`eval`): nothing to bundle, nothing shared but the data.
// It starts each batch a batch past where the loader is, so it never does a file the loader is
// about to do itself, and waits when it is `ahead` batches past it.
const WORKER = `
const { workerData } = require("worker_threads");
const fs = require("fs");
const { base, sep, list, starts, read, port, shared, batch, ahead } = workerData;
const state = new Int32Array(shared);
const count = starts.length - 1;
// The i-th path, from one string of them all (no array of strings kept for the whole vault).
const pathAt = (i) => {
	const rel = list.slice(starts[i], starts[i + 1]);
	return base + sep + (sep === "/" ? rel : rel.split("/").join(sep));
};
let next = 0;
while (!Atomics.load(state, ${STOP})) {
	const main = Atomics.load(state, ${MAIN});
	const start = Math.max(next, main + batch);
	if (start >= count) break;
	if (start - main > ahead * batch) {
		Atomics.wait(state, ${MAIN}, main, 100);
		continue;
	}
	const n = Math.min(batch, count - start);
	const stats = new Float64Array(n * 4).fill(-1);
	const texts = new Array(n).fill(null);
	const errors = [];
	for (let k = 0; k < n; k++) {
		const path = pathAt(start + k);
		let st;
		try {
			st = fs.statSync(path);
		} catch (error) {
			errors.push([k, error && error.code, String((error && error.message) || error)]);
			continue;
		}
		stats[k * 4] = st.size;
		stats[k * 4 + 1] = st.mtimeMs;
		stats[k * 4 + 2] = st.ctimeMs;
		stats[k * 4 + 3] = st.birthtimeMs;
		if (!read[start + k]) continue;
		try {
			texts[k] = fs.readFileSync(path, "utf8");
		} catch (error) {
			errors.push([k, error && error.code, String((error && error.message) || error)]);
		}
	}
	port.postMessage({ start, stats, texts, errors }, [stats.buffer]);
	next = start + n;
}
port.close();
`;

export class Prefetch {
	private readonly worker: Worker;
	private readonly port: MessagePort;
	private readonly state: Int32Array;
	private batch: Batch | null = null;
	private errorsAt = new Map<number, { code?: string; message: string }>();

	/**
	 * Starts reading the files at `paths` (relative to the folder `base`, with `/`) ahead of the
	 * caller: each is stat'ed, and read as UTF-8 text when `read(path)` (a stat that fails
	 * skips the read, as the loader does).
	 */
	constructor(readonly base: string, readonly paths: readonly string[], read: (path: string) => boolean, private readonly batchSize = 64, ahead = 8) {
		const { MessageChannel, Worker } = threads();
		const { port1, port2 } = new MessageChannel();
		this.port = port1;
		this.state = new Int32Array(new SharedArrayBuffer(2 * 4));
		// The list goes over as one string with offsets, and what to read as bytes: a large
		// vault's paths are not copied into the worker as an array of strings.
		const starts = new Uint32Array(paths.length + 1);
		const reads = new Uint8Array(paths.length);
		for (let i = 0; i < paths.length; i++) {
			starts[i + 1] = (starts[i] ?? 0) + (paths[i] as string).length;
			reads[i] = read(paths[i] as string) ? 1 : 0;
		}
		const list = paths.join("");
		const workerData = { base, sep: nodePath.sep, list, starts, read: reads, port: port2, shared: this.state.buffer, batch: batchSize, ahead };
		// A small heap: the worker holds the list and a few batches of text at a time. (Should it
		// run out anyway, it only stops helping.)
		const listMb = Math.ceil((list.length * 2) / (1 << 20));
		this.worker = new Worker(WORKER, { eval: true, workerData, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 + 2 * listMb } });
		// A worker that fails only stops helping: the loader reads what it has not got.
		this.worker.on("error", () => undefined);
		// The worker must not keep the process alive.
		this.worker.unref();
	}

	/**
	 * File `i` (taken in order) if the worker has it; undefined when it has not got there (yet,
	 * or at all): the caller then stats and reads the file itself. Never waits.
	 */
	take(i: number): Prefetched | undefined {
		if (i % this.batchSize === 0) {
			Atomics.store(this.state, MAIN, i);
			Atomics.notify(this.state, MAIN);
		}
		for (;;) {
			const batch = this.batch;
			if (batch && i >= batch.start && i < batch.start + batch.texts.length) {
				const k = i - batch.start;
				const stats = batch.stats;
				const size = stats[k * 4] ?? -1;
				return {
					stat: size < 0 ? null : { size, mtimeMs: stats[k * 4 + 1] ?? 0, ctimeMs: stats[k * 4 + 2] ?? 0, birthtimeMs: stats[k * 4 + 3] ?? 0 },
					text: batch.texts[k] ?? null,
					error: this.errorsAt.get(i) ?? null,
				};
			}
			// The worker is further on: this file is the caller's.
			if (batch && batch.start > i) return undefined;
			const message = threads().receiveMessageOnPort(this.port);
			if (!message) return undefined;
			const next = message.message as Batch;
			this.batch = next;
			this.errorsAt = new Map(next.errors.map(([k, code, text]) => [next.start + k, { code, message: text }]));
		}
	}

	/** Stops the worker (the loader is done, or gave up). */
	close(): void {
		Atomics.store(this.state, STOP, 1);
		Atomics.notify(this.state, MAIN);
		this.port.close();
		void this.worker.terminate();
	}
}
