/**
 * Separates the newest message of an email body from the quoted thread and the signature.
 *
 * The body is read top to bottom as a sequence of lines. Quote headers in the common
 * clients and languages (`On … wrote:`, Outlook's `From:/Sent:` blocks, `-----Original
 * Message-----`, forwarded-message banners) start the quoted history; `>` lines are quoted
 * wherever they stand, so inline and bottom-posted answers stay part of the newest message;
 * signature delimiters and mobile sign-offs end the visible part of the segment they are in.
 */

export interface SplitMessage {
	/** The newest message, without quoted history or signature. */
	newest: string;
	/** The quoted thread (headers kept, `>` markers removed), for thread context. */
	quoted: string;
	/** The signature block that was removed from the newest message, if any. */
	signature: string;
}

/**
 * `On <date>, <name> wrote:` and its translations. Headers that begin with their own keyword
 * are also matched across up to three wrapped lines; the rest only on one line, so that a
 * sentence above a header is never taken for part of it.
 */
const WROTE_HEADERS_ANCHORED: RegExp[] = [
	/^-*\s*On\s.+\s(?:wrote|writes)\s?:?\s*-*$/i,
	/^-*\s*Le\s.+\s(?:a\s)?[ée]crit\s?:?\s*-*$/i,
	/^-*\s*El\s.+\s(?:escribi[óo])\s?:?\s*-*$/i,
	/^-*\s*(?:Il|In data)\s.+\s(?:ha\s)?scritto\s?:?\s*-*$/i,
	/^-*\s*Em\s.+\s(?:escreveu)\s?:?\s*-*$/i,
	/^\s*Am\s.+\sschrieb\s?.*:\s*$/i,
	/^\s*Op\s.+\s(?:schreef)\b.*:\s*$/i,
	/^\s*(?:W\sdniu|Dnia)\s.+\s(?:pisze|napisał(?:\(a\))?)\s?:\s*$/iu,
	/^\s*Den\s.+\sskrev\s?.*:\s*$/i,
	/^\s*(?:ma|ti|ke|to|pe|la|su)\s.+\skirjoitti\s?:\s*$/i,
	/^\s*在.+写道[：:]\s*$/u,
	/^\s*20\d{2}[./-].+(?:작성|のメッセージ)\s?:\s*$/u,
];
const WROTE_HEADERS_SINGLE_LINE: RegExp[] = [
	/^\s*.+\s<[^>]+>\s+schrieb\s?:\s*$/i,
	/^\s*.+\s(?:skrev|skrevet)\s.+:\s*$/i,
	/^\s*.+\skirjoitti\s?:\s*$/i,
	/^\s*.+\s(?:пишет|написал(?:а)?)\s?:\s*$/iu,
	/^\s*.+\s(?:г\.\s+в\s).+:\s*$/iu,
	/^\s*.+\son\s.+\sat\s.+\swrote\s?:\s*$/i,
	/^\s*20\d{2}-\d{2}-\d{2}\s\d{2}:\d{2}.*<[^>]+>\s?:\s*$/,
	/^\s*\d{2}[./]\d{2}[./]20\d{2}.*\d{2}[:.]\d{2}.*<[^>]+>\s?:\s*$/,
	/^\s*\d{2}:\d{2}.*\d{4}.*<[^>]+>\s?:\s*$/,
	/^\s*.*\d{4}.*\sfrom\s.*<[^>]+>\s?:\s*$/i,
];

/** Banners that start an unquoted copy of an earlier or forwarded message. */
const BANNERS: RegExp[] = [
	/^\s*-{2,}\s*(?:Original Message|Oprindelig besked|Message d'origine|Ursprüngliche Nachricht|Mensaje original|Messaggio originale|Mensagem original|Oorspronkelijk bericht|Ursprungligt meddelande|Alkuperäinen viesti|Исходное сообщение|Opprinnelig melding)\s*-{0,}\s*$/i,
	/^\s*-{2,}\s*(?:Forwarded message|Message transféré|Weitergeleitete Nachricht|Mensaje reenviado|Messaggio inoltrato|Mensagem encaminhada|Doorgestuurd bericht)\s*-{0,}\s*$/i,
	/^\s*(?:Begin forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht)\s*:\s*$/i,
];

/** `From:` in the languages Outlook writes its reply headers in, and the keys that follow it. */
const FROM_KEY = /^\s*\**\s*(?:From|Von|De|Da|Van|Fra|Från|Lähettäjä|От|Od)\s*\**\s*:\s*\**\s*\S/iu;
const HEADER_KEY = /^\s*\**\s*(?:Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date|À|A|Objet|Inviato|Oggetto|Verzonden|Aan|Onderwerp|Enviado|Para|Asunto|Fecha|Sendt|Til|Emne|Skickat|Till|Ämne|Lähetetty|Vastaanottaja|Aihe|Отправлено|Кому|Тема|Wysłano|Do|Temat)\s*\**\s*:/iu;
/** `From: Name <address>` alone is also how several clients (and the fixtures) mark history. */
const FROM_WITH_ADDRESS = /^\s*\**\s*(?:From|Von|De|Da|Van)\s*\**\s*:.*[<[][^>\]]*@[^>\]]*[>\]]/i;

const OUTLOOK_RULE = /^\s*_{10,}\s*$/;

