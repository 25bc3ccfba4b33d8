/**
 * Waiting for the metadata cache the way Obsidian's timing requires: the app parses a note in
 * a worker and resolves links through a queue, so a note written a moment ago has no cache
 * (or the previous one) until its `changed` event, which fires after `vault.create`/`modify`
 * has returned.
 */
import type { AppSlice, CachedMetadata, FileLike } from "./slice";

/** How long to wait for the app to index a note we just wrote before giving up. */
const INDEX_WAIT_MS = 5000;

/**
 * The cache of a note: at once when the app has one, else when its `changed` event arrives
 * (null if it does not come in time). For notes this plugin has just written.
 */
export function fileCacheWhenReady(app: Pick<AppSlice, "metadataCache">, file: FileLike, timeoutMs = INDEX_WAIT_MS): Promise<CachedMetadata | null> {
	const known = app.metadataCache.getFileCache(file);
	if (known) return Promise.resolve(known);
	return new Promise((resolve) => {
		const ref = app.metadataCache.on("changed", (changed, _data, cache) => {
			if (changed.path !== file.path) return;
			finish(cache);
		});
		// In the app, give up after a while; the headless host (no window) always fires the event.
		const timer = typeof window === "undefined" ? null : window.setTimeout(() => finish(app.metadataCache.getFileCache(file)), timeoutMs);
		function finish(cache: CachedMetadata | null): void {
			if (timer !== null) window.clearTimeout(timer);
			app.metadataCache.offref(ref);
			resolve(cache);
		}
	});
}
