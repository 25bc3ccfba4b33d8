import * as nodePath from "path";

// Its own module: the command line's small entry (cli/index.ts) finds the folder for the
// compiled-code cache before the engine, and cache.ts with it, is loaded.

const APP_FOLDER = "email-reply-drafter";

/**
 * The platform's cache folder for this tool, from the environment: `$XDG_CACHE_HOME` or
 * `~/.cache` on Linux and other Unixes, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
 * Windows. Null when the environment names no home (no cache then, rather than a guess).
 */
export function defaultCacheDir(env: Record<string, string | undefined>, platform: string = process.platform): string | null {
	const nonEmpty = (v: string | undefined): string | null => (v && v.trim() ? v : null);
	if (platform === "win32") {
		const local = nonEmpty(env.LOCALAPPDATA) ?? (nonEmpty(env.USERPROFILE) ? nodePath.win32.join(env.USERPROFILE as string, "AppData", "Local") : null);
		return local ? nodePath.win32.join(local, APP_FOLDER, "Cache") : null;
	}
	const home = nonEmpty(env.HOME);
	if (platform === "darwin") return home ? nodePath.posix.join(home, "Library", "Caches", APP_FOLDER) : null;
	const xdg = nonEmpty(env.XDG_CACHE_HOME);
	// XDG says a relative XDG_CACHE_HOME is invalid and to be ignored.
	if (xdg && nodePath.isAbsolute(xdg)) return nodePath.join(xdg, APP_FOLDER);
	return home ? nodePath.posix.join(home, ".cache", APP_FOLDER) : null;
}

/** The cache folder a run uses: `--no-cache` none, `--cache-dir DIR` that one, else the platform's. */
export function cacheDirFor(flags: { cacheDir?: string; noCache?: boolean }, env: Record<string, string | undefined>): string | null {
	return flags.noCache ? null : flags.cacheDir ? nodePath.resolve(flags.cacheDir) : defaultCacheDir(env);
}
