import { describe, it, expect } from "@jest/globals";
import { ConfirmNoReplyModal, DraftProgressModal, PreviewContextModal, RedraftModal } from "../../src/obsidian/modals";
import type { App } from "obsidian";
import type { ContextItem } from "../../src/context/build";

const app = {} as App;

describe("the drafting dialog", () => {
	it("cancels when closed by the user, not when the draft is done", () => {
		const closed = new DraftProgressModal(app, "Drafting");
		closed.open();
		closed.showText("Hi Ana,");
		closed.close();
		expect(closed.controller.signal.aborted).toBe(true);
		const done = new DraftProgressModal(app, "Drafting");
		done.open();
		done.finish();
		expect(done.controller.signal.aborted).toBe(false);
	});
});

describe("redraft instructions", () => {
	it("resolves with the instructions, or null when dismissed", () => {
		const got: Array<string | null> = [];
		const submitted = new RedraftModal(app, (v) => got.push(v));
		submitted.open();
		submitted.submit("  Shorter  ");
		const dismissed = new RedraftModal(app, (v) => got.push(v));
		dismissed.open();
		dismissed.close();
		expect(got).toEqual(["Shorter", null]);
	});
});

describe("preview context", () => {
	it("resolves with the paths left out, or null when cancelled", () => {
		const items: ContextItem[] = [{ section: "people", path: "People/A.md", name: "A", markdown: "", tokens: 3 }];
		const got: Array<Set<string> | null> = [];
		const ok = new PreviewContextModal(app, items, (v) => got.push(v));
		ok.open();
		ok.finish(["People/A.md"]);
		const cancelled = new PreviewContextModal(app, items, (v) => got.push(v));
		cancelled.open();
		cancelled.close();
		expect(got).toEqual([new Set(["People/A.md"]), null]);
	});
});

describe("no reply needed", () => {
	it("resolves true only when you choose to draft anyway; closing it means no", () => {
		const got: boolean[] = [];
		const yes = new ConfirmNoReplyModal(app, "Re: Thanks", "Thanks only", (v) => got.push(v));
		yes.open();
		yes.choose(true);
		const closed = new ConfirmNoReplyModal(app, "Re: Thanks", "Thanks only", (v) => got.push(v));
		closed.open();
		closed.close();
		expect(got).toEqual([true, false]);
	});
});
