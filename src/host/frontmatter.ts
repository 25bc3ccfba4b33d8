/**
 * A fast path for the frontmatter most notes have: `key: value` lines with plain or quoted
 * strings, core-schema scalars (null, booleans, numbers), and flow (`[a, b]`) or block
 * (`- a`) lists of them. It returns exactly what `yaml` returns for such text, or
 * `undefined` for anything else (nested maps, multi-line or escaped strings, anchors, tags,
 * comments after values, duplicate keys…), which the caller hands to `yaml`. Property tests
 * in tests/load/frontmatter.test.ts hold it equal to `yaml`, errors included.
 *
 * Reading a large vault from the command line spends most of its time here otherwise:
 * `yaml` builds a full document tree for every note.
 */

// The YAML 1.2 core schema, as the `yaml` package resolves it (first match wins).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema. */
export function coreScalar(text: string): unknown {
	if (NULL.test(text)) return null;
	if (BOOL.test(text)) return text[0] === "t" || text[0] === "T";
	if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
	if (INT.test(text)) return parseInt(text, 10);
	if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
	if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? -Infinity : Infinity;
	if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
	return text;
}

/** Not the fast path's to answer. */
const NO = undefined;

/**
 * Keys the fast path reads: a word, possibly with inner spaces, dots and dashes. Keys that
 * would resolve to something other than their text (`null:`, `1:`) go to `yaml`.
 */
const KEY = /^([A-Za-z_][\w.-]*(?: [\w.-]+)*):(?:[ ]+(.*))?$/;
// Characters that change meaning at the start of a plain scalar, or anywhere in flow context.
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Control characters (but the line feed), tabs, odd spaces, BOM, non-characters: `yaml` has opinions. */
function awkward(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if ((c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c >= 0xfeff && (c === 0xfeff || c >= 0xfffe)) return true;
	}
	return LONE_SURROGATE.test(text);
}

function plain(text: string, flow: boolean): string | undefined {
	// `-5` and `-.5` are numbers; other indicators at the start are YAML syntax.
	if (text === "" || (PLAIN_START.test(text) && !/^-[0-9.]/.test(text))) return NO;
	// `: ` starts a mapping, ` #` a comment; a trailing `:` is a key.
	if (text.includes(": ") || text.includes(" #") || text.endsWith(":")) return NO;
	if (flow && /[,[\]{}]/.test(text)) return NO;
	return text;
}

/** A single-line scalar: quoted (without escapes) or plain. */
function scalar(text: string, flow: boolean): unknown {
	const first = text[0];
	if (first === '"') {
		const close = text.indexOf('"', 1);
		if (close !== text.length - 1 || text.includes("\\")) return NO;
		return text.slice(1, -1);
	}
	if (first === "'") {
		const inner = text.slice(1, -1);
		if (text.length < 2 || text[text.length - 1] !== "'" || inner.replace(/''/g, "").includes("'")) return NO;
		return inner.replace(/''/g, "'");
	}
	const value = plain(text, flow);
	return value === NO ? NO : coreScalar(value);
}

/** `[a, "b", c]` on one line, no nesting. */
function flowList(text: string): unknown[] | undefined {
	const inner = text.slice(1, -1).trim();
	if (inner === "") return [];
	// Quoted items could hold commas or brackets; keep them simple here.
	const out: unknown[] = [];
	for (const part of inner.split(",")) {
		const item = part.trim();
		if (item === "") return NO;
		const value = scalar(item, true);
		if (value === NO) return NO;
		out.push(value);
	}
	return out;
}

function value(text: string): unknown {
	if (text.startsWith("[")) return text.endsWith("]") ? flowList(text) : NO;
	return scalar(text, false);
}

/**
 * Parses frontmatter YAML when it has only plain shapes. Returns the object `yaml` would,
 * or `undefined` when the text needs the full parser.
 */
export function parsePlainFrontmatter(yaml: string): Record<string, unknown> | undefined {
	if (awkward(yaml)) return NO;
	const out: Record<string, unknown> = {};
	const lines = yaml.split("\n");
	let i = 0;
	while (i < lines.length) {
		const line = lines[i] ?? "";
		i++;
		const trimmed = line.trimEnd();
		if (trimmed === "") continue;
		if (line.startsWith("#")) continue;
		const m = KEY.exec(trimmed);
		if (!m) return NO;
		const key = m[1] ?? "";
		if (key === "__proto__" || coreScalar(key) !== key || Object.prototype.hasOwnProperty.call(out, key)) return NO;
		const rest = m[2];
		if (rest !== undefined && rest !== "") {
			const v = value(rest);
			if (v === NO) return NO;
			out[key] = v;
			continue;
		}
		// `key:` alone: null, or a block list on the lines below.
		let indent = -1;
		const items: unknown[] = [];
		while (i < lines.length) {
			const next = (lines[i] ?? "").trimEnd();
			if (next === "") {
				i++;
				continue;
			}
			const spaces = next.length - next.trimStart().length;
			const body = next.slice(spaces);
			if (body.startsWith("#")) return NO;
			if (body !== "-" && !body.startsWith("- ")) {
				if (spaces > 0) return NO;
				break;
			}
			if (indent === -1) indent = spaces;
			else if (spaces !== indent) return NO;
			const itemText = body.slice(1).trim();
			if (itemText === "") items.push(null);
			else {
				if (itemText.startsWith("[") || itemText.startsWith("- ") || itemText === "-") return NO;
				const v = scalar(itemText, false);
				if (v === NO) return NO;
				items.push(v);
			}
			i++;
		}
		out[key] = indent === -1 ? null : items;
	}
	return out;
}
