/**
 * HTML-only mail to readable text: block elements become line breaks, lists become bullets,
 * links keep their address, blockquotes become `>` quotes (so the splitter sees the thread),
 * and scripts, styles and comments disappear. Entities are decoded.
 *
 * Before flattening, the containers mail clients wrap the quoted thread in are turned into
 * blockquotes too, so the thread is recognised by its structure whatever language its
 * attribution is in: Gmail's and Yahoo's quote divs, and the markers where Outlook (desktop,
 * web, Mac, the new Outlook) and Hotmail start the earlier message, from there to the end.
 */
const NAMED: Record<string, string> = {
	amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—", hellip: "…",
	rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", euro: "€", copy: "©", reg: "®", trade: "™", bull: "•",
	eacute: "é", egrave: "è", agrave: "à", ccedil: "ç", uuml: "ü", ouml: "ö", auml: "ä", szlig: "ß",
};

export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
		if (code[0] === "#") {
			const n = code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
			return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
		}
		return NAMED[code.toLowerCase()] ?? m;
	});
}

/** Elements that open the quoted thread; everything from them to the end is the thread. */
const THREAD_FROM_HERE =
	/<(?:div|span)\b[^>]*\bid\s*=\s*["']?(?:divRplyFwdMsg|appendonsend|OLK_SRC_BODY_SECTION|mail-editor-reference-message-container|x_divRplyFwdMsg)\b[^>]*>|<hr\b[^>]*\bid\s*=\s*["']?stopSpelling\b[^>]*>|<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bOutlookMessageHeader\b[^>]*>|<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top\s*:\s*solid\s+#(?:E1E1E1|B5C4DF)[^"']*["'][^>]*>/i;
/** Elements that hold the quoted thread (with its attribution) and nothing else. */
const QUOTE_CONTAINER = /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(?:gmail_quote|yahoo_quoted|protonmail_quote|zmail_extra)\b[^>]*>/gi;

/** The index just past the `</div>` that closes the div opening at `start`, or the end. */
function closingDiv(html: string, start: number): number {
	const tags = /<div\b[^>]*>|<\/div\s*>/gi;
	tags.lastIndex = start;
	let depth = 0;
	for (let m = tags.exec(html); m; m = tags.exec(html)) {
		depth += m[0][1] === "/" ? -1 : 1;
		if (depth === 0) return m.index + m[0].length;
	}
	return html.length;
}

function markQuoteContainers(html: string): string {
	let out = html;
	const from = THREAD_FROM_HERE.exec(out);
	if (from) out = `${out.slice(0, from.index)}<blockquote>${out.slice(from.index)}</blockquote>`;
	QUOTE_CONTAINER.lastIndex = 0;
	for (let m = QUOTE_CONTAINER.exec(out); m; m = QUOTE_CONTAINER.exec(out)) {
		const end = closingDiv(out, m.index);
		const inner = out.slice(m.index + m[0].length, end).replace(/<\/div\s*>$/i, "");
		out = `${out.slice(0, m.index)}<blockquote>${inner}</blockquote>${out.slice(end)}`;
		QUOTE_CONTAINER.lastIndex = m.index + "<blockquote>".length + inner.length + "</blockquote>".length;
	}
	return out;
}

export function htmlToText(html: string): string {
	let s = markQuoteContainers(html)
		.replace(/<!--[\s\S]*?-->/g, "")
		.replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, "")
		.replace(/\r\n?/g, "\n")
		.replace(/\s*\n\s*/g, " ");
	s = s.replace(/<a\b[^>]*href\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
		const text = label.replace(/<[^>]+>/g, "").trim();
		if (!text || href.startsWith("mailto:") || text === href) return text || href.replace(/^mailto:/, "");
		return `${text} (${href})`;
	});
	s = s
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<li\b[^>]*>/gi, "\n- ")
		.replace(/<\/li>/gi, "")
		.replace(/<\/(p|div|h[1-6]|tr|table|ul|ol|section|article|header|footer)>/gi, "\n")
		.replace(/<(p|div|h[1-6]|tr|table|ul|ol|section|article|header|footer)\b[^>]*>/gi, "\n")
		.replace(/<hr\b[^>]*>/gi, "\n---\n")
		.replace(/<\/t[dh]>/gi, "\t");
	// Blockquotes become `>` lines, nested ones `> >`.
	let depth = 0;
	s = s.replace(/<(\/?)blockquote\b[^>]*>|[^<]+|<[^>]*>/gi, (m, close: string | undefined) => {
		if (/^<\/?blockquote/i.test(m)) {
			depth = Math.max(0, depth + (close ? -1 : 1));
			return "\n";
		}
		if (m.startsWith("<")) return "";
		if (depth === 0) return m;
		return m.split("\n").map((line) => (line.trim() ? `${"> ".repeat(depth)}${line.trim()}` : line)).join("\n");
	});
	return decodeEntities(s)
		.split("\n")
		.map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
		.join("\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
}
