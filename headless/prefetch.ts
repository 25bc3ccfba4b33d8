/**
 * Stats and reads a vault's files in a worker thread a little ahead of the loader, so that on
 * a first run (nothing cached, every note to read) the file system's time overlaps the parse
 * instead of adding to it. The loader stays synchronous: it takes file `i` when it gets there,
 * waiting on a shared counter only if the worker has not reached it yet. The worker keeps at
 * most a few batches ahead, so the texts in flight stay small.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "worker_threads";

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

/** Shared counters: batches produced, batches consumed, stop. */
const PRODUCED = 0;
const CONSUMED = 1;
const STOP = 2;

// Plain JavaScript run by the worker (`eval`): nothing to bundle, nothing shared but the data.
const WORKER = `
const { workerData } = require("worker_threads");
const fs = require("fs");
const { paths, read, port, shared, batch, ahead } = workerData;
const state = new Int32Array(shared);
for (let start = 0; start < paths.length && !Atomics.load(state, ${STOP}); start += batch) {
	for (;;) {
		const consumed = Atomics.load(state, ${CONSUMED});
		if (Atomics.load(state, ${PRODUCED}) - consumed < ahead || Atomics.load(state, ${STOP})) break;
		Atomics.wait(state, ${CONSUMED}, consumed, 100);
	}
	const n = Math.min(batch, paths.length - start);
	const stats = new Float64Array(n * 4).fill(-1);
	const texts = new Array(n).fill(null);
	const errors = [];
	for (let k = 0; k < n; k++) {
		const path = paths[start + k];
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
	Atomics.add(state, ${PRODUCED}, 1);
	Atomics.notify(state, ${PRODUCED});
}
port.close();
`;

export class Prefetch {
	private readonly worker: Worker;
	private readonly port: MessagePort;
	private readonly state: Int32Array;
	private batch: Batch | null = null;
	private errorsAt = new Map<number, { code?: string; message: string }>();
	private consumed = 0;

	/**
	 * Starts reading `paths` (absolute) in order: every file is stat'ed, and read as UTF-8 text
	 * when `read[i]` is true (a stat that fails skips the read, as the loader does).
	 */
	constructor(paths: readonly string[], read: readonly boolean[], private readonly batchSize = 64, ahead = 8) {
		const { port1, port2 } = new MessageChannel();
		this.port = port1;
		this.state = new Int32Array(new SharedArrayBuffer(3 * 4));
		this.worker = new Worker(WORKER, { eval: true, workerData: { paths, read, port: port2, shared: this.state.buffer, batch: batchSize, ahead }, transferList: [port2] });
		// A worker that dies is noticed by `receive`'s bound (its event cannot arrive while the loader blocks).
		this.worker.on("error", () => undefined);
		// The worker must not keep the process alive.
		this.worker.unref();
	}

	/** File `i` (taken in order), or null when the worker stopped (the caller reads it itself). */
	take(i: number): Prefetched | null {
		let batch = this.batch;
		while (!batch || i >= batch.start + batch.texts.length) {
			const next = this.receive();
			if (!next) return null;
			batch = next;
			this.batch = batch;
			this.errorsAt = new Map(batch.errors.map(([k, code, message]) => [batch!.start + k, { code, message }]));
		}
		const k = i - batch.start;
		const error = this.errorsAt.get(i) ?? null;
		const stats = batch.stats;
		const size = stats[k * 4] ?? -1;
		return {
			stat: size < 0 ? null : { size, mtimeMs: stats[k * 4 + 1] ?? 0, ctimeMs: stats[k * 4 + 2] ?? 0, birthtimeMs: stats[k * 4 + 3] ?? 0 },
			text: batch.texts[k] ?? null,
			error,
		};
	}

	/** The next batch; null when the worker failed or has sent nothing for a minute. */
	private receive(): Batch | null {
		let waited = 0;
		for (;;) {
			const message = receiveMessageOnPort(this.port);
			if (message) {
				this.consumed++;
				Atomics.store(this.state, CONSUMED, this.consumed);
				Atomics.notify(this.state, CONSUMED);
				return message.message as Batch;
			}
			const produced = Atomics.load(this.state, PRODUCED);
			// A batch counted but not yet receivable is in the port already: look again.
			if (produced > this.consumed) continue;
			// The worker's own errors are caught per file; a worker that died (or a file system
			// that hangs) must not hang the run. Its `error` event cannot arrive while the loader
			// blocks, so the wait is bounded instead.
			if (waited >= 60_000) return null;
			if (Atomics.wait(this.state, PRODUCED, produced, 50) === "timed-out") waited += 50;
		}
	}

	/** Stops the worker (the loader is done, or gave up). */
	close(): void {
		Atomics.store(this.state, STOP, 1);
		Atomics.notify(this.state, CONSUMED);
		this.port.close();
		void this.worker.terminate();
	}
}
