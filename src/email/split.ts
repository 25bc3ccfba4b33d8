/**
 * Separates the newest message of an email body from the quoted thread and the signature,
 * following how mail is structured rather than any one client's layout:
 *
 * 1. Quoted regions. A region starts at an attribution line (`On … wrote:` and its
 *    translations, also wrapped over several lines), an Outlook-style header block
 *    (`From:`/`Sent:`/`To:`/`Subject:` in many languages, CJK included), or a banner
 *    (`-----Original Message-----`, forwarded-message markers). When `>` lines follow the
 *    start, the region is those lines; otherwise it is an unquoted copy running to the end.
 *    `>` lines stand for a quote by themselves too, unless they read as content (a lone
 *    "> 10 seats", a console session or log pasted with its prompt).
 * 2. The newest message is every line outside those regions, wherever it stands: above
 *    (top-posting), below (bottom-posting) or between quotes (inline replies). A note with
 *    nothing of its own but a copy (a bare forward) is answered as that copy.
 * 3. The signature. The sign-off and the name under it stay ("Best regards,\nAna"); a `-- `
 *    signature, a contact block after the name, legal disclaimers, meeting-join blocks,
 *    device and client lines ("Sent from my iPhone", "iPhoneから送信") and warning banners
 *    at the top ("CAUTION: This email originated from outside…") go.
 *
 * Text inside a fenced code block is content, whatever it looks like.
 * No regular expression here uses lookbehind (iOS before 16.4 rejects the whole script).
 */

import { cheapToCompile } from "./patterns";

export interface SplitMessage {
	/** The newest message, without quoted history or signature. */
	newest: string;
	/** The quoted thread (headers kept, one level of `>` markers removed), for thread context. */
	quoted: string;
	/** What was removed from the newest message as signature, banners and footers. */
	signature: string;
}

// ---------------------------------------------------------------------------------------
// Attribution lines

/**
 * The verbs of `On <date>, <name> wrote:` as mail clients write it in each language
 * (Gmail, Outlook, Apple Mail, Thunderbird, Android, mobile clients). Matched as words.
 */
const ATTRIBUTION_VERBS = [
	"wrote", "writes", "sent", // English
	"schrieb", "geschrieben", // German
	"a écrit", "écrit", // French
	"escribió", "escribio", "escreveu", "escribiu", // Spanish, Portuguese, Galician
	"ha scritto", "scritto", // Italian
	"schreef", "geschreven", // Dutch
	"skrev", "skrevet", "skrifaði", // Scandinavian, Icelandic
	"kirjoitti", "kirjutas", // Finnish, Estonian
	"napisał\\(a\\)", "napisał", "napisała", "napisana", "pisze", // Polish
	"napsal\\(a\\)", "napsal", "napsala", "napísal\\(a\\)", "napísal", "napísala", // Czech, Slovak
	"napisao je", "napisala je", "napisao", "napisala", "je napisal", "je napisala", // Croatian, Serbian, Slovenian
	"написал\\(а\\)", "написал", "написала", "пишет", "пише", "написав", "написа", // Russian, Ukrainian, Bulgarian
	"a scris", // Romanian
	"şunu yazdı", "şunu yazdi", "yazdı", // Turkish
	"ezt írta", "írta", // Hungarian
	"έγραψε", // Greek
	"כתב", "כתבה", // Hebrew
	"كتب", // Arabic
	"đã viết", // Vietnamese
	"menulis", // Indonesian, Malay
	"rašė", "rakstīja", // Lithuanian, Latvian
	"va escriure", // Catalan
];
/** Scripts without spaces between words: matched anywhere in the line. */
const ATTRIBUTION_VERBS_CJK = ["写道", "寫道", "のメッセージ", "のメール", "が書きました", "は書きました", "작성", "เขียนว่า", "เขียน"];

const VERB = new RegExp(`(?:^|[^\\p{L}])(?:${ATTRIBUTION_VERBS.join("|")})(?:$|[^\\p{L}])|${ATTRIBUTION_VERBS_CJK.join("|")}`, "iu");
const EMAIL = /[^\s<>()[\]"':;,]+@[^\s<>()[\]"':;,]+\.[^\s<>()[\]"':;,]+/;
/** A time (9:14, 09.14, 9:14 AM), a year, or a CJK date: what an attribution's date contains. */
const DATE_EVIDENCE = /\d{1,2}[:.]\d{2}|(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}|[年월月]|[٠-٩]{1,2}:[٠-٩]{2}|[٠-٩]{4}/;
/** Ends like an attribution: a colon (also full-width, also `wrote ----` on Android). */
const ATTRIBUTION_END = /(?:[:：]|[:：]?\s*-{2,})\s*$/;
/** `2011/4/7 Name <a@b>`, `2016-03-03 17:21 GMT+01:00 Name <a@b>:`, Gmail's verb-less forms (Russian, Japanese). */
const DATED_ADDRESS = /^[^\p{L}\d]{0,3}(?:\d|\p{L}{1,12}[.,]?\s+\d).*[<(]?[^\s<>()]+@[^\s<>()]+[>)]\s*[:：]?\s*$/u;
const DATED_ADDRESS_COLON = /[<(]?[^\s<>()]+@[^\s<>()]+[>)]\s*[:：]\s*$/;
/** Words that begin an attribution in the clients' languages (On, Le, Am, El, Op, W dniu, …). */
const LEAD = /^\s*(?:-{2,}\s*)?(?:On|At|Le|Am|El|Il|Il giorno|In data|Em|No dia|Op|Den|På|W dniu|Dnia|Dne|Dňa|Στις|Vào|Pada|Pe|Dana|Kun|Tanggal|เมื่อ|В|У|На|في|בתאריך)\s/iu;

