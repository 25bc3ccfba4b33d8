/**
 * The draft read as a professional reads it: what each ask's "it" is, the outline's facts and
 * promises under the ask they are about, a summary that reads as a sentence, and a follow-up
 * that notices the thread has moved on.
 */
import { describe, it, expect, afterAll, beforeEach } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import { asksWithReferents } from "../../src/draft/asks";
import { findAsks } from "../../src/email/triage";
import { draftForFile, fileAt, prepare } from "../../src/draft/engine";
import { offlineOutline } from "../../src/draft/offline";
import { buildPrompt } from "../../src/draft/prompt";
import { parseEmailNote } from "../../src/email/parse";
import { normalizeSettings } from "../../src/settings";
import { dueOf, type VaultContext } from "../../src/context/build";
import { resolveRelativeDates } from "../../src/context/time";
import { cleanupVaults, copyExampleVault, loadVault, EXAMPLE_SETTINGS, type Loaded } from "../support/vault";
import { emptyContext } from "../support/context";

const ACME = "Inbox/2026-11-21 Re Acme renewal.md";
let v: Loaded;
beforeEach(async () => {
	v = await loadVault(copyExampleVault(), EXAMPLE_SETTINGS);
});
afterAll(() => cleanupVaults());

const referents = (message: string): Array<[string, string | null]> => asksWithReferents(message, findAsks(message)).map((a) => [a.text, a.referent]);

describe("what an ask's \"it\" is", () => {
	it("is the thing the earlier ask names, not that whole earlier question", () => {
		const message = "Hi Jordan,\n\nCould we see the three-year option you mentioned? Would Thursday work for a call to go through it?\n\nThanks,\nAna";
		expect(referents(message)).toEqual([
			["Could we see the three-year option you mentioned?", null],
			["Would Thursday work for a call to go through it?", "the three-year option"],
		]);
	});

	it("is the same thing along a chain of \"it\"s", () => {
		const message = "Hi,\n\nWe are releasing version 3 of the connector on December 8. Could you re-certify it before then? Can we also list it as a joint solution?\n\nRaj";
		const [first, second] = referents(message);
		expect(first?.[1]).toBe("We are releasing version 3 of the connector on December 8.");
		expect(second?.[1]).toBe(first?.[1]);
	});

	it("works the same way in German", () => {
		const message = "Guten Tag,\n\nkönnten Sie uns das neue Angebot schicken? Können wir es am Dienstag besprechen?\n\nViele Grüße";
		expect(referents(message)[1]?.[1]).toBe("das neue Angebot");
	});

	it("in German, \"das\" points back as a pronoun, not as the article of a noun; thanks are never what \"it\" is", () => {
		const message = "Hallo Jordan,\n\nvielen Dank für das QBR. Könnten Sie uns das dreijährige Angebot schicken? Können wir es bis Freitag besprechen?\n\nViele Grüße\nAna";
		expect(referents(message)).toEqual([
			["Könnten Sie uns das dreijährige Angebot schicken?", null],
			["Können wir es bis Freitag besprechen?", "das dreijährige Angebot"],
		]);
		expect(referents("Hallo,\n\nDer Vertrag ist fertig. Können Sie das bis Freitag unterschreiben?\n\nGrüße")[0]?.[1]).toBe("Der Vertrag ist fertig.");
		expect(referents("Hi,\n\nThanks again for the QBR. Could you send it today?\n\nAna")[0]?.[1]).toBeNull();
	});

	it("is what \"the new one\" and \"before then\" point back to", () => {
		const message = "Hi Jordan,\n\nOur SAML certificate expires on December 2. Can your team upload the new one before then?\n\nRegards,\nAiko";
		expect(referents(message)[0]?.[1]).toBe("Our SAML certificate expires on December 2.");
	});

	it("stays the earlier sentence when that sentence is a statement, or names no thing", () => {
		expect(referents("Hi,\n\nMei still needs the security questionnaire. Could you send it by December 1?\n\nAna")[0]?.[1]).toBe("Mei still needs the security questionnaire.");
		// "Can you confirm?" names nothing: the question itself is the best we have.
		expect(referents("Hi,\n\nCan you confirm? Could you also send it in writing?\n\nAna")[1]?.[1]).toBe("Can you confirm?");
	});
});

function context(over: Partial<VaultContext>): VaultContext {
	return emptyContext(over);
}

/** The lines under one quoted ask, up to the blank line. */
function under(outline: string, ask: string): string[] {
	const lines = outline.split("\n");
	const at = lines.indexOf(`> ${ask}`);
	if (at < 0) throw new Error(`no ask "${ask}" in:\n${outline}`);
	const end = lines.indexOf("", at);
	return lines.slice(at + 1, end < 0 ? undefined : end);
}

