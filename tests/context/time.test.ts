/** Issue 9: what day it is, deterministic across time zones, month ends and year ends. */
import { describe, it, expect } from "@jest/globals";
import { buildTimeContext, resolveRelativeDates } from "../../src/context/time";
import { parseEmailNote, utcOffsetOf } from "../../src/email/parse";

const at = (date: string): { year: number; month: number; day: number } => {
	const [y, m, d] = date.split("-").map(Number) as [number, number, number];
	return { year: y, month: m, day: d };
};

describe("relative dates", () => {
	it("resolve against the day written, across a month end", () => {
		// Monday 30 November 2026.
		const r = resolveRelativeDates("Could you send it by Friday? Thursday or Friday next week works, or tomorrow. End of month is fine too.", at("2026-11-30"));
		expect(r.map((x) => [x.phrase, x.date])).toEqual([
			["by Friday", "2026-12-04"],
			["Thursday or Friday next week", "2026-12-10"],
			["Thursday or Friday next week", "2026-12-11"],
			["tomorrow", "2026-12-01"],
			["End of month", "2026-11-30"],
		]);
		expect(r[0]?.text).toBe("Friday 4 December 2026");
	});

	it("resolve across a year end, dates without a year included", () => {
		// Wednesday 30 December 2026.
		const r = resolveRelativeDates("Next Monday? Or in two weeks. The form is due January 5 and the review on 12 Jan. By the end of the year, please; next month we start.", at("2026-12-30"));
		expect(r.map((x) => [x.phrase, x.date, x.text])).toEqual([
			["Next Monday", "2027-01-04", "Monday 4 January 2027"],
			["in two weeks", "2027-01-13", "Wednesday 13 January 2027"],
			["January 5", "2027-01-05", "Tuesday 5 January 2027"],
			["on 12 Jan", "2027-01-12", "Tuesday 12 January 2027"],
			["By the end of the year", "2026-12-31", "Thursday 31 December 2026"],
			["next month", "2027-01-01", "January 2027"],
		]);
	});

	it("leave words that are not dates alone", () => {
		expect(resolveRelativeDates("We may sun ourselves; the March of progress is 3 days long.", at("2026-11-24"))).toEqual([]);
		expect(resolveRelativeDates("Signed on December 1, 2026.", at("2026-11-24"))).toEqual([]);
	});
});

describe("the sender's offset", () => {
	it.each([
		["Mon, 16 Nov 2026 16:40:00 -0800", "-08:00"],
		["Mon, 16 Nov 2026 16:40:00 -0800 (PST)", "-08:00"],
		["2026-11-24T10:30:00+01:00", "+01:00"],
		["2026-11-21T09:14:00Z", "+00:00"],
		["Sat, 21 Nov 2026 09:14:00 GMT", "+00:00"],
		["2026-11-24", null],
		["next Tuesday", null],
	])("%s → %s", (written, offset) => expect(utcOffsetOf(written)).toBe(offset));

	it("is read from frontmatter dates too", () => {
		const email = parseEmailNote("a.md", "---\ntype: email\nfrom: a@b.example\nsubject: s\ndate: 2026-11-24T10:30:00+01:00\n---\nHi");
		expect([email.date, email.dateOffset]).toEqual(["2026-11-24T09:30:00.000Z", "+01:00"]);
	});
});

describe("the time context", () => {
	// Sent Monday 30 November 2026 at 22:30 in Los Angeles: already Tuesday in Berlin and Tokyo.
	const email = parseEmailNote("Inbox/x.md", "From: Dana <dana@la.example>\nTo: me@x.example\nSubject: Renewal\nDate: Mon, 30 Nov 2026 22:30:00 -0800\n\nCan you confirm by tomorrow, or by Friday at the latest?");

	it("keeps the sender's offset from the Date header", () => {
		expect(email.date).toBe("2026-12-01T06:30:00.000Z");
		expect(email.dateOffset).toBe("-08:00");
	});

	it.each([
		["America/Los_Angeles", "Wednesday 25 November 2026", "Monday 30 November 2026, 22:30 (America/Los_Angeles)"],
		["Europe/Berlin", "Wednesday 25 November 2026", "Tuesday 1 December 2026, 07:30 (Europe/Berlin)"],
		["Asia/Tokyo", "Thursday 26 November 2026", "Tuesday 1 December 2026, 15:30 (Asia/Tokyo)"],
	])("in %s: today, the email's date in both clocks, and the sender's relative dates", (timeZone, today, local) => {
		// 20:00 UTC on Wednesday 25 November is already Thursday in Tokyo.
		const t = buildTimeContext({ now: new Date("2026-11-25T20:00:00Z"), timeZone, emailDate: email.date, emailOffset: email.dateOffset, newestMessage: email.newestMessage });
		expect(t.todayText).toBe(today);
		expect(t.timeZone).toBe(timeZone);
		expect(t.emailDateSender).toBe("Monday 30 November 2026, 22:30 (UTC−08:00)");
		expect(t.emailDateLocal).toBe(local);
		// "Tomorrow" is the sender's tomorrow, wherever you read it.
		expect(t.relativeDates.map((r) => [r.phrase, r.date])).toEqual([
			["by tomorrow", "2026-12-01"],
			["by Friday", "2026-12-04"],
		]);
		expect(t.text).toContain(`Today is ${today} (${timeZone}).`);
		expect(t.text).toContain('"by tomorrow" = Tuesday 1 December 2026; "by Friday" = Friday 4 December 2026.');
	});

	// Sent Thursday 31 December 2026 at 23:30 in New York: already 2027 in London and Sydney.
	const newYear = parseEmailNote("Inbox/y.md", "From: Sam <sam@ny.example>\nTo: me@x.example\nSubject: Plan\nDate: Thu, 31 Dec 2026 23:30:00 -0500\n\nLet's talk tomorrow or on Monday; the draft is due next Friday.");
	it.each([
		["America/New_York", "Thursday 31 December 2026, 23:30 (America/New_York)"],
		["Europe/London", "Friday 1 January 2027, 04:30 (Europe/London)"],
		["Australia/Sydney", "Friday 1 January 2027, 15:30 (Australia/Sydney)"],
	])("across a year end, in %s", (timeZone, local) => {
		const t = buildTimeContext({ now: new Date("2027-01-02T12:00:00Z"), timeZone, emailDate: newYear.date, emailOffset: newYear.dateOffset, newestMessage: newYear.newestMessage });
		expect(t.emailDateSender).toBe("Thursday 31 December 2026, 23:30 (UTC−05:00)");
		expect(t.emailDateLocal).toBe(local);
		expect(t.relativeDates.map((r) => [r.phrase, r.text])).toEqual([
			["tomorrow", "Friday 1 January 2027"],
			["on Monday", "Monday 4 January 2027"],
			["next Friday", "Friday 8 January 2027"],
		]);
	});

	it("falls back to UTC for a time zone it does not know, and handles an undated email", () => {
		const t = buildTimeContext({ now: new Date("2026-12-31T23:30:00Z"), timeZone: "Mars/Olympus", emailDate: null, newestMessage: "Tomorrow then." });
		expect(t.timeZone).toBe("UTC");
		expect(t.today).toBe("2026-12-31");
		expect(t.emailDateLocal).toBeNull();
		expect(t.relativeDates).toEqual([{ phrase: "Tomorrow", date: "2027-01-01", text: "Friday 1 January 2027" }]);
	});
});
