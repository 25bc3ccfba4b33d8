/**
 * HTML-only mail to readable text: block elements become line breaks, lists become bullets,
 * links keep their address, blockquotes become `>` quotes (so the splitter sees the thread),
 * and scripts, styles and comments disappear. Entities are decoded.
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

export function htmlToText(html: string): string {
	let s = html
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
