/**
 * The draft note. Frontmatter is written with the host's YAML library (Obsidian's
 * stringifyYaml in the app), and every part that comes from an email, a vault note or the
 * model is fenced so that nothing in it (a `---` line, a `## Vault Context Used` heading, a
 * `</details>`) can break the note's structure.
 */
import { hostYaml } from "../host/slice";
import type { CollapsibleForm } from "../settings";
import type { ParsedEmail } from "../email/parse";
import { formatAddress } from "../email/addresses";
import { replySubject } from "../email/subject";
import { replyCc } from "../email/reply";
export { replyCc } from "../email/reply";
import type { VaultContext } from "../context/build";
import { wikilink } from "../context/build";
import type { Usage } from "../draft/pricing";
import { originalForNote } from "../draft/limits";

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
}

/** Lines of free text that Markdown would read as structure are escaped. */
export function escapeBlock(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((line) => (/^\s{0,3}(?:#{1,6}(?:\s|$)|-{3,}\s*$|={3,}\s*$|\*{3,}\s*$|_{3,}\s*$|<\/?(?:details|summary)\b|\[!|>\s*\[!)/i.test(line) ? `\\${line.trimStart()}` : line))
		.join("\n");
}

/** Prefixes every line so the whole text stays inside a blockquote or callout. */
export function quoteBlock(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((line) => (line.trim() ? `> ${line}` : ">"))
		.join("\n");
}

function escapeHtmlish(text: string): string {
	return text.replace(/<(\/?)(details|summary)/gi, "&lt;$1$2");
}

function oneLine(text: string): string {
	return text.replace(/[\r\n]+/g, " ").trim();
}

function frontmatter(input: DraftNoteInput): string {
	const { email, context } = input;
	const recipient = email.replyTo[0] ?? email.from;
	const data: Record<string, unknown> = {
		status: "draft",
		type: "email-draft",
		original: wikilink(input.emailPath, ""),
		created: input.created.toISOString(),
		to: recipient?.address ?? "",
		to_name: recipient?.name ?? "",
		cc: replyCc(email, input.ownAddresses).map((a) => a.address),
		subject: replySubject(email.subject),
		reason: input.reason ?? "",
		topics: input.topics,
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
	if (input.version && input.version > 1) {
		data.version = input.version;
		if (input.previousDraftPath) data.previous_draft = wikilink(input.previousDraftPath, "");
		if (input.instructions) data.instructions = oneLine(input.instructions);
	}
	return `---\n${hostYaml().stringify(data)}---\n`;
}

function contextSection(context: VaultContext, form: CollapsibleForm, samples: NonNullable<DraftNoteInput["styleSamples"]>): string {
	const count = new Set([...context.items.map((i) => i.path), ...samples.map((s) => s.path)]).size;
	const title = count ? `Notes that informed this draft (${count})` : "No notes in the vault matched this email";
	const sampleList = samples.length
		? `### Your writing samples\n\n${samples.map((s) => `- ${s.date ?? "undated"} · ${wikilink(s.path, oneLine(s.title))}`).join("\n")}`
		: "";
	const body = [context.markdown.trim(), sampleList].filter(Boolean).join("\n\n") || "_Nothing from the vault was used._";
	if (form === "details") {
		const safe = escapeHtmlish(body).replace(/^(\s{0,3})(-{3,}|={3,}|\*{3,}|_{3,})\s*$/gm, "$1\\$2");
		return ["## Vault Context Used", "", "<details>", `<summary>${title}</summary>`, "", safe, "", "</details>"].join("\n");
	}
	return ["## Vault Context Used", "", `> [!info]- ${title}`, quoteBlock(body)].join("\n");
}

function originalSection(email: ParsedEmail): string {
	const header = [
		`**From:** ${email.from ? formatAddress(email.from) : "(unknown)"}`,
		email.date ? `**Date:** ${email.date}` : "",
		email.to.length ? `**To:** ${email.to.map(formatAddress).join(", ")}` : "",
		email.cc.length ? `**Cc:** ${email.cc.map(formatAddress).join(", ")}` : "",
		`**Subject:** ${oneLine(email.subject) || "(no subject)"}`,
	].filter(Boolean);
	// Size limit (src/draft/limits.ts): the note keeps the original whole only up to a bound.
	const body = originalForNote(email.newestMessage.trim()) || "(no text)";
	return ["## Original Email", "", quoteBlock([...header, "", body].join("\n"))].join("\n");
}

export function renderDraftNote(input: DraftNoteInput): string {
	const { email } = input;
	const recipient = email.replyTo[0] ?? email.from;
	const subject = oneLine(replySubject(email.subject));
	const cc = replyCc(email, input.ownAddresses);
	const lines = [
		frontmatter(input),
		`# Draft Reply: ${escapeBlock(subject).replace(/^\\/, "")}`,
		"",
		`**To:** ${recipient ? formatAddress(recipient) : "(unknown)"}`,
		...(cc.length ? [`**Cc:** ${cc.map(formatAddress).join(", ")}`] : []),
		`**Subject:** ${subject}`,
		`**Context:** ${oneLine(input.reason ?? "") || "—"}`,
		"",
		"---",
		"",
		escapeBlock(input.reply.trim()),
		"",
		"---",
		"",
		originalSection(email),
		"",
		contextSection(input.context, input.form, input.styleSamples ?? []),
		"",
	];
	return lines.join("\n");
}

/** The reply text of a draft note (between the header rule and "## Original Email"). */
export function replyFromDraftNote(text: string): string {
	const start = text.indexOf("\n---\n", text.indexOf("**Context:**"));
	const end = text.indexOf("\n## Original Email");
	if (start < 0 || end < 0 || end <= start) return "";
	return text
		.slice(start + 5, end)
		.replace(/\n---\s*$/, "")
		.split("\n")
		.map((l) => l.replace(/^\\/, ""))
		.join("\n")
		.trim();
}
