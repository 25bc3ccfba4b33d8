import { describe, it, expect } from "@jest/globals";
import { splitReply } from "../../src/email/split";

/** Our own cases, for what the shared fixtures do not cover. */
describe("splitting the newest message from the thread: our cases", () => {
	it.each([
		[
			"Outlook desktop: a rule, then a From/Sent/To/Subject block",
			"Sounds good, see you then.\n\nJordan\n\n________________________________\nFrom: Ana Ruiz <ana@acme.example>\nSent: Monday, November 23, 2026 9:14 AM\nTo: Jordan Lee\nSubject: Call\n\nDoes 3pm work?",
			"Sounds good, see you then.\n\nJordan",
			"Does 3pm work?",
		],
		["Mobile sign-off", "Yes, approved.\n\nSent from my iPhone\n\n> On Nov 2 Ana wrote:\n> Can you approve?", "Yes, approved.", "Can you approve?"],
		["Signature delimiter", "Done, thanks.\n-- \nJordan Lee\nHead of Partnerships | +1 555 0100", "Done, thanks.", ""],
		["Gmail in German", "Passt, danke!\n\nAm Mo., 23. Nov. 2026 um 09:14 Uhr schrieb Ana Ruiz <ana@acme.example>:\n> Passt Dienstag?", "Passt, danke!", "Passt Dienstag?"],
		["Spanish", "Perfecto.\n\nEl lun, 23 nov 2026 a las 9:14, Ana Ruiz (<ana@acme.example>) escribió:\n> ¿Te va bien el martes?", "Perfecto.", "¿Te va bien el martes?"],
		["Original message banner", "See below.\n\n-----Original Message-----\nFrom: Ana\nOld text", "See below.", "Old text"],
		["Apple Mail forward", "FYI, see below.\n\nBegin forwarded message:\n\nFrom: Ana <ana@acme.example>\nSubject: Plan\n\nThe plan.", "FYI, see below.", "The plan."],
		["A sentence that starts with On is not a header", "On Monday we wrote the plan together.\nCan you review it?", "On Monday we wrote the plan together.\nCan you review it?", ""],
		["Bottom-posting keeps the answer", "> Can you make Tuesday?\n\nYes, Tuesday works.", "Yes, Tuesday works.", "Can you make Tuesday?"],
	])("%s", (_name, body, newest, quotedContains) => {
		const split = splitReply(body);
		expect(split.newest).toBe(newest);
		if (quotedContains) expect(split.quoted).toContain(quotedContains);
		else expect(split.quoted).toBe("");
	});
});

