/** The plugin's dialogs: drafting progress with Cancel, redraft instructions, context preview, and "no reply needed: draft anyway?". */
import { App, ButtonComponent, Modal, Setting, TextAreaComponent } from "obsidian";
import type { ContextItem, HeldBackItem } from "../context/build";

/** Shows the reply as Claude writes it, with a Cancel button wired to an AbortController. */
export class DraftProgressModal extends Modal {
	readonly controller = new AbortController();
	private finished = false;
	private output: HTMLElement | null = null;
	private statusEl: HTMLElement | null = null;

	constructor(app: App, private readonly title: string) {
		super(app);
	}

	override onOpen(): void {
		this.setTitle(this.title);
		this.contentEl.addClass("email-reply-drafter-progress");
		this.statusEl = this.contentEl.createEl("p", { text: "Gathering context from your vault…", cls: "email-reply-drafter-status" });
		this.output = this.contentEl.createEl("pre", { cls: "email-reply-drafter-stream" });
		new Setting(this.contentEl).addButton((b: ButtonComponent) =>
			b.setButtonText("Cancel").onClick(() => {
				this.controller.abort();
				this.close();
			}),
		);
	}

	setStatus(text: string): void {
		this.statusEl?.setText(text);
	}

	showText(soFar: string): void {
		this.output?.setText(soFar);
	}

	/** Closes after the draft is written; closing it any other way (Esc, ×) cancels. */
	finish(): void {
		this.finished = true;
		this.close();
	}

	override onClose(): void {
		this.contentEl.empty();
		if (!this.finished) this.controller.abort();
	}
}

export const REDRAFT_SUGGESTIONS = ["Shorter", "More formal", "Warmer", "Decline politely", "Propose a call next week", "Ask for more details"];

/** Asks how the next version should differ; resolves to the instructions, or null if dismissed. */
export class RedraftModal extends Modal {
	private resolved = false;
	private text = "";

	constructor(app: App, private readonly onSubmit: (instructions: string | null) => void) {
		super(app);
	}

	override onOpen(): void {
		this.setTitle("Redraft with instructions");
		let area: TextAreaComponent | null = null;
		new Setting(this.contentEl)
			.setName("How should the new version differ?")
			.setDesc("The current draft stays as it is; the new version is written beside it.")
			.addTextArea((t) => {
				area = t;
				t.setPlaceholder("Shorter, and decline the call politely").onChange((v) => (this.text = v));
				t.inputEl.rows = 3;
			});
		const chips = this.contentEl.createDiv({ cls: "email-reply-drafter-chips" });
		for (const suggestion of REDRAFT_SUGGESTIONS) {
			const chip = chips.createEl("button", { text: suggestion, cls: "email-reply-drafter-chip" });
			chip.addEventListener("click", () => {
				this.text = this.text ? `${this.text}; ${suggestion.toLowerCase()}` : suggestion;
				area?.setValue(this.text);
			});
		}
		new Setting(this.contentEl).addButton((b) =>
			b
				.setButtonText("Redraft")
				.setCta()
				.onClick(() => this.submit()),
		);
	}

	submit(instructions = this.text): void {
		if (!instructions.trim()) return;
		this.resolved = true;
		this.onSubmit(instructions.trim());
		this.close();
	}

	override onClose(): void {
		this.contentEl.empty();
		if (!this.resolved) this.onSubmit(null);
	}
}

/** Lists every context item with a checkbox; resolves to the paths left out, or null if cancelled. */
export class PreviewContextModal extends Modal {
	private readonly leaveOut = new Set<string>();
	/** Held-back items the user turned on: their facts may reach this reply after all. */
	private readonly addBack = new Set<string>();
	private resolved = false;

	constructor(
		app: App,
		private readonly items: ContextItem[],
		private readonly onDone: (leaveOut: Set<string> | null, addBack?: Set<string>) => void,
		private readonly heldBack: HeldBackItem[] = [],
	) {
		super(app);
	}

	override onOpen(): void {
		this.setTitle("Preview context");
		this.contentEl.addClass("email-reply-drafter-preview");
		if (!this.items.length) this.contentEl.createEl("p", { text: "No notes in your vault matched this email." });
		const labels: Record<string, string> = { people: "People", commitments: "Your open commitments", organizations: "Organizations", interactions: "Recent interactions", samples: "Your writing samples" };
		for (const section of ["people", "commitments", "organizations", "interactions", "samples"] as const) {
			const items = this.items.filter((i) => i.section === section);
			if (!items.length) continue;
			new Setting(this.contentEl).setName(labels[section] ?? section).setHeading();
			for (const item of items) {
				new Setting(this.contentEl)
					.setName(item.name)
					.setDesc(`${item.path}${item.matchedBy ? ` · matched by ${item.matchedBy}` : ""}${item.date ? ` · ${item.date}` : ""} · ~${item.tokens} tokens`)
					.addToggle((t) =>
						t.setValue(true).onChange((on) => {
							if (on) this.leaveOut.delete(item.path);
							else this.leaveOut.add(item.path);
						}),
					);
			}
		}
		if (this.heldBack.length) {
			new Setting(this.contentEl)
				.setName("Held back")
				.setDesc("Facts about organizations this reply does not go to. Turn one on to let this reply use it.")
				.setHeading();
			for (const held of this.heldBack) {
				new Setting(this.contentEl)
					.setName(held.name)
					.setDesc(`${held.path} · ${held.reason}`)
					.addToggle((t) =>
						t.setValue(false).onChange((on) => {
							if (on) this.addBack.add(held.path);
							else this.addBack.delete(held.path);
						}),
					);
			}
		}
		new Setting(this.contentEl).addButton((b) =>
			b
				.setButtonText("Draft with these notes")
				.setCta()
				.onClick(() => this.finish()),
		);
	}

	/** Also used by tests: leave out the given paths, add back the given held-back ones, and draft. */
	finish(leaveOut: Iterable<string> = [], addBack: Iterable<string> = []): void {
		for (const p of leaveOut) this.leaveOut.add(p);
		for (const p of addBack) this.addBack.add(p);
		this.resolved = true;
		this.onDone(new Set(this.leaveOut), new Set(this.addBack));
		this.close();
	}

	override onClose(): void {
		this.contentEl.empty();
		if (!this.resolved) this.onDone(null);
	}
}

/** Triage says the email needs no reply: says why, and drafts only if you say so. */
export class ConfirmNoReplyModal extends Modal {
	private resolved = false;

	constructor(app: App, private readonly subject: string, private readonly reason: string, private readonly onDone: (draft: boolean) => void) {
		super(app);
	}

	override onOpen(): void {
		this.setTitle("This email needs no reply");
		this.contentEl.createEl("p", { text: `“${this.subject.replace(/[\r\n]+/g, " ")}” looks like it needs no answer: ${this.reason.charAt(0).toLowerCase()}${this.reason.slice(1)}.` });
		this.contentEl.createEl("p", { text: "Draft a reply anyway? The draft will carry a warning saying so." });
		new Setting(this.contentEl)
			.addButton((b) => b.setButtonText("Cancel").onClick(() => this.choose(false)))
			.addButton((b) =>
				b
					.setButtonText("Draft anyway")
					.setCta()
					.onClick(() => this.choose(true)),
			);
	}

	/** Also used by tests. */
	choose(draft: boolean): void {
		this.resolved = true;
		this.onDone(draft);
		this.close();
	}

	override onClose(): void {
		this.contentEl.empty();
		if (!this.resolved) this.onDone(false);
	}
}
