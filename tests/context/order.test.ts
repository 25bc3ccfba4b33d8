import { describe, expect, it } from "@jest/globals";
import { byCodeUnits } from "../../src/shared/order";

describe("byCodeUnits", () => {
	it("orders ISO dates as time runs, with a date before its own timestamps", () => {
		expect(["2026-11-03", "2025-12-31T23:59", "2026-11-03T08:00", "2026-01-15"].sort(byCodeUnits)).toEqual(["2025-12-31T23:59", "2026-01-15", "2026-11-03", "2026-11-03T08:00"]);
	});

	it("is the same order on every device: code units, not the locale's (capitals first, accents after z)", () => {
		expect(["b.md", "Z.md", "á.md", "a.md"].sort(byCodeUnits)).toEqual(["Z.md", "a.md", "b.md", "á.md"]);
		expect(byCodeUnits("x", "x")).toBe(0);
	});
});