/** The convention the README documents: what the newest message includes and excludes. */
describe("the newest message's convention", () => {
	const newest = (body: string): string => splitReply(body).newest;

	it("keeps the sign-off and the name under it, and drops the contact block", () => {
		const split = splitReply("Hi Jordan,\n\nConfirmed for Thursday.\n\nBest regards,\nAna\n\nAna Ruiz\nVP Engineering | Acme Corp\n+1 555 0100\nwww.acme.example");
		expect(split.newest).toBe("Hi Jordan,\n\nConfirmed for Thursday.\n\nBest regards,\nAna");
		expect(split.signature).toContain("VP Engineering");
	});

	it("keeps what follows a sign-off when it is more message (a P.S.)", () => {
		expect(newest("Confirmed.\n\nThanks,\nAna\n\nP.S. Could you also send the slides from the QBR before Friday?")).toContain("P.S. Could you also send the slides");
	});

	it("drops a `-- ` signature", () => {
		expect(newest("Done.\n\nAna\n-- \nAna Ruiz · Acme")).toBe("Done.\n\nAna");
	});

	it.each([
		"Sent from my iPhone",
		"Sent from my Galaxy",
		"Sent from Outlook for Android",
		"Get Outlook for iOS<https://aka.ms/o0ukef>",
		"Sent with Proton Mail secure email.",
		"Envoyé de mon iPhone",
		"Von meinem iPhone gesendet",
		"Enviado desde mi iPhone",
		"Enviado do meu iPhone",
		"Inviato da iPhone",
		"Verzonden vanaf mijn iPhone",
		"Skickat från min iPhone",
		"Sendt fra min iPhone",
		"Lähetetty iPhonesta",
		"Отправлено с iPhone",
		"Wysłane z iPhone'a",
		"Odesláno z iPhonu",
		"Az iPhone-omról küldve",
		"Trimis de pe iPhone-ul meu",
		"iPhone'umdan gönderildi",
		"iPhoneから送信",
		"从我的iPhone发送",
		"发自我的iPhone",
		"iPhone에서 보냄",
		"Gửi từ iPhone của tôi",
	])("drops the device line %s", (device) => {
		const split = splitReply(`Yes, approved.\n\n${device}`);
		expect(split.newest).toBe("Yes, approved.");
		expect(split.signature).toBe(device);
	});

	it("keeps a sentence that begins like a device line", () => {
		expect(newest("Here is another email\n\nSent from my desk, is much easier than my mobile phone.")).toBe("Here is another email\n\nSent from my desk, is much easier than my mobile phone.");
	});

	it.each([
		["CAUTION: This email originated from outside of the organization. Do not click links or open attachments unless you recognize the sender.", "Hi Jordan,\n\nCan we move the call?"],
		["[EXTERNAL]", "Hi Jordan,\n\nCan we move the call?"],
		["You don't often get email from ana@acme.example. Learn why this is important<https://aka.ms/LearnAboutSenderIdentification>", "Hi Jordan,\n\nCan we move the call?"],
	])("drops the banner at the top: %s", (banner, message) => {
		const split = splitReply(`${banner}\n\n${message}`);
		expect(split.newest).toBe(message);
		expect(split.signature).toContain(banner.slice(0, 12));
	});

	it("drops a legal disclaimer", () => {
		expect(newest("Please find the contract attached.\n\nAna\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee.")).toBe("Please find the contract attached.\n\nAna");
		expect(newest("See you Thursday.\n\nThis email and any files transmitted with it are confidential and intended solely for the use of the individual to whom they are addressed.")).toBe("See you Thursday.");
	});

	it("drops a meeting-join block", () => {
		const body = "Agenda attached, see you then.\n\n________________________________________________________________________________\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room device\nClick here to join the meeting\nMeeting ID: 123 456 789";
		expect(newest(body)).toBe("Agenda attached, see you then.");
		expect(newest("Let's use my Zoom.\n\nJoin Zoom Meeting\nhttps://zoom.us/j/123\nMeeting ID: 123 4567")).toBe("Let's use my Zoom.");
	});

	it("keeps `>` lines that are content when nothing marks them as a quote", () => {
		expect(newest("We need a plan for\n> 10 seats\nby Friday.")).toBe("We need a plan for\n> 10 seats\nby Friday.");
		expect(newest("Visit us now for assistance...\n>>> >>>  http://www.domain.example <<<\nVisit our site by clicking the link above")).toContain(">>> >>>");
	});

	it("keeps what is inside a fenced code block", () => {
		const body = "Run this:\n\n```\n> npm run build\n--\nSent from my iPhone\n```\n\nDoes it fail for you too?";
		expect(newest(body)).toBe(body);
	});

	it("reads a bottom-posted answer below the quote", () => {
		expect(newest("On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\nHello")).toBe("Hello");
	});

	it("reads inline answers between quotes as one message", () => {
		const split = splitReply("On Mon, Nov 23, 2026 at 9:14 AM Ana Ruiz <ana@acme.example> wrote:\n> Can you do Tuesday?\n\nYes, Tuesday works.\n\n> And the slides?\n\nAttached.");
		expect(split.newest).toBe("Yes, Tuesday works.\n\nAttached.");
		expect(split.quoted).toContain("Can you do Tuesday?");
	});

	it("takes `name@x wrote:` without a date for an attribution, but not a bare `Someone wrote:` over unquoted text", () => {
		expect(newest("Yes that would be fine\n\njanedoe@something.example wrote:\n\nHey is it ok if I borrow your mouse?")).toBe("Yes that would be fine");
		expect(newest("Our CFO wrote:\nthe budget is fixed for this year.")).toBe("Our CFO wrote:\nthe budget is fixed for this year.");
	});

	it("a forward's note is the message, the forwarded mail the thread; a bare forward is answered as the forwarded mail", () => {
		const fwd = "---------- Forwarded message ---------\nFrom: Ana Ruiz <ana@acme.example>\nDate: Mon, Nov 23, 2026 at 9:14 AM\nSubject: Renewal\nTo: Jordan Lee <jordan@northwind.example>\n\nCan you send the questionnaire?";
		const withNote = splitReply(`Mei, can you take this one?\n\n${fwd}`);
		expect(withNote.newest).toBe("Mei, can you take this one?");
		expect(withNote.quoted).toContain("Can you send the questionnaire?");
		expect(splitReply(fwd).newest).toBe("Can you send the questionnaire?");
	});

	it("splits an attribution that a client joined onto the reply's last line", () => {
		expect(newest("reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi")).toBe("reply");
	});
});

describe("content that looks like headers", () => {
	it("keeps an invitation's Date:/Subject: lines", () => {
		const body = "Please put this in your calendar:\n\nDate: Thursday, December 3\nSubject: Q4 review\nLocation: Room 4\n\nSee you there?";
		expect(splitReply(body).newest).toBe(body);
	});
});

describe("prose that reads like an attribution", () => {
	it("keeps a sentence of the writer's own that ends with a date and a colon", () => {
		const body = "Hello,\n\nWe wrote the spec together on 12 November 2026 at 10:30:\nthe API must support pagination.\n\nIs that still the plan?";
		expect(splitReply(body).newest).toBe(body);
		const mine = "Hi Ana,\n\nI wrote to Raj <raj@initech.example> on 20 November 2026:\n\nHe has not answered yet. Shall I call him?";
		expect(splitReply(mine).newest).toBe(mine);
	});
});

describe("a contact block without a sign-off", () => {
	it("keeps the name and drops the title, company and phone under it", () => {
		const split = splitReply("Sounds good, Thursday it is.\n\nJordan Lee\nHead of Partnerships\nNorthwind | +1 555 0100\nwww.northwind.example");
		expect(split.newest).toBe("Sounds good, Thursday it is.\n\nJordan Lee");
		expect(split.signature).toContain("+1 555 0100");
	});
	it("keeps a short closing paragraph that is not a contact block", () => {
		const body = "See the notes below.\n\nAgenda\nBudget review\nHiring plan";
		expect(splitReply(body).newest).toBe(body);
	});
});

describe("`>` lines that are a console session", () => {
	it("keep a pasted console prompt and its output when nothing marks them as a quote", () => {
		const body = "Hi,\n\nThe build fails with:\n\n> npm run build\n> npm ERR! code ELIFECYCLE\n> npm ERR! errno 1\n\nAny idea?";
		expect(splitReply(body).newest).toBe(body);
	});
	it("still read quoted prose without an attribution as the thread", () => {
		expect(splitReply("My answers:\n\n> Can you send the file?\n> And the numbers?\n\nDone, both attached.").newest).toBe("My answers:\n\nDone, both attached.");
	});
});
