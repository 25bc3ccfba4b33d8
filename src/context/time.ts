/**
 * What day it is, for the reply: today in your time zone, the email's date in the sender's
 * own offset and in yours, and the relative dates of the newest message ("by Friday",
 * "Thursday or Friday next week", "end of month") resolved against the day the sender wrote
 * them. Deterministic: `now` and the time zone are inputs, never read from the machine here.
 */
import type { ResolvedDate, TimeContext } from "./audience.types";
import { DATE_WORDS, type DateWords } from "./dateWords";

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, couple: 2, few: 3 };

/** A calendar day, independent of any time zone. */
export interface Day {
	year: number;
	month: number; // 1–12
	day: number;
}

const toUtc = (d: Day): number => Date.UTC(d.year, d.month - 1, d.day);
const fromUtc = (t: number): Day => {
	const x = new Date(t);
	return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate() };
};
const addDays = (d: Day, n: number): Day => fromUtc(toUtc(d) + n * 86400000);
const weekday = (d: Day): number => new Date(toUtc(d)).getUTCDay();
const pad = (n: number): string => String(n).padStart(2, "0");

export function isoDay(d: Day): string {
	return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** "Friday 27 November 2026". */
export function dayText(d: Day): string {
	return `${WEEKDAY_NAMES[weekday(d)] ?? ""} ${d.day} ${MONTH_NAMES[d.month - 1] ?? ""} ${d.year}`;
}

/** The system's time zone, for the setting's default. */
export function systemTimeZone(): string {
	try {
		const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
		// ICU's name for a zone it could not tell (TZ set but empty), whose clock is UTC's.
		return zone && zone !== "Etc/Unknown" ? zone : "UTC";
	} catch {
		return "UTC";
	}
}

/** A time zone Intl accepts, else UTC (a typo in the setting must not break drafting). */
export function validTimeZone(zone: string): string {
	try {
		new Intl.DateTimeFormat("en-US", { timeZone: zone });
		return zone;
	} catch {
		return "UTC";
	}
}

/**
 * The calendar day and clock time of an instant in a time zone; `local`: the zone is this
 * device's own, which Date's local clock already follows (Intl's first use costs about 13 ms,
 * a twentieth of a warm command-line run).
 */
function partsIn(instant: Date, timeZone: string, local = false): Day & { hour: number; minute: number } {
	if (local) return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate(), hour: instant.getHours(), minute: instant.getMinutes() };
	const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(instant);
	const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute") };
}

export function dayIn(instant: Date, timeZone: string, local = false): Day {
	const { year, month, day } = partsIn(instant, timeZone, local);
	return { year, month, day };
}

function offsetMinutes(offset: string): number | null {
	const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
	if (!m) return null;
	const minutes = Number(m[2]) * 60 + Number(m[3]);
	return m[1] === "-" ? -minutes : minutes;
}

function offsetLabel(offset: string): string {
	return offset === "+00:00" ? "UTC" : `UTC${offset.replace("-", "−")}`;
}

function clock(hour: number, minute: number): string {
	return `${pad(hour)}:${pad(minute)}`;
}

// Relative dates. Every pattern is a plain regular expression without lookbehind (older iOS).
const WD = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)";
const MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
const LEAD = "(?:(by|on|until|till|before|from|after|this|next|coming|last)\\s+(?:the\\s+)?)?";

function weekdayIndex(word: string): number {
	const w = word.toLowerCase();
	return WEEKDAYS.findIndex((d) => d.startsWith(w.slice(0, 3)));
}

function monthIndex(word: string): number {
	const w = word.toLowerCase();
	return MONTHS.findIndex((m) => m.startsWith(w.slice(0, 3)));
}

/** Monday of the week (weeks start on Monday) that holds `d`. */
function mondayOf(d: Day): Day {
	return addDays(d, -((weekday(d) + 6) % 7));
}

function lastOfMonth(year: number, month: number): Day {
	return addDays({ year: month === 12 ? year + 1 : year, month: month === 12 ? 1 : month + 1, day: 1 }, -1);
}