/** Android's attribution: `---- Ana Ruiz wrote ----`. */
const ANDROID_ATTRIBUTION = cheapToCompile(/^-{2,}\s*\S.*\s(?:wrote|schrieb|a écrit|escribió|ha scritto|escreveu|schreef|skrev|написал\S*)\s*-{2,}$/iu);

/** An attribution names someone else; a line that starts with "I"/"We" is the writer's own sentence. */
const FIRST_PERSON = /^(?:I|We|Ich|Wir|Je|Nous|Yo|Nosotros|Io|Noi|Eu|Nós|Ik|Wij|Jag|Vi|Jeg|Me|Minä|Me)\s/;

/** Is this text (one line, or wrapped lines joined) an attribution line? */
function isAttribution(text: string): boolean {
	const t = text.trim();
	if (t.length < 6 || t.length > 400 || FIRST_PERSON.test(t)) return false;
	if (ANDROID_ATTRIBUTION.test(t)) return true;
	const hasAt = t.includes("@");
	const ends = ATTRIBUTION_END.test(t);
	if (!ends && !(hasAt && DATED_ADDRESS.test(t)) && !(LEAD.test(t) && VERB.test(t.slice(-16)))) return false;
	const hasVerb = VERB.test(t);
	const hasAddress = hasAt && EMAIL.test(t);
	const hasDate = DATE_EVIDENCE.test(t);
	if (hasVerb && ends && (hasAddress || hasDate || LEAD.test(t))) return true;
	// Some clients drop the colon: `On Wed, 14 Nov 2018 08:14:43 -0200 John Doe <john@doe.com> wrote`.
	if (LEAD.test(t) && hasAddress && hasDate && VERB.test(t.slice(-16))) return true;
	// Gmail without a verb: `пн, 23 нояб. 2026 г. в 09:14, Ana <a@b>:`, `2026年11月23日(月) 9:14 Ana <a@b>:`
	if (hasAddress && hasDate && (DATED_ADDRESS.test(t) || DATED_ADDRESS_COLON.test(t)) && /^\S*\d|^[^\s\d]{1,12}[.,]?\s/u.test(t)) return true;
	return false;
}

/** `Name wrote:` with neither date nor address: a quote header only when `>` lines follow. */
function isWeakAttribution(text: string): boolean {
	const t = text.trim();
	return t.length <= 80 && ATTRIBUTION_END.test(t) && VERB.test(t) && /^\S/.test(t) && !/[.!?]\s/.test(t);
}

const SENTENCE_END = /[.!?。！？]\s*$/;

/**
 * How many lines starting at `i` form an attribution (up to five pieces, within eight lines),
 * or 0. Clients wrap long attributions, sometimes with blank lines between the pieces; a
 * sentence of the reply above an attribution is never swallowed into it.
 */
