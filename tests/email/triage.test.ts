import { describe, it, expect } from "@jest/globals";
import { parseEmailNote } from "../../src/email/parse";
import { needsReply, findAsks } from "../../src/email/triage";
import { extractTopics } from "../../src/email/topics";

const ME = ["jordan@northwind.example"];

type Kind = "question" | "action" | "meeting" | "deadline" | "newsletter" | "automated" | "thanks" | "fyi" | "mine" | "none";

interface Case {
	kind: Kind;
	from: string;
	subject: string;
	body: string;
	extra?: string;
	reason?: string;
}

function email(c: Case) {
	const fm = [`---`, `type: email`, `from: '${c.from}'`, `to: jordan@northwind.example`, `subject: '${c.subject.replace(/'/g, "''")}'`, c.extra ?? "", `---`, c.body].filter((l) => l !== "").join("\n");
	return parseEmailNote("x.md", fm);
}

/** A labelled set of emails a working inbox holds, written for these tests. */
const CASES: Case[] = [
	// Questions
	{ kind: "question", from: "Ana Ruiz <ana@acme.example>", subject: "Renewal", body: "Hi Jordan,\n\nIs the three-year option still on the table?\n\nAna", reason: "Contains question" },
	{ kind: "question", from: "tom@globex.example", subject: "Pilot", body: "Quick one: which warehouses are in scope for week two?", reason: "Contains question" },
	{ kind: "question", from: "Priya <priya@initech.example>", subject: "Connector", body: "Did the v3 build pass your tests?\n\nOn Mon, Nov 2, 2026 at 9:00 AM Jordan <jordan@northwind.example> wrote:\n> We are testing it now.", reason: "Contains question" },
	{ kind: "question", from: "Max <max@firma.example>", subject: "Angebot", body: "Hallo Jordan,\n\nwie hoch wäre der Preis für 50 Lizenzen?\n\nGruß\nMax", reason: "Contains question" },
	{ kind: "question", from: "Léa <lea@societe.example>", subject: "Question", body: "Bonjour,\n\nEst-ce que la version mobile est disponible ?\n\nMerci", reason: "Contains question" },
	{ kind: "question", from: "sam@startup.example", subject: "Intro", body: "Hey, a friend said you handle partnerships. Who should I talk to about reselling?", reason: "Contains question" },
	{ kind: "question", from: "Ken <ken@acme.example>", subject: "SSO", body: "Thanks for the docs! One more thing: does SSO support Okta groups?", reason: "Contains question" },
	// Requests for action
	{ kind: "action", from: "Mei Chen <mei@acme.example>", subject: "Questionnaire", body: "Hi Jordan,\n\nPlease send over the completed security questionnaire.\n\nMei", reason: "Asks for action" },
	{ kind: "action", from: "legal@acme.example", subject: "DPA", body: "Attached is the DPA. Kindly review and sign the last page.", reason: "Asks for action" },
	{ kind: "action", from: "Raj <raj@initech.example>", subject: "Listing", body: "Let me know if the listing text works for you.", reason: "Asks for action" },
	{ kind: "action", from: "Ana <ana@acme.example>", subject: "Deck", body: "Could you share the slides from the QBR with my team.", reason: "Asks for action" },
	{ kind: "action", from: "finance@globex.example", subject: "Invoice", body: "We need you to confirm the PO number for invoice 4411.", reason: "Asks for action" },
	{ kind: "action", from: "Kai <kai@partner.example>", subject: "Feedback", body: "I'd love your feedback on the attached proposal.", reason: "Asks for action" },
	// Meeting requests
	{ kind: "meeting", from: "Ana <ana@acme.example>", subject: "Call", body: "Would Thursday or Friday work for a 30-minute call?", reason: "Meeting request" },
	{ kind: "meeting", from: "tom@globex.example", subject: "Sync", body: "Can we find time next week to go through the results?", reason: "Meeting request" },
	{ kind: "meeting", from: "Priya <priya@initech.example>", subject: "Demo", body: "Let's schedule a demo for the sales team.", reason: "Meeting request" },
	{ kind: "meeting", from: "Lea <lea@societe.example>", subject: "Lunch", body: "Are you free on Tuesday for lunch in Paris?", reason: "Meeting request" },
	{ kind: "meeting", from: "ops@partner.example", subject: "QBR", body: "Please send me a calendar invite for the QBR.", reason: "Meeting request" },
	// Deadlines
	{ kind: "deadline", from: "Mei <mei@acme.example>", subject: "Paperwork", body: "Can you send the signed order form by Friday?", reason: "Deadline mentioned" },
	{ kind: "deadline", from: "tom@globex.example", subject: "Budget", body: "Our budget freezes Dec 12, so please confirm the scope before the end of the week.", reason: "Deadline mentioned" },
	{ kind: "deadline", from: "legal@acme.example", subject: "Contract", body: "Urgent: please return the redlines by EOD.", reason: "Deadline mentioned" },
	{ kind: "deadline", from: "raj@initech.example", subject: "Cert", body: "We need the re-certification no later than December 8. Can your team make it?", reason: "Deadline mentioned" },
	// Newsletters and bulk mail
	{ kind: "newsletter", from: "Digest <digest@news.example>", subject: "Weekly digest", body: "Five ideas for your week. What would you try?", extra: "list-unsubscribe: <https://news.example/u>" },
	{ kind: "newsletter", from: "hello@saas.example", subject: "New features!", body: "Can your team move faster? Try our new dashboards.\n\nUnsubscribe | Manage preferences" },
	{ kind: "newsletter", from: "events@conf.example", subject: "Early bird ends Friday", body: "Register by Friday to save 30%! Questions? Reply anytime.\n\nTo opt out of these emails, click here." },
	{ kind: "newsletter", from: "team@community.example", subject: "Forum roundup", body: "Top threads this week. Would you like to contribute?", extra: "list-id: <community.example>" },
	{ kind: "newsletter", from: "marketing@vendor.example", subject: "Webinar", body: "Join us Thursday. Can't make it? View this email in your browser." },
	{ kind: "newsletter", from: "news@press.example", subject: "Press", body: "Headlines of the day.", extra: "precedence: bulk" },
	// Automated notifications
	{ kind: "automated", from: "noreply@github.example", subject: "[repo] PR #12", body: "Can you review? alice requested your review on this pull request." },
	{ kind: "automated", from: "notifications@tool.example", subject: "Task assigned", body: "A task was assigned to you: please update the forecast." },
	{ kind: "automated", from: "no-reply@bank.example", subject: "Your code", body: "Your verification code is 123456. Do not share it." },
	{ kind: "automated", from: "shop@store.example", subject: "Shipped", body: "Good news! Your order has shipped and will arrive Thursday." },
	{ kind: "automated", from: "ana@acme.example", subject: "Automatic reply: Renewal", body: "I am out of the office until Monday. For urgent matters, please contact Mei." },
	{ kind: "automated", from: "mailer-daemon@mail.example", subject: "Delivery Status Notification (Failure)", body: "Your message could not be delivered." },
	{ kind: "automated", from: "alerts@monitor.example", subject: "CPU high", body: "This is an automated message. CPU above 90% on db-1." },
	{ kind: "automated", from: "calendar@acme.example", subject: "Accepted: QBR", body: "Ana Ruiz has accepted this invitation." },
	{ kind: "automated", from: "it@acme.example", subject: "Password", body: "Click here to reset your password. Please do not reply to this email." },
	// Thanks only / FYI
	{ kind: "thanks", from: "Mei <mei@acme.example>", subject: "Re: Questionnaire", body: "Thanks Jordan, got it!\n\nMei", reason: "Thanks only" },
	{ kind: "thanks", from: "tom@globex.example", subject: "Re: Notes", body: "Thank you so much 🙏" },
	{ kind: "thanks", from: "Ana <ana@acme.example>", subject: "Re: Slides", body: "Hi Jordan,\n\nPerfect, thanks!\n\nAna\n\nOn Tue, Nov 3, 2026 at 10:00 AM Jordan <jordan@northwind.example> wrote:\n> Can you confirm you received the slides?" },
	{ kind: "fyi", from: "raj@initech.example", subject: "FYI", body: "FYI, the connector docs moved to the new portal. No action needed.", reason: "FYI, no action needed" },
	{ kind: "fyi", from: "ana@acme.example", subject: "Heads up", body: "Heads up: our office is closed on Friday." },
	// Mail you sent
	{ kind: "mine", from: "Jordan Lee <jordan@northwind.example>", subject: "Renewal", body: "Shall we meet on the 18th?", reason: "Sent by you" },
	// Nothing asked
	{ kind: "none", from: "ana@acme.example", subject: "Update", body: "The team finished the migration yesterday. All good on our side." },
];

