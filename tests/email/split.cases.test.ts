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
