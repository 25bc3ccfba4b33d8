/**
 * Settings shared by the plugin (saved in data.json by Obsidian) and the CLI (which reads
 * the same file). The API key is never a setting: only the name of the secret that holds it.
 */
export type CollapsibleForm = "callout" | "details";

export interface DrafterSettings {
	// You
	userName: string;
	userRole: string;
	userCompany: string;
	/** Your own addresses: mail from them needs no reply, and they are never context. */
	userAddresses: string[];
	signature: string;
	styleNotes: string;
	/** How many of your own sent emails the model sees as examples of your voice (0: none). */
	styleSamples: number;
	/** Your company's organization note or name; empty: the organization whose domain matches your addresses. */
	ownOrganization: string;
	/** IANA time zone for dates in the context ("Europe/Madrid"); empty: the system's. */
	timeZone: string;

	// Claude
	/** Name of the entry in Obsidian's secret storage that holds the API key. */
	apiKeySecretName: string;
	model: string;
	maxOutputTokens: number;
	/**
	 * Null sends none and leaves the model's default. Current models (Sonnet 5 and later)
	 * reject other values; older ones accept 0 to 1.
	 */
	temperature: number | null;
	/** Optional proxy or gateway; empty uses the SDK default. */
	baseUrl: string;
	/** Token budget for the vault context cards. */
	contextTokenBudget: number;
	/** Bounded waits (seconds): until Claude starts answering, between stream events, per draft. */
	requestTimeoutSeconds: number;
	streamStallSeconds: number;
	draftDeadlineSeconds: number;
	/** A `retry-after` longer than this fails the draft at once instead of waiting. */
	maxRetryAfterSeconds: number;
	/** Retries after 429, 529, 5xx or a connection lost before any text. */
	retries: number;

	// Your vault
	peopleFolders: string[];
	organizationFolders: string[];
	personTypes: string[];
	organizationTypes: string[];
	/** Only notes in these folders count as emails (empty: anywhere). */
	emailFolders: string[];
	/** Only notes with this tag count as emails (empty: any). */
	emailTag: string;
	/** Another importer's property names for email fields, one `their property: field` a line. */
	emailPropertyNames: string[];
	/** Never read into context or prompts. */
	excludedFolders: string[];
	excludedTags: string[];
	/** Notes with one of these properties are never read or sent: `key: value`, e.g. `ai: exclude`. */
	excludedProperties: string[];
	/**
	 * Facts about an organization reach a reply only when someone from it receives the reply
	 * (your own company's excepted). Off: everything that matched may be used.
	 */
	confidentialityBoundary: boolean;

	// Output
	/** Empty: beside the original email. */
	draftsFolder: string;
	/** `{{email}}` is the email note's name, `{{date}}` today's date. */
	fileNameTemplate: string;
	collapsibleForm: CollapsibleForm;
	linkBackToOriginal: boolean;
	openDraftInNewTab: boolean;
	batchConcurrency: number;
}

export const DEFAULT_MODEL = "claude-sonnet-5-5";

export const DEFAULT_SETTINGS: DrafterSettings = {
	userName: "",
	userRole: "",
	userCompany: "",
	userAddresses: [],
	signature: "",
	styleNotes: "",
	styleSamples: 4,
	ownOrganization: "",
	timeZone: "",
	apiKeySecretName: "anthropic-api-key",
	model: DEFAULT_MODEL,
	maxOutputTokens: 1024,
	temperature: null,
	baseUrl: "",
	contextTokenBudget: 1800,
	requestTimeoutSeconds: 60,
	streamStallSeconds: 30,
	draftDeadlineSeconds: 180,
	maxRetryAfterSeconds: 60,
	retries: 2,
	peopleFolders: ["People", "Contacts"],
	organizationFolders: ["Companies", "Customers", "Organizations", "Partners"],
	personTypes: ["person", "people", "contact"],
	organizationTypes: ["company", "customer", "partner", "organization", "organisation", "competitor", "vendor", "supplier"],
	emailFolders: [],
	emailTag: "",
	emailPropertyNames: [],
	excludedFolders: [],
	excludedTags: ["private"],
	excludedProperties: ["ai: exclude", "private: true"],
	confidentialityBoundary: true,
	draftsFolder: "",
	fileNameTemplate: "{{email}} - reply draft",
	collapsibleForm: "callout",
	linkBackToOriginal: false,
	openDraftInNewTab: true,
	batchConcurrency: 2,
};

function stringList(value: unknown, fallback: string[]): string[] {
	if (typeof value === "string") return value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
	if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string").map((s) => s.trim()).filter(Boolean);
	return fallback;
}

/**
 * Folders as vault paths, as Obsidian writes them: `./Private/`, `/Private` and `Private\`
 * all mean `Private` (an exclusion written any of these ways must hold). A folder that
 * climbs out of the vault (`..`) names nothing in it and is dropped.
 */
