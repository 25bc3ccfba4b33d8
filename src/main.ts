/**
 * Email Reply Drafter: wires commands, the ribbon, menus and settings to the engine.
 * Nothing here scans the vault: the index is built from the metadata cache once the
 * layout is ready and then kept current from its events.
 */
import { Menu, parseYaml, Plugin, stringifyYaml, TAbstractFile, TFile, TFolder } from "obsidian";
import { provideYaml } from "./host/slice";
import { normalizeSettings, type DrafterSettings } from "./settings";
import { DrafterController, obsidianUi } from "./obsidian/controller";
import { DrafterSettingTab } from "./obsidian/settingsTab";
import type { ClaudeConfig } from "./draft/claude";

export default class EmailReplyDrafterPlugin extends Plugin {
	drafterSettings!: DrafterSettings;
	controller!: DrafterController;

	override async onload(): Promise<void> {
		// The engine's YAML is Obsidian's own, so main.js carries no YAML library.
		provideYaml({ parse: parseYaml, stringify: stringifyYaml });
		this.drafterSettings = normalizeSettings(await this.loadData());
		this.controller = new DrafterController(this.app, () => this.drafterSettings, obsidianUi(this.app, () => this.addStatusBarItem()));
		this.addSettingTab(new DrafterSettingTab(this.app, this));

		this.app.workspace.onLayoutReady(() => {
			// Disabled before the layout was ready: register nothing, start nothing.
			if (this.controller.stopped) return;
			for (const ref of this.controller.start()) this.registerEvent(ref);
			// The note already open at startup fired no file-open event.
			void this.controller.noteOpened(this.app.workspace.getActiveFile());
		});
		this.registerEvent(this.app.workspace.on("file-open", (file) => void this.controller.noteOpened(file)));

		this.addRibbonIcon("mail-plus", "Draft reply", () => {
			const file = this.app.workspace.getActiveFile();
			if (!file) {
				this.controller.ui.notify("Open an email note to draft a reply.");
				return;
			}
			const path = file.path;
			if (this.controller.isEmailFile(file)) void this.controller.draft(file);
			else this.controller.ui.notify(`${path} is not an email note.`);
		});

		this.addCommand({
			id: "draft-reply",
			name: "Draft reply",
			checkCallback: (checking) => this.onEmail(checking, (file) => void this.controller.draft(file)),
		});
		this.addCommand({
			id: "draft-reply-preview",
			name: "Preview context, then draft reply",
			checkCallback: (checking) => this.onEmail(checking, (file) => void this.controller.draft(file, { preview: true })),
		});
		this.addCommand({
			id: "redraft-with-instructions",
			name: "Redraft with instructions",
			checkCallback: (checking) => this.onDraft(checking, (file) => void this.controller.redraft(file)),
		});
		this.addCommand({
			id: "copy-reply",
			name: "Copy reply",
			checkCallback: (checking) => this.onDraft(checking, (file) => void this.controller.copyReply(file)),
		});
		this.addCommand({
			id: "open-in-mail-app",
			name: "Open reply in mail app",
			checkCallback: (checking) => this.onDraft(checking, (file) => void this.controller.openInMailApp(file)),
		});
		this.addCommand({
			id: "draft-replies-in-folder",
			name: "Draft replies for emails needing a reply in this folder",
			checkCallback: (checking) => {
				const folder = this.app.workspace.getActiveFile()?.parent;
				if (!folder) return false;
				if (!checking) void this.controller.draftMany([folder]);
				return true;
			},
		});
		this.addCommand({
			id: "cancel-batch",
			name: "Cancel batch drafting",
			checkCallback: (checking) => {
				if (!this.controller.isBatchRunning()) return false;
				if (!checking) this.controller.cancelBatch();
				return true;
			},
		});

		this.registerEvent(this.app.workspace.on("file-menu", (menu, file) => this.fileMenu(menu, file)));
		this.registerEvent(this.app.workspace.on("files-menu", (menu, files) => this.filesMenu(menu, files)));
	}

	private onEmail(checking: boolean, run: (file: TFile) => void): boolean {
		const file = this.app.workspace.getActiveFile();
		if (!this.controller.isEmailFile(file)) return false;
		if (!checking) run(file);
		return true;
	}

	private onDraft(checking: boolean, run: (file: TFile) => void): boolean {
		const file = this.app.workspace.getActiveFile();
		if (!this.controller.isDraftNote(file)) return false;
		if (!checking) run(file);
		return true;
	}

	private fileMenu(menu: Menu, file: TAbstractFile): void {
		if (file instanceof TFolder) {
			menu.addItem((item) =>
				item
					.setTitle("Draft replies for emails needing a reply")
					.setIcon("mail-plus")
					.onClick(() => void this.controller.draftMany([file])),
			);
		} else if (this.controller.isDraftNote(file)) {
			menu.addItem((item) => item.setTitle("Redraft with instructions").setIcon("refresh-cw").onClick(() => void this.controller.redraft(file)));
			menu.addItem((item) => item.setTitle("Copy reply").setIcon("copy").onClick(() => void this.controller.copyReply(file)));
			menu.addItem((item) => item.setTitle("Open reply in mail app").setIcon("send").onClick(() => void this.controller.openInMailApp(file)));
		} else if (this.controller.isEmailFile(file)) {
			menu.addItem((item) => item.setTitle("Draft reply").setIcon("mail-plus").onClick(() => void this.controller.draft(file)));
			menu.addItem((item) => item.setTitle("Preview context, then draft reply").setIcon("list-checks").onClick(() => void this.controller.draft(file, { preview: true })));
		}
	}

	private filesMenu(menu: Menu, files: TAbstractFile[]): void {
		menu.addItem((item) =>
			item
				.setTitle("Draft replies for emails needing a reply")
				.setIcon("mail-plus")
				.onClick(() => void this.controller.draftMany(files)),
		);
	}

	/** For the settings tab's model list. */
	modelsConfig(): ClaudeConfig | null {
		return this.controller.bufferedConfig();
	}

	override onunload(): void {
		this.controller?.stop();
	}

	async saveSettings(): Promise<void> {
		await this.saveData(this.drafterSettings);
		this.controller.settingsChanged();
	}
}
