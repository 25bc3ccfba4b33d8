/**
 * The plugin's handlers on the headless host, with Obsidian's UI classes stubbed
 * (tests/support/obsidian-stub.ts): commands, ribbon, menus, batches, redraft, preview.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import EmailReplyDrafterPlugin from "../../src/main";
import { HeadlessApp, TFile } from "../../headless/host";
import { fileCacheWhenReady } from "../../src/host/cacheReady";
import { findFrontmatter } from "../../src/host/markdown";
import { Notice, type Command } from "../support/obsidian-stub";
import { MockAnthropic } from "../support/mockAnthropic";
import { cleanupVaults, copyExampleVault } from "../support/vault";
import type { DrafterUi, ProgressView } from "../../src/obsidian/controller";
import type { TFile as ObsidianFile, TAbstractFile as ObsidianAbstractFile } from "obsidian";

/** Host files stand in for Obsidian's at runtime (the stub re-exports them); this tells the type checker. */
const obs = (f: unknown): ObsidianFile => f as ObsidianFile;
const obsFolder = (f: unknown): ObsidianAbstractFile => f as ObsidianAbstractFile;

const KEY = "sk-ant-plugin-test-key";
const mock = new MockAnthropic();

class FakeWorkspace {
	active: unknown = null;
	layoutReady: Array<() => void> = [];
	handlers = new Map<string, Array<(...a: unknown[]) => unknown>>();
	opened: string[] = [];
	onLayoutReady(cb: () => void): void {
		this.layoutReady.push(cb);
	}
	ready(): void {
		for (const cb of this.layoutReady.splice(0)) cb();
	}
	on(name: string, cb: (...a: unknown[]) => unknown): { name: string } {
		const list = this.handlers.get(name) ?? [];
		list.push(cb);
		this.handlers.set(name, list);
		return { name };
	}
	async trigger(name: string, ...args: unknown[]): Promise<void> {
		for (const cb of this.handlers.get(name) ?? []) await cb(...args);
	}
	getActiveFile(): unknown {
		return this.active;
	}
	getLeaf(): { openFile: (f: TFile) => Promise<void> } {
		return { openFile: async (f) => void this.opened.push(f.path) };
	}
}

interface Harness {
	dir: string;
	app: HeadlessApp & { workspace: FakeWorkspace; secretStorage: { getSecret(id: string): string | null } };
	plugin: EmailReplyDrafterPlugin;
	ui: DrafterUi & { copied: string[]; urls: string[]; progressTitles: string[]; statuses: string[] };
	command(id: string): Command;
	file(p: string): ObsidianFile;
	read(p: string): string;
}

async function harness(options: { key?: boolean; settings?: Record<string, unknown> } = {}): Promise<Harness> {
	const dir = copyExampleVault();
	const base = await HeadlessApp.load(dir);
	const workspace = new FakeWorkspace();
	const secrets: Record<string, string> = options.key ? { "anthropic-api-key": KEY } : {};
	const app = Object.assign(base, { workspace, secretStorage: { getSecret: (id: string) => secrets[id] ?? null } });
	const plugin = new EmailReplyDrafterPlugin(app as never, { id: "email-reply-drafter" } as never);
	const stub = plugin as unknown as { data: unknown };
	stub.data = {
		userName: "Jordan Lee",
		userAddresses: ["jordan@northwind.example"],
		signature: "Best,\nJordan",
		excludedFolders: ["Private"],
		baseUrl: mock.url,
		...(options.settings ?? {}),
	};
	await plugin.onload();
	const copied: string[] = [];
	const urls: string[] = [];
	const progressTitles: string[] = [];
	const statuses: string[] = [];
	const ui = plugin.controller.ui as Harness["ui"];
	Object.assign(ui, {
		copied,
		urls,
		progressTitles,
		statuses,
		copyText: async (t: string) => void copied.push(t),
		openUrl: (u: string) => void urls.push(u),
		progress: (title: string): ProgressView => {
			progressTitles.push(title);
			const controller = new AbortController();
			return { signal: controller.signal, setStatus: () => undefined, showText: () => undefined, close: () => undefined };
		},
		batchStatus: () => ({ update: (t: string) => void statuses.push(t), done: () => undefined }),
	});
	const commands = (plugin as unknown as { commands: Command[] }).commands;
	return {
		dir,
		app,
		plugin,
		ui,
		command: (id) => {
			const c = commands.find((x) => x.id === id);
			if (!c) throw new Error(`no command ${id}`);
			return c;
		},
		file: (p) => obs(app.vault.getAbstractFileByPath(p)),
		read: (p) => readFileSync(path.join(dir, p), "utf8"),
	};
}