function folderList(value: unknown, fallback: string[]): string[] {
	return stringList(value, fallback)
		.map((f) => f.normalize("NFC").replace(/\\/g, "/").split("/").filter((part) => part !== "" && part !== ".").join("/"))
		.filter((f) => f !== "" && !f.split("/").includes(".."));
}

function str(value: unknown, fallback: string): string {
	return typeof value === "string" ? value : fallback;
}

function num(value: unknown, fallback: number, min: number, max: number): number {
	const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
	return typeof n === "number" && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
	return typeof value === "boolean" ? value : fallback;
}

/** Merges saved data over the defaults, dropping anything of the wrong type. */
export function normalizeSettings(raw: unknown): DrafterSettings {
	const d = DEFAULT_SETTINGS;
	const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
	return {
		userName: str(r.userName, d.userName),
		userRole: str(r.userRole, d.userRole),
		userCompany: str(r.userCompany, d.userCompany),
		userAddresses: stringList(r.userAddresses, d.userAddresses).map((a) => a.toLowerCase()),
		signature: str(r.signature, d.signature),
		styleNotes: str(r.styleNotes, d.styleNotes),
		styleSamples: Math.round(num(r.styleSamples, d.styleSamples, 0, 8)),
		ownOrganization: str(r.ownOrganization, d.ownOrganization).replace(/^\[\[|\]\]$/g, "").trim(),
		timeZone: str(r.timeZone, d.timeZone).trim(),
		apiKeySecretName: str(r.apiKeySecretName, d.apiKeySecretName),
		model: str(r.model, d.model).trim() || d.model,
		maxOutputTokens: Math.round(num(r.maxOutputTokens, d.maxOutputTokens, 64, 64000)),
		temperature: r.temperature === null || r.temperature === undefined || r.temperature === "" ? null : num(r.temperature, d.temperature ?? 0, 0, 1),
		baseUrl: str(r.baseUrl, d.baseUrl).trim(),
		contextTokenBudget: Math.round(num(r.contextTokenBudget, d.contextTokenBudget, 200, 50000)),
		requestTimeoutSeconds: num(r.requestTimeoutSeconds, d.requestTimeoutSeconds, 0.1, 600),
		streamStallSeconds: num(r.streamStallSeconds, d.streamStallSeconds, 0.1, 600),
		draftDeadlineSeconds: num(r.draftDeadlineSeconds, d.draftDeadlineSeconds, 1, 3600),
		maxRetryAfterSeconds: num(r.maxRetryAfterSeconds, d.maxRetryAfterSeconds, 0, 600),
		retries: Math.round(num(r.retries, d.retries, 0, 5)),
		peopleFolders: folderList(r.peopleFolders, d.peopleFolders),
		organizationFolders: folderList(r.organizationFolders, d.organizationFolders),
		personTypes: stringList(r.personTypes, d.personTypes).map((t) => t.toLowerCase()),
		organizationTypes: stringList(r.organizationTypes, d.organizationTypes).map((t) => t.toLowerCase()),
		emailFolders: folderList(r.emailFolders, d.emailFolders),
		emailTag: str(r.emailTag, d.emailTag).replace(/^#/, "").trim(),
		emailPropertyNames: stringList(r.emailPropertyNames, d.emailPropertyNames),
		excludedFolders: folderList(r.excludedFolders, d.excludedFolders),
		excludedTags: stringList(r.excludedTags, d.excludedTags).map((t) => t.replace(/^#/, "").toLowerCase()),
		// One rule a line or comma-separated: "ai: exclude, private: true".
		excludedProperties: stringList(r.excludedProperties, d.excludedProperties),
		confidentialityBoundary: bool(r.confidentialityBoundary, d.confidentialityBoundary),
		draftsFolder: str(r.draftsFolder, d.draftsFolder).trim(),
		fileNameTemplate: str(r.fileNameTemplate, d.fileNameTemplate).trim() || d.fileNameTemplate,
		collapsibleForm: r.collapsibleForm === "details" ? "details" : "callout",
		linkBackToOriginal: bool(r.linkBackToOriginal, d.linkBackToOriginal),
		openDraftInNewTab: bool(r.openDraftInNewTab, d.openDraftInNewTab),
		batchConcurrency: Math.round(num(r.batchConcurrency, d.batchConcurrency, 1, 8)),
	};
}

/** The transport's bounded waits, in the milliseconds ClaudeConfig.limits takes. */
export function transportLimits(s: DrafterSettings): { requestTimeoutMs: number; stallTimeoutMs: number; deadlineMs: number; maxRetryAfterMs: number; retries: number } {
	return {
		requestTimeoutMs: s.requestTimeoutSeconds * 1000,
		stallTimeoutMs: s.streamStallSeconds * 1000,
		deadlineMs: s.draftDeadlineSeconds * 1000,
		maxRetryAfterMs: s.maxRetryAfterSeconds * 1000,
		retries: s.retries,
	};
}
