import { describe, it, expect } from "@jest/globals";
import { splitReply } from "../../src/email/split";

/**
 * Attribution lines in 25 languages, each in the exact shape of a real sample: where it came
 * from is in `source` (a vendored corpus file, or a public mail archive / test suite found
 * through code search; names and addresses there are replaced, dates and wording kept).
 */
const ATTRIBUTIONS: Array<{ lang: string; line: string; source: string }> = [
	{ lang: "English (Gmail)", line: "On Mon, Aug 26, 2019 at 4:37 PM The Hiring Engine <jobs@hiring.example> wrote:", source: "email-reply/email_gmail_split_line_from" },
	{ lang: "English (Apple Mail)", line: "On Nov 21, 2014, at 10:18, John Doe <john@doe.example> wrote:", source: "email-reply/email_thread" },
	{ lang: "German", line: "Am 13.12.2017 21:11 schrieb \"John Doe - Stripe <s.test.i@mail.stripe.com>:", source: "email-reply/email_german" },
	{ lang: "German (Google Inbox)", line: "Max Mustermann <try@discoursemail.example> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:", source: "reply-split/discourse-trimmer/embedded_email_german_4" },
	{ lang: "French", line: "Le 29 avr. 2025 à 11:11, Chris - Crisp <chris@crisp.example> a écrit :", source: "email-reply/email_french_2" },
	{ lang: "Spanish (Gmail)", line: "El lun, 13 mar 2023 a las 22:46, Florian Fainelli (<florian@example.com>) escribió:", source: "LKML (Gmail Spanish), via code search" },
	{ lang: "Spanish (Gmail, Latin America)", line: "El mié, 30 sept 2026 a la(s) 2:34 p.m., Jaquelin Lovey (jaquelin@example.com) escribió:", source: "code search: a Spanish Gmail test" },
	{ lang: "Italian", line: "Il 26 marzo 2016 alle 13.16 Sam Saffron <info@discourse.example> ha scritto:", source: "reply-split/discourse-trimmer/embedded_email_italian" },
	{ lang: "Italian (In data)", line: "In data 11 ottobre 2017 21:11:31 \"John Doe - Stripe\" <s.test.i@mail.stripe.com> ha scritto:", source: "email-reply/email_italian" },
	{ lang: "Portuguese", line: "Em seg., 20 de mai. de 2024 às 16:35, suporte@test.example <suporte@test.example> escreveu:", source: "reply-split/edgetier-erp (Portuguese)" },
	{ lang: "Dutch", line: "Op 17-feb.-2015, om 13:18 heeft Julius Caesar <pantheon@rome.example> het volgende geschreven:", source: "reply-split/talon/test_dutch_from_block" },
	{ lang: "Swedish", line: "ons 4 dec. 2024 kl. 20:42 skrev Person B <person.b@email.example>:", source: "alfonsrv/mail-parser-reply test/emails/email_swedish_1.txt" },
	{ lang: "Danish", line: "Den 24. nov. 2025 kl. 10.00 skrev Peter Petersen <peter@example.com>:", source: "alfonsrv/mail-parser-reply test/emails/email_danish_1.txt" },
	{ lang: "Danish (Outlook, mailto)", line: "Den 15. jun. 2016 kl. 20.42 skrev Jeff Atwood <info@discourse.org<mailto:info@discourse.org>>:", source: "reply-split/discourse-trimmer/embedded_email_norwegian" },
	{ lang: "Norwegian", line: "På 14 september 2015 på 02:23:18, Valentino Rudy (valentino@rudy.example) skrev:", source: "reply-split/talon/test_norwegian_from_line" },
	{ lang: "Norwegian (Gmail)", line: "tir. 18. apr. 2017 kl. 13:09 skrev Test user <test@example.com>:", source: "email-reply/email_norwegian_gmail (there wrapped before `>:`)" },
	{ lang: "Finnish", line: "pe 20. lokakuuta 2017 klo 17.50 John Coe <s.testtesttest.i@test.com> kirjoitti:", source: "email-reply/email_finnish (there wrapped before the address)" },
	{ lang: "Polish", line: "23 mar 2017 21:25 \"Neil Lalonde\" <meta@discoursemail.example> napisał(a):", source: "reply-split/discourse-trimmer/embedded_email_polish_2" },
	{ lang: "Polish (Apple Mail)", line: "Wiadomość napisana przez test.pl test@test.example w dniu 17.01.2023, o godz. 11:09:", source: "reply-split/edgetier-erp/email_polish_3" },
	{ lang: "Czech", line: "Dne po 15. led. 2025 17:03 Anna Anderssonová <anna@example.cz> napsal(a):", source: "alfonsrv/mail-parser-reply test/emails/email_cs_wrap.txt" },
	{ lang: "Hungarian (Gmail)", line: "2026. jan. 5., h 14:32 időpontban Nagy Béla <bela@example.hu> ezt írta:", source: "alfonsrv/mail-parser-reply test/emails/email_hu_1.txt" },
	{ lang: "Hungarian (Thunderbird)", line: "2013.02.08. 7:31 keltezéssel, \"Győrvári Eszter\" írta:", source: "email-reply/email_custom_quote_header" },
	{ lang: "Russian (Android)", line: "02.04.2012 14:20 пользователь \"bob@example.com\" <bob@example.com> написал:", source: "reply-split/talon/standard_android" },
	{ lang: "Russian (Gmail)", line: "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:", source: "email-reply/email_russian (Gmail writes no verb)" },
	{ lang: "Ukrainian", line: "30 серп. 2016 р. 20:45 \"Arpit\" <no-reply@example.com> пише:", source: "reply-split/discourse-trimmer/embedded_email_ukrainian" },
	{ lang: "Romanian", line: "mar., 7 mai 2024, 07:09 Someone Romania <romania@test.example> a scris:", source: "reply-split/edgetier-erp/email_romanian_1" },
	{ lang: "Croatian", line: "pon, 5. lip 2023. u 16:43 Conor Dooley <conor@example.org> napisao je:", source: "LKML (Gmail Croatian), via code search" },
	{ lang: "Turkish", line: "Andrew Lunn <andrew@example.ch>, 8 May 2025 Per, 15:01 tarihinde şunu yazdı:", source: "LKML (Gmail Turkish), via code search" },
	{ lang: "Greek", line: "Στις 2020-06-16 10:45, Zong Li έγραψε:", source: "LKML (Roundcube Greek), via code search" },
	{ lang: "Arabic", line: "في الخميس، ١٣ يونيو ٢٠٢٤، ٦:٣٠ م بو حمد <example@gmail.com> كتب:", source: "reply-split/edgetier-erp/email_arabic_3" },
	{ lang: "Vietnamese", line: "Vào 14:24 8 tháng 6, 2017, Hùng Nguyễn <hung@example.vn> đã viết:", source: "reply-split/talon/test_vietnamese_from_block" },
	{ lang: "Chinese (Gmail)", line: "雨州 <yuzhou@example.com> 在 2026年2月29日 周六 19:47 写道：", source: "alfonsrv/mail-parser-reply test/emails/email_zh_1.txt" },
	{ lang: "Chinese (Apple Mail)", line: "在 2016年12月12日，下午8:45，Erlend Sogge Heggen <meta@discoursemail.example> 写道：", source: "reply-split/discourse-trimmer (Chinese)" },
	{ lang: "Japanese (Apple Mail)", line: "2018/11/19 19:18、Minoru Kobayashi (小林 実) <minoru@example.jp>のメール:", source: "a Japanese mail archive, via code search" },
	{ lang: "Japanese (Gmail)", line: "2026年11月23日(月) 9:14 山田太郎 <taro@example.jp>:", source: "the shape of alfonsrv/mail-parser-reply's Japanese (Gmail) pattern, which has no verb" },
	{ lang: "Korean (Gmail)", line: "2021년 2월 2일 (화) 오전 8:33, Daeho Jeong <daeho@example.com>님이 작성:", source: "LKML (Gmail Korean), via code search" },
	{ lang: "Android", line: "---- John Smith wrote ----", source: "reply-split/talon/test_android_wrote" },
];