describe("triage on a labelled set", () => {
	it("has at least 40 emails of varied kinds", () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
		expect(new Set(CASES.map((c) => c.kind)).size).toBe(10);
	});

	it.each(CASES.map((c, i) => [`${i + 1}. ${c.kind}: ${c.subject}`, c] as const))("%s", (_label, c) => {
		const verdict = needsReply(email(c), ME);
		const expected = ["question", "action", "meeting", "deadline"].includes(c.kind);
		expect(verdict.needed).toBe(expected);
		expect(verdict.reason).toBeTruthy();
		if (c.reason) expect(verdict.reason).toBe(c.reason);
	});

	it("marks no newsletter or automated mail as needing a reply", () => {
		const wrong = CASES.filter((c) => c.kind === "newsletter" || c.kind === "automated").filter((c) => needsReply(email(c), ME).needed);
		expect(wrong.map((c) => c.subject)).toEqual([]);
	});
});

describe("questions and requests", () => {
	it("lists each ask once, in order", () => {
		const asks = findAsks("Hi,\n\n1. Can you confirm SSO?\n2. Please send the questionnaire by Dec 1.\n\nAlso, the docs at https://x.example/?q=1 look good. Would Thursday work?");
		expect(asks).toEqual(["Can you confirm SSO?", "Please send the questionnaire by Dec 1.", "Would Thursday work?"]);
	});

	it("take a request verb that is also a noun or a statement as an ask only in the imperative", () => {
		// A statement that names a review, an approval or a confirmation asks nothing.
		expect(findAsks("Attached is my draft agenda for the quarterly review. Could you add the renewal pipeline as item three?")).toEqual([
			"Could you add the renewal pipeline as item three?",
		]);
		expect(findAsks("The review went well. I can confirm the order shipped. Legal's approval came through on Monday.")).toEqual([]);
		// The same verbs opening a sentence are requests.
		expect(findAsks("Hi Sam,\n\nReview the attached agenda before Friday. Confirm receipt. Take a look when you can.")).toEqual([
			"Review the attached agenda before Friday.",
			"Confirm receipt.",
			"Take a look when you can.",
		]);
	});

	it("does not count a statement about a review as a request for a reply", () => {
		const email = parseEmailNote("Agenda.md", "---\nfrom: sam@partner.example\nsubject: Agenda\n---\nHi,\n\nAttached is my draft agenda for the quarterly review.\n\nSam");
		expect(needsReply(email, [])).toEqual({ needed: false, reason: "No question or request" });
	});
});