interface Found {
	start: number;
	end: number;
	phrase: string;
	dates: Array<{ day: Day; text?: string }>;
}

/** Relative and year-less dates in a message, resolved against the day it was written. */
export function resolveRelativeDates(message: string, base: Day): ResolvedDate[] {
	const text = message.replace(/\r\n?/g, "\n");
	const found: Found[] = [];
	const claim = (start: number, end: number, dates: Found["dates"]): void => {
		if (found.some((f) => start < f.end && end > f.start)) return;
		found.push({ start, end, phrase: text.slice(start, end).replace(/\s+/g, " ").trim(), dates });
	};
	const scan = (pattern: string, handle: (m: RegExpExecArray) => Found["dates"] | null): void => {
		const re = compiled(`\\b${pattern}\\b`, "gi");
		for (let m = re.exec(text); m; m = re.exec(text)) {
			const dates = handle(m);
			if (dates?.length) claim(m.index, m.index + m[0].length, dates);
		}
	};
	const nextWeekMonday = addDays(mondayOf(base), 7);

	// "Thursday or Friday next week", "Monday next week".
	scan(`${LEAD}${WD}((?:\\s*(?:,|or|and|/)\\s*${WD})*)\\s+(next|this)\\s+week`, (m) => {
		const names = [m[2] ?? "", ...(m[3] ?? "").split(/\s*(?:,|or|and|\/)\s*/).filter(Boolean)];
		const monday = (m[5] ?? "").toLowerCase() === "next" ? nextWeekMonday : mondayOf(base);
		return names.map((n) => ({ day: addDays(monday, (weekdayIndex(n) + 6) % 7) }));
	});
	// "end of (the) month / next month / week / next week / year", "month end", "EOM", "EOW", "EOY";
	// not "the end of week two" (of a project: a week we cannot date).
	scan("(?:(?:by|at|before|until)\\s+)?(?:the\\s+)?(?:end\\s+of\\s+(?:the\\s+|this\\s+)?(next\\s+)?(month|week|year|quarter)(?!\\s+(?:\\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\\b)|(month|year|quarter)[-\\s]end|(eom|eow|eoy))", (m) => {
		const next = !!m[1];
		const unit = (m[2] ?? m[3] ?? { eom: "month", eow: "week", eoy: "year" }[(m[4] ?? "").toLowerCase()] ?? "").toLowerCase();
		if (unit === "week") return [{ day: addDays(mondayOf(base), next ? 11 : 4) }];
		if (unit === "year") return [{ day: { year: base.year + (next ? 1 : 0), month: 12, day: 31 } }];
		if (unit === "quarter") {
			const q = Math.floor((base.month - 1) / 3) + (next ? 1 : 0);
			const year = base.year + Math.floor(q / 4);
			return [{ day: lastOfMonth(year, ((q % 4) + 1) * 3) }];
		}
		const month = base.month + (next ? 1 : 0);
		return [{ day: lastOfMonth(base.year + (month > 12 ? 1 : 0), month > 12 ? 1 : month) }];
	});
	// "next week", "this week", "next month".
	scan("(next|this|the\\s+following)\\s+(week|month)", (m) => {
		const which = (m[1] ?? "").toLowerCase();
		if ((m[2] ?? "").toLowerCase() === "week") {
			const monday = which === "this" ? mondayOf(base) : nextWeekMonday;
			return [{ day: monday, text: `the week of ${dayText(monday)}` }];
		}
		const month = base.month + (which === "this" ? 0 : 1);
		const d: Day = { year: base.year + (month > 12 ? 1 : 0), month: month > 12 ? 1 : month, day: 1 };
		return [{ day: d, text: `${MONTH_NAMES[d.month - 1] ?? ""} ${d.year}` }];
	});
	// "today", "tonight", "tomorrow", "the day after tomorrow", "yesterday", "end of day", "EOD", "COB".
	scan("(?:(?:by|before|until)\\s+)?(the\\s+day\\s+after\\s+tomorrow|today|tonight|tomorrow|yesterday|end\\s+of\\s+(?:the\\s+)?day|eod|cob|close\\s+of\\s+business)", (m) => {
		const w = (m[1] ?? "").toLowerCase().replace(/\s+/g, " ");
		const shift = w.startsWith("the day after") ? 2 : w === "tomorrow" ? 1 : w === "yesterday" ? -1 : 0;
		return [{ day: addDays(base, shift) }];
	});
	// "in two weeks", "in 3 days", "in a week", "within 10 days".
	scan("(?:in|within)\\s+(?:a\\s+|the\\s+next\\s+)?(\\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple\\s+of|few)?\\s*(business\\s+|working\\s+)?(days?|weeks?)", (m) => {
		const raw = (m[1] ?? "a").toLowerCase().replace(/\s+of$/, "");
		const n = /^\d+$/.test(raw) ? Number(raw) : NUMBER_WORDS[raw] ?? 1;
		if ((m[3] ?? "").toLowerCase().startsWith("week")) return [{ day: addDays(base, 7 * n) }];
		if (m[2]) {
			let d = base;
			for (let left = n; left > 0; ) {
				d = addDays(d, 1);
				if (weekday(d) !== 0 && weekday(d) !== 6) left--;
			}
			return [{ day: d }];
		}
		return [{ day: addDays(base, n) }];
	});
	// Dates without a year: "December 1", "1 December", "Dec 1st": the next such day (a date
	// far in the past is next year's: "January 5" written in late December).
	const dated = (monthWord: string, dayNumber: string): Found["dates"] | null => {
		// "may" is a month only when written as one.
		if (monthWord === "may") return null;
		const d = yearless(base, monthIndex(monthWord) + 1, Number(dayNumber));
		return d ? [{ day: d }] : null;
	};
	scan(`${LEAD}(?:${WD},?\\s+)?${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\s*,?\\s*\\d{4})(?![\\d:])`, (m) => dated(m[3] ?? "", m[4] ?? ""));
	scan(`${LEAD}(?:${WD},?\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?!\\s*,?\\s*\\d{4})`, (m) => dated(m[4] ?? "", m[3] ?? ""));
	// Weekdays: "by Friday", "on Monday", "next Tuesday", "this Thursday", "last Friday".
	scan(`${LEAD}${WD}`, (m) => {
		const index = weekdayIndex(m[2] ?? "");
		if (index < 0) return null;
		const lead = (m[1] ?? "").toLowerCase();
		// Short forms only as whole words people write for days ("Sat" yes, "sun" as a noun no).
		if ((m[2] ?? "").length <= 4 && !/^[A-Z]/.test(m[2] ?? "")) return null;
		if (lead === "next") return nextWeekday(base, index);
		if (lead === "last") {
			let d = addDays(base, -1);
			while (weekday(d) !== index) d = addDays(d, -1);
			return [{ day: d }];
		}
		return [{ day: lead === "this" ? thisWeekday(base, index) : comingWeekday(base, index) }];
	});

	// The same in the other languages the email parser reads (src/context/dateWords.ts). Their
	// letters are not all `\w`: a word's edges are any character that is not a Latin letter or
	// a digit. They are matched in a lower-cased copy of the text (of the same length), with
	// small classes: with the `i` flag or Unicode properties, V8 compiles each pattern several
	// times slower, and a run compiles a few dozen of them.
	const lower = lowerSameLength(text);
	const scanWords: WordScan = (pattern, handle) => {
		const re = compiled(`(^|[^${LATIN}])(${pattern})(?![${LATIN}])`, "g");
		for (let m = re.exec(lower); m; m = re.exec(lower)) {
			const start = m.index + (m[1] ?? "").length;
			const phrase = m[2] ?? "";
			const dates = handle(m.slice(2), text.slice(start, start + phrase.length));
			if (dates?.length) claim(start, start + phrase.length, dates);
			re.lastIndex = start + Math.max(phrase.length, 1);
		}
	};
	// A language none of whose words is in the text is not scanned (nor its patterns compiled).
	const present = new Set(lower.match(LATIN_WORD) ?? []);
	for (const words of DATE_WORDS) if (anchorsOf(words).some((a) => present.has(a))) resolveInLanguage(words, base, scanWords);

	const out: ResolvedDate[] = [];
	for (const f of found.sort((a, b) => a.start - b.start)) {
		for (const { day, text: shown } of f.dates) {
			const date = isoDay(day);
			if (out.some((o) => o.phrase === f.phrase && o.date === date)) continue;
			out.push({ phrase: f.phrase, date, text: shown ?? dayText(day) });
		}
	}
	return out;
}

