/**
 * Issue 11 row: "a fresh clone with no shared folder beside it, tests as the release workflow runs
 * them (CI=true)". The reply-splitting corpora live in tests/fixtures with their licences, and
 * no test reads anything outside the clone.
 */
import { describe, it, expect } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { FIXTURES, REPLY_SPLIT, EMAIL_REPLY } from "./corpus";

const TESTS = path.resolve(__dirname, "..");

function testSources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (full === FIXTURES) return [];
		if (statSync(full).isDirectory()) return testSources(full);
		return /\.(?:ts|cjs|mjs|js)$/.test(name) ? [full] : [];
	});
}

describe("vendored reply-splitting fixtures (fresh clone without the shared folder)", () => {
	it("keeps every corpus with its licence inside tests/fixtures", () => {
		expect(readFileSync(path.join(EMAIL_REPLY, "LICENSE"), "utf8")).toMatch(/MIT License/);
		const sources = readdirSync(REPLY_SPLIT).filter((f) => statSync(path.join(REPLY_SPLIT, f)).isDirectory());
		expect(sources.length).toBeGreaterThanOrEqual(9);
		for (const source of sources) expect(existsSync(path.join(REPLY_SPLIT, source, "LICENSE"))).toBe(true);
	});

	it("no test reads the shared folder beside the clone", () => {
		// A path into that folder (with a slash after it, or its parts joined), not a title naming it.
		// Built from parts so that this file does not name the folder it looks for.
		const outside = new RegExp(`${["\\.\\.", "shared"].join("/")}/|["']\\.\\.["'],\\s*["']${"shared"}["']`);
		const offenders = testSources(TESTS).filter((file) => outside.test(readFileSync(file, "utf8")));
		expect(offenders.map((f) => path.relative(TESTS, f))).toEqual([]);
	});
});
