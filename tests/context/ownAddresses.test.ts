/**
 * Your addresses when the setting is empty (src/context/ownAddresses.ts): the address on most
 * of the vault's emails, clearly ahead of any other, and never a machine's; and what the draft
 * does and says either way.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { ownAddressesOf } from "../../src/context/ownAddresses";
import { draftForFile, fileAt } from "../../src/draft/engine";
import { triageFolder } from "../../src/draft/batch";
import { cleanupVaults, loadVault, writeVault } from "../support/vault";

afterAll(cleanupVaults);

/** An index answering `size` and the participant table. */
function index(emails: number, participants: Record<string, number>): Parameters<typeof ownAddressesOf>[1] {
	const table = new Map(Object.entries(participants).map(([address, n]) => [address, Array.from({ length: n }, (_, i) => `Inbox/${address}-${i}.md`)]));
	return { size: { entities: 0, emails, notes: emails }, lookupEntries: () => table };
}

describe("your addresses, when not set", () => {
	it("are the setting when it is set", () => {
		expect(ownAddressesOf(["me@x.example"], index(10, { "a@x.example": 10 }))).toEqual({ addresses: ["me@x.example"], inferred: null });
	});

	it("are the address on most emails, well ahead of the next", () => {
		// A colleague copied on most of your mail is still one email behind you in five.
		expect(ownAddressesOf([], index(5, { "jordan@northwind.example": 5, "mei@acme.example": 4 })).addresses).toEqual(["jordan@northwind.example"]);
		expect(ownAddressesOf([], index(10, { "jordan@northwind.example": 9, "ana@acme.example": 5, "mei@acme.example": 2 }))).toEqual({
			addresses: ["jordan@northwind.example"],
			inferred: { address: "jordan@northwind.example", emails: 9, of: 10 },
		});
	});

	it("are none when the vault does not tell", () => {
		// Too few emails.
		expect(ownAddressesOf([], index(3, { "jordan@northwind.example": 3 })).addresses).toEqual([]);
		// Two people on every email: a correspondence, but whose?
		expect(ownAddressesOf([], index(8, { "jordan@northwind.example": 8, "ana@acme.example": 8 })).addresses).toEqual([]);
		// Nor when the next is within a tenth of the emails.
		expect(ownAddressesOf([], index(100, { "jordan@northwind.example": 100, "ana@acme.example": 95 })).addresses).toEqual([]);
		// On under 60% of the emails.
		expect(ownAddressesOf([], index(10, { "jordan@northwind.example": 5, "ana@acme.example": 1 })).addresses).toEqual([]);
		// A machine's address is never yours, however many emails it is on.
		expect(ownAddressesOf([], index(10, { "notifications@github.example": 10, "jordan@northwind.example": 3 })).addresses).toEqual([]);
	});
});

const received = (n: number, from: string, subject: string, body: string): Record<string, string> => ({
	[`Inbox/2026-11-${String(10 + n).padStart(2, "0")} ${subject}.md`]: `---\ntype: email\nfrom: ${from}\nto: Jordan Lee <jordan@northwind.example>\ncc: Mei Chen <mei.chen@acme.example>\nsubject: ${subject}\ndate: 2026-11-${String(10 + n).padStart(2, "0")}T09:00:00Z\n---\n${body}`,
});

describe("a draft with your addresses not set", () => {
	it("leaves the address the vault shows out of the recipients, and says so", async () => {
		const dir = writeVault({
			...received(1, "Ana Ruiz <ana.ruiz@acme.example>", "Renewal", "Hi Jordan, can we talk on Friday?"),
			...received(2, "Tomás Herrera <tomas@globex.example>", "Pilot", "Hi Jordan, how is the pilot going?"),
			...received(3, "Raj Patel <raj@initech.example>", "Connector", "Could you test the connector?"),
			...received(4, "Ana Ruiz <ana.ruiz@acme.example>", "SSO", "Is SSO ready?"),
			"Sent/2026-11-15 Re Renewal.md": "---\ntype: email\nfrom: Jordan Lee <jordan@northwind.example>\nto: Ana Ruiz <ana.ruiz@acme.example>\nsubject: \"Re: Renewal\"\ndate: 2026-11-15T09:00:00Z\n---\nFriday works. Shall I send the agenda?",
		});
		const v = await loadVault(dir);
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-14 SSO.md"), { offline: true });
		const note = readFileSync(path.join(dir, out.draftPath), "utf8");
		expect(note).toMatch(/^to: ana\.ruiz@acme\.example$/m);
		expect(note).toMatch(/^cc:\n {2}- mei\.chen@acme\.example\n/m);
		expect(note).not.toMatch(/^ {2}- jordan@northwind\.example$/m);
		expect(note).toContain('"Your addresses" is not set: jordan@northwind.example was taken as yours (it is on 5 of the vault\'s 5 emails)');
		// Your own sent email needs no reply.
		const rows = await triageFolder(v.engine(), "Sent");
		expect(rows.map((r) => [r.path, r.needsReply])).toEqual([["Sent/2026-11-15 Re Renewal.md", false]]);
	});

	it("says when the vault does not show which address is yours", async () => {
		const dir = writeVault(received(1, "Ana Ruiz <ana.ruiz@acme.example>", "Renewal", "Hi Jordan, can we talk on Friday?"));
		const v = await loadVault(dir);
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-11 Renewal.md"), { offline: true });
		const note = readFileSync(path.join(dir, out.draftPath), "utf8");
		expect(note).toContain('"Your addresses" is not set and the vault does not show which is yours');
		// Nothing known, so nothing left out: you are still on the Cc, as the warning says.
		expect(note).toMatch(/^ {2}- jordan@northwind\.example$/m);
	});

	it("says nothing when they are set", async () => {
		const dir = writeVault(received(1, "Ana Ruiz <ana.ruiz@acme.example>", "Renewal", "Hi Jordan, can we talk on Friday?"));
		const v = await loadVault(dir, { userAddresses: ["jordan@northwind.example"] });
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-11 Renewal.md"), { offline: true });
		expect(readFileSync(path.join(dir, out.draftPath), "utf8")).not.toContain("Your addresses");
	});
});