/** Lower-case groups of a match in the lower-cased text, and the phrase as written. */
type WordScan = (pattern: string, handle: (g: string[], written: string) => Array<{ day: Day; text?: string }> | null) => void;

/** Lower-case Latin letters (accented ones too) and digits: what the day words are written in. */
const LATIN = "a-z0-9_\\u00df-\\u024f";
const LATIN_WORD = /[a-z0-9\u00df-\u024f]+/g;

/** Patterns compiled once per process: a run resolves dates several times (the email, each promise). */
const COMPILED = new Map<string, RegExp>();
function compiled(source: string, flags: string): RegExp {
	const key = `${flags}/${source}`;
	let re = COMPILED.get(key);
	if (!re) {
		re = new RegExp(source, flags);
		COMPILED.set(key, re);
	}
	re.lastIndex = 0;
	return re;
}

/**
 * Words of which every date phrase of a language holds one: its weekdays, months, units, today
 * and tomorrow, each with and without a letter a pattern makes optional ("jours?": "jours",
 * "jour"). A text with none of them as a word has no date phrase in that language (tested
 * against every pattern in tests/context/time.test.ts).
 */
const ANCHORS = new Map<string, string[]>();
function anchorsOf(words: DateWords): string[] {
	let anchors = ANCHORS.get(words.language);
	if (!anchors) {
		// Every pattern needs one of these: a weekday, a month, today or tomorrow, or a unit
		// (days, weeks: "next week", "in 3 days"; months: "end of the month").
		const sources = [...words.weekdays, ...(words.shortWeekdays ?? []), ...words.months, words.today, words.tomorrow.word, words.afterTomorrow, words.days, words.weeks, words.monthWords];
		const joined = sources.join(" ");
		const withOptional = joined.replace(/(\p{L})\?/gu, "$1");
		const withoutOptional = joined.replace(/\p{L}\?/gu, "");
		anchors = [...new Set([...(withOptional.match(/\p{L}{2,}/gu) ?? []), ...(withoutOptional.match(/\p{L}{2,}/gu) ?? [])])];
		ANCHORS.set(words.language, anchors);
	}
	return anchors;
}

