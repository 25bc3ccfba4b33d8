/**
 * The draft note, laid out for a busy reader: the title, one line saying what is asked,
 * warnings, the asks as a checklist, the notes for you, then the reply, the original email
 * and the vault context. Frontmatter is written with the host's YAML library (Obsidian's
 * stringifyYaml in the app); every piece of text from an email, a vault note or the model is
 * made inert (see inert.ts), so the note's sections always parse and Copy reply always finds
 * the reply.
 */
import { hostYaml } from "../host/slice";
import type { CollapsibleForm } from "../settings";
import type { ParsedEmail } from "../email/parse";
import { formatAddress, type Address } from "../email/addresses";
import { replySubject } from "../email/subject";
import type { VaultContext } from "../context/build";
import { wikilink } from "../shared/wikilink";
import type { Usage } from "../shared/usage";
import { inert, inertContext, inertLine, quoteBlock, restoreInert } from "./inert";
import { asksSection, NO_NOTES, notesSection, warningsCallout, type AskItem, type NotesForYou } from "./briefing";
import { draftRecipients, replyCc } from "./recipients";
import { readableDateTime } from "./dates";
import type { DraftWarning } from "./warnings";

export { replyCc };

export type DraftStatus = "draft" | "incomplete";

export interface DraftNoteInput {
	email: ParsedEmail;
	emailPath: string;
	reason: string | null;
	topics: string[];
	context: VaultContext;
	reply: string;
	model: string;
	offline: boolean;
	usage: Usage;
	costUsd: number | null;
	created: Date;
	form: CollapsibleForm;
	/** Your addresses, left out of the reply's Cc. */
	ownAddresses?: readonly string[];
	styleSamples?: Array<{ path: string; date: string | null; title: string }>;
	version?: number;
	previousDraftPath?: string;
	instructions?: string;
	/** "incomplete" when the reply was cut off at the length limit. */
	status?: DraftStatus;
	/** The version of the prompt that wrote the reply (none offline). */
	promptVersion?: number;
	/** One line saying what is asked. */
	summary?: string;
	asks?: AskItem[];
	notes?: NotesForYou;
	warnings?: DraftWarning[];
	/** A follow-up to your own sent email, to its recipients. */
	followUp?: boolean;
}

function oneLine(text: string): string {
	return text.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
}

function frontmatter(input: DraftNoteInput, to: Address[], cc: Address[]): string {
	const { context } = input;
	const data: Record<string, unknown> = {
		status: input.status ?? "draft",
		type: "email-draft",
		original: wikilink(input.emailPath, ""),
		created: input.created.toISOString(),
		to: to.map((a) => a.address).join(", "),
		to_name: to.map((a) => oneLine(a.name)).join(", "),
		cc: cc.map((a) => a.address),
		subject: oneLine(replySubject(input.email.subject)),
		reason: input.reason ?? "",
		topics: input.topics.map(oneLine),
		people_mentioned: context.people.map((p) => wikilink(p.path, p.name)),
		organizations: context.organizations.map((o) => wikilink(o.path, o.name)),
		vault_context_used: context.items.length > 0 || (input.styleSamples?.length ?? 0) > 0,
		model: input.offline ? "offline" : input.model,
		offline: input.offline,
		usage: {
			input_tokens: input.usage.inputTokens,
			output_tokens: input.usage.outputTokens,
			cache_read_tokens: input.usage.cacheReadTokens,
			cache_creation_tokens: input.usage.cacheCreationTokens,
		},
		cost_usd: input.costUsd,
	};
	if (input.followUp) data.follow_up = true;
	if (input.promptVersion !== undefined) data.prompt_version = input.promptVersion;
	if (input.version && input.version > 1) {
		data.version = input.version;
		if (input.previousDraftPath) data.previous_draft = wikilink(input.previousDraftPath, "");
		if (input.instructions) data.instructions = oneLine(input.instructions);
	}
	return `---\n${hostYaml().stringify(data)}---\n`;
}

/** A plain address stays an autolink (`<a@b.example>`); the display name is made inert. */
function inertAddress(a: Address): string {
	if (!/^[^\s<>()[\]\\,;:"]+@[^\s<>()[\]\\,;:"]+$/.test(a.address)) return inertLine(formatAddress(a));
	const name = a.name.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
	return name && name !== a.address ? `${inertLine(name)} <${a.address}>` : a.address;
}

function addressLine(list: Address[]): string {
	return list.map(inertAddress).join(", ");
}

