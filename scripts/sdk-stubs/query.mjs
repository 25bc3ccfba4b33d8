/**
 * main.js's stand-in for the SDK's `internal/utils/query.mjs`, which serialises a request's
 * query with its vendored `qs` (6 KB: nested objects, charsets, formats, filters). The plugin's
 * only queries are flat: model listing's `limit`, and `after_id` on later pages. This writes
 * flat values and arrays of them as the SDK does (`qs` with `arrayFormat: "brackets"`, RFC 3986
 * encoding, null as `key=`, undefined left out); tests/bundle checks it against the SDK's on
 * random queries. A nested object (or a Date) throws instead of being sent wrongly.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function pair(key, value) {
	if (value === null) return `${encode(key)}=`;
	if (typeof value === "object" || typeof value === "function" || typeof value === "symbol") {
		throw new Error(`Email Reply Drafter's build writes only flat query values; "${key}" is not one.`);
	}
	return `${encode(key)}=${encode(String(value))}`;
}

export function stringifyQuery(query) {
	const parts = [];
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		if (Array.isArray(value)) {
			for (const item of value) if (item !== undefined) parts.push(pair(`${key}[]`, item));
		} else parts.push(pair(key, value));
	}
	return parts.join("&");
}