describe("the offline outline", () => {
	it("puts each promise under the ask it is about, labels tasks as tasks, and shows each once", () => {
		const email = parseEmailNote("Inbox/x.md", "---\nfrom: Lena Park <lena@client.example>\nsubject: Contract\n---\nHi,\n\nCould you send the signed contract? Can we meet on Tuesday to go through it?\n\nLena");
		const asks = asksWithReferents(email.newestMessage, findAsks(email.newestMessage));
		const outline = offlineOutline(normalizeSettings({ userName: "Sam" }), {
			email,
			mode: "reply",
			reason: "Contains question",
			asks,
			context: context({
				time: { ...context({}).time, today: "2026-11-25" },
				commitments: [
					{ text: "I'll send the signed contract by Monday.", date: "2026-11-18", path: "Meetings/Kickoff.md", title: "Kickoff", about: [], task: false },
					{ text: "Countersign the contract", date: null, path: "People/Lena Park.md", title: "Lena Park", about: [], task: true },
					{ text: "Invite Lena to the user group", date: null, path: "People/Lena Park.md", title: "Lena Park", about: [], task: true },
				],
			}),
		});
		// The call to "go through it" is about the contract too, but the promises are about sending it.
		expect(under(outline, "Could you send the signed contract?")).toEqual([
			"[your answer]",
			// Made on Wednesday 18 November "by Monday": due the 23rd, before today (the 25th).
			"[Your promise: I'll send the signed contract by Monday. (Kickoff, 2026-11-18; due Monday 23 November 2026, now past)]",
			"[Open task: Countersign the contract (Lena Park)]",
		]);
		expect(under(outline, "Can we meet on Tuesday to go through it?")).toEqual(["[your answer]"]);
		// What no ask is about is listed once, as what it is.
		expect(outline.match(/Invite Lena/g)).toHaveLength(1);
		expect(outline).toContain("[Open task: Invite Lena to the user group (Lena Park)]");
		expect(outline).not.toMatch(/You said you would/);
	});

	it("on the example vault: the questionnaire that went out since comes first under its ask, and the three-year promises under theirs", async () => {
		const prepared = await prepare(v.engine(), fileAt(v.app, ACME));
		const outline = offlineOutline(v.settings, { email: prepared.email, mode: prepared.mode, reason: prepared.triage.reason, asks: prepared.asks, context: prepared.context });
		// What happened since the email (sent on the 23rd, received on the 24th) comes first.
		expect(under(outline, "Could you send it by December 1?").slice(1)).toEqual([
			"[From your notes: Thanks Jordan, got it! (Re: Security questionnaire, 2026-11-24, after this email)]",
			expect.stringMatching(/^\[From your notes: Attached is the completed security questionnaire[^\]]*\(Security questionnaire, 2026-11-23, after this email\)\]$/),
		]);
		const threeYear = under(outline, "Also, could we see the three-year option you mentioned?");
		// One promise told three times (your email, the QBR, an open task): one line, the newest, naming the others.
		expect(threeYear.filter((l) => /three-year pricing option/.test(l))).toEqual([
			"[Your promise: I will send the three-year pricing option to Ana separately this week. (Security questionnaire, 2026-11-23; due the week of Monday 23 November 2026; also Acme QBR (2026-11-18), Acme Corp (Open task))]",
		]);
		expect(under(outline, "Would Thursday or Friday next week work for a 30-minute call to go through it?")).toEqual(["[your answer]"]);
		// A title holding ": " stays whole ("RE: Re: Acme renewal", not "RE").
		expect(outline).not.toMatch(/\(RE, /);
		// A card's sentence says whose card it is; a daily note is named by its date once.
		expect(outline).not.toMatch(/\((\d{4}-\d{2}-\d{2}), \1\)/);
	});
});

describe("a promise a later line says was kept", () => {
	it("shows that line and its date, in the email's language, and no longer says it is past due", () => {
		const email = parseEmailNote("Inbox/e.md", "---\nfrom: Ana Ruiz <ana@acme.example>\nsubject: Renewal\ndate: 2026-11-24\n---\nHi Jordan, where are we?");
		const time = { ...emptyContext().time, today: "2026-11-25" };
		const commitments = [
			{ text: "I'll send the deck by Friday.", date: "2026-11-16", path: "Daily/2026-11-16.md", title: "2026-11-16", about: [], task: false, doneIn: { line: "Attached is the deck.", date: "2026-11-19", path: "Sent/deck.md", title: "Deck", kind: "email" as const } },
		];
		const outline = offlineOutline(normalizeSettings({ userName: "Jordan" }), { email, mode: "reply", reason: null, asks: [], context: context({ commitments, time }) });
		expect(outline).toContain("[Your promise: I'll send the deck by Friday. (2026-11-16; due Friday 20 November 2026; done 2026-11-19: “Attached is the deck.”)]");
		expect(outline).not.toContain("now past");
	});
});

