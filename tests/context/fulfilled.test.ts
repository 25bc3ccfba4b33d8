/**
 * A commitment that a later email of yours says was done (src/context/fulfilled.ts): which
 * sentences report something done, when a sentence is about the promise, and what the context
 * shows the model, within the boundary.
 */
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { contentWords, deliveryLines, evidenceFor, isReport, type Delivery } from "../../src/context/fulfilled";
import { parseEmailNote, type ParsedEmail } from "../../src/email/parse";
import { buildContext, contextOptionsFrom, type VaultContext } from "../../src/context/build";
import { cleanupVaults, loadVault, writeVault, type Loaded } from "../support/vault";
import type { DrafterSettings } from "../../src/settings";

afterAll(cleanupVaults);

describe("sentences that report something done", () => {
	it("are reports, not promises, plans or questions", () => {
		const message = [
			"Hi Ana,",
			"Attached is the completed security questionnaire. I will send the pricing next week.",
			"Here is the signed order form! Did you get the DPA?",
			"I've booked the SSO workshop for December 3. We'll share the slides once they are ready.",
			"The invoice has been sent. Please find the audit-log export below.",
			"> Attached is something quoted from an earlier message.",
			"Best, Jordan",
		].join("\n");
		expect(deliveryLines(message)).toEqual([
			"Attached is the completed security questionnaire.",
			"Here is the signed order form!",
			"I've booked the SSO workshop for December 3.",
			"The invoice has been sent.",
			"Please find the audit-log export below.",
		]);
	});
});

describe("a report about the promise", () => {
	const at = (line: string, date = "2026-11-23"): Delivery => ({ line, date, path: `Sent/${line.slice(0, 10)}.md`, title: "Sent", kind: "email" });

	it("names most of what the promise is about, two words at least", () => {
		expect([...contentWords("We agreed to send a three-year pricing option after the QBR.")].sort()).toEqual(["option", "pricing", "qbr", "three"]);
		expect(evidenceFor("We agreed to send a three-year pricing option.", [at("Attached is the three-year pricing option.")])?.line).toBe("Attached is the three-year pricing option.");
		// One word in common is not enough: the pricing sheet of another deal is not the option.
		expect(evidenceFor("We agreed to send a three-year pricing option.", [at("Attached is the pricing sheet for the pilot.")])).toBeNull();
		// A report about something else.
		expect(evidenceFor("I'll send Mei the security questionnaire.", [at("Attached is the November invoice.")])).toBeNull();
		// A short promise needs its one word: "the DPA".
		expect(evidenceFor("I will send the DPA by Monday.", [at("Attached is the DPA, signed.")])?.line).toBe("Attached is the DPA, signed.");
	});

	it("in the other languages the parser reads", () => {
		expect(deliveryLines("Hallo Herr Becker,\nanbei das Angebot für drei Jahre. Die Schulung werde ich morgen planen.")).toEqual(["anbei das Angebot für drei Jahre."]);
		expect(evidenceFor("Ich schicke Ihnen das Angebot für drei Jahre bis Freitag.", [at("anbei das Angebot für drei Jahre.")])?.line).toBe("anbei das Angebot für drei Jahre.");
		// Sharing only small words ("das", "für") is not about the same thing.
		expect(evidenceFor("Ich schicke Ihnen das Angebot für drei Jahre bis Freitag.", [at("Anbei das Protokoll für die Sitzung.")])).toBeNull();
		expect(deliveryLines("Vous trouverez ci-joint le devis signé. Je vous enverrai la facture demain.")).toEqual(["Vous trouverez ci-joint le devis signé."]);
		expect(deliveryLines("Te adjunto la propuesta. In allegato il preventivo. Em anexo o contrato.")).toEqual(["Te adjunto la propuesta.", "In allegato il preventivo.", "Em anexo o contrato."]);
	});

	it("in a note, a log line in the past tense counts; a plan, an instruction or a question does not", () => {
		expect(["Sent Ana the deck for the QBR.", "We finally signed the order form.", "Booked the SSO workshop for Thursday."].map(isReport)).toEqual([true, true, true]);
		expect(["Send Ana the deck for the QBR.", "Will send the deck tomorrow.", "Sent the deck already?", "Ana sent the deck back with comments"].map(isReport)).toEqual([false, false, false, false]);
	});

	it("leaves the names of the people out of what a promise is about", () => {
		const names = new Set(["ana", "ruiz"]);
		// "Ana" and "send" are all that "Send Ana the addendum" and "Ana, attached is the invoice" share.
		expect(evidenceFor("Open task: Send Ana Ruiz the EU data-processing addendum", [at("Ana, attached is the invoice.")], names)).toBeNull();
		expect(evidenceFor("Open task: Send Ana Ruiz the EU data-processing addendum", [at("Attached is the EU data-processing addendum.")], names)).not.toBeNull();
	});
});

