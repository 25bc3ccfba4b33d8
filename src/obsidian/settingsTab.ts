/**
 * The settings tab: you, Claude, your vault, output. Each row is defined once and rendered
 * both by `display()` (Obsidian 1.11.4 to 1.12) and by `getSettingDefinitions()` (1.13+,
 * where rows also appear in the settings search).
 */
import { App, DropdownComponent, Plugin, PluginSettingTab, SecretComponent, Setting } from "obsidian";
import type { SettingDefinitionItem } from "obsidian";
import { DEFAULT_MODEL, DEFAULT_SETTINGS, normalizeSettings, type DrafterSettings } from "../settings";
import { listActiveModels, type ClaudeConfig } from "../draft/claude";

export interface SettingsHost extends Plugin {
	drafterSettings: DrafterSettings;
	saveSettings(): Promise<void>;
	modelsConfig(): ClaudeConfig | null;
}

interface Row {
	name: string;
	desc: string;
	render: (setting: Setting) => void;
}

interface Group {
	heading: string;
	rows: Row[];
}

const list = (values: string[]): string => values.join(", ");

export class DrafterSettingTab extends PluginSettingTab {
	constructor(app: App, private readonly host: SettingsHost) {
		super(app, host);
	}

	private get s(): DrafterSettings {
		return this.host.drafterSettings;
	}

	private async save(patch: Partial<DrafterSettings>): Promise<void> {
		this.host.drafterSettings = normalizeSettings({ ...this.host.drafterSettings, ...patch });
		await this.host.saveSettings();
	}

	private textRow(name: string, desc: string, key: keyof DrafterSettings, placeholder = "", multiline = false): Row {
		return {
			name,
			desc,
			render: (setting) => {
				const value = this.s[key];
				const shown = Array.isArray(value) ? list(value) : String(value ?? "");
				const onChange = async (v: string): Promise<void> => {
					const patch: Partial<DrafterSettings> = { [key]: v };
					await this.save(patch);
				};
				if (multiline) setting.addTextArea((t) => t.setPlaceholder(placeholder).setValue(shown).onChange(onChange));
				else setting.addText((t) => t.setPlaceholder(placeholder).setValue(shown).onChange(onChange));
			},
		};
	}

	private modelRow(): Row {
		return {
			name: "Model",
			desc: `Default ${DEFAULT_MODEL}. Load models to choose from your account's active models.`,
			render: (setting) => {
				const holder: { dropdown: DropdownComponent | null } = { dropdown: null };
				setting.addDropdown((d) => {
					holder.dropdown = d;
					d.addOption(this.s.model, this.s.model).setValue(this.s.model).onChange(async (v) => this.save({ model: v }));
				});
				setting.addButton((b) =>
					b.setButtonText("Load models").onClick(async () => {
						const config = this.host.modelsConfig();
						if (!config) {
							setting.setDesc("Set an API key first.");
							return;
						}
						try {
							const models = await listActiveModels(config);
							const d = holder.dropdown;
							if (!d) return;
							d.selectEl.empty();
							for (const m of models) d.addOption(m.id, m.displayName);
							if (!models.some((m) => m.id === this.s.model)) d.addOption(this.s.model, `${this.s.model} (not active)`);
							d.setValue(this.s.model);
							setting.setDesc(`${models.length} active models.`);
						} catch (error) {
							setting.setDesc(error instanceof Error ? error.message : String(error));
						}
					}),
				);
			},
		};
	}

	private numberRow(
		name: string,
		desc: string,
		key: "maxOutputTokens" | "contextTokenBudget" | "requestTimeoutSeconds" | "streamStallSeconds" | "draftDeadlineSeconds" | "maxRetryAfterSeconds" | "retries",
	): Row {
		return {
			name,
			desc,
			render: (setting) => {
				setting.addText((t) => t.setValue(String(this.s[key])).onChange(async (v) => this.save({ [key]: Number(v) })));
			},
		};
	}

