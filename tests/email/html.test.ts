import { describe, it, expect } from "@jest/globals";
import { htmlToText } from "../../src/email/html";
import { splitReply } from "../../src/email/split";

/** HTML mail: the containers clients put the thread in are found before the HTML is flattened. */
describe("HTML quote containers", () => {
	const split = (html: string): ReturnType<typeof splitReply> => splitReply(htmlToText(html));

	it("Gmail's gmail_quote div, whatever language its attribution is in", () => {
		const html =
			'<div dir="ltr">Evet, perşembe uygun.<div><br></div><div>Jordan</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Bir satır ki hiçbir dilde tanınmıyor<br></div><div>Perşembe uygun mu?</div></div>';
		const { newest, quoted } = split(html);
		expect(newest).toBe("Evet, perşembe uygun.\n\nJordan");
		expect(quoted).toContain("Perşembe uygun mu?");
	});

	it("Outlook's divRplyFwdMsg: everything from it to the end is the thread", () => {
		const html =
			'<div>Sounds good.</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font><b>De :</b> Ana<br><b>Envoyé :</b> lundi<br></font></div><div>Can you do Tuesday?</div><div>Ana</div>';
		const { newest, quoted } = split(html);
		expect(newest).toBe("Sounds good.");
		expect(quoted).toContain("Can you do Tuesday?");
	});

	it("Outlook desktop's border-top header div", () => {
		const html =
			'<div class="WordSection1"><p>Approved.</p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>Von:</b> Ana</p></div></div><p>Bitte freigeben.</p></div>';
		const { newest, quoted } = split(html);
		expect(newest).toBe("Approved.");
		expect(quoted).toContain("Bitte freigeben.");
	});

	it("Yahoo's yahoo_quoted div, with text after it kept", () => {
		const html = '<div>Reply above.</div><div class="yahoo_quoted"><div>On Monday, Ana wrote:</div><div>Old text</div></div><div>And a line below.</div>';
		const { newest, quoted } = split(html);
		expect(newest).toBe("Reply above.\n\nAnd a line below.");
		expect(quoted).toContain("Old text");
	});

	it("leaves a message without containers alone", () => {
		expect(htmlToText("<p>Hello <b>there</b></p><ul><li>one</li><li>two</li></ul>")).toBe("Hello there\n\n- one\n- two");
	});
});
