/**
 * The offline draft: no network call at all. A reply outline the user fills in: greeting,
 * each question and request as a bullet with a placeholder, next steps, signature.
 */
import type { DrafterSettings } from "../settings";
import type { ParsedEmail } from "../email/parse";
import { baseSubject } from "../email/subject";

function firstName(email: ParsedEmail): string {
	const name = email.from?.name?.trim() ?? "";
	if (!name) return "";
	// "Ruiz, Ana" → Ana
	const m = /^([^,]+),\s*(.+)$/.exec(name);
	return ((m ? m[2] : name) ?? "").split(/\s+/)[0] ?? "";
}

export function offlineOutline(settings: DrafterSettings, email: ParsedEmail, asks: string[]): string {
	const name = firstName(email);
	const lines: string[] = [name ? `Hi ${name},` : "Hi,", ""];
	const subject = baseSubject(email.subject);
	lines.push(`Thank you for your email${subject ? ` about ${subject}` : ""}.`, "");
	if (asks.length) {
		for (const ask of asks) lines.push(`- ${ask.replace(/\s+/g, " ")} → [your answer]`);
		lines.push("");
	} else {
		lines.push("[your reply]", "");
	}
	lines.push("Next steps: [what happens next, who does it, by when]", "");
	lines.push(settings.signature.trim() || (settings.userName.trim() ? `Best,\n${settings.userName.trim()}` : "Best,\n[your name]"));
	return lines.join("\n");
}