	private toggleRow(name: string, desc: string, key: "linkBackToOriginal" | "openDraftInNewTab" | "confidentialityBoundary"): Row {
		return {
			name,
			desc,
			render: (setting) => {
				setting.addToggle((t) => t.setValue(this.s[key]).onChange(async (v) => this.save({ [key]: v })));
			},
		};
	}

	private groups(): Group[] {
		return [
			{
				heading: "You",
				rows: [
					this.textRow("Name", "Used in the signature and to write as you.", "userName", "Jordan Lee"),
					this.textRow("Role", "Your role, so replies sound like you.", "userRole", "Head of partnerships"),
					this.textRow("Company", "Where you work.", "userCompany", "Northwind"),
					this.textRow("Your organization note", "The note of your own company, so it is never treated as a counterpart. Empty: the organization whose domain matches your addresses.", "ownOrganization", "Northwind"),
					this.textRow("Time zone", "For today's date and the email's date in the context, such as Europe/Madrid. Empty: this device's time zone.", "timeZone", "Europe/Madrid"),
					this.textRow("Your addresses", "Comma-separated. Mail from these needs no reply and never becomes context. Empty: worked out from your emails when it clearly can be.", "userAddresses", "you@example.com", true),
					this.textRow("Signature", "Added at the end of every draft.", "signature", "Best,\nJordan", true),
					this.textRow("Style notes", "How you write, in your words.", "styleNotes", "Brief, warm, no exclamation marks", true),
					{
						name: "Writing samples",
						desc: "How many of your own recent sent emails Claude sees as examples of your voice. They are listed in each draft's context section. 0 sends none.",
						render: (setting) => {
							setting.addSlider((sl) => sl.setLimits(0, 8, 1).setValue(this.s.styleSamples).onChange(async (v) => this.save({ styleSamples: v })));
						},
					},
				],
			},
			{
				heading: "Claude",
				rows: [
					{
						name: "API key",
						desc: "Kept in Obsidian's secret storage; the plugin saves only the secret's name. Without a key, drafts are offline outlines.",
						render: (setting) => {
							setting.addComponent((el) => new SecretComponent(this.app, el).setValue(this.s.apiKeySecretName).onChange(async (name) => this.save({ apiKeySecretName: name })));
						},
					},
					this.modelRow(),
					this.numberRow("Max output tokens", "Upper bound on the length of a reply.", "maxOutputTokens"),
					{
						name: "Temperature",
						desc: "Leave empty for the model's default. Current models (Sonnet 5 and later) accept only their default; older ones take 0 to 1.",
						render: (setting) => {
							setting.addText((t) =>
								t
									.setPlaceholder("Model default")
									.setValue(this.s.temperature === null ? "" : String(this.s.temperature))
									.onChange(async (v) => this.save({ temperature: v.trim() === "" ? null : Number(v) })),
							);
						},
					},
					this.numberRow("Context budget", "Tokens of vault context per draft, estimated at four characters a token. Cards are added by priority until it is full.", "contextTokenBudget"),
					this.textRow("Base URL", "Optional: a proxy or gateway that speaks the Anthropic API.", "baseUrl", "https://api.anthropic.com"),
					// Every wait is bounded; the messages name the setting that ended one.
					this.numberRow("Request timeout", "Seconds to wait for Claude to start answering, on each attempt.", "requestTimeoutSeconds"),
					this.numberRow("Stall timeout", "Seconds of silence allowed in the middle of a streamed reply.", "streamStallSeconds"),
					this.numberRow("Draft deadline", "Seconds one draft may take in all, retries and waits included.", "draftDeadlineSeconds"),
					this.numberRow("Longest retry wait", "When the API asks to wait longer than this many seconds, the draft stops at once and says so.", "maxRetryAfterSeconds"),
					this.numberRow("Retries", "After a rate limit, an overload, a server error or a lost connection, before any text arrived.", "retries"),
				],
			},
			{
				heading: "Your vault",
				rows: [
					this.textRow("People folders", "Notes here are people.", "peopleFolders", list(DEFAULT_SETTINGS.peopleFolders)),
					this.textRow("Organization folders", "Notes here are companies, customers or partners.", "organizationFolders", list(DEFAULT_SETTINGS.organizationFolders)),
					this.textRow("Person types", "Values of the type property that mean a person.", "personTypes", list(DEFAULT_SETTINGS.personTypes)),
					this.textRow("Organization types", "Values of the type property that mean an organization.", "organizationTypes", list(DEFAULT_SETTINGS.organizationTypes)),
					this.textRow("Email folders", "Only notes in these folders count as emails. Empty: anywhere.", "emailFolders", "Inbox"),
					this.textRow("Email tag", "Only notes with this tag count as emails. Empty: any.", "emailTag", "email"),
					this.textRow(
						"Email property names",
						"For an importer with its own property names: one mapping a line, its property then the field (from, fromName, to, cc, bcc, replyTo, subject, date, messageId, inReplyTo, references, threadId).",
						"emailPropertyNames",
						"sender_address: from\nbetreff: subject",
						true,
					),
					this.textRow("Excluded folders", "Never read into context or sent to Claude.", "excludedFolders", "Private, Journal"),
					this.textRow("Excluded tags", "Notes with these tags are never read into context or sent to Claude.", "excludedTags", "private"),
					this.textRow("Excluded properties", "Notes with one of these properties are never read into context or sent to Claude. One key: value a line or comma.", "excludedProperties", list(DEFAULT_SETTINGS.excludedProperties), true),
					this.toggleRow("Keep each organization's facts to itself", "Facts about an organization reach a reply only when someone from it receives the reply (your own company excepted). What is held back is listed in the draft.", "confidentialityBoundary"),
				],
			},
			{
				heading: "Output",
				rows: [
					this.textRow("Drafts folder", "Empty: beside the original email.", "draftsFolder", "Drafts"),
					this.textRow("File name", "{{email}} is the email's name, {{subject}} its subject, {{date}} today.", "fileNameTemplate", DEFAULT_SETTINGS.fileNameTemplate),
					{
						name: "Context section",
						desc: "How the collapsed vault context is written.",
						render: (setting) => {
							setting.addDropdown((d) =>
								d
									.addOption("callout", "Folded callout")
									.addOption("details", "HTML details")
									.setValue(this.s.collapsibleForm)
									.onChange(async (v) => this.save({ collapsibleForm: v === "details" ? "details" : "callout" })),
							);
						},
					},
					this.toggleRow("Link back from the email", "Adds a reply_draft property to the original email. Its text is never changed.", "linkBackToOriginal"),
					this.toggleRow("Open drafts in a new tab", "Opens each finished draft in a new tab.", "openDraftInNewTab"),
					{
						name: "Batch concurrency",
						desc: "How many drafts a batch writes at once.",
						render: (setting) => {
							setting.addSlider((sl) => sl.setLimits(1, 8, 1).setValue(this.s.batchConcurrency).onChange(async (v) => this.save({ batchConcurrency: v })));
						},
					},
				],
			},
		];
	}

	/** Obsidian 1.13+: declarative rows, found by the settings search. */
	override getSettingDefinitions(): SettingDefinitionItem[] {
		return this.groups().map((g) => ({
			type: "group" as const,
			heading: g.heading,
			items: g.rows.map((r) => ({ name: r.name, desc: r.desc, render: (setting: Setting) => r.render(setting) })),
		}));
	}

	/** Obsidian 1.11.4 to 1.12. */
	override display(): void {
		const { containerEl } = this;
		containerEl.empty();
		for (const group of this.groups()) {
			new Setting(containerEl).setName(group.heading).setHeading();
			for (const row of group.rows) row.render(new Setting(containerEl).setName(row.name).setDesc(row.desc));
		}
	}
}
