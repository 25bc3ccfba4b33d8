/** Issue 9: a held-back item added back in "Preview context" reaches the reply's context. */
import { it, expect, afterAll } from "@jest/globals";
import type { App } from "obsidian";
import { PreviewContextModal } from "../../src/obsidian/modals";
import { fileAt, prepare } from "../../src/draft/engine";
import { cleanupVaults, copyExampleVault, EXAMPLE_SETTINGS, loadVault } from "../support/vault";

afterAll(cleanupVaults);

const ACME = "Inbox/2026-11-21 Re Acme renewal.md";

it("the preview lists what was held back and resolves with the items added back", () => {
	const got: Array<[Set<string> | null, Set<string> | undefined]> = [];
	const held = [{ path: "People/Ana Ruiz.md", name: "Ana Ruiz", reason: "1 line about Globex, not on this thread" }];
	const modal = new PreviewContextModal({} as App, [], (leaveOut, addBack) => got.push([leaveOut, addBack]), held);
	modal.open();
	modal.finish([], ["People/Ana Ruiz.md"]);
	expect(got).toEqual([[new Set(), new Set(["People/Ana Ruiz.md"])]]);
});

it("the engine's context takes the added-back item in, and lists it as held back no more", async () => {
	const v = await loadVault(copyExampleVault(), EXAMPLE_SETTINGS);
	const engine = v.engine();
	const before = await prepare(engine, fileAt(v.app, ACME));
	expect(before.context.heldBack).toContainEqual({ path: "People/Ana Ruiz.md", name: "Ana Ruiz", reason: "1 line about Globex, not on this thread" });
	expect(before.context.promptMarkdown).not.toContain("from Globex");
	const after = await prepare(engine, fileAt(v.app, ACME), { addBack: new Set(["People/Ana Ruiz.md"]) });
	expect(after.context.promptMarkdown).toContain("Joined Acme in 2023 from Globex; knows our product from there.");
	expect(after.context.heldBack.map((h) => h.path)).not.toContain("People/Ana Ruiz.md");
	// Time and audience come from the engine's clock and the settings.
	expect(after.context.time.today).toBe("2026-11-25");
	expect(after.context.audience.text).toBe("Your reply goes to Ana Ruiz (Acme Corp) and Mei Chen (Acme Corp). Your company is Northwind Analytics. In your notes, \"I\" is you and \"we\" is Northwind Analytics.");
});