function fm(note: string): Record<string, unknown> {
	const block = findFrontmatter(note);
	return block ? (parseYaml(block.yaml) as Record<string, unknown>) : {};
}

async function runCommand(h: Harness, id: string): Promise<void> {
	const c = h.command(id);
	expect(c.checkCallback?.(true)).toBe(true);
	const signals = (): number => Notice.messages.length + h.ui.copied.length + h.ui.urls.length;
	const before = signals();
	c.checkCallback?.(false);
	// Handlers run asynchronously and each ends in a notice, a copy or a URL: wait for it (bounded).
	for (let i = 0; i < 1000 && signals() === before; i++) await new Promise((r) => setTimeout(r, 5));
	await new Promise((r) => setTimeout(r, 20));
}

beforeAll(async () => {
	await mock.start();
});
afterAll(async () => {
	await mock.stop();
	cleanupVaults();
});
beforeEach(() => {
	Notice.messages.length = 0;
	mock.requests.length = 0;
});

describe("loading", () => {
	it("scans nothing in onload; the index is built when the layout is ready", async () => {
		const h = await harness();
		let reads = 0;
		const original = h.app.vault.cachedRead.bind(h.app.vault);
		h.app.vault.cachedRead = async (f) => {
			reads++;
			return original(f);
		};
		const fresh = new EmailReplyDrafterPlugin(h.app as never, {} as never);
		await fresh.onload();
		expect(fresh.controller.index.isBuilt).toBe(false);
		expect(reads).toBe(0);
		h.app.workspace.ready();
		// Built in slices after the layout is ready, so startup never freezes.
		for (let i = 0; i < 100 && !fresh.controller.index.isBuilt; i++) await new Promise((r) => setTimeout(r, 5));
		expect(fresh.controller.index.isBuilt).toBe(true);
		expect(fresh.controller.index.size.entities).toBeGreaterThan(5);
	});
});