function attributionLength(lines: string[], i: number, weak = false): number {
	const first = lines[i] ?? "";
	if (first.trim() === "" || isQuoteMarked(first)) return 0;
	const test = weak ? isWeakAttribution : isAttribution;
	// `Le <date>, Name <address>` already reads as Gmail's verb-less form; the verb may follow
	// on the next line, and belongs to it.
	const extend = (joinedSoFar: string, end: number): number => {
		let joinedNow = joinedSoFar;
		let k = end;
		while (k - i < 5) {
			const next = lines[k] ?? "";
			if (next.trim() === "" || isQuoteMarked(next) || !test(`${joinedNow} ${next.trim()}`)) break;
			joinedNow = `${joinedNow} ${next.trim()}`;
			k++;
		}
		return k - i;
	};
	if (test(first)) return extend(first.trim(), i + 1);
	let joined = first.trim();
	let used = 1;
	for (let j = i + 1; j < Math.min(lines.length, i + 8) && used < 5; j++) {
		const raw = lines[j] ?? "";
		if (raw.trim() === "") {
			// Polymail and others leave blank lines inside a wrapped attribution; only one that started like one.
			if (LEAD.test(first) && DATE_EVIDENCE.test(first)) continue;
			return 0;
		}
		// Gmail wraps `<address>:` so that the line closing it starts with `>` (`>:`, `> wrote:`);
		// any other quoted line ends the attribution.
		if (isQuoteMarked(raw) && !/^\s*>\s*(?:[:：]|wrote\b)/.test(raw)) return 0;
		joined = `${joined} ${raw.trim()}`.replace(/<\s+/g, "<").replace(/\s+>/g, ">");
		used = j - i + 1;
		if (test(joined)) {
			if (SENTENCE_END.test(first) && !DATE_EVIDENCE.test(first) && !EMAIL.test(first)) return 0;
			// Wrapped attributions start with the line that holds the date or the address (the rest
			// wraps onto the next lines); a sentence of the reply rarely holds either. Otherwise a
			// window that starts lower wins, unless it starts with `<address>` (the name's continuation).
			if (!DATE_EVIDENCE.test(first) && !EMAIL.test(first)) {
				for (let s = i + 1; s <= j; s++) {
					const later = lines.slice(s, j + 1).map((l) => l.trim()).join(" ");
					if (!/^[<(]/.test(later) && test(later)) return 0;
				}
			}
			return extend(joined, j + 1);
		}
	}
	return 0;
}

/** `reply text On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:`: some clients join them. */
function splitTrailingAttribution(line: string): [string, string] | null {
	const m = /^(.*?\S)\s*((?:-{2,}\s*)?(?:On|Le|Am|El|Op|Em)\s.+)$/.exec(line);
	if (!m || !m[1] || !m[2] || !/\p{L}/u.test(m[1])) return null;
	return isAttribution(m[2]) && DATE_EVIDENCE.test(m[2]) ? [m[1], m[2]] : null;
}

// ---------------------------------------------------------------------------------------
// Header blocks and banners

type HeaderGroup = "from" | "date" | "to" | "cc" | "subject";

/** Header names as mail clients write them in their reply and forward blocks, by language. */
const HEADER_NAMES: Record<HeaderGroup, string[]> = {
	from: [
		"From", "Sender", "Von", "Absender", "De", "Da", "Van", "Afzender", "Fra", "Från", "Frá", "Lähettäjä", "Saatja", "От", "Від", "Od", "Nadawca",
		"Kimden", "Feladó", "Από", "Từ", "Dari", "De la", "Remitente", "Nuo", "No", "من", "מאת", "发件人", "發件人", "寄件者", "寄件人", "差出人", "보낸 사람", "보낸사람", "จาก",
	],
	date: [
		"Sent", "Date", "Sent at", "Gesendet", "Datum", "Envoyé", "Envoyé le", "Inviato", "Data", "Verzonden", "Enviado", "Enviada", "Enviado el", "Fecha",
		"Sendt", "Skickat", "Sent:", "Lähetetty", "Päivämäärä", "Saadetud", "Отправлено", "Дата", "Надіслано", "Wysłano", "Wysłane", "Odesláno", "Odoslané", "Poslano",
		"Gönderildi", "Gönderim", "Tarih", "Küldve", "Dátum", "Elküldve", "Στάλθηκε", "Ημερομηνία", "Đã gửi", "Ngày", "Dikirim", "Tanggal", "Trimis", "Sendur",
		"Išsiųsta", "Nosūtīts", "تاريخ", "تم الإرسال", "נשלח", "תאריך", "发送时间", "發送時間", "日期", "傳送時間", "寄件日期", "時間", "送信日時", "日付", "보낸 날짜", "날짜", "ส่ง", "วันที่",
	],
	to: [
		"To", "An", "À", "A", "Aan", "Para", "Til", "Till", "Vastaanottaja", "Saaja", "Кому", "Komu", "Do", "Adresat", "Kime", "Címzett", "Προς", "Đến",
		"Kepada", "Către", "Catre", "Prima", "Kam", "Gavėjas", "Kam:", "إلى", "אל", "收件人", "收件者", "宛先", "받는 사람", "받는사람", "ถึง",
	],
	cc: ["Cc", "Kopie", "Kopia", "Kopio", "Копия", "Копія", "Bilgi", "Másolat", "Kópia", "Κοιν", "Kopi", "Kópia", "抄送", "副本", "참조", "نسخة", "עותק"],
	subject: [
		"Subject", "Betreff", "Objet", "Oggetto", "Onderwerp", "Asunto", "Assunto", "Emne", "Ämne", "Efni", "Aihe", "Teema", "Тема", "Temat", "Předmět", "Predmet",
		"Konu", "Tárgy", "Θέμα", "Chủ đề", "Perihal", "Subiect", "Tema", "Tema:", "Tēma", "الموضوع", "נושא", "主题", "主題", "主旨", "件名", "제목", "เรื่อง",
	],
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s?");
const HEADER_KEY: Array<[HeaderGroup, RegExp]> = (Object.keys(HEADER_NAMES) as HeaderGroup[]).map((group) => [
	group,
	new RegExp(`^\\s*[*_]{0,2}\\s*(?:${HEADER_NAMES[group].map((n) => escape(n.replace(/:$/, ""))).join("|")})\\s*[*_]{0,2}\\s*[:：]`, "iu"),
]);
/** Any header name followed by a colon, anywhere in a line: for blocks squashed onto one line. */
const HEADER_KEY_ANYWHERE: Array<[HeaderGroup, RegExp]> = (Object.keys(HEADER_NAMES) as HeaderGroup[]).map((group) => [
	group,
	new RegExp(`(?:^|[^\\p{L}])(?:${HEADER_NAMES[group].filter((n) => n.length > 3).map((n) => escape(n.replace(/:$/, ""))).join("|")})\\s*[:：]`, "iu"),
]);

function headerGroup(line: string): HeaderGroup | null {
	for (const [group, re] of HEADER_KEY) if (re.test(line)) return group;
	return null;
}

/** `From: Name <address>` on its own also opens a copy of a message. */
function isFromWithAddress(line: string): boolean {
	return headerGroup(line) === "from" && /[<[(]?[^\s<>[\]()]+@[^\s<>[\]()]+\.[^\s<>[\]()]+/.test(line.replace(/^[^:：]*[:：]/, ""));
}

/**
 * An Outlook-style header block starting at `i`: header lines of at least two kinds (a sender
 * or a date among them), with wrapped values and blank lines between them as clients write
 * them. Returns the number of lines, or 0.
 */
function headerBlockLength(lines: string[], i: number): number {
	const first = lines[i] ?? "";
	const firstGroup = headerGroup(first);
	if (!firstGroup || isQuoteMarked(first)) return 0;
	// A block squashed onto one line: `Temat: … Nadawca: … Adresat:`.
	const inLine = new Set(HEADER_KEY_ANYWHERE.filter(([, re]) => re.test(first)).map(([g]) => g));
	if (inLine.size >= 3 || (inLine.size >= 2 && EMAIL.test(first))) return 1;
	const groups = new Set<HeaderGroup>([firstGroup]);
	let end = i + 1;
	let continuation = 0;
	let blank = 0;
	for (let j = i + 1; j < Math.min(lines.length, i + 14); j++) {
		const line = lines[j] ?? "";
		if (line.trim() === "") {
			if (++blank > 1) break;
			continue;
		}
		const group = headerGroup(line);
		if (group) {
			groups.add(group);
			end = j + 1;
			blank = 0;
			continuation = 0;
		} else if (blank === 0 && continuation === 0 && groups.size >= 1 && !isQuoteMarked(line)) {
			// A wrapped value (`Subject: Two\nline subject`); only one line, only right under a key.
			continuation++;
			const next = lines[j + 1] ?? "";
			if (!headerGroup(next)) break;
			end = j + 1;
		} else break;
	}
	// A mail header names its sender, or at least a date and a recipient; `Date:` and `Subject:`
	// alone are as likely the lines of an invitation in the message.
	if (groups.size >= 2 && (groups.has("from") || (groups.has("date") && groups.has("to")))) return end - i;
	if (firstGroup === "from" && isFromWithAddress(first)) return 1;
	return 0;
}

/** Words for "message" in the banners clients put above a copied or forwarded message. */
const MESSAGE_WORDS =
	"message|messages|mail|e-mail|email|reply|nachricht|mitteilung|meddelelse|meddelande|melding|bericht|mensaje|mensagem|missatge|messaggio|viesti|sõnum|сообщение|повідомлення|письмо|wiadomość|wiadomosc|zpráva|zprava|správa|poruka|sporočilo|üzenet|mesaj|ileti|e-posta|μήνυμα|thư|pesan|رسالة|הודעה|邮件|郵件|メッセージ|메시지|ข้อความ|original|origine|originale|oorspronkelijk|ursprüngliche|ursprungligt|oprindelig|opprinnelig|alkuperäinen|исходное|оригинальное|oryginalna|původní|eredeti|orijinal|originală|αρχικό|gốc|asli";
const DASHED_BANNER = new RegExp(`^\\s*[*_]{0,2}\\s*-{2,}\\s*[^-]{0,40}(?:${MESSAGE_WORDS})[^-]{0,40}\\s*-{2,}\\s*[*_]{0,2}\\s*$`, "iu");
/** Banners without dashes, ending with a colon, as Apple Mail, Outlook and others write them. */
const FORWARD_BANNER =
	/^\s*[*_]{0,2}\s*(?:Begin forwarded message|Forwarded message|Début du message réexpédié|Message transféré|Anfang der weitergeleiteten Nachricht|Weitergeleitete Nachricht|Inicio del mensaje reenviado|Mensaje reenviado|Messaggio inoltrato|Inizio messaggio inoltrato|Mensagem encaminhada|Início da mensagem reencaminhada|Doorgestuurd bericht|Begin doorgestuurd bericht|Vidarebefordrat meddelande|Videresendt melding|Videresendt meddelelse|Välitetty viesti|Пересылаемое сообщение|Начало переадресованного сообщения|Przekazana wiadomość|Początek przekazywanej wiadomości|Přeposlaná zpráva|Továbbított üzenet|İletilen ileti|Yönlendirilen ileti|Προωθημένο μήνυμα|Tin nhắn đã chuyển tiếp|转发的邮件|轉寄的郵件|転送されたメッセージ|전달된 메시지|Original Message|Reply Message)\s*[*_]{0,2}\s*[:：]?\s*[*_]{0,2}\s*$/iu;
/** Outlook's rule above its header block, in plain text: a line of underscores. */
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;

function isBanner(line: string): boolean {
	return DASHED_BANNER.test(line) || FORWARD_BANNER.test(line);
}

/** A banner above a forwarded (or copied) message: `---------- Forwarded message ---------`, `Begin forwarded message:`. */
export function isForwardBanner(line: string): boolean {
	return isBanner(line);
}

// ---------------------------------------------------------------------------------------
// `>` quoting

/** `> text`, and Supercite's `AB> text`. */
function isQuoteMarked(line: string): boolean {
	return /^\s*(?:[A-Z]{1,3})?>/.test(line);
}

/** A lone `>` line that is content: a comparison ("> 10 seats"), an amount, a decorated link. */
function isContentArrow(line: string): boolean {
	const t = line.trim();
	return /^>\s*[-+]?[\d$€£¥%]/.test(t) || /^>{2,}.*<{2,}$/.test(t);
}

/**
 * A `>` run that is a console session or a log pasted into the message: lines with shell or
 * log tokens (`$ `, `npm ERR!`, `--flag`, `&&`, `./path`, `Error:`, `Traceback`) and no sentence.
 */
function isConsoleRun(lines: string[]): boolean {
	const texts = lines.map((l) => unquote(l).trim()).filter(Boolean);
	if (!texts.length || texts.some((t) => /\p{L}{2,}[.?!]$/u.test(t) && t.split(/\s+/).length > 4)) return false;
	return texts.some((t) => /^(?:\$|#|PS [A-Z]:\\?>?)\s|\bERR!|\bWARN\b|(?:^|\s)--?[a-z][\w-]*|&&|\|\||(?:^|\s)\.{0,2}\/[\w.-]+\/|^\w*(?:Error|Exception):|^Traceback\b|^\s*at [\w.$<>]+ \(/u.test(t));
}

/** A line with no word in it: a piece of a wrapped link inside a quote (`_nonce=3dd518)`). */
function isFragment(line: string): boolean {
	const t = line.trim();
	return t !== "" && t.length <= 120 && !t.split(/\s+/).some((w) => /^[\p{L}]{2,}[.,!?;:]?$/u.test(w));
}

/**
 * The end (exclusive) of the `>` run starting at `i`: quoted lines, blank lines between them,
 * and word-less fragments that a wrapped link left between them.
 */
function quoteRunEnd(lines: string[], i: number): number {
	let end = i;
	let j = i;
	while (j < lines.length) {
		const line = lines[j] ?? "";
		if (isQuoteMarked(line)) end = j + 1;
		else if (line.trim() === "" || isFragment(line)) {
			let k = j;
			while (k < lines.length && !isQuoteMarked(lines[k] ?? "") && ((lines[k] ?? "").trim() === "" || isFragment(lines[k] ?? ""))) k++;
			if (k >= lines.length || !isQuoteMarked(lines[k] ?? "")) break;
			j = k;
			continue;
		} else break;
		j++;
	}
	return end;
}

function unquote(line: string): string {
	return line.replace(/^\s*(?:[A-Z]{1,3})?>\s?/, "");
}

// ---------------------------------------------------------------------------------------
// Signatures, footers, banners

/** A signature delimiter: `-- ` (RFC 3676), and the lines people type instead. */
const SIGNATURE_DELIMITER = /^(?:-- ?|\s*-{2,4}\s*|\s*_{2,4}\s*|\s*[+=]{2,4}\s*|\s*[—–]{3,}\s*)$/;

/**
 * "Sent from my iPhone" and the like, in the languages and word orders clients write it.
 * (cheapToCompile: the same patterns, quicker to compile.)
 */
const DEVICE_LINES: RegExp[] = [
	/^(?:Sent|Envoyé|Enviado|Enviada|Inviato|Gesendet|Verzonden|Verstuurd|Sendt|Skickat|Lähetetty|Отправлено|Надіслано|Wysłane|Wysłano|Odesláno|Odoslané|Poslano|Poslané|Trimis|Gönderildi|Küldve|Εστάλη|Dikirim|Gửi)\s+(?:from|with|using|via|on|by|depuis|de|à partir de|avec|desde|con|do|da|dal|von|mit|vanaf|vanuit|met|fra|från|med|с|со|з|із|z|ze|iz|de pe|din|từ|dari|από)\s+[^,;:!?]{2,45}$/iu,
	/^Envoyé de mon\s.{2,40}$/iu,
	/^Von meinem\s.{2,40}\sgesendet\.?$/iu,
	/^Gesendet von\s.{2,40}(?:\sfür\s.{2,30})?$/iu,
	/^Enviado (?:desde|do|de) (?:mi|meu|o meu)\s.{2,40}$/iu,
	/^Inviato da(?:l mio)?\s.{2,40}$/iu,
	/^Verzonden (?:vanaf|met|vanuit) (?:mijn )?.{2,40}$/iu,
	/^(?:Skickat|Sendt) (?:från|fra) (?:min|mitt)\s.{2,40}$/iu,
	/^Lähetetty\s\S{2,40}$/iu,
	/^Az?\s.{2,40}(?:ról|ről) küldve$/iu,
	/^Trimis de pe\s.{2,40}$/iu,
	/^.{2,30}(?:'(?:[uıiü]m)?dan|'den|dan|den) gönderildi$/iu,
	/^Odesláno z\s.{2,40}$/iu,
	/^Wysłane z\s.{2,40}$/iu,
	/^Отправлено с\s.{2,40}$/iu,
	/^Надіслано з\s.{2,40}$/iu,
	/^Gửi từ\s.{2,40}$/iu,
	/^Dikirim dari\s.{2,40}$/iu,
	/^Εστάλη από\s.{2,40}$/iu,
	/^.{2,25}から送信$/u,
	/^(?:从|從)?我的\s?.{2,25}(?:发送|發送|傳送)$/u,
	/^(?:发自|發自|寄自)我的\s?.{2,25}$/u,
	/^.{2,25}에서 보냄$/u,
	/^(?:Get|Download|Télécharger|Obtener|Scarica|Baixe|Baixar|Pobierz|Hämta|Hent)\s+Outlook\s+(?:for|pour|para|per|dla|för|til)\s+\S.{0,20}$/iu,
	/^Outlook für\s.{2,20}\sbeziehen$/iu,
	/^Sent with\s.{2,30}(?:secure email|Mail)\.?$/iu,
].map(cheapToCompile);

/** A disclaimer announced by a heading in capitals, without a colon. */
const DISCLAIMER_HEADING = /^\s*\*{0,2}(?:CONFIDENTIAL(?:ITY)?(?: NOTICE| NOTE| WARNING| STATEMENT)?|DISCLAIMER|LEGAL NOTICE|PRIVILEGED AND CONFIDENTIAL)\*{0,2}\s*$/;

function isDisclaimer(line: string): boolean {
	return DISCLAIMER.test(line) || DISCLAIMER_HEADING.test(line);
}

function isDeviceLine(line: string): boolean {
	const t = line.trim().replace(/\s*<https?:[^>]*>\s*$/, "").replace(/^[*_]+|[*_]+$/g, "").trim();
	return t.length <= 80 && DEVICE_LINES.some((re) => re.test(t));
}

/** The first line of a legal disclaimer or an environmental footer. */
const DISCLAIMER = cheapToCompile(
	/^\s*(?:\*{0,2}(?:CONFIDENTIAL(?:ITY)?(?:\s+(?:NOTICE|NOTE|WARNING|STATEMENT))?|DISCLAIMER|LEGAL NOTICE|PRIVILEGED (?:AND|&) CONFIDENTIAL)\s*:|This (?:e-?mail|message|communication|transmission)(?: and any (?:files|attachments)[^.]{0,60})?(?:,[^.]{0,60},)? (?:is|are|may|contains?|and its attachments)\b.{0,80}\b(?:confidential|intended|privileged|recipient)|The (?:information|content)s? (?:contained )?in this (?:e-?mail|message|communication)|If you (?:are not|have received this) (?:the intended recipient|(?:e-?mail|message) in error)|Diese (?:E-Mail|Nachricht) (?:enthält|ist|kann) .{0,60}(?:vertraulich|Informationen)|Ce (?:message|courriel|mail|e-mail) (?:et|est|peut|contient) .{0,60}(?:confidentiel|destinataire)|Este (?:mensaje|correo)(?: electrónico)? (?:y|es|puede|contiene) .{0,60}(?:confidencial|destinatario)|Questo messaggio .{0,60}(?:riservat|destinatari)|Please consider the environment before printing)/iu,
);

/** The first line of a meeting-join block that calendar invitations and signatures carry. */
const MEETING_JOIN =
	/^\s*(?:_{20,}\s*$|Microsoft Teams(?: meeting| Need help\?| Besprechung| réunion)|Join (?:Zoom Meeting|(?:the |this )?meeting(?: now)?|on your computer|with Google Meet|Microsoft Teams Meeting|by phone|Webex meeting)\b|Click here to join the meeting|Zoom-Meeting beitreten|Rejoindre (?:la réunion|Zoom)|Unirse a la reunión|Partecipa alla riunione|Meeting ID:\s*\d|Besprechungs-ID:|ID de réunion\s*:)/iu;

/** Warning banners gateways and Outlook put above the message. */
const TOP_BANNER =
	/^\s*(?:[[(]?\*{0,2}(?:EXTERNAL|EXT|EXTERNAL (?:EMAIL|SENDER|MESSAGE)|EXTERN|EXTERNE?|EXTERNO|ESTERNO|\[?External\]?)\*{0,2}[\])]?\s*[:!]?\s*$|\*{0,2}(?:CAUTION|WARNING|ATTENTION|NOTICE|ACHTUNG|VORSICHT|AVERTISSEMENT|PRECAUCIÓN|ATTENZIONE)\s*[:!-]\s*(?:This|External|Diese|Ce|Este|Questa|Questo|Do not|Don't)|\[?EXTERNAL\]?\s*(?:EMAIL|SENDER|MESSAGE)?\s*[:-]\s*|This (?:e-?mail|message) (?:originated|was sent|came|is) from (?:outside|an external)|You don't often get email from|Some people who received this message don't often get email from|Sie erhalten nicht oft E-Mails von|Vous n'obtenez pas souvent d'e-mail|No suele recibir correo|Non ricevi spesso messaggi)/iu;

/** A sign-off line: "Best regards,", "Thanks!", "Mit freundlichen Grüßen", "よろしくお願いします". */
const SIGN_OFF =
	/^\s*(?:(?:best|kind|warm|warmest|kindest|many|with)?\s*(?:regards|wishes|thanks|thank you|greetings)|best|cheers|sincerely|(?:yours )?(?:truly|sincerely|faithfully)|all the best|talk soon|take care|thanks(?: again| so much| a lot)?|thank you(?: so much| very much)?|thx|ty|merci(?: beaucoup)?|cordialement|bien (?:à|a) (?:vous|toi)|bien cordialement|bonne (?:journée|soirée)|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüsse|freundliche grüße|viele grüße|beste grüße|liebe grüße|lg|vg|mfg|gruß|grüße|saludos(?: cordiales)?|un saludo|atentamente|abrazos?|cordiali saluti|saluti|distinti saluti|grazie(?: mille)?|atenciosamente|abraços?|obrigad[oa]|met vriendelijke groet(?:en)?|groeten|groet|hartelijke groet|med vänlig(?:a)? hälsning(?:ar)?|vänliga hälsningar|hälsningar|mvh|med venlig hilsen|venlig hilsen|hilsen|med vennlig hilsen|ystävällisin terveisin|terveisin|pozdrawiam|z poważaniem|s pozdravem|s pozdravom|üdvözlettel|üdv|saygılarımla|iyi çalışmalar|с уважением|спасибо|з повагою|cu stimă|cu drag|με εκτίμηση|trân trọng|salam|hormat saya|よろしくお願いします|よろしくお願いいたします|宜しくお願いします|谢谢|此致|감사합니다)\b[^\n]{0,25}$/iu;

/** A line of a contact block: phone, address, link, title line, social handles. */
function isContactLine(line: string): boolean {
	const t = line.trim();
	if (!t) return true;
	if (t.length > 90) return false;
	if (/(?:\+?\d[\d\s().-]{6,}\d)|@|https?:\/\/|www\.|\||•|·/.test(t)) return true;
	// Short lines without a sentence in them: a title, a company, a street.
	return t.split(/\s+/).length <= 7 && !/[.?!:]$/.test(t) && !/[,;]\s+\p{Ll}/u.test(t);
}

function isNameLine(line: string): boolean {
	const t = line.trim();
	return t.length > 0 && t.length <= 40 && !/[@\d:]|https?:/.test(t) && t.split(/\s+/).length <= 4;
}

function tidy(lines: string[]): string {
	return lines
		.map((l) => l.replace(/[ \t\u00a0]+$/, ""))
		.join("\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
}

// ---------------------------------------------------------------------------------------
// The split

type Role = "text" | "quote" | "signature";

interface Marked {
	lines: string[];
	roles: Role[];
	/** Where an unquoted copy of a message (after its header) starts, for a bare forward. */
	copyStart: number | null;
	copyBody: number | null;
}

/** Fenced code blocks: their lines are content, never quotes or signatures. */
function codeLines(lines: string[]): Set<number> {
	const inside = new Set<number>();
	let open = -1;
	lines.forEach((line, i) => {
		if (/^\s*(?:```|~~~)/.test(line)) {
			if (open < 0) open = i;
			else {
				for (let k = open; k <= i; k++) inside.add(k);
				open = -1;
			}
		}
	});
	return inside;
}

function firstNonBlank(lines: string[], from: number): number {
	for (let k = from; k < lines.length; k++) if ((lines[k] ?? "").trim() !== "") return k;
	return -1;
}

function markQuotes(input: string[]): Marked {
	const lines: string[] = [];
	// Clients that join lines put an attribution at the end of the reply's last line.
	for (const line of input) {
		const split = splitTrailingAttribution(line);
		if (split) lines.push(split[0], split[1]);
		else lines.push(line);
	}
	const roles: Role[] = lines.map(() => "text");
	const code = codeLines(lines);
	const marked: Marked = { lines, roles, copyStart: null, copyBody: null };
	const mark = (from: number, to: number): void => {
		for (let k = from; k < to; k++) roles[k] = "quote";
	};

	let i = 0;
	while (i < lines.length) {
		const line = lines[i] ?? "";
		if (code.has(i) || line.trim() === "") {
			i++;
			continue;
		}
		// Where a quoted region starts, and where its header ends.
		let headerEnd = 0;
		let strong = true;
		if (isBanner(line)) headerEnd = i + 1;
		else if (OUTLOOK_RULE.test(line) && headerBlockLength(lines, firstNonBlank(lines, i + 1)) > 0) headerEnd = i + 1;
		else {
			const block = headerBlockLength(lines, i);
			if (block) headerEnd = i + block;
			else {
				const attribution = attributionLength(lines, i);
				if (attribution) headerEnd = i + attribution;
				else {
					const weak = attributionLength(lines, i, true);
					if (weak) {
						headerEnd = i + weak;
						strong = false;
					}
				}
			}
		}
		if (headerEnd) {
			const next = firstNonBlank(lines, headerEnd);
			if (next >= 0 && isQuoteMarked(lines[next] ?? "")) {
				const end = quoteRunEnd(lines, next);
				mark(i, end);
				i = end;
				continue;
			}
			// A line that goes on in lower case continues the sentence: the "attribution" was prose.
			const continues = next >= 0 && next === headerEnd && /^\s*\p{Ll}/u.test(lines[next] ?? "") && !isBanner(line) && !headerBlockLength(lines, i);
			if (strong && !continues) {
				// An unquoted copy: everything from here down is the thread.
				mark(i, lines.length);
				// After a banner, a header block usually follows; the copy's own text starts after it.
				let body = headerEnd;
				const afterBanner = firstNonBlank(lines, headerEnd);
				if (afterBanner >= 0) {
					const block = headerBlockLength(lines, afterBanner);
					body = block ? afterBanner + block : afterBanner;
				}
				marked.copyStart = i;
				marked.copyBody = body;
				break;
			}
		}
		if (isQuoteMarked(line)) {
			const end = quoteRunEnd(lines, i);
			const content = lines.slice(i, end).filter((l) => l.trim() !== "");
			const isContent = (content.length === 1 && isContentArrow(content[0] ?? "")) || isConsoleRun(content);
			if (!isContent) mark(i, end);
			i = end;
			continue;
		}
		i++;
	}
	return marked;
}

/** Removes signatures, footers and banners from each stretch of the sender's own text. */
function markSignatures(marked: Marked): void {
	const { lines, roles } = marked;
	const code = codeLines(lines);
	// Stretches of text between quoted regions.
	const segments: Array<[number, number]> = [];
	let start = -1;
	for (let k = 0; k <= lines.length; k++) {
		const isText = k < lines.length && roles[k] === "text";
		if (isText && start < 0) start = k;
		if (!isText && start >= 0) {
			segments.push([start, k]);
			start = -1;
		}
	}
	const sig = (from: number, to: number): void => {
		for (let k = from; k < to; k++) if (roles[k] === "text") roles[k] = "signature";
	};

	// Banners above the message: the paragraph they open.
	const top = firstNonBlank(lines, 0);
	if (top >= 0 && roles[top] === "text") {
		let k = top;
		while (k < lines.length && roles[k] === "text" && TOP_BANNER.test(lines[k] ?? "")) {
			let end = k;
			while (end < lines.length && (lines[end] ?? "").trim() !== "") end++;
			sig(k, end);
			k = firstNonBlank(lines, end);
			if (k < 0) break;
		}
	}

	let hasText = false;
	for (const [from, to] of segments) {
		for (let k = from; k < to; k++) {
			const line = lines[k] ?? "";
			if (roles[k] !== "text" || code.has(k)) {
				if (roles[k] === "text" && line.trim()) hasText = true;
				continue;
			}
			const t = line.trim();
			if (!t) continue;
			if (isDeviceLine(t)) {
				// A device line ends what was typed on that device.
				sig(k, to);
				break;
			}
			if (hasText && (SIGNATURE_DELIMITER.test(line) || isDisclaimer(line) || MEETING_JOIN.test(line))) {
				sig(k, to);
				break;
			}
			if (isDisclaimer(line) || MEETING_JOIN.test(line)) {
				sig(k, to);
				break;
			}
			// After a sign-off and the name under it, what follows is a contact block when every line reads like one.
			if (hasText && SIGN_OFF.test(t) && t.length <= 45) {
				const name = firstNonBlank(lines, k + 1);
				if (name >= 0 && name < to && isNameLine(lines[name] ?? "") && !SIGN_OFF.test(lines[name] ?? "")) {
					// At most a dozen lines, all of them contact lines (looked at no further than that).
					let textLines = 0;
					let contact = true;
					for (let r = name + 1; r < to && contact; r++) {
						const l = lines[r] ?? "";
						if (l.trim()) textLines++;
						contact = textLines <= 12 && isContactLine(l);
					}
					if (textLines > 0 && contact) {
						sig(name + 1, to);
						break;
					}
				}
			}
			hasText = true;
		}
	}

	// Without a sign-off, a name at the end followed by a contact block (a phone, an address or a
	// link among short lines, no sentence): the name stays, the block goes.
	const last = segments[segments.length - 1];
	if (last) {
		const kept: number[] = [];
		for (let k = last[0]; k < last[1]; k++) if (roles[k] === "text" && !code.has(k)) kept.push(k);
		let start = kept.length;
		while (start > 0 && (lines[kept[start - 1] ?? 0] ?? "").trim() !== "") start--;
		const block = kept.slice(start);
		const [nameAt, ...rest] = block;
		const strong = (l: string): boolean => /\+?\d[\d\s().-]{6,}\d|[^\s@]+@[^\s@]+\.\w|https?:\/\/|www\./.test(l);
		if (nameAt !== undefined && start > 0 && rest.length >= 2 && rest.length <= 8 && isNameLine(lines[nameAt] ?? "") && rest.every((k) => isContactLine(lines[k] ?? "")) && rest.some((k) => strong(lines[k] ?? ""))) {
			for (const k of rest) roles[k] = "signature";
		}
	}
}

export function splitReply(body: string): SplitMessage {
	const marked = markQuotes(body.replace(/\r\n?/g, "\n").split("\n"));
	markSignatures(marked);
	const { lines, roles } = marked;
	const pick = (role: Role): string[] => lines.filter((_, k) => roles[k] === role);
	const newest = tidy(pick("text"));
	const quoted = tidy(lines.map((l, k) => (roles[k] === "quote" ? (isQuoteMarked(l) ? unquote(l) : l) : null)).filter((l): l is string => l !== null));
	const signature = tidy(pick("signature"));
	if (newest) return { newest, quoted, signature };

	// Nothing of the sender's own: a bare forward or a pasted message is answered as the copy,
	// and a note that is nothing but a quote as the quoted message.
	if (marked.copyBody !== null && marked.copyStart !== null) {
		const copy = lines.slice(marked.copyBody).join("\n");
		if (copy.trim()) {
			const inner = splitReply(copy);
			if (inner.newest) return { newest: inner.newest, quoted: inner.quoted, signature: tidy([signature, inner.signature]) };
		}
	}
	const quotedOnly = lines.filter((l) => l.trim() !== "");
	if (quotedOnly.length && quotedOnly.every(isQuoteMarked)) {
		const inner = splitReply(lines.map((l) => (isQuoteMarked(l) ? unquote(l) : l)).join("\n"));
		if (inner.newest) return { newest: inner.newest, quoted: inner.quoted, signature: tidy([signature, inner.signature]) };
	}
	return { newest, quoted, signature };
}