function contextSection(context: VaultContext, form: CollapsibleForm, samples: NonNullable<DraftNoteInput["styleSamples"]>): string {
	const count = new Set([...context.items.map((i) => i.path), ...samples.map((s) => s.path)]).size;
	const title = count ? `Notes that informed this draft (${count})` : "No notes in the vault matched this email";
	const sampleList = samples.length
		? `### Your writing samples\n\n${samples.map((s) => `- ${s.date ?? "undated"} · ${wikilink(s.path, oneLine(s.title))}`).join("\n")}`
		: "";
	const heldBack = context.heldBack.length
		? `### Held back from the prompt\n\n${context.heldBack.map((h) => `- ${wikilink(h.path, oneLine(h.name))}: ${oneLine(h.reason)}`).join("\n")}`
		: "";
	const body = inertContext([context.markdown.trim(), sampleList, heldBack].filter(Boolean).join("\n\n")) || "_Nothing from the vault was used._";
	if (form === "details") return ["## Vault Context Used", "", "<details>", `<summary>${title}</summary>`, "", body, "", "</details>"].join("\n");
	return ["## Vault Context Used", "", `> [!info]- ${title}`, quoteBlock(body)].join("\n");
}

function originalSection(email: ParsedEmail, context: VaultContext): string {
	const zone = context.time.timeZone || undefined;
	const local = context.time.emailDateLocal || readableDateTime(email.date, zone);
	// The sender's own clock too, when it differs from yours ("sent at 17:00 their time").
	const sender = context.time.emailDateSender;
	const date = sender && local && sender !== local ? `${local} (${sender} for the sender)` : local;
	const header = [
		`**From:** ${email.from ? inertAddress(email.from) : "(unknown)"}`,
		date ? `**Date:** ${inertLine(date)}` : "",
		email.to.length ? `**To:** ${addressLine(email.to)}` : "",
		email.cc.length ? `**Cc:** ${addressLine(email.cc)}` : "",
		`**Subject:** ${inertLine(email.subject) || "(no subject)"}`,
	].filter(Boolean);
	const body = inert(email.newestMessage.trim() || "(no text)");
	return ["## Original Email", "", quoteBlock([...header, "", body].join("\n"))].join("\n");
}

export const REPLY_HEADING = "## Reply";

export function renderDraftNote(input: DraftNoteInput): string {
	const { email } = input;
	const { to, cc } = draftRecipients(email, input.ownAddresses, input.followUp === true);
	const subject = oneLine(replySubject(email.subject));
	const summary = oneLine(input.summary ?? "");
	const header = [
		`**To:** ${to.length ? addressLine(to) : "(unknown)"}`,
		...(cc.length ? [`**Cc:** ${addressLine(cc)}`] : []),
		`**Subject:** ${inertLine(subject)}`,
		`**Reason:** ${inertLine(input.reason ?? "") || "—"}`,
	];
	const blocks = [
		`# ${input.followUp ? "Follow-up" : "Draft Reply"}: ${inertLine(subject)}`,
		summary ? `**In short:** ${inertLine(summary)}` : "",
		warningsCallout(input.warnings ?? []),
		header.join("\n"),
		asksSection(input.asks ?? []),
		notesSection(input.notes ?? NO_NOTES),
		[REPLY_HEADING, "", inert(input.reply.trim())].join("\n"),
		originalSection(email, input.context),
		contextSection(input.context, input.form, input.styleSamples ?? []),
	].filter(Boolean);
	return `${frontmatter(input, to, cc)}\n${blocks.join("\n\n")}\n`;
}

/**
 * The reply text of a draft note, exactly as the model or the outline wrote it: the section
 * under "## Reply" (nothing inside it can start a heading). Notes from version 0.1 kept the
 * reply between the header's rule and "## Original Email".
 */
export function replyFromDraftNote(text: string): string {
	const normalized = text.replace(/\r\n?/g, "\n");
	const start = normalized.indexOf(`\n${REPLY_HEADING}\n`);
	if (start >= 0) {
		const from = start + REPLY_HEADING.length + 2;
		const next = normalized.indexOf("\n## ", from);
		return restoreInert(normalized.slice(from, next < 0 ? undefined : next).trim());
	}
	const legacyStart = normalized.indexOf("\n---\n", normalized.indexOf("**Context:**"));
	const legacyEnd = normalized.indexOf("\n## Original Email");
	if (legacyStart < 0 || legacyEnd < 0 || legacyEnd <= legacyStart) return "";
	return normalized
		.slice(legacyStart + 5, legacyEnd)
		.replace(/\n---\s*$/, "")
		.split("\n")
		.map((l) => l.replace(/^\\/, ""))
		.join("\n")
		.trim();
}