const ME = ["jordan@northwind.example"];
const SETTINGS: Partial<DrafterSettings> = { userName: "Jordan Lee", userAddresses: ME, timeZone: "Europe/Madrid" };
const NOW = new Date("2026-11-25T10:00:00Z");

const sent = (date: string, to: string, subject: string, body: string): string => `---\ntype: email\nfrom: Jordan Lee <jordan@northwind.example>\nto: ${to}\nsubject: ${subject}\ndate: ${date}T10:00:00Z\n---\n${body}`;

const VAULT: Record<string, string> = {
	"Companies/Northwind.md": "---\ntype: company\ndomain: northwind.example\n---\nOur company.",
	"Companies/Acme Corp.md": "---\ntype: customer\ndomain: acme.example\n---\nAcme, 400 seats.",
	"Companies/Globex.md": "---\ntype: customer\ndomain: globex.example\n---\nGlobex runs a pilot.",
	"People/Ana Ruiz.md": "---\ntype: person\nemail: ana.ruiz@acme.example\ncompany: \"[[Acme Corp]]\"\n---\nVP Engineering.\n\n- [ ] Send Ana the updated EU data-processing addendum",
	"People/Tomás Herrera.md": "---\ntype: person\nemail: tomas@globex.example\ncompany: \"[[Globex]]\"\n---\nLeads the Globex pilot.",
	"Meetings/2026-11-18 Acme QBR.md": "---\ndate: 2026-11-18\ntype: meeting\n---\n- [[Ana Ruiz]] wants SSO for all 400 seats.\n- We agreed to send the security questionnaire by December 1.\n- We agreed to book an SSO rollout workshop.\n- I'll send the audit-log retention policy.\n- I'll send Ana the SOC 2 report.",
	// A log line in a daily note, in the past tense with no subject.
	"Daily/2026-11-22.md": "- Sent [[Ana Ruiz]] the SOC 2 report.\n- [[Ana Ruiz]] will review it next week.",
	// Before the meeting: says nothing about promises made after it.
	"Sent/2026-11-10 Earlier.md": sent("2026-11-10", "Ana Ruiz <ana.ruiz@acme.example>", "Earlier", "Hi Ana,\n\nAttached is last year's security questionnaire.\n\nJordan"),
	"Sent/2026-11-23 Questionnaire.md": sent("2026-11-23", "Ana Ruiz <ana.ruiz@acme.example>", "Security questionnaire", "Hi Ana,\n\nAttached is the completed security questionnaire. I will book the SSO rollout workshop next week.\n\n> Attached is the audit-log retention policy.\n\nJordan"),
	// A task ticked off after the meeting (with the Tasks plugin's done date); and one about Globex, held back.
	"Daily/2026-11-24.md": "- [x] Book the SSO rollout workshop with [[Ana Ruiz]] ✅ 2026-11-24\n- [x] Send [[Tomás Herrera]] the audit-log retention policy\n- [ ] Call [[Ana Ruiz]] about the renewal",
	// To Ana and Globex at once: held back, so it lends no sentence.
	"Sent/2026-11-24 Both.md": sent("2026-11-24", "Ana Ruiz <ana.ruiz@acme.example>, Tomás Herrera <tomas@globex.example>", "Both", "Hi both,\n\nAttached is the updated EU data-processing addendum.\n\nJordan"),
};