describe("Draft reply", () => {
	it("is available only on email notes", async () => {
		const h = await harness();
		h.app.workspace.ready();
		const cmd = h.command("draft-reply");
		h.app.workspace.active = h.file("People/Ana Ruiz.md");
		expect(cmd.checkCallback?.(true)).toBe(false);
		h.app.workspace.active = h.file("Meetings/2026-11-18 Acme QBR.md");
		expect(cmd.checkCallback?.(true)).toBe(false);
		h.app.workspace.active = null;
		expect(cmd.checkCallback?.(true)).toBe(false);
		h.app.workspace.active = h.file("Inbox/2026-11-21 Re Acme renewal.md");
		expect(cmd.checkCallback?.(true)).toBe(true);
		h.app.workspace.active = h.file("Inbox/2026-11-23 Initech connector v3.eml");
		expect(cmd.checkCallback?.(true)).toBe(true);
		// A pasted email is known once opened (its text is read once).
		const pasted = h.file("Inbox/2026-11-22 Globex pilot scope.md");
		h.app.workspace.active = pasted;
		expect(cmd.checkCallback?.(true)).toBe(false);
		await h.app.workspace.trigger("file-open", pasted);
		expect(cmd.checkCallback?.(true)).toBe(true);
	});

	it("writes the full draft note for a frontmatter email (offline) and opens it", async () => {
		const h = await harness();
		h.app.workspace.ready();
		h.app.workspace.active = h.file("Inbox/2026-11-21 Re Acme renewal.md");
		await runCommand(h, "draft-reply");
		const draftPath = "Inbox/2026-11-21 Re Acme renewal - reply draft.md";
		expect(h.app.workspace.opened).toEqual([draftPath]);
		const note = h.read(draftPath);
		const front = fm(note);
		expect(front).toMatchObject({
			status: "draft",
			type: "email-draft",
			original: "[[Inbox/2026-11-21 Re Acme renewal]]",
			to: "ana.ruiz@acme.example",
			to_name: "Ruiz, Ana",
			// Reply-all: Mei was in Cc; Jordan (you) is not repeated.
			cc: ["mei.chen@acme.example"],
			subject: "Re: Acme renewal",
			reason: "Meeting request",
			people_mentioned: ["[[People/Ana Ruiz|Ana Ruiz]]", "[[Contacts/Mei Chen|Mei Chen]]"],
			organizations: ["[[Companies/Acme Corp|Acme Corp]]"],
			vault_context_used: true,
			model: "offline",
			offline: true,
		});
		expect(front.topics).toEqual(expect.arrayContaining(["Acme renewal"]));
		expect(new Date(String(front.created)).toISOString()).toBe(front.created);
		expect(note).toContain("# Draft Reply: Re: Acme renewal");
		expect(note).toContain("**To:** Ruiz, Ana <ana.ruiz@acme.example>\n**Cc:** Mei Chen <mei.chen@acme.example>");
		expect(note).toContain("**Reason:** Meeting request");
		// The outline quotes each ask (made inert in the note) and leaves the answer to you.
		expect(note).toContain("\\> Can you confirm that SSO can be enforced for all 400 seats from day one?\n[your answer]");
		expect(note).toContain("- [ ] Could you send it by December 1? (“Mei still needs the security questionnaire.”)");
		// Dates as a person reads them, not ISO timestamps.
		expect(note).toMatch(/> \*\*From:\*\* Ruiz, Ana <ana\.ruiz@acme\.example>\n> \*\*Date:\*\* \w+day 2\d November 2026, \d\d:\d\d/);
		expect(note).toContain("> 2. Mei still needs the security questionnaire. Could you send it by December 1?");
		expect(note).toContain("> [!info]- Notes that informed this draft");
		expect(note).toContain("> #### [[People/Ana Ruiz|Ana Ruiz]]");
		expect(note).toContain("> - 2026-11-18 · [[Meetings/2026-11-18 Acme QBR|Acme QBR]]");
		expect(note).not.toMatch(/Walk-away|```|dataview/);
		expect(Notice.messages.join("\n")).toContain("Offline outline written to");
	});

	it("writes the draft for a pasted header-block email with Claude (requestUrl on mobile)", async () => {
		mock.enqueue({ kind: "message", text: "Hi Tom,\n\nYes, we can extend the pilot to the US warehouses [confirm price].\n\nBest,\nJordan\nTOPICS: Globex pilot; US warehouses" });
		const h = await harness({ key: true });
		h.app.workspace.ready();
		const file = h.file("Inbox/2026-11-22 Globex pilot scope.md");
		await h.app.workspace.trigger("file-open", file);
		h.app.workspace.active = file;
		await runCommand(h, "draft-reply");
		const note = h.read("Inbox/2026-11-22 Globex pilot scope - reply draft.md");
		expect(fm(note)).toMatchObject({
			to: "tom.herrera@gmail.com",
			to_name: "Tom Herrera",
			subject: "Re: Globex pilot scope",
			reason: "Deadline mentioned",
			topics: ["Globex pilot", "US warehouses"],
			people_mentioned: ["[[People/Tomás Herrera|Tomás Herrera]]"],
			organizations: ["[[Customers/Globex|Globex]]"],
			model: "claude-sonnet-5-5",
			offline: false,
		});
		expect(note).toContain("Yes, we can extend the pilot to the US warehouses [confirm price].");
		expect(mock.messageRequests()[0]?.body?.stream).toBeUndefined();
		// The system prompt is long enough to be cached, so this first draft also pays a cache write.
		expect(Notice.messages.join("\n")).toMatch(/Draft written to .*120 input, 40 output, 0 cached tokens, about \$0\.00\d\d/);
	});

	it("writes the draft for a .eml file, beside it", async () => {
		const h = await harness();
		h.app.workspace.ready();
		h.app.workspace.active = h.file("Inbox/2026-11-23 Initech connector v3.eml");
		await runCommand(h, "draft-reply");
		const note = h.read("Inbox/2026-11-23 Initech connector v3 - reply draft.md");
		expect(fm(note)).toMatchObject({
			original: "[[Inbox/2026-11-23 Initech connector v3.eml]]",
			to: "raj.patel@initech.example",
			to_name: "Raj Patel",
			subject: "Re: Initech connector v3 – re-certification",
			// "re-certify it before then", then being December 8.
			reason: "Deadline mentioned",
			organizations: ["[[Companies/Initech|Initech]]"],
		});
		expect(note).toContain("> We are releasing version 3 of the Initech connector on December 8.");
	});

	it("the ribbon says why it cannot draft", async () => {
		const h = await harness();
		h.app.workspace.ready();
		h.app.workspace.active = h.file("People/Ana Ruiz.md");
		const ribbon = (h.plugin as unknown as { ribbon: Array<{ callback: () => void }> }).ribbon[0];
		ribbon?.callback();
		expect(Notice.messages).toContain("People/Ana Ruiz.md is not an email note.");
	});

	it("a failure shows the reason and writes no note", async () => {
		mock.enqueue({ kind: "error", status: 401, type: "authentication_error", message: "invalid x-api-key" });
		const h = await harness({ key: true });
		h.app.workspace.ready();
		h.app.workspace.active = h.file("Inbox/2026-11-21 Re Acme renewal.md");
		await runCommand(h, "draft-reply");
		expect(Notice.messages.join("\n")).toMatch(/Could not draft a reply\..*API key was rejected \(401\)/);
		expect(h.app.vault.getFiles().some((f) => f.path.includes("reply draft"))).toBe(false);
	});
});

describe("preview context", () => {
	it("leaves out what the user unticks", async () => {
		const h = await harness();
		h.app.workspace.ready();
		h.ui.previewContext = async (items) => {
			expect(items.map((i) => i.path)).toContain("Companies/Acme Corp.md");
			return new Set(["Companies/Acme Corp.md"]);
		};
		const out = await h.plugin.controller.draft(h.file("Inbox/2026-11-21 Re Acme renewal.md"), { preview: true });
		const note = h.read(out?.draftPath ?? "");
		expect(fm(note).organizations).toEqual([]);
		expect(note).not.toContain("[[Companies/Acme Corp|Acme Corp]]\n> *Organization");
	});
});

describe("redraft, copy and mail app", () => {
	it("redraft writes a new version beside the old one, which stays as it was", async () => {
		mock.enqueue({ kind: "message", text: "First version." }, { kind: "message", text: "Shorter version." });
		const h = await harness({ key: true });
		h.app.workspace.ready();
		const first = await h.plugin.controller.draft(h.file("Inbox/2026-11-21 Re Acme renewal.md"));
		const firstText = h.read(first?.draftPath ?? "");
		h.ui.askInstructions = async () => "Shorter, and decline the call politely";
		h.app.workspace.active = h.file(first?.draftPath ?? "");
		// The command is offered once Obsidian has indexed the new draft (after the write returns).
		expect(h.command("redraft-with-instructions").checkCallback?.(true)).toBe(false);
		await fileCacheWhenReady(h.app, h.file(first?.draftPath ?? ""));
		await runCommand(h, "redraft-with-instructions");
		const second = "Inbox/2026-11-21 Re Acme renewal - reply draft 2.md";
		const note = h.read(second);
		expect(fm(note)).toMatchObject({ version: 2, previous_draft: "[[Inbox/2026-11-21 Re Acme renewal - reply draft]]", instructions: "Shorter, and decline the call politely" });
		expect(note).toContain("Shorter version.");
		expect(h.read(first?.draftPath ?? "")).toBe(firstText);
		const prompt = (mock.messageRequests()[1]?.body as { messages: Array<{ content: string }> }).messages[0]?.content ?? "";
		expect(prompt).toContain("<previous_draft>\nFirst version.\n</previous_draft>");
		expect(prompt).toContain("Shorter, and decline the call politely");
	});

	it("asks before drafting an email that needs no reply, saying why; your own sent email becomes a follow-up without asking", async () => {
		const h = await harness();
		h.app.workspace.ready();
		const asked: string[] = [];
		let answer = false;
		h.ui.confirmNoReply = async (subject, reason) => {
			asked.push(`${subject}: ${reason}`);
			return answer;
		};
		const thanks = h.file("Inbox/2026-11-24 Thanks from Mei.md");
		expect(await h.plugin.controller.draft(thanks)).toBeNull();
		expect(asked).toEqual(["Re: Security questionnaire: Thanks only"]);
		expect(h.app.vault.getFiles().some((f) => f.path.includes("Thanks from Mei - reply draft"))).toBe(false);
		answer = true;
		const out = await h.plugin.controller.draft(thanks);
		expect(h.read(out?.draftPath ?? "")).toContain("Triage says this email needs no reply (Thanks only)");
		const sent = await h.plugin.controller.draft(h.file("Sent/2026-11-05 Globex pilot follow-up.md"));
		expect(asked).toHaveLength(2);
		expect(fm(h.read(sent?.draftPath ?? ""))).toMatchObject({ to: "tomas.herrera@globex.example", follow_up: true });
	});

	it("a reply cut off at the output limit is saved as incomplete, and the notice says so", async () => {
		mock.enqueue({ kind: "message", text: "<reply>\nHi Ana,\n\nYes", stopReason: "max_tokens" }, { kind: "message", text: ", and", stopReason: "max_tokens" });
		const h = await harness({ key: true });
		h.app.workspace.ready();
		const out = await h.plugin.controller.draft(h.file("Inbox/2026-11-21 Re Acme renewal.md"));
		expect(fm(h.read(out?.draftPath ?? "")).status).toBe("incomplete");
		expect(Notice.messages.join("\n")).toMatch(/the reply was cut off at the output limit \(marked incomplete\)/);
	});

	it("copy reply and open in mail app use the reply text", async () => {
		const h = await harness();
		h.app.workspace.ready();
		const out = await h.plugin.controller.draft(h.file("Inbox/2026-11-21 Re Acme renewal.md"));
		await fileCacheWhenReady(h.app, h.file(out?.draftPath ?? ""));
		h.app.workspace.active = h.file(out?.draftPath ?? "");
		expect(h.command("draft-reply").checkCallback?.(true)).toBe(false);
		await runCommand(h, "copy-reply");
		// Exactly the outline's text: the note's escapes (\\> before quoted asks) are undone.
		expect(h.ui.copied[0]).toMatch(/^Hi Ana,\n\nThanks for your message\. My answers are below\.\n\n> Can you confirm that SSO/);
		expect(h.ui.copied[0]).toMatch(/Best,\nJordan$/);
		await runCommand(h, "open-in-mail-app");
		expect(h.ui.urls[0]).toMatch(/^mailto:ana\.ruiz%40acme\.example\?subject=Re%3A%20Acme%20renewal&cc=mei\.chen%40acme\.example&body=Hi%20Ana%2C%0D%0A/);
	});
});

describe("batches", () => {
	it("drafts emails needing a reply, skips the rest and those already drafted, within the concurrency limit", async () => {
		mock.fallback = { kind: "stream", chunks: ["Reply"], delayMs: 0 };
		const h = await harness({ settings: { batchConcurrency: 2 } });
		h.app.workspace.ready();
		await h.plugin.controller.draft(h.file("Inbox/2026-11-21 Re Acme renewal.md"));
		const inbox = obsFolder(h.app.vault.getAbstractFileByPath("Inbox"));
		const result = await h.plugin.controller.draftMany([inbox]);
		expect(result?.drafted.map((d) => d.prepared.file.path).sort()).toEqual([
			"Inbox/2026-11-22 Globex pilot scope.md",
			"Inbox/2026-11-23 Initech connector v3.eml",
			"Inbox/2026-11-24 Joint listing with Acme.md",
			"Inbox/2026-11-24 Renewal prep.md",
		]);
		expect(Object.fromEntries(result?.skipped.map((s) => [s.path, s.reason]) ?? [])).toEqual({
			"Inbox/2026-11-10 Acme renewal.md": "Sent by you",
			"Inbox/2026-11-21 Re Acme renewal.md": "already has a draft",
			"Inbox/2026-11-24 Northwind weekly digest.md": "Newsletter or bulk mail",
			"Inbox/2026-11-24 Thanks from Mei.md": "Thanks only",
		});
		expect(result?.peakConcurrency).toBeLessThanOrEqual(2);
		expect(h.ui.statuses.at(-1)).toMatch(/Drafting 8\/8/);
		expect(Notice.messages.at(-1)).toBe("Batch done: 4 drafted, 4 skipped.");
		// Run again: everything is drafted or skipped now.
		const again = await h.plugin.controller.draftMany([inbox]);
		expect(again?.drafted).toEqual([]);
	});

	it("honours the concurrency limit with slow drafts, and stops on cancel", async () => {
		const dir = copyExampleVault();
		const extra: Record<string, string> = {};
		for (let i = 1; i <= 8; i++) extra[`Batch/mail ${i}.md`] = `---\ntype: email\nfrom: ana.ruiz@acme.example\nsubject: Question ${i}\n---\nCan you answer question ${i}?`;
		const { writeVault } = await import("../support/vault");
		writeVault(extra, dir);
		mock.fallback = { kind: "stream", chunks: ["Slow ", "reply"], delayMs: 40 };
		const base = await HeadlessApp.load(dir);
		const app = Object.assign(base, { workspace: new FakeWorkspace(), secretStorage: { getSecret: () => KEY } });
		const plugin = new EmailReplyDrafterPlugin(app as never, {} as never);
		(plugin as unknown as { data: unknown }).data = { baseUrl: mock.url, batchConcurrency: 3, userAddresses: ["jordan@northwind.example"] };
		await plugin.onload();
		app.workspace.ready();
		const statuses: string[] = [];
		Object.assign(plugin.controller.ui, { batchStatus: () => ({ update: (t: string) => void statuses.push(t), done: () => undefined }), notify: () => undefined });
		const folder = obsFolder(app.vault.getAbstractFileByPath("Batch"));
		const full = await plugin.controller.draftMany([folder]);
		expect(full?.drafted).toHaveLength(8);
		expect(full?.peakConcurrency).toBe(3);

		// A second batch over new mail, cancelled after the first draft lands.
		const more: Record<string, string> = {};
		for (let i = 1; i <= 8; i++) more[`Batch2/mail ${i}.md`] = `---\ntype: email\nfrom: ana.ruiz@acme.example\nsubject: Other ${i}\n---\nCould you check item ${i}?`;
		writeVault(more, dir);
		const reloaded = await HeadlessApp.load(dir);
		const app2 = Object.assign(reloaded, { workspace: new FakeWorkspace(), secretStorage: { getSecret: () => KEY } });
		const plugin2 = new EmailReplyDrafterPlugin(app2 as never, {} as never);
		(plugin2 as unknown as { data: unknown }).data = { baseUrl: mock.url, batchConcurrency: 2 };
		await plugin2.onload();
		app2.workspace.ready();
		Object.assign(plugin2.controller.ui, {
			batchStatus: () => ({ update: (t: string) => (/Drafting 1\//.test(t) ? plugin2.controller.cancelBatch() : undefined), done: () => undefined }),
			notify: () => undefined,
		});
		const cancelled = await plugin2.controller.draftMany([obsFolder(app2.vault.getAbstractFileByPath("Batch2"))]);
		expect(cancelled?.cancelled).toBe(true);
		expect(cancelled?.drafted.length).toBeLessThan(8);
		const written = app2.vault.getFiles().filter((f) => f.path.startsWith("Batch2/") && f.path.includes("reply draft"));
		expect(written.length).toBe(cancelled?.drafted.length);
		mock.fallback = { kind: "message", text: "Hello from the mock." };
	});
});

describe("settings tab", () => {
	it("renders every row, in display() and as setting definitions", async () => {
		const h = await harness();
		const tab = (h.plugin as unknown as { settingTabs: Array<{ display(): void; getSettingDefinitions(): Array<{ heading: string; items: Array<{ name: string }> }> }> }).settingTabs[0];
		tab?.display();
		const groups = tab?.getSettingDefinitions() ?? [];
		expect(groups.map((g) => g.heading)).toEqual(["You", "Claude", "Your vault", "Output"]);
		expect(groups.flatMap((g) => g.items.map((i) => i.name))).toEqual(expect.arrayContaining(["API key", "Model", "Context budget", "Excluded folders", "Context section", "Link back from the email"]));
		// The key is never a setting: only the secret's name is saved.
		await h.plugin.saveSettings();
		expect(JSON.stringify((h.plugin as unknown as { data: unknown }).data)).not.toContain(KEY);
		expect((h.plugin as unknown as { data: { apiKeySecretName: string } }).data.apiKeySecretName).toBe("anthropic-api-key");
	});
});
