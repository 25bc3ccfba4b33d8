/**
 * Engine code under Obsidian's timing: the cache and the index learn about a note only after
 * `vault.create` has returned (conformance rows E1–E3). Work that follows a write at once must
 * still be right.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { draftBatch } from "../../src/draft/batch";
import { draftForFile, existingDrafts, redraft } from "../../src/draft/engine";
import { fileCacheWhenReady } from "../../src/host/cacheReady";
import { fileByPath } from "../../src/host/slice";
import { nextEvent } from "../support/cacheEvents";
import { EXAMPLE_SETTINGS, cleanupVaults, copyExampleVault, loadVault } from "../support/vault";

afterAll(cleanupVaults);

const EMAIL = "Inbox/2026-11-21 Re Acme renewal.md";

describe("engine code under the app's timing", () => {
	it("a draft written a moment ago counts as an existing draft before the index has it, and after", async () => {
		const w = await loadVault(copyExampleVault(), EXAMPLE_SETTINGS);
		const engine = w.engine();
		const email = fileByPath(w.app.vault, EMAIL);
		if (!email) throw new Error("example email missing");
		const resolved = nextEvent(w.app.metadataCache, "resolved");
		const first = await draftForFile(engine, email, { offline: true });
		// Not indexed yet: the index has no backlink from the draft.
		expect(w.app.metadataCache.getFileCache(first.draft)).toBeNull();
		expect(w.index.backlinksOf(EMAIL)).not.toContain(first.draftPath);
		expect(existingDrafts(engine, EMAIL)).toEqual([first.draftPath]);
		// A batch started now skips it instead of drafting the email twice.
		const batch = await draftBatch(engine, [email], { offline: true });
		expect(batch.drafted).toEqual([]);
		expect(batch.skipped).toEqual([{ path: EMAIL, reason: "already has a draft" }]);
		await resolved;
		// Indexed: the index's own answer, once.
		expect(w.index.backlinksOf(EMAIL)).toContain(first.draftPath);
		expect(existingDrafts(engine, EMAIL)).toEqual([first.draftPath]);
	});

	it("redraft right after a draft waits for the new note's cache instead of failing", async () => {
		const w = await loadVault(copyExampleVault(), EXAMPLE_SETTINGS);
		const engine = w.engine();
		const email = fileByPath(w.app.vault, EMAIL);
		if (!email) throw new Error("example email missing");
		const first = await draftForFile(engine, email, { offline: true });
		expect(w.app.metadataCache.getFileCache(first.draft)).toBeNull();
		const second = await redraft(engine, first.draft, "Shorter", { offline: true });
		expect(second.draftPath).toBe("Inbox/2026-11-21 Re Acme renewal - reply draft 2.md");
		const cache = await fileCacheWhenReady(w.app, second.draft);
		expect(cache?.frontmatter).toMatchObject({ version: 2, previous_draft: "[[Inbox/2026-11-21 Re Acme renewal - reply draft]]" });
	});
});
