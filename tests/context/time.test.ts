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

	it("give both Fridays for \"next Friday\" said early in the week, as speakers differ; never tomorrow", () => {
		// Monday 23 November 2026: this Friday to some, next week's to others.
		expect(resolveRelativeDates("Next Friday works.", at("2026-11-23")).map((r) => r.date)).toEqual(["2026-11-27", "2026-12-04"]);
		// Thursday 26 November: nobody says "next Friday" for tomorrow.
		expect(resolveRelativeDates("Next Friday works.", at("2026-11-26")).map((r) => r.date)).toEqual(["2026-12-04"]);
		expect(resolveRelativeDates("Nächsten Freitag passt.", at("2026-11-26")).map((r) => r.date)).toEqual(["2026-12-04"]);
	});

	it("leave words that are not dates alone", () => {
		expect(resolveRelativeDates("We may sun ourselves; the March of progress is 3 days long.", at("2026-11-24"))).toEqual([]);
		expect(resolveRelativeDates("Signed on December 1, 2026.", at("2026-11-24"))).toEqual([]);
	});
});

describe("relative dates in the other languages the parser reads", () => {
	// Wednesday 25 November 2026.
	const wednesday = at("2026-11-25");
	const dates = (text: string, base = wednesday): string[][] => resolveRelativeDates(text, base).map((r) => [r.phrase, r.date]);

	it.each([
		["de", "Können Sie es bis Freitag schicken? Übermorgen passt auch, nächste Woche, Ende des Monats, in zwei Wochen, am 3. Dezember.", [["bis Freitag", "2026-11-27"], ["Übermorgen", "2026-11-27"], ["nächste Woche", "2026-11-30"], ["Ende des Monats", "2026-11-30"], ["in zwei Wochen", "2026-12-09"], ["3. Dezember", "2026-12-03"]]],
		["fr", "Pouvez-vous l'envoyer d'ici vendredi ? Demain, après-demain, la semaine prochaine, fin du mois, dans 3 jours, le 1er décembre, ce jeudi.", [["d'ici vendredi", "2026-11-27"], ["Demain", "2026-11-26"], ["après-demain", "2026-11-27"], ["la semaine prochaine", "2026-11-30"], ["fin du mois", "2026-11-30"], ["dans 3 jours", "2026-11-28"], ["1er décembre", "2026-12-01"], ["ce jeudi", "2026-11-26"]]],
		["es", "¿Puedes enviarlo para el viernes? Pasado mañana, la próxima semana, a finales de mes, en dos semanas, el 5 de diciembre.", [["para el viernes", "2026-11-27"], ["Pasado mañana", "2026-11-27"], ["la próxima semana", "2026-11-30"], ["a finales de mes", "2026-11-30"], ["en dos semanas", "2026-12-09"], ["5 de diciembre", "2026-12-05"]]],
		["pt", "Consegue enviar até sexta? Amanhã, depois de amanhã, no final do mês, em 3 dias, 5 de dezembro, segunda-feira.", [["até sexta", "2026-11-27"], ["Amanhã", "2026-11-26"], ["depois de amanhã", "2026-11-27"], ["no final do mês", "2026-11-30"], ["em 3 dias", "2026-11-28"], ["5 de dezembro", "2026-12-05"], ["segunda-feira", "2026-11-30"]]],
		["it", "Puoi inviarlo entro venerdì? Domani, dopodomani, la prossima settimana, fine mese, tra due settimane, il 5 dicembre.", [["entro venerdì", "2026-11-27"], ["Domani", "2026-11-26"], ["dopodomani", "2026-11-27"], ["la prossima settimana", "2026-11-30"], ["fine mese", "2026-11-30"], ["tra due settimane", "2026-12-09"], ["5 dicembre", "2026-12-05"]]],
		["nl", "Kun je het voor vrijdag sturen? Of morgen, overmorgen, volgende week, eind van de maand, over 3 dagen, 5 december.", [["voor vrijdag", "2026-11-27"], ["morgen", "2026-11-26"], ["overmorgen", "2026-11-27"], ["volgende week", "2026-11-30"], ["eind van de maand", "2026-11-30"], ["over 3 dagen", "2026-11-28"], ["5 december", "2026-12-05"]]],
	])("%s: weekdays, tomorrow, next week, month end, in N days, dates without a year", (_language, text, expected) => {
		expect(dates(text)).toEqual(expected);
		// Each phrase alone too: a language is scanned only when one of its words is in the text.
		for (const [phrase, date] of expected) expect(dates(phrase ?? "")).toEqual([[phrase, date]]);
	});

	it("leave the words that are not dates alone: the morning, the weekend, names and ordinals", () => {
		// "Heute Morgen" is this morning: today, and no tomorrow.
		expect(dates("Guten Morgen! Heute Morgen war viel los; jeden Morgen dasselbe.")).toEqual([["Heute", "2026-11-25"]]);
		expect(dates("Por la mañana tengo reuniones; esta mañana no pude.")).toEqual([]);
		expect(dates("De morgen was rustig. Goedemorgen!")).toEqual([]);
		// The weekend is not the end of the week.
		expect(dates("Bon fin de semaine ! Buen fin de semana. Bom fim de semana. Buon fine settimana.")).toEqual([]);
		expect(dates("Plácido Domingo canta. A segunda versão e a quinta edição.")).toEqual([]);
		// A date with its year is not relative.
		expect(dates("Unterschrieben am 1. Dezember 2026; firmado el 5 de diciembre de 2026.")).toEqual([]);
	});

	it("give both Fridays for \"next Friday\" when the coming one is still this week, as speakers differ", () => {
		// Monday 23 November 2026.
		const monday = at("2026-11-23");
		expect(dates("Passt Ihnen nächsten Freitag?", monday)).toEqual([
			["nächsten Freitag", "2026-11-27"],
			["nächsten Freitag", "2026-12-04"],
		]);
		expect(dates("Vendredi prochain ?", monday).map(([, d]) => d)).toEqual(["2026-11-27", "2026-12-04"]);
		// On Saturday the coming Friday is already next week's: one date.
		expect(dates("el próximo viernes", at("2026-11-28"))).toEqual([["próximo viernes", "2026-12-04"]]);
	});

	it("keep each phrase as written when lower-casing would change the text's length", () => {
		// "İ" lower-cases to two code units; the phrase after it is still cut where it stands.
		expect(dates("İSTANBUL: bis Freitag, BIS FREITAG")).toEqual([
			["bis Freitag", "2026-11-27"],
			["BIS FREITAG", "2026-11-27"],
		]);
	});

	it("reach the model in the time context", () => {
		const time = buildTimeContext({ now: new Date("2026-11-25T09:00:00Z"), timeZone: "Europe/Berlin", emailDate: "2026-11-25T08:00:00Z", newestMessage: "Bitte bis Freitag, spätestens Ende des Monats." });
		expect(time.text).toContain('"bis Freitag" = Friday 27 November 2026');
		expect(time.text).toContain('"Ende des Monats" = Monday 30 November 2026');
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

describe("this device's own zone, read from Date's local clock (no Intl)", () => {
	// Date's local clock follows the process's TZ, which Jest's sandboxed process.env does not
	// reach: each zone runs in a Node process of its own, on time.ts bundled as it ships.
	it("gives the same day, time and text as Intl for the zone the process is in, across midnight and a DST change", async () => {
		const { buildSync } = await import("esbuild");
		const { execFileSync } = await import("child_process");
		const { tempDir } = await import("../support/vault");
		const bundle = `${tempDir("erd-time-")}/time.js`;
		buildSync({ entryPoints: [`${__dirname}/../../src/context/time.ts`], bundle: true, platform: "node", format: "cjs", outfile: bundle, logLevel: "silent" });
		const script = `
			const { buildTimeContext } = require(${JSON.stringify(bundle)});
			const out = [];
			for (const iso of ["2026-11-24T23:30:00Z", "2026-11-25T04:59:00Z", "2026-11-25T05:01:00Z", "2026-03-08T06:59:00Z", "2026-03-08T07:01:00Z", "2026-04-04T13:59:00Z"]) {
				const input = { now: new Date(iso), timeZone: process.env.NAMED ?? process.env.TZ, emailDate: "2026-11-20T23:45:00Z", emailOffset: "-08:00", newestMessage: "Can we talk tomorrow or by Friday?" };
				out.push([buildTimeContext({ ...input, localZone: true }), buildTimeContext(input)]);
			}
			process.stdout.write(JSON.stringify(out));`;
		for (const zone of ["America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"]) {
			const pairs = JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", TZ: zone }, encoding: "utf8" })) as Array<[unknown, unknown]>;
			expect(pairs).toHaveLength(6);
			for (const [local, intl] of pairs) expect(local).toEqual(intl);
		}
		// The comparison can fail: named for another zone than the process's, the local clock differs.
		const wrong = JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", TZ: "Asia/Tokyo", NAMED: "America/New_York" }, encoding: "utf8" })) as Array<[unknown, unknown]>;
		expect(wrong.some(([local, intl]) => JSON.stringify(local) !== JSON.stringify(intl))).toBe(true);
		// TZ set but empty: ICU names the zone "Etc/Unknown"; its clock is UTC's, and so is the label.
		const named = (tz: string): string => execFileSync(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(bundle)}).systemTimeZone())`], { env: { PATH: process.env.PATH ?? "", TZ: tz }, encoding: "utf8" });
		expect([named(""), named("Asia/Tokyo")]).toEqual(["UTC", "Asia/Tokyo"]);
	});
});