/** The text lower-cased character by character, each keeping its length (so positions carry over). */
function lowerSameLength(text: string): string {
	const lowered = text.toLowerCase();
	if (lowered.length === text.length) return lowered;
	let out = "";
	for (const ch of text) {
		const l = ch.toLowerCase();
		out += l.length === ch.length ? l : ch;
	}
	return out;
}

/**
 * "Next Friday": next week's Friday, and also this week's when that is still two days or more
 * away, since speakers differ (said on a Monday, some mean this Friday); the model is told
 * "… or …" and writes the date. Nobody says "next Friday" for tomorrow.
 */
function nextWeekday(base: Day, index: number): Array<{ day: Day }> {
	const coming = comingWeekday(base, index);
	const inNextWeek = addDays(mondayOf(base), 7 + ((index + 6) % 7));
	const days = Math.round((toUtc(coming) - toUtc(base)) / 86400000);
	return toUtc(coming) === toUtc(inNextWeek) || days < 2 ? [{ day: inNextWeek }] : [{ day: coming }, { day: inNextWeek }];
}

/** "This Friday": this week's, if still to come (today counts), else the coming one. */
function thisWeekday(base: Day, index: number): Day {
	const d = addDays(mondayOf(base), (index + 6) % 7);
	return toUtc(d) >= toUtc(base) ? d : comingWeekday(base, index);
}

