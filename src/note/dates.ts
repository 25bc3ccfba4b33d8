/** Dates as a person reads them, in their own time zone ("Saturday 21 November 2026, 10:14 CET"). */

function validZone(timeZone: string | undefined): string | undefined {
	if (!timeZone) return undefined;
	try {
		new Intl.DateTimeFormat("en-GB", { timeZone });
		return timeZone;
	} catch {
		return undefined;
	}
}

/** A readable date and time in the given zone (yours); text that is not a date stays as written. */
export function readableDateTime(value: string | null, timeZone?: string): string {
	if (!value) return "";
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	const zone = validZone(timeZone);
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
	const format = new Intl.DateTimeFormat("en-GB", dateOnly
		? { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
		: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short" });
	return format.format(date).replace(/ at /, ", ");
}
