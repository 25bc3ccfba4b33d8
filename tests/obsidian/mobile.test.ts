/**
 * The plugin's handlers as they run on a phone (Platform.isMobile: no status bar, requestUrl),
 * and its lifetime: background index work stops on unload, and a plugin disabled before the
 * layout is ready registers nothing afterwards. Obsidian's UI is the stub's
 * (tests/support/obsidian-stub.ts); the batch progress UI is the plugin's own.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import EmailReplyDrafterPlugin from "../../src/main";
import { HeadlessApp } from "../../headless/host";
import { Notice, Platform, type Command } from "../support/obsidian-stub";
import { MockAnthropic } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault, writeVault } from "../support/vault";
import type { TAbstractFile } from "obsidian";

const mock = new MockAnthropic();
const KEY = "sk-ant-mobile-test";

class FakeWorkspace {
	active: unknown = null;
	layoutReady: Array<() => void> = [];
	onLayoutReady(cb: () => void): void {
		this.layoutReady.push(cb);
	}
	ready(): void {
		for (const cb of this.layoutReady.splice(0)) cb();
	}
	on(name: string): { name: string } {
		return { name };
	}
	getActiveFile(): unknown {
		return this.active;
	}
	getLeaf(): { openFile: () => Promise<void> } {
		return { openFile: async () => undefined };
	}
}

type App = HeadlessApp & { workspace: FakeWorkspace; secretStorage: { getSecret(id: string): string | null } };
interface Loaded {
	app: App;
	plugin: EmailReplyDrafterPlugin;
	stub: { commands: Command[]; events: unknown[]; statusBarItems: Array<{ text: string; removed: boolean; click(): void }> };
	command(id: string): Command;
}

async function load(files: Record<string, string> = {}): Promise<Loaded> {
	const dir = copyExampleVault();
	writeVault(files, dir);
	const base = await HeadlessApp.load(dir);
	const app = Object.assign(base, { workspace: new FakeWorkspace(), secretStorage: { getSecret: () => KEY } }) as App;
	const plugin = new EmailReplyDrafterPlugin(app as never, { id: "email-reply-drafter" } as never);
	const stub = plugin as unknown as Loaded["stub"] & { data: unknown };
	stub.data = { baseUrl: mock.url, batchConcurrency: 1, userAddresses: ["jordan@northwind.example"] };
	await plugin.onload();
	return {
		app,
		plugin,
		stub,
		command: (id) => {
			const c = stub.commands.find((x) => x.id === id);
			if (!c) throw new Error(`no command ${id}`);
			return c;
		},
	};
}

const batchMail: Record<string, string> = {};
for (let i = 1; i <= 6; i++) batchMail[`Batch/mail ${i}.md`] = `---\ntype: email\nfrom: ana.ruiz@acme.example\nsubject: Question ${i}\n---\nCan you answer question ${i}?`;

const until = async (check: () => boolean): Promise<void> => {
	for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
	expect(check()).toBe(true);
};

const platform = { ...Platform };
beforeAll(async () => {
	await mock.start();
});
afterAll(async () => {
	await mock.stop();
	cleanupVaults();
});
beforeEach(() => {
	Notice.messages.length = 0;
	Notice.visible.clear();
	mock.fallback = { kind: "stream", chunks: ["Slow ", "reply"], delayMs: 30 };
});
afterEach(() => {
	Object.assign(Platform, platform);
});

const onPhone = (): void => void Object.assign(Platform, { isDesktop: false, isDesktopApp: false, isMobile: true, isMobileApp: true, isIosApp: true });

describe("batches on a phone (no status bar)", () => {
	it("shows progress in a notice, cancels through the command, and never mentions a status bar", async () => {
		onPhone();
		const h = await load(batchMail);
		h.app.workspace.ready();
		const folder = h.app.vault.getAbstractFileByPath("Batch") as unknown as TAbstractFile;
		const cancel = h.command("cancel-batch");
		expect(cancel.checkCallback?.(true)).toBe(false);

		const running = h.plugin.controller.draftMany([folder]);
		await until(() => Notice.messages.some((m) => /^Drafting [1-9]\/6…/.test(m)));
		// A second batch meanwhile says how to stop the first, the phone's way.
		await h.plugin.controller.draftMany([folder]);
		expect(cancel.checkCallback?.(true)).toBe(true);
		cancel.checkCallback?.(false);
		const result = await running;

		expect(result?.cancelled).toBe(true);
		expect(result?.drafted.length).toBeLessThan(6);
		expect(h.stub.statusBarItems).toHaveLength(0);
		expect(Notice.messages[0]).toBe('Drafting 0/6…\nRun "Cancel batch drafting" to stop.');
		expect(Notice.messages).toContain('A batch is already drafting. Run "Cancel batch drafting" from the command palette to stop it.');
		expect(Notice.messages.join("\n")).not.toMatch(/status bar|click/i);
		expect(Notice.messages.at(-1)).toMatch(/^Batch cancelled: \d drafted/);
		// The progress notice stays until the batch ends (no timeout), then it is hidden.
		expect([...Notice.visible].filter((n) => n.timeout === 0)).toEqual([]);
		// Drafts on a phone go through requestUrl: never a streamed request.
		expect(mock.messageRequests().every((r) => r.body?.stream === undefined)).toBe(true);
	});

	it("on desktop the same batch counts in the status bar, and a click cancels", async () => {
		const h = await load(batchMail);
		h.app.workspace.ready();
		const running = h.plugin.controller.draftMany([h.app.vault.getAbstractFileByPath("Batch") as unknown as TAbstractFile]);
		await until(() => /Drafting [1-9]\/6… \(click to cancel\)/.test(h.stub.statusBarItems[0]?.text ?? ""));
		await h.plugin.controller.draftMany([]);
		expect(Notice.messages).toContain('A batch is already drafting. Click its status bar counter, or run "Cancel batch drafting", to stop it.');
		h.stub.statusBarItems[0]?.click();
		expect((await running)?.cancelled).toBe(true);
		expect(h.stub.statusBarItems[0]?.removed).toBe(true);
	});
});

describe("error notices name the action that failed", () => {
	it("Copy reply and Open in mail app", async () => {
		onPhone();
		const h = await load({ "Drafts/orphan.md": '---\ntype: email-draft\noriginal: "[[Inbox/gone]]"\n---\n# Draft Reply' });
		h.app.workspace.ready();
		h.app.workspace.active = h.app.vault.getAbstractFileByPath("Drafts/orphan.md");
		for (const id of ["copy-reply", "open-in-mail-app"]) {
			expect(h.command(id).checkCallback?.(true)).toBe(true);
			h.command(id).checkCallback?.(false);
		}
		await until(() => Notice.messages.length === 2);
		expect(Notice.messages[0]).toMatch(/^Could not copy the reply\. .*Drafts\/orphan\.md.*Inbox\/gone.*not in the vault/);
		expect(Notice.messages[1]).toMatch(/^Could not open the reply in your mail app\. .*Inbox\/gone/);
		expect(Notice.messages.join("\n")).not.toContain("Could not draft a reply");
	});
});

describe("lifetime", () => {
	it("a plugin disabled before the layout is ready registers nothing afterwards", async () => {
		const h = await load();
		let listeners = 0;
		for (const source of [h.app.metadataCache, h.app.vault] as Array<{ on: (...a: never[]) => unknown }>) {
			const on = source.on.bind(source);
			source.on = ((...a: never[]) => {
				listeners++;
				return on(...a);
			});
		}
		const registered = h.stub.events.length;
		h.plugin.onunload();
		h.app.workspace.ready();
		await new Promise((r) => setTimeout(r, 30));
		expect(listeners).toBe(0);
		expect(h.stub.events.length).toBe(registered);
		expect(h.plugin.controller.index.isBuilt).toBe(false);
	});

	it("a draft in progress stops when the plugin unloads, and writes nothing", async () => {
		// Desktop: the reply streams over fetch, which can be aborted mid-way.
		Object.assign(Platform, { isDesktopApp: true });
		mock.fallback = { kind: "stream", chunks: ["Hi ", "Ana, ", "yes ", "we ", "can."], delayMs: 60 };
		const h = await load();
		h.app.workspace.ready();
		let shown = "";
		Object.assign(h.plugin.controller.ui, {
			progress: () => ({ signal: new AbortController().signal, setStatus: () => undefined, showText: (t: string) => void (shown = t), close: () => undefined }),
		});
		const email = h.app.vault.getAbstractFileByPath("Inbox/2026-11-21 Re Acme renewal.md") as never;
		const drafting = h.plugin.controller.draft(email);
		await until(() => shown.length > 0);
		h.plugin.onunload();
		expect(await drafting).toBeNull();
		expect(Notice.messages.at(-1)).toBe("Drafting cancelled. No note was written.");
		expect(h.app.vault.getFiles().some((f) => f.path.includes("reply draft"))).toBe(false);
		// And a batch asked for after unload does not start.
		expect(await h.plugin.controller.draftMany([h.app.vault.getAbstractFileByPath("Inbox") as unknown as TAbstractFile])).toBeNull();
	});

	it("background index work stops on unload", async () => {
		const h = await load();
		let reads = 0;
		const read = h.app.vault.cachedRead.bind(h.app.vault);
		h.app.vault.cachedRead = async (f) => {
			reads++;
			return read(f);
		};
		h.app.workspace.ready();
		// The first slice is indexed; unloading before the next step stops the build and the
		// reading of notes for inline fields that would follow it.
		h.plugin.onunload();
		await new Promise((r) => setTimeout(r, 50));
		expect(h.plugin.controller.index.isBuilt).toBe(false);
		expect(reads).toBe(0);

		// The control: left loaded, the same steps build the index and read those notes.
		const kept = await load();
		let keptReads = 0;
		const keptRead = kept.app.vault.cachedRead.bind(kept.app.vault);
		kept.app.vault.cachedRead = async (f) => {
			keptReads++;
			return keptRead(f);
		};
		kept.app.workspace.ready();
		await until(() => kept.plugin.controller.index.isBuilt && keptReads > 0);
	});
});
