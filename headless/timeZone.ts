/**
 * This device's time zone by name, found as ICU finds it on Linux and macOS (the `TZ` variable,
 * else the zone file /etc/localtime links to), so a run that needs only the name does not pay
 * for Intl's first use (about 13 ms; src/context/time.ts). Null when it cannot be told this way
 * (Windows, `TZ` set to a POSIX rule or empty, /etc/localtime a copy): Intl is asked then.
 * Only the label depends on it: days and times are read from Date's local clock, which is the
 * device's zone whatever its name.
 */
import { readlinkSync } from "fs";

/** An IANA zone name: "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5". */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/** Names ICU reports as "UTC". */
const UTC_ALIASES = new Set(["Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "Etc/UCT", "UCT"]);

export function deviceTimeZone(env: Record<string, string | undefined>, platform: string = process.platform, readLink: (path: string) => string = (p) => readlinkSync(p)): string | null {
	const named = (name: string): string | null => (ZONE_NAME.test(name) ? (UTC_ALIASES.has(name) ? "UTC" : name) : null);
	// Set, even empty, TZ decides (glibc and ICU read an empty one as UTC, unnamed).
	if (env.TZ !== undefined) return named(env.TZ);
	if (platform === "win32") return null;
	try {
		// /usr/share/zoneinfo/Europe/Berlin (Linux), /var/db/timezone/zoneinfo/Europe/Berlin
		// (macOS); the "posix/" and "right/" trees hold the same zones.
		const match = /\/zoneinfo\/(?:posix\/|right\/)?(.+)$/.exec(readLink("/etc/localtime"));
		return match?.[1] ? named(match[1]) : null;
	} catch {
		return null;
	}
}
