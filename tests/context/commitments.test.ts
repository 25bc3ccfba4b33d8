/**
 * Which lines are your promises (src/context/commitments.ts), in English and in the other
 * languages the email parser reads.
 */
import { describe, it, expect } from "@jest/globals";
import { findCommitments, isCommitment } from "../../src/context/commitments";
import { samePromises } from "../../src/context/build";
import type { Commitment } from "../../src/context/audience.types";

describe("your promises", () => {
	it("in English: we, I, our side, your name; never a question", () => {
		expect(isCommitment("We agreed to send a three-year pricing option.", [])).toBe(true);
		expect(isCommitment("I'll call Ana on Monday.", [])).toBe(true);
		expect(isCommitment("Jordan will book the workshop.", ["Jordan"])).toBe(true);
		expect(isCommitment("Will you send the form?", [])).toBe(false);
		expect(isCommitment("Ana will loop in legal.", ["Jordan"])).toBe(false);
	});

	it.each([
		["de", "Ich schicke Ihnen das Angebot bis Freitag.", "Bis Freitag sende ich Ihnen die Unterlagen.", "Wir haben zugesagt, die Schulung zu übernehmen."],
		["fr", "Je vous enverrai la proposition vendredi.", "Nous allons préparer le devis.", "Je m'engage à livrer avant la fin du mois."],
		["es", "Le enviaré la propuesta el viernes.", "Vamos a preparar el presupuesto.", "Me comprometo a entregarlo antes de fin de mes."],
		["it", "Le invierò la proposta venerdì.", "Mi impegno a consegnare entro fine mese.", "Prepareremo il preventivo."],
		["nl", "Ik stuur je morgen de offerte.", "We zullen de training verzorgen.", "Wij sturen de factuur volgende week."],
		["pt", "Vou enviar a proposta na sexta.", "Enviaremos o orçamento amanhã.", "Me comprometo a entregar até o fim do mês."],
	])("in %s", (_language, ...lines) => {
		for (const line of lines) expect([line, isCommitment(line, [])]).toEqual([line, true]);
	});

	it("not a question, someone else's promise, or a phrase that only looks like one", () => {
		for (const line of [
			"Können Sie mir das Angebot schicken?",
			"Er wird das Angebot schicken.",
			"Ich hoffe, es geht Ihnen gut.",
			"Vamos a ver qué dice legal.",
			"Pourriez-vous m'envoyer le devis ?",
			"Però non possiamo iniziare prima di gennaio.",
			"Hij stuurt de offerte morgen.",
		]) {
			expect([line, isCommitment(line, [])]).toEqual([line, false]);
		}
	});

	it("follow a list your side introduces, in other languages too", () => {
		const note = "Nächste Schritte:\n- Angebot für drei Jahre erstellen\n- Schulungstermin abstimmen\n\nSonstiges:\n- Kunde zufrieden mit dem Piloten";
		expect(findCommitments(note, [], { bodyOnly: true }).map((c) => c.text)).toEqual(["Angebot für drei Jahre erstellen.", "Schulungstermin abstimmen."]);
	});
});

describe("one promise told several times", () => {
	const c = (text: string, date: string | null, path: string, task = false): Commitment => ({ text, date, path, title: path, about: [], task });

	it("is shown once, the newest telling first, the others named", () => {
		const groups = samePromises([
			c("I will send the three-year pricing option to Ana this week.", "2026-11-23", "Sent/a.md"),
			c("We agreed to send a three-year pricing option after the QBR.", "2026-11-18", "Meetings/qbr.md"),
			c("Prepare a three-year pricing option for the renewal", null, "Companies/Acme.md", true),
			c("I'll send Mei the security questionnaire.", "2026-11-20", "Daily/d.md"),
		]);
		expect(groups.map((g) => [g.main.path, g.also.map((a) => a.path)])).toEqual([
			["Sent/a.md", ["Meetings/qbr.md", "Companies/Acme.md"]],
			["Daily/d.md", []],
		]);
	});

	it("are two when they are for two people, or share a word or two only", () => {
		expect(samePromises([c("Send Ana the SSO setup guide", null, "a.md", true), c("Send Mei the SSO setup guide", null, "b.md", true)])).toHaveLength(2);
		expect(samePromises([c("I'll send the pricing sheet for the pilot.", "2026-11-20", "a.md"), c("We agreed to send a three-year pricing option.", "2026-11-18", "b.md")])).toHaveLength(2);
	});
});