describe("topics", () => {
	it("come from the subject and recurring names, without the participants", () => {
		// SSO is in the subject and the message, so it ranks first.
		expect(extractTopics("Re: Acme renewal: SSO and pricing", "Ana Ruiz here. The Acme team needs SSO before the QBR. Can Initech join the QBR?", ["Ana Ruiz"])).toEqual([
			"SSO",
			"Acme renewal",
			"pricing",
			"QBR",
			"Acme",
		]);
		expect(extractTopics("", "")).toEqual([]);
	});

	it("leave out greetings, titles, formal pronouns and day names in the other languages", () => {
		// German capitalises every noun: a single word counts only when it comes back.
		expect(extractTopics("Angebot für 2027", "Guten Morgen Herr Lee,\n\nkönnten Sie mir das Angebot bis Freitag schicken? Die Lizenzen für Beispiel GmbH laufen aus. Die Lizenzen brauchen wir im Dezember.\n\nMit freundlichen Grüßen\nKlaus Becker", ["Klaus Becker", "Jordan Lee"])).toEqual([
			"Angebot für 2027",
			"Lizenzen",
			"Beispiel GmbH",
		]);
		expect(extractTopics("Proposition", "Bonjour Monsieur Lee,\n\nPouvez-vous nous envoyer la proposition pour Globex avant vendredi ? Merci, Madame Dupont", ["Jordan Lee"])).toEqual(["Proposition", "Globex", "Dupont"]);
		// English keeps a name met once: in English a capital marks a name.
		expect(extractTopics("Hello", "Could Initech join us?")).toEqual(["Initech"]);
	});
});
