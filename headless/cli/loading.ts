/**
 * How the command line loads a vault: the metadata cache's place (the platform's cache folder
 * unless `--cache-dir DIR` or `--no-cache`), progress while a large vault loads the first
 * time, and one line on stderr for each file that could not be read.
 */
import { cacheDirFor } from "../cacheDir";
import type { LoadOptions } from "../load";

/** Where messages go, and the progress line to draw while the vault loads. */
export interface LoadingIO {
	stderr: (text: string) => void;
	env: Record<string, string | undefined>;
}

export interface Progress {
	update: (done: number, total: number) => void;
	end: () => void;
}

export interface CacheFlags {
	cacheDir?: string;
	noCache?: boolean;
}

export function vaultLoadOptions(flags: CacheFlags, io: LoadingIO, progress: Progress): { options: LoadOptions; done: () => void } {
	const cacheDir = cacheDirFor(flags, io.env);
	return {
		options: {
			cacheDir,
			onProgress: ({ done, total }) => progress.update(done, total),
			onUnreadable: (path, reason) => {
				progress.end();
				io.stderr(`reply-drafter: skipped ${path}: ${reason}\n`);
			},
			onCacheError: (message) => {
				progress.end();
				io.stderr(`reply-drafter: ${message}\n`);
			},
		},
		done: () => progress.end(),
	};
}
