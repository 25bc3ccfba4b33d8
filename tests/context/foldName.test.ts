/**
 * foldName's ASCII shortcut gives exactly what the general form (NFKD, no combining marks,
 * lower case, runs of anything but letters, digits and `&` as one space) gives.
 */
import { describe, it, expect } from "@jest/globals";
import { foldName } from "../../src/context/properties";

const general = (name: string): string =>
	name
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.replace(/[^\p{L}\p{N}&]+/gu, " ")
		.trim();

describe("foldName", () => {
	it("folds every ASCII character as the general form does", () => {
		let all = "";
		for (let c = 0; c < 128; c++) all += String.fromCharCode(c);
		expect(foldName(all)).toBe(general(all));
		for (let c = 0; c < 128; c++) {
			const s = `Ab${String.fromCharCode(c)}9 x`;
			expect(foldName(s)).toBe(general(s));
		}
	});

	it("agrees on random ASCII strings and on names with diacritics", () => {
		let seed = 7;
		const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let i = 0; i < 2000; i++) {
			const s = Array.from({ length: next() % 24 }, () => String.fromCharCode(next() % 128)).join("");
			expect(foldName(s)).toBe(general(s));
		}
		for (const s of ["Tomás Núñez", "ACME GmbH & Co.", "Zoë  O'Brien", "Ｆｕｌｌ", "Ǆemal", "Re: Ünterlagen"]) expect(foldName(s)).toBe(general(s));
		expect(foldName("Tomás")).toBe(foldName("Tomas"));
	});
});