function mail(body: string): ParsedEmail {
	return parseEmailNote("Inbox/new.md", `---\ntype: email\nfrom: Ana Ruiz <ana.ruiz@acme.example>\nto: jordan@northwind.example\nsubject: Renewal\ndate: 2026-11-24T09:00:00Z\n---\n${body}`);
}

let v: Loaded;
beforeAll(async () => {
	v = await loadVault(writeVault(VAULT), SETTINGS);
});

async function context(email: ParsedEmail): Promise<VaultContext> {
	return buildContext(v.app, v.index, email, contextOptionsFrom(v.settings, { now: NOW, tokenBudget: 6000 }));
}

describe("your commitments, with what your later emails say", () => {
	it("show the sentence or ticked task and its date; a plan, a quote, an earlier email or a held-back one are not evidence", async () => {
		const ctx = await context(mail("Hi Jordan, where are we on the renewal?"));
		const done = Object.fromEntries(ctx.commitments.map((c) => [c.text, c.doneIn ? [c.doneIn.date, c.doneIn.line, c.doneIn.path] : null]));
		expect(done).toEqual({
			"We agreed to send the security questionnaire by December 1.": ["2026-11-23", "Attached is the completed security questionnaire.", "Sent/2026-11-23 Questionnaire.md"],
			// "I will book … next week" in the email is a plan (and a commitment of its own); the
			// daily note of the 24th ticked the booking off, which answers both.
			"We agreed to book an SSO rollout workshop.": ["2026-11-24", "Book the SSO rollout workshop with Ana Ruiz", "Daily/2026-11-24.md"],
			"I will book the SSO rollout workshop next week.": ["2026-11-24", "Book the SSO rollout workshop with Ana Ruiz", "Daily/2026-11-24.md"],
			// Only quoted in the later email; the ticked task about it is Globex's, held back.
			"I'll send the audit-log retention policy.": null,
			"Call Ana Ruiz about the renewal": null,
			"I'll send Ana the SOC 2 report.": ["2026-11-22", "Sent Ana Ruiz the SOC 2 report.", "Daily/2026-11-22.md"],
			// Sent in an email that also went to Globex: held back, so not shown as done either.
			"Send Ana the updated EU data-processing addendum": null,
		});
		// The model sees the sentence and may refer to it as done; the note links the email.
		expect(ctx.promptMarkdown).toContain('- We agreed to send the security questionnaire by December 1. (2026-11-18, Acme QBR, due Tuesday 1 December 2026, your email of 2026-11-23 says: "Attached is the completed security questionnaire.")');
		expect(ctx.markdown).toContain('; done? your email [[Sent/2026-11-23 Questionnaire|Security questionnaire]] of 2026-11-23 says: "Attached is the completed security questionnaire."');
		expect(ctx.promptMarkdown).not.toContain("updated EU data-processing addendum.\"");
		// The meeting's promise and your email's plan are one promise, shown once (the newest telling).
		expect(ctx.promptMarkdown).toContain('- I will book the SSO rollout workshop next week. (2026-11-23, Security questionnaire, due the week of Monday 30 November 2026, also 2026-11-18 in Acme QBR, ticked off in your notes on 2026-11-24: "Book the SSO rollout workshop with Ana Ruiz")');
		expect(ctx.promptMarkdown).not.toContain("We agreed to book an SSO rollout workshop");
		expect(ctx.markdown).toContain('; also [[Meetings/2026-11-18 Acme QBR|Acme QBR]] (2026-11-18); done? ticked off in [[Daily/2026-11-24|2026-11-24]] on 2026-11-24: "Book the SSO rollout workshop with Ana Ruiz"');
		expect(ctx.promptMarkdown).not.toContain("audit-log retention policy\")");
	});
});