/** Greedy word wrap, as plain-text mail clients wrap long lines. */
function wrap(line: string, width: number): string {
	const out: string[] = [];
	let current = "";
	for (const word of line.split(" ")) {
		if (current && current.length + 1 + word.length > width) {
			out.push(current);
			current = word;
		} else current = current ? `${current} ${word}` : word;
	}
	out.push(current);
	return out.join("\n");
}

describe("attribution lines in many languages", () => {
	it("covers at least 25 languages", () => {
		const languages = new Set(ATTRIBUTIONS.map((a) => a.lang.replace(/ \(.*\)$/, "")).filter((l) => l !== "Android"));
		expect(languages.size).toBeGreaterThanOrEqual(25);
	});

	it.each(ATTRIBUTIONS.map((a) => [a.lang, a] as const))("%s: above a `>` quote and above an unquoted copy", (_lang, a) => {
		const quotedBelow = splitReply(`Thanks, that works.\n\n${a.line}\n> The earlier message.\n> Second line.`);
		expect(quotedBelow.newest).toBe("Thanks, that works.");
		expect(quotedBelow.quoted).toContain("The earlier message.");
		const copyBelow = splitReply(`Thanks, that works.\n\n${a.line}\n\nThe earlier message, not quoted.`);
		expect(copyBelow.newest).toBe("Thanks, that works.");
		expect(copyBelow.quoted).toContain("The earlier message, not quoted.");
	});

	it.each(ATTRIBUTIONS.filter((a) => a.line.length > 40 && a.line.includes(" ")).map((a) => [a.lang, a] as const))(
		"%s: wrapped over two or three lines at any width a client wraps at",
		(_lang, a) => {
			for (let width = 36; width <= 78; width += 3) {
				const wrapped = wrap(a.line, width);
				const split = splitReply(`Thanks, that works.\n\n${wrapped}\n> The earlier message.`);
				expect({ width, newest: split.newest }).toEqual({ width, newest: "Thanks, that works." });
			}
		},
	);
});