/** A date written without its year: the next such day (one far in the past is next year's: "January 5" written in late December); null if there is no such day. */
function yearless(base: Day, month: number, day: number): Day | null {
	if (month < 1 || month > 12 || day < 1 || day > lastOfMonth(base.year, month).day) return null;
	const d: Day = { year: base.year, month, day };
	return toUtc(d) < toUtc(base) - 60 * 86400000 ? { ...d, year: base.year + 1 } : d;
}

/** The next `index` weekday after `base` (never `base` itself), as English "by Friday". */
function comingWeekday(base: Day, index: number): Day {
	let d = addDays(base, 1);
	while (weekday(d) !== index) d = addDays(d, 1);
	return d;
}

/** One language's day words, resolved as the English ones are ("next Friday" too: `nextWeekday`). */
function resolveInLanguage(words: DateWords, base: Day, scan: WordScan): void {
	const weekdays = words.weekdays.map((w) => compiled(`^(?:${w})$`, "u"));
	const short = (words.shortWeekdays ?? []).map((w) => (w ? compiled(`^(?:${w})$`, "u") : null));
	const indexOf = (word: string): number => {
		const full = weekdays.findIndex((re) => re.test(word));
		return full >= 0 ? full : short.findIndex((re) => re?.test(word) ?? false);
	};
	const anyWeekday = words.weekdays.join("|");
	const nextWeekMonday = addDays(mondayOf(base), 7);
	if (words.nextBefore) scan(`${words.nextBefore}\\s+(${anyWeekday})`, (g) => nextWeekday(base, indexOf(g[1] ?? "")));
	if (words.nextAfter) scan(`(${anyWeekday})\\s+${words.nextAfter}`, (g) => nextWeekday(base, indexOf(g[1] ?? "")));
	if (words.thisBefore) {
		scan(`${words.thisBefore}\\s+(${anyWeekday})`, (g) => [{ day: thisWeekday(base, indexOf(g[1] ?? "")) }]);
	}
	// A weekday with or without a lead word; written with a capital only after one, except in
	// German (where every weekday has one), so that "Domingo" the name is not a Sunday.
	scan(`(${words.lead})?(${anyWeekday})`, (g, written) => {
		const lead = g[1] ?? "";
		const day = g[2] ?? "";
		// The weekday as written ends the phrase.
		const writtenDay = written.slice(written.length - day.length);
		if (!lead.trim() && words.language !== "de" && writtenDay !== writtenDay.toLowerCase()) return null;
		return [{ day: comingWeekday(base, indexOf(day)) }];
	});
	const shortForms = (words.shortWeekdays ?? []).filter(Boolean);
	if (shortForms.length) scan(`${words.lead}(${shortForms.join("|")})`, (g) => [{ day: comingWeekday(base, indexOf(g[1] ?? "")) }]);
	scan(words.afterTomorrow, () => [{ day: addDays(base, 2) }]);
	scan(words.today, () => [{ day: base }]);
	const tomorrow = words.tomorrow;
	// German and Dutch share "morgen": what makes it "morning" in either holds in both.
	const notAfter = DATE_WORDS.filter((w) => w.tomorrow.word === tomorrow.word && w.tomorrow.notAfter).map((w) => w.tomorrow.notAfter).join("|");
	scan(`${notAfter ? `((?:${notAfter})\\s+)?` : "()"}(${tomorrow.word})`, (g, written) => {
		// "Guten Morgen", "por la mañana": the morning, not tomorrow.
		if (g[1]) return null;
		if (tomorrow.lowercaseOnly && written.slice(written.length - (g[2] ?? "").length) !== (g[2] ?? "")) return null;
		return [{ day: addDays(base, 1) }];
	});
	scan(words.nextWeek, () => [{ day: nextWeekMonday, text: `the week of ${dayText(nextWeekMonday)}` }]);
	scan(words.thisWeek, () => [{ day: mondayOf(base), text: `the week of ${dayText(mondayOf(base))}` }]);
	scan(words.endOfMonth, () => [{ day: lastOfMonth(base.year, base.month) }]);
	if (words.endOfWeek) scan(words.endOfWeek, () => [{ day: addDays(mondayOf(base), 4) }]);
	const numberWords = Object.keys(words.numbers).join("|");
	scan(`${words.within}\\s+(\\d{1,2}|${numberWords})\\s+(${words.days}|${words.weeks})`, (g) => {
		const raw = (g[1] ?? "").toLowerCase();
		const n = /^\d+$/.test(raw) ? Number(raw) : (words.numbers[raw] ?? 1);
		const weeks = compiled(`^(?:${words.weeks})$`, "u").test(g[2] ?? "");
		return [{ day: addDays(base, weeks ? 7 * n : n) }];
	});
	const months = words.months.map((m) => compiled(`^(?:${m})$`, "u"));
	scan(`(\\d{1,2})${words.dayMonth}(${words.months.join("|")})(?!\\s*(?:,|de|del)?\\s*\\d{4})`, (g) => {
		const d = yearless(base, months.findIndex((re) => re.test(g[2] ?? "")) + 1, Number(g[1]));
		return d ? [{ day: d }] : null;
	});
}

