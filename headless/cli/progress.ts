/**
 * Progress on stderr for long work (loading a large vault, triage, batches): one line that
 * updates in place, shown only when stderr is a terminal and only once the work has taken a
 * moment, so quick runs, pipes and JSON output stay exactly as they were.
 */
export interface ProgressSink {
	stderr: (text: string) => void;
	stderrIsTTY?: boolean;
}

export interface ProgressLine {
	/** Reports `done` of `total`; cheap to call often (the line is redrawn a few times a second). */
	update: (done: number, total: number) => void;
	/** Clears the line (if one was shown). */
	end: () => void;
}

export function progressLine(io: ProgressSink, label: string, options: { delayMs?: number; now?: () => number } = {}): ProgressLine {
	const now = options.now ?? Date.now;
	const started = now();
	const delay = options.delayMs ?? 400;
	let shown = false;
	let lastDraw = 0;
	let width = 0;
	if (io.stderrIsTTY !== true) return { update: () => undefined, end: () => undefined };
	return {
		update(done, total) {
			const t = now();
			if (t - started < delay || (t - lastDraw < 100 && done < total)) return;
			lastDraw = t;
			const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
			const text = `${label}: ${done.toLocaleString("en")} of ${total.toLocaleString("en")} (${percent}%)`;
			io.stderr(`\r${text}${" ".repeat(Math.max(0, width - text.length))}`);
			width = text.length;
			shown = true;
		},
		end() {
			if (shown) io.stderr(`\r${" ".repeat(width)}\r`);
			shown = false;
		},
	};
}