/** Outlook's reply header blocks in the languages of its localisations, CJK included. */
const HEADER_BLOCKS: Array<[string, string]> = [
	["English", "From: Ana Ruiz <ana@acme.example>\nSent: Monday, November 23, 2026 9:14 AM\nTo: Jordan Lee <jordan@northwind.example>\nSubject: Renewal"],
	["German", "Von: Ana Ruiz <ana@acme.example>\nGesendet: Montag, 23. November 2026 09:14\nAn: Jordan Lee\nBetreff: Verlängerung"],
	["French", "De : Ana Ruiz <ana@acme.example>\nEnvoyé : lundi 23 novembre 2026 09:14\nÀ : Jordan Lee\nObjet : Renouvellement"],
	["Spanish", "De: Ana Ruiz <ana@acme.example>\nEnviado el: lunes, 23 de noviembre de 2026 9:14\nPara: Jordan Lee\nAsunto: Renovación"],
	["Italian", "Da: Ana Ruiz <ana@acme.example>\nInviato: lunedì 23 novembre 2026 09:14\nA: Jordan Lee\nOggetto: Rinnovo"],
	["Portuguese", "De: Ana Ruiz <ana@acme.example>\nEnviada em: segunda-feira, 23 de novembro de 2026 09:14\nPara: Jordan Lee\nAssunto: Renovação"],
	["Dutch", "Van: Ana Ruiz <ana@acme.example>\nVerzonden: maandag 23 november 2026 09:14\nAan: Jordan Lee\nOnderwerp: Verlenging"],
	["Swedish", "Från: Ana Ruiz <ana@acme.example>\nSkickat: den 23 november 2026 09:14\nTill: Jordan Lee\nÄmne: Förnyelse"],
	["Danish/Norwegian", "Fra: Ana Ruiz <ana@acme.example>\nSendt: 23. november 2026 09:14\nTil: Jordan Lee\nEmne: Fornyelse"],
	["Finnish", "Lähettäjä: Ana Ruiz <ana@acme.example>\nLähetetty: maanantai 23. marraskuuta 2026 9.14\nVastaanottaja: Jordan Lee\nAihe: Uusiminen"],
	["Polish", "Od: Ana Ruiz <ana@acme.example>\nWysłano: poniedziałek, 23 listopada 2026 09:14\nDo: Jordan Lee\nTemat: Odnowienie"],
	["Czech", "Od: Ana Ruiz <ana@acme.example>\nOdesláno: pondělí 23. listopadu 2026 9:14\nKomu: Jordan Lee\nPředmět: Obnovení"],
	["Hungarian", "Feladó: Ana Ruiz <ana@acme.example>\nElküldve: 2026. november 23., hétfő 9:14\nCímzett: Jordan Lee\nTárgy: Megújítás"],
	["Turkish", "Kimden: Ana Ruiz <ana@acme.example>\nGönderildi: 23 Kasım 2026 Pazartesi 09:14\nKime: Jordan Lee\nKonu: Yenileme"],
	["Russian", "От: Ana Ruiz <ana@acme.example>\nОтправлено: 23 ноября 2026 г. 9:14\nКому: Jordan Lee\nТема: Продление"],
	["Ukrainian", "Від: Ana Ruiz <ana@acme.example>\nНадіслано: 23 листопада 2026 р. 9:14\nКому: Jordan Lee\nТема: Продовження"],
	["Romanian", "De la: Ana Ruiz <ana@acme.example>\nTrimis: luni, 23 noiembrie 2026 09:14\nCătre: Jordan Lee\nSubiect: Reînnoire"],
	["Greek", "Από: Ana Ruiz <ana@acme.example>\nΣτάλθηκε: Δευτέρα, 23 Νοεμβρίου 2026 9:14 πμ\nΠρος: Jordan Lee\nΘέμα: Ανανέωση"],
	["Vietnamese", "Từ: Ana Ruiz <ana@acme.example>\nĐã gửi: Thứ Hai, 23 tháng 11, 2026 9:14\nĐến: Jordan Lee\nChủ đề: Gia hạn"],
	["Indonesian", "Dari: Ana Ruiz <ana@acme.example>\nDikirim: Senin, 23 November 2026 09.14\nKepada: Jordan Lee\nPerihal: Perpanjangan"],
	["Hebrew", "מאת: Ana Ruiz <ana@acme.example>\nנשלח: יום שני 23 נובמבר 2026 09:14\nאל: Jordan Lee\nנושא: חידוש"],
	["Arabic", "من: Ana Ruiz <ana@acme.example>\nتم الإرسال: الاثنين، 23 نوفمبر، 2026 09:14 ص\nإلى: Jordan Lee\nالموضوع: تجديد"],
	["Chinese (Simplified)", "发件人: Company Questions <questions@company.example>\n发送时间: 2017年8月2日 15:37\n收件人: Sylvie\n主题: Company France - China"],
	["Chinese (Traditional)", "寄件者: Ana Ruiz <ana@acme.example>\n寄件日期: 2026年11月23日 上午 09:14\n收件者: Jordan Lee\n主旨: 續約"],
	["Japanese", "差出人: Ana Ruiz <ana@acme.example>\n送信日時: 2026年11月23日 9:14\n宛先: Jordan Lee\n件名: 更新"],
	["Japanese (full-width colons)", "差出人： Ana Ruiz <ana@acme.example>\n送信日時： 2026年11月23日 9:14\n宛先： Jordan Lee\n件名： 更新"],
	["Korean", "보낸 사람: Ana Ruiz <ana@acme.example>\n보낸 날짜: 2026년 11월 23일 월요일 오전 9:14\n받는 사람: Jordan Lee\n제목: 갱신"],
	["Outlook, bold and spaced (pasted)", "**Gesendet:** Mittwoch, 3. Juni 2026 um 09:43\n\n**Von:**\"Example Support\" <support@example.com>\n\n**An:**\"Max\" <max@example.com>\n\n**Betreff:** Ihre Anfrage"],
];

describe("Outlook header blocks in many languages", () => {
	it.each(HEADER_BLOCKS)("%s", (_lang, block) => {
		const split = splitReply(`Sounds good, see you then.\n\nJordan\n\n${block}\n\nDoes 3pm work for you?`);
		expect(split.newest).toBe("Sounds good, see you then.\n\nJordan");
		expect(split.quoted).toContain("Does 3pm work for you?");
	});
});