const SIGNATURE_LINES: RegExp[] = [
	/^-- ?$/,
	/^\s*-{2,4}\s*$/,
	/^\s*_{2,4}\s*$/,
	/^\s*[+=]{2,4}\s*$/,
	/^\s*(?:Sent|Envoyé|Enviado|Inviato|Gesendet|Verzonden|Verstuurd|Sendt|Skickat|Lähetetty|Отправлено)\s+(?:from|depuis|de|à partir de|desde|da|von|vanaf|fra|från|från min|från mitt|с)\s+\S.*$/i,
	/^\s*Envoyé de mon\s+\S.*$/i,
	/^\s*Von meinem\s+\S.*\s+gesendet\s*$/i,
	/^\s*Gesendet von\s.+\sfür\s.+$/i,
	/^\s*(?:Get|Télécharger)\s+Outlook\s+(?:for|pour)\s+\S.*$/i,
	/^\s*Cheers\s*[,!]?\s*$/i,
	/^\s*Best wishes\s*[,!]?\s*$/i,
	/^\s*[\p{L}]{0,20}\s?(?:\sand\s)?Regards\s*[,!！]?\s*$/iu,
	/^\s*Bien [àa] vous\s*[,!]?\s*$/i,
	/^\s*[\p{L}]{0,20}\s?cordialement\s*[,!]?\s*$/iu,
	/^\s*Bonne (?:journ.e|soir.e)\s*!?\s*$/i,
];

function isWroteHeader(text: string, wrapped: boolean): boolean {
	if (WROTE_HEADERS_ANCHORED.some((re) => re.test(text))) return true;
	return !wrapped && WROTE_HEADERS_SINGLE_LINE.some((re) => re.test(text));
}

function isBanner(line: string): boolean {
	return BANNERS.some((re) => re.test(line));
}

export function isSignatureLine(line: string): boolean {
	return SIGNATURE_LINES.some((re) => re.test(line));
}

function isQuoted(line: string): boolean {
	return /^\s*>/.test(line);
}

/** An Outlook-style header block: `From:` followed within a few lines by other header keys. */
function isHeaderBlock(lines: string[], i: number): boolean {
	const line = lines[i] ?? "";
	if (!FROM_KEY.test(line)) return false;
	let keys = 0;
	for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
		const next = lines[j] ?? "";
		if (HEADER_KEY.test(next)) keys++;
		else if (next.trim() === "") break;
	}
	return keys >= 1 || FROM_WITH_ADDRESS.test(line);
}

/**
 * How many lines, starting at `i`, form a `wrote:` quote header (1 to 3), or 0.
 * Mail clients wrap long headers, so `On …,\nName <a@b> wrote:` is one header.
 */
function wroteHeaderLength(lines: string[], i: number): number {
	const first = lines[i] ?? "";
	if (first.trim() === "" || isQuoted(first)) return 0;
	if (isWroteHeader(first.trim(), false)) return 1;
	let joined = first.trim();
	for (let n = 1; n < 3; n++) {
		const next = lines[i + n];
		if (next === undefined || next.trim() === "") return 0;
		// Gmail sometimes wraps the closing `>:` of `<address>:` onto a line of its own.
		if (/^\s*>\s*:\s*$/.test(next)) return isWroteHeader(`${joined}>:`, false) ? n + 1 : 0;
		if (isQuoted(next)) return 0;
		joined = `${joined} ${next.trim()}`;
		if (isWroteHeader(joined, true)) return n + 1;
	}
	return 0;
}

function unquote(line: string): string {
	return line.replace(/^\s*>\s?/, "");
}

function tidy(lines: string[]): string {
	return lines
		.map((l) => l.replace(/[ \t\u00a0]+$/, ""))
		.join("\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
}

export function splitReply(body: string): SplitMessage {
	const lines = body.replace(/\r\n?/g, "\n").split("\n");
	const visible: string[] = [];
	const quoted: string[] = [];
	const signature: string[] = [];
	/** True once a signature ended the current visible segment (until the next quote). */
	let inSignature = false;

	let i = 0;
	while (i < lines.length) {
		const line = lines[i] ?? "";

		// Unquoted history: everything from here down is the thread.
		if (isBanner(line) || (OUTLOOK_RULE.test(line) && lines.slice(i + 1, i + 3).some((l) => FROM_KEY.test(l))) || isHeaderBlock(lines, i)) {
			quoted.push(...lines.slice(i));
			break;
		}

		const headerLength = wroteHeaderLength(lines, i);
		if (headerLength > 0) {
			const after = lines.slice(i + headerLength).findIndex((l) => l.trim() !== "");
			const firstAfter = after < 0 ? undefined : lines[i + headerLength + after];
			quoted.push(...lines.slice(i, i + headerLength));
			i += headerLength;
			if (firstAfter === undefined || !isQuoted(firstAfter)) {
				// Top-posted reply over an unquoted copy: all that follows is history.
				quoted.push(...lines.slice(i));
				break;
			}
			inSignature = false;
			continue;
		}

		if (isQuoted(line)) {
			quoted.push(unquote(line));
			inSignature = false;
			i++;
			continue;
		}

		if (!inSignature && isSignatureLine(line) && visible.some((l) => l.trim() !== "")) {
			inSignature = true;
		}
		(inSignature ? signature : visible).push(line);
		i++;
	}

	// Inline replies leave short visible fragments between quotes; they read as one message.
	return { newest: tidy(visible), quoted: tidy(quoted), signature: tidy(signature) };
}
