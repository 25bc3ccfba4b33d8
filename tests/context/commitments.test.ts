/**
 * Which lines are your promises (src/context/commitments.ts), in English and in the other
 * languages the email parser reads.
 */
import { describe, it, expect } from "@jest/globals";
import { findCommitments, isCommitment } from "../../src/context/commitments";

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