describe("when a promise falls due", () => {
	it("counts from the day it was made; a week is past only once it has ended", () => {
		expect(dueOf({ text: "I'll send the deck by Friday.", date: "2026-11-16" }, "2026-11-25")).toBe("due Friday 20 November 2026, now past");
		expect(dueOf({ text: "I will send it this week.", date: "2026-11-23" }, "2026-11-25")).toBe("due the week of Monday 23 November 2026");
		expect(dueOf({ text: "We agreed to send a pricing option.", date: "2026-11-18" }, "2026-11-25")).toBe("");
		expect(dueOf({ text: "I'll send it by Friday.", date: null }, "2026-11-25")).toBe("");
	});

	it("never reads \"the end of week two\" (of a pilot) as the end of this week", () => {
		expect(resolveRelativeDates("we review forecast error together at the end of week two.", { year: 2026, month: 11, day: 5 })).toEqual([]);
		expect(resolveRelativeDates("by the end of the week", { year: 2026, month: 11, day: 5 }).map((r) => r.date)).toEqual(["2026-11-06"]);
	});
});

describe("an outline for an email that needs no reply, drafted anyway", () => {
	const settings = normalizeSettings({ userName: "Sam" });
	it("says once why none was needed, then gives a short reply to fill in, greeting no one by name on a list's mail", () => {
		const digest = parseEmailNote("Inbox/d.md", "---\nfrom: Product Digest <digest@news.example>\nsubject: Your weekly digest\nlist-unsubscribe: <https://news.example/u>\n---\nThis week: ten tools. What would you try?");
		expect(offlineOutline(settings, { email: digest, mode: "reply-not-needed", reason: "Newsletter or bulk mail", asks: [], context: context({}) })).toBe(
			"[No reply needed: Newsletter or bulk mail.]\n\nHi,\n\n[your reply]\n\nBest,\nSam",
		);
	});

	it("greets a person by name, without the @ of a people-note name", () => {
		const email = parseEmailNote("Inbox/t.md", "---\nfrom: \"@Hannah Schultz <hannah@firm.example>\"\nsubject: Agenda\n---\nThanks, all good!");
		expect(offlineOutline(settings, { email, mode: "reply-not-needed", reason: "Thanks only", asks: [], context: context({}) })).toMatch(/^\[No reply needed: Thanks only\.\]\n\nHi Hannah,\n/);
	});
});

describe("the note a busy reader opens", () => {
	it("says in one sentence who asks how much about what, and by when", async () => {
		const out = await draftForFile(v.engine(), fileAt(v.app, ACME));
		const note = readFileSync(path.join(v.dir, out.draftPath), "utf8");
		expect(note).toContain("**In short:** Ana Ruiz (Acme Corp) asks 4 things about “Acme renewal” (deadline: Tuesday 1 December 2026).");
		expect(note).toContain("- [ ] Would Thursday or Friday next week work for a 30-minute call to go through it? (“the three-year option”)");
	});

	it("warns that a follow-up to your own email comes after a newer email of its thread", async () => {
		const stale = await draftForFile(v.engine(), fileAt(v.app, "Inbox/2026-11-10 Acme renewal.md"));
		const note = readFileSync(path.join(v.dir, stale.draftPath), "utf8");
		expect(note).toMatch(/> - This thread has a newer email \(Saturday 21 November 2026, “RE: Re: Acme renewal”\)/);
		// Nothing newer in the thread: no such warning.
		const fresh = await draftForFile(v.engine(), fileAt(v.app, "Sent/2026-11-12 Initech listing.md"));
		expect(readFileSync(path.join(v.dir, fresh.draftPath), "utf8")).not.toMatch(/newer email/);
	});

	it("the follow-up prompt tells the model to look for a later email of the thread, in our words only", async () => {
		const prepared = await prepare(v.engine(), fileAt(v.app, "Inbox/2026-11-10 Acme renewal.md"));
		const prompt = buildPrompt(v.settings, { email: prepared.email, mode: prepared.mode, reason: prepared.triage.reason, asks: prepared.asks, context: prepared.context }, "claude-sonnet-5-5");
		const task = prompt.user.slice(prompt.user.lastIndexOf("<task>"));
		expect(task).toMatch(/holds a later email of this thread/);
		expect(task).not.toMatch(/Acme|Ana|renewal/);
	});
});
