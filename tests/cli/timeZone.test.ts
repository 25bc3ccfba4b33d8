import { describe, expect, it } from "@jest/globals";
import { deviceTimeZone } from "../../headless/timeZone";

const link = (target: string) => (path: string): string => {
	expect(path).toBe("/etc/localtime");
	return target;
};
const noLink = (): string => {
	throw Object.assign(new Error("EINVAL: invalid argument, readlink '/etc/localtime'"), { code: "EINVAL" });
};

describe("deviceTimeZone: the zone's name as ICU finds it, without Intl", () => {
	it("TZ decides when set: a zone name is taken; empty or a POSIX rule is left to Intl", () => {
		expect(deviceTimeZone({ TZ: "Europe/Berlin" }, "linux", noLink)).toBe("Europe/Berlin");
		expect(deviceTimeZone({ TZ: "America/Argentina/Buenos_Aires" }, "darwin", noLink)).toBe("America/Argentina/Buenos_Aires");
		expect(deviceTimeZone({ TZ: "Etc/GMT+5" }, "linux", noLink)).toBe("Etc/GMT+5");
		expect(deviceTimeZone({ TZ: "" }, "linux", link("/usr/share/zoneinfo/Europe/Berlin"))).toBeNull();
		expect(deviceTimeZone({ TZ: ":Europe/Berlin" }, "linux", link("/usr/share/zoneinfo/Europe/Berlin"))).toBeNull();
		expect(deviceTimeZone({ TZ: "/usr/share/zoneinfo/Europe/Berlin" }, "linux", noLink)).toBeNull();
	});

	it("else the zone file /etc/localtime links to (Linux, macOS), with ICU's name for UTC", () => {
		expect(deviceTimeZone({}, "linux", link("/usr/share/zoneinfo/Europe/Madrid"))).toBe("Europe/Madrid");
		expect(deviceTimeZone({}, "linux", link("../usr/share/zoneinfo/posix/Asia/Tokyo"))).toBe("Asia/Tokyo");
		expect(deviceTimeZone({}, "darwin", link("/var/db/timezone/zoneinfo/America/New_York"))).toBe("America/New_York");
		expect(deviceTimeZone({}, "linux", link("/usr/share/zoneinfo/Etc/UTC"))).toBe("UTC");
	});

	it("null when it cannot be told: a copied zone file, an odd link, Windows", () => {
		expect(deviceTimeZone({}, "linux", noLink)).toBeNull();
		expect(deviceTimeZone({}, "linux", link("/opt/tz/berlin"))).toBeNull();
		expect(deviceTimeZone({}, "win32", link("/usr/share/zoneinfo/Europe/Berlin"))).toBeNull();
	});
});