export interface TimeInput {
	now: Date;
	timeZone: string;
	/** The zone is this device's own (the setting is empty): days and times from Date's local clock. */
	localZone?: boolean;
	/** ISO 8601 (UTC) or a bare YYYY-MM-DD; null when the email is undated. */
	emailDate: string | null;
	/** The offset the sender's clock showed ("-08:00"), when the email said. */
	emailOffset?: string | null;
	newestMessage: string;
}

/** Today, the email's date in both clocks, and the message's relative dates resolved. */
export function buildTimeContext(input: TimeInput): TimeContext {
	const local = input.localZone === true;
	const timeZone = local ? input.timeZone : validTimeZone(input.timeZone);
	const today = dayIn(input.now, timeZone, local);
	let emailDateSender: string | null = null;
	let emailDateLocal: string | null = null;
	let base: Day = today;
	const raw = input.emailDate?.trim() ?? "";
	const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
	const instant = !dateOnly && raw ? new Date(raw) : null;
	if (dateOnly) {
		base = { year: Number(dateOnly[1]), month: Number(dateOnly[2]), day: Number(dateOnly[3]) };
		emailDateLocal = dayText(base);
	} else if (instant && !Number.isNaN(instant.getTime())) {
		const yours = partsIn(instant, timeZone, local);
		emailDateLocal = `${dayText(yours)}, ${clock(yours.hour, yours.minute)} (${timeZone})`;
		base = yours;
		const minutes = input.emailOffset ? offsetMinutes(input.emailOffset) : null;
		if (minutes !== null && input.emailOffset) {
			const shifted = new Date(instant.getTime() + minutes * 60000);
			const sender = { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
			emailDateSender = `${dayText(sender)}, ${clock(shifted.getUTCHours(), shifted.getUTCMinutes())} (${offsetLabel(input.emailOffset)})`;
			// "By Friday" means the sender's Friday: count from the day on their calendar.
			base = sender;
		}
	}
	const relativeDates = resolveRelativeDates(input.newestMessage, base);
	const lines = [`Today is ${dayText(today)} (${timeZone}).`];
	if (emailDateSender && emailDateSender.replace(/ \(.*\)$/, "") !== emailDateLocal?.replace(/ \(.*\)$/, "")) {
		lines.push(`The email was sent ${emailDateSender} in the sender's time, ${emailDateLocal} in yours.`);
	} else if (emailDateLocal) {
		lines.push(`The email was sent ${emailDateSender ?? emailDateLocal}.`);
	}
	if (relativeDates.length) {
		const byPhrase = new Map<string, string[]>();
		for (const r of relativeDates) byPhrase.set(r.phrase, [...(byPhrase.get(r.phrase) ?? []), r.text]);
		lines.push(`Dates in the message: ${[...byPhrase].map(([phrase, texts]) => `"${phrase}" = ${texts.join(" or ")}`).join("; ")}.`);
	}
	return { timeZone, today: isoDay(today), todayText: dayText(today), emailDateSender, emailDateLocal, relativeDates, text: lines.join("\n") };
}
