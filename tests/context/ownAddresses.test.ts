/**
 * Your addresses when the setting is empty (src/context/ownAddresses.ts): the address on the
 * email that is on the most emails and on everyone else's, clearly ahead, never a machine's;
 * and what the draft does and says either way.
 */
import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { ownAddressesOf } from "../../src/context/ownAddresses";
import { draftForFile, fileAt } from "../../src/draft/engine";
import { triageFolder } from "../../src/draft/batch";
import { cleanupVaults, loadVault, writeVault } from "../support/vault";

afterAll(cleanupVaults);

/** An index in which each address is on the emails numbered. */
function index(participants: Record<string, number[]>): Parameters<typeof ownAddressesOf>[1] {
	return {
		emailsWith: (addresses) => addresses.flatMap((a) => (participants[a] ?? []).map((n) => `Inbox/${n}.md`)),
		emailCountWith: (address) => (participants[address] ?? []).length,
		emailEntry: (path) => {
			const n = Number(/(\d+)\.md$/.exec(path)?.[1]);
			return { path, from: "", subject: "", date: null, ids: [], participants: Object.keys(participants).filter((a) => participants[a]?.includes(n)) };
		},
	};
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The people on an email, by address (and name when given as "Name <address>"). */
const on = (...people: string[]): Array<{ address: string; name: string }> =>
	people.map((p) => {
		const m = /^(.*) <(.+)>$/.exec(p);
		return m ? { name: m[1] ?? "", address: m[2] ?? "" } : { name: "", address: p };
	});
const ON_EMAIL = on("ana@acme.example", "jordan@northwind.example", "mei@acme.example");

describe("your addresses, when not set", () => {
	it("are the setting when it is set", () => {
		expect(ownAddressesOf(["me@x.example"], index({ "a@x.example": range(1, 10) }), ON_EMAIL)).toEqual({ addresses: ["me@x.example"], inferred: null });
	});

	it("are the address on the email that is on the most emails, and on everyone else's", () => {
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 9), "ana@acme.example": range(1, 5), "mei@acme.example": [2, 4] }), ON_EMAIL)).toEqual({
			addresses: ["jordan@northwind.example"],
			inferred: { address: "jordan@northwind.example", by: "vault", emails: 9, others: 2 },
		});
		// A colleague copied on most of your mail is still one email behind you in five.
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 5), "mei@acme.example": range(1, 4) }), ON_EMAIL).addresses).toEqual(["jordan@northwind.example"]);
		// Written in any case on the email.
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 9), "ana@acme.example": [1] }), on("Jordan@Northwind.example", "ana@acme.example")).addresses).toEqual(["jordan@northwind.example"]);
	});

	it("are the address written with your name on the email, when the vault does not tell", () => {
		const few = index({ "jordan@northwind.example": [1], "ana@acme.example": [1] });
		expect(ownAddressesOf([], few, on("Ana Ruiz <ana@acme.example>", "Jordan Lee <jordan@northwind.example>"), "Jordan Lee")).toEqual({ addresses: ["jordan@northwind.example"], inferred: { address: "jordan@northwind.example", by: "name" } });
		// As mail clients write it: "Lee, Jordan".
		expect(ownAddressesOf([], few, on("Ana Ruiz <ana@acme.example>", "Lee, Jordan <jordan@northwind.example>"), "Jordan Lee").addresses).toEqual(["jordan@northwind.example"]);
		// A first name alone is too common to go by; two people with your name say nothing.
		expect(ownAddressesOf([], few, on("Ana Ruiz <ana@acme.example>", "Jordan <jordan@northwind.example>"), "Jordan").addresses).toEqual([]);
		expect(ownAddressesOf([], few, on("Jordan Lee <jl@acme.example>", "Jordan Lee <jordan@northwind.example>"), "Jordan Lee").addresses).toEqual([]);
	});

	it("are none when the vault does not tell", () => {
		// Too few emails.
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 4), "ana@acme.example": [1] }), ON_EMAIL).addresses).toEqual([]);
		// Two people on every email: a correspondence, but whose?
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 8), "ana@acme.example": range(1, 8) }), ON_EMAIL).addresses).toEqual([]);
		// Nor when the next is within a tenth of the emails.
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 100), "ana@acme.example": range(1, 95) }), ON_EMAIL).addresses).toEqual([]);
		// The busiest address is not on most of another's emails: two mailboxes, not one.
		expect(ownAddressesOf([], index({ "jordan@northwind.example": range(1, 20), "ana@acme.example": range(15, 24) }), ON_EMAIL).addresses).toEqual([]);
		// One address alone on the email (a note with only a sender) says nothing.
		expect(ownAddressesOf([], index({ "ana@acme.example": range(1, 20) }), on("ana@acme.example")).addresses).toEqual([]);
		// A machine's address is never yours, however many emails it is on.
		expect(ownAddressesOf([], index({ "notifications@github.example": range(1, 10), "jordan@northwind.example": range(1, 3) }), on("notifications@github.example", "jordan@northwind.example")).addresses).toEqual([]);
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
		expect(note).toContain('"Your addresses" is not set: jordan@northwind.example was taken as yours (it is on 5 emails in the vault, and on those of everyone else on this one)');
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

	it("takes the address written with your name when the vault is too small to tell", async () => {
		const dir = writeVault(received(1, "Ana Ruiz <ana.ruiz@acme.example>", "Renewal", "Hi Jordan, can we talk on Friday?"));
		const v = await loadVault(dir, { userName: "Jordan Lee" });
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-11 Renewal.md"), { offline: true });
		const note = readFileSync(path.join(dir, out.draftPath), "utf8");
		expect(note).toContain('"Your addresses" is not set: jordan@northwind.example was taken as yours (it is written with your name on this email)');
		expect(note).not.toMatch(/^ {2}- jordan@northwind\.example$/m);
	});

	it("says nothing when they are set", async () => {
		const dir = writeVault(received(1, "Ana Ruiz <ana.ruiz@acme.example>", "Renewal", "Hi Jordan, can we talk on Friday?"));
		const v = await loadVault(dir, { userAddresses: ["jordan@northwind.example"] });
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-11 Renewal.md"), { offline: true });
		expect(readFileSync(path.join(dir, out.draftPath), "utf8")).not.toContain("Your addresses");
	});
});
