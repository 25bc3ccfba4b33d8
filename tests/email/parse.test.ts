import { describe, it, expect, afterAll } from "@jest/globals";
import fc from "fast-check";
import { EmailError, parseEmailNote, parseEml, readEmail, emailSignal, textLooksLikeEmail } from "../../src/email/parse";
import { parseAddressList, addressesFromValue } from "../../src/email/addresses";
import { replySubject, threadKey, baseSubject } from "../../src/email/subject";
import { splitReply } from "../../src/email/split";
import { htmlToText } from "../../src/email/html";
import { HeadlessApp, TFile } from "../../headless/host";
import { parseMarkdownMetadata } from "../../src/host/markdown";
import { cleanupVaults, writeVault, EXAMPLE_VAULT } from "../support/vault";

afterAll(cleanupVaults);

const enc = (s: string): ArrayBuffer => {
	const b = Buffer.from(s, "latin1");
	return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

describe("frontmatter emails", () => {
	it("reads the common importer spellings, case-insensitively, with lists and links", () => {
		const email = parseEmailNote(
			"Inbox/a.md",
			[
				"---",
				"Type: Email",
				"Sender: '\"Ruiz, Ana\" <Ana.Ruiz@Acme.example>'",
				"Recipients:",
				"  - Jordan <jordan@northwind.example>",
				"  - \"[[People/Mei Chen|Mei Chen]]\"",
				"CC: a@x.example, B Person <b@y.example>",
				"Title: 'RE: Renewal'",
				"Received: 2026-11-21T09:14:00Z",
				"Message-ID: <m1@acme.example>",
				"In-Reply-To: <m0@northwind.example>",
				"Thread-ID: t-77",
				"---",
				"# RE: Renewal",
				"",
				"Can you send the questionnaire?",
			].join("\n"),
		);
		expect(email.format).toBe("frontmatter");
		expect(email.from).toEqual({ name: "Ruiz, Ana", address: "ana.ruiz@acme.example" });
		expect(email.to).toEqual([
			{ name: "Jordan", address: "jordan@northwind.example" },
			{ name: "Mei Chen", address: "", link: "People/Mei Chen" },
		]);
		expect(email.cc.map((a) => a.address)).toEqual(["a@x.example", "b@y.example"]);
		expect(email.subject).toBe("RE: Renewal");
		expect(email.date).toBe("2026-11-21T09:14:00.000Z");
		expect(email.messageId).toBe("<m1@acme.example>");
		expect(email.inReplyTo).toBe("<m0@northwind.example>");
		expect(email.threadId).toBe("t-77");
		expect(email.newestMessage).toBe("Can you send the questionnaire?");
	});

	it("accepts from as a link to a person note, and a from_name beside a bare address", () => {
		expect(parseEmailNote("a.md", "---\ntype: email\nfrom: \"[[Ana Ruiz]]\"\nsubject: x\n---\nHello").from).toEqual({ name: "Ana Ruiz", address: "", link: "Ana Ruiz" });
		expect(parseEmailNote("a.md", "---\nfrom: ana@acme.example\nfrom_name: Ana Ruiz\nsubject: x\n---\nHello").from).toEqual({ name: "Ana Ruiz", address: "ana@acme.example" });
	});

	it("does not take a draft note for an email", () => {
		expect(() => parseEmailNote("d.md", "---\ntype: email-draft\nfrom: a@b.example\nsubject: Re: x\n---\nHi")).toThrow(EmailError);
	});
});

describe("header-block emails", () => {
	it("reads a pasted From/To/Cc/Subject/Date block, with Markdown bold and wrapped lines", () => {
		const email = parseEmailNote(
			"Inbox/pasted.md",
			[
				"**From:** Tom Herrera <tom.herrera@gmail.com>",
				"**Sent:** Saturday, November 22, 2026 10:31 AM",
				"**To:** Jordan Lee <jordan@northwind.example>,",
				"    Mei Chen <mei.chen@acme.example>",
				"**Subject:** Fwd: Globex pilot scope",
				"",
				"Can we extend the pilot?",
				"",
				"On Fri, Nov 21, 2026 at 9:00 AM Jordan Lee <jordan@northwind.example> wrote:",
				"> Here is the scope.",
			].join("\n"),
		);
		expect(email.format).toBe("header-block");
		expect(email.from?.address).toBe("tom.herrera@gmail.com");
		expect(email.to.map((a) => a.address)).toEqual(["jordan@northwind.example", "mei.chen@acme.example"]);
		expect(email.subject).toBe("Fwd: Globex pilot scope");
		expect(email.date).toMatch(/^2026-11-22T/);
		expect(email.newestMessage).toBe("Can we extend the pilot?");
		expect(email.quotedHistory).toContain("Here is the scope.");
	});

	it("reads German headers exported by Outlook", () => {
		const email = parseEmailNote("a.md", "Von: Max Muster <max@firma.example>\nAn: ich@example.com\nBetreff: Angebot\nGesendet: 3. März 2026\n\nKönnen Sie mir das Angebot schicken?");
		expect(email.from).toEqual({ name: "Max Muster", address: "max@firma.example" });
		expect(email.subject).toBe("Angebot");
		expect(email.newestMessage).toBe("Können Sie mir das Angebot schicken?");
	});

	it("is recognised from the text, while the metadata cache alone cannot tell", () => {
		const text = "From: a@b.example\nSubject: Hi\n\nBody";
		expect(textLooksLikeEmail(text)).toBe(true);
		expect(textLooksLikeEmail("# Meeting notes\n\nFrom: the team\n")).toBe(false);
	});
});

describe(".eml files", () => {
	it("decodes quoted-printable, encoded-word headers and a charset", async () => {
		const raw = [
			"From: =?ISO-8859-1?Q?Jos=E9_Garc=EDa?= <jose@example.es>",
			"To: \"Lee, Jordan\" <jordan@northwind.example>, Team: a@x.example, b@x.example;",
			"Subject: =?UTF-8?B?UmU6IFByZcOnbyBkbyBwcm9qZXRv?=",
			"Date: Mon, 23 Nov 2026 08:05:00 -0800",
			"Message-ID: <q1@example.es>",
			"References: <q0@northwind.example>",
			"List-Unsubscribe: <mailto:unsub@example.es>",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=ISO-8859-1",
			"Content-Transfer-Encoding: quoted-printable",
			"",
			"=BFPodemos hablar ma=F1ana? Necesito una respuesta r=E1pida sobre el pre=",
			"cio.",
			"",
			"Saludos",
		].join("\r\n");
		const email = await parseEml("Inbox/q.eml", enc(raw));
		expect(email.format).toBe("eml");
		expect(email.from).toEqual({ name: "José García", address: "jose@example.es" });
		expect(email.to.map((a) => a.address)).toEqual(["jordan@northwind.example", "a@x.example", "b@x.example"]);
		expect(email.to[0]?.name).toBe("Lee, Jordan");
		expect(email.subject).toBe("Re: Preço do projeto");
		expect(email.date).toBe("2026-11-23T16:05:00.000Z");
		expect(email.references).toEqual(["<q0@northwind.example>"]);
		expect(email.bulkHeaders["list-unsubscribe"]).toBe("<mailto:unsub@example.es>");
		expect(email.newestMessage).toContain("¿Podemos hablar mañana? Necesito una respuesta rápida sobre el precio.");
	});

	it("turns an HTML-only, base64 body into readable text with the quote as thread", async () => {
		const html = "<html><head><style>p{color:red}</style></head><body><p>Hi Jordan,</p><p>Could you review the <a href=\"https://x.example/doc\">draft</a> by Friday?</p><ul><li>Pricing</li><li>SSO &amp; audit</li></ul><blockquote><p>Earlier message</p></blockquote></body></html>";
		const raw = [
			"From: Ana <ana@acme.example>",
			"To: jordan@northwind.example",
			"Subject: Review",
			"MIME-Version: 1.0",
			"Content-Type: multipart/mixed; boundary=\"x\"",
			"",
			"--x",
			"Content-Type: text/html; charset=UTF-8",
			"Content-Transfer-Encoding: base64",
			"",
			Buffer.from(html).toString("base64"),
			"--x",
			"Content-Type: application/pdf; name=\"terms.pdf\"",
			"Content-Disposition: attachment; filename=\"terms.pdf\"",
			"Content-Transfer-Encoding: base64",
			"",
			Buffer.from("%PDF-1.4").toString("base64"),
			"--x--",
		].join("\r\n");
		const email = await parseEml("r.eml", enc(raw));
		expect(email.newestMessage).toBe("Hi Jordan,\n\nCould you review the draft (https://x.example/doc) by Friday?\n\n- Pricing\n- SSO & audit");
		expect(email.quotedHistory).toBe("Earlier message");
		expect(email.attachments).toEqual(["terms.pdf"]);
	});

	it("reads the example vault's multipart .eml through the vault", async () => {
		const app = await HeadlessApp.load(EXAMPLE_VAULT);
		const file = app.vault.getAbstractFileByPath("Inbox/2026-11-23 Initech connector v3.eml") as TFile;
		const email = await readEmail(app, file);
		expect(email.subject).toBe("Initech connector v3 – re-certification");
		expect(email.newestMessage).toContain("is that OK with you?");
		// The sign-off and the name stay; the company line under them is the contact block.
		expect(email.newestMessage.endsWith("Regards,\nRaj Patel")).toBe(true);
		expect(email.signature).toBe("Initech Alliances");
	});
});

describe("addresses", () => {
	it("parses RFC 5322 forms and compares case-insensitively", () => {
		expect(parseAddressList("\"Last, First\" <A@B.example>, c@d.example (Cee Dee), Group: e@f.example;")).toEqual([
			{ name: "Last, First", address: "a@b.example" },
			{ name: "Cee Dee", address: "c@d.example" },
			{ name: "", address: "e@f.example" },
		]);
		expect(addressesFromValue(["x@y.example", "X@Y.example"])).toHaveLength(1);
		expect(addressesFromValue({ name: "N", email: "n@x.example" })).toEqual([{ name: "N", address: "n@x.example" }]);
	});

	it("keeps the case of a name written without an address", () => {
		// A people-note name in place of an address (`from: "@Hannah Schultz"`) is a name, not a mailbox to fold.
		expect(addressesFromValue("@Hannah Schultz")).toEqual([{ name: "@Hannah Schultz", address: "" }]);
		expect(addressesFromValue("Hannah Schultz")).toEqual([{ name: "Hannah Schultz", address: "" }]);
		const email = parseEmailNote("Inbox/a.md", "---\nfrom: \"@Hannah Schultz\"\nsubject: Agenda\n---\nCan we add the pipeline?");
		expect(email.from).toEqual({ name: "@Hannah Schultz", address: "" });
	});
});

describe("subjects and threads", () => {
	it.each([
		["Re: Re: OpenAI", "Re: OpenAI"],
		["RE: Fwd: AW: SV: Antw: Budget", "Re: Budget"],
		["Fwd: [team] Re: Plan", "Re: Plan"],
		["Plan", "Re: Plan"],
		["re:re:  spaced  ", "Re: spaced"],
		["[EXTERNAL] RE: Renewal", "Re: Renewal"],
		["EXTERNAL: Renewal", "Re: Renewal"],
		["Extension planning", "Re: Extension planning"],
		["", "Re:"],
	])("%s → %s", (subject, reply) => {
		expect(replySubject(subject)).toBe(reply);
	});

	it("keys a thread by references, else by subject and participants", () => {
		const base = { messageId: "<b@x>", inReplyTo: "<a@x>", references: ["<root@x>", "<a@x>"], threadId: null, subject: "Re: Plan", participants: ["a@x"] };
		expect(threadKey(base)).toBe("msg:root@x");
		expect(threadKey({ ...base, references: [], inReplyTo: null, messageId: null })).toBe(threadKey({ ...base, references: [], inReplyTo: null, messageId: null, subject: "AW: plan" }));
		expect(baseSubject("Re: Fwd: Plan")).toBe("Plan");
	});
});

describe("bad input gets a clear error naming the file and the problem", () => {
	const cases: Array<[string, string, RegExp]> = [
		["empty.md", "", /empty\.md: the note is empty/],
		["blank.md", "   \n\n", /blank\.md: the note is empty/],
		["binary.md", "PK\u0003\u0004\u0000\u0000 binary", /binary\.md: .*binary file/],
		["latin1.md", "From: a@b.example\nSubject: x\n\nCaf\uFFFD cr\uFFFDme br\uFFFDl\uFFFDe", /latin1\.md: .*not valid UTF-8/],
		["nosender.md", "---\ntype: email\nsubject: Hello\n---\nBody", /nosender\.md: the email has no sender/],
		["badyaml.md", "---\nfrom: [unclosed\nsubject: x\n---\nBody", /badyaml\.md: its frontmatter is not valid YAML/],
		["note.md", "# Just a note\n\nNothing to see.", /note\.md: this note is not an email/],
		["nobody.md", "---\ntype: email\nfrom: a@b.example\nsubject: x\n---\n", /nobody\.md: the email has no message text/],
	];
	it.each(cases)("%s", (name, content, message) => {
		expect(() => parseEmailNote(name, content)).toThrow(message);
		try {
			parseEmailNote(name, content);
		} catch (e) {
			expect(e).toBeInstanceOf(EmailError);
			expect((e as EmailError).path).toBe(name);
		}
	});

	it("reads a 5 MB .eml whose size is an attachment", async () => {
		const pdf = Buffer.alloc(5 * 1024 * 1024, 7).toString("base64").replace(/.{76}/g, "$&\r\n");
		const raw = ["From: Ana <ana@acme.example>", "Subject: Contract", "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "Can you sign the attached contract?", "--b", "Content-Type: application/pdf", "Content-Disposition: attachment; filename=contract.pdf", "Content-Transfer-Encoding: base64", "", pdf, "--b--"].join("\r\n");
		const dir = writeVault({ "big.eml": raw });
		const app = await HeadlessApp.load(dir);
		const email = await readEmail(app, app.vault.getAbstractFileByPath("big.eml") as TFile);
		expect(email.newestMessage).toBe("Can you sign the attached contract?");
		expect(email.attachments).toEqual(["contract.pdf"]);
	});

	it("refuses a 5 MB email note, and broken or headerless .eml files", async () => {
		const dir = writeVault({
			"big.md": `---\ntype: email\nfrom: a@b.example\nsubject: big\n---\n${"x".repeat(5 * 1024 * 1024)}`,
			"nothing.eml": "",
			"noheaders.eml": "\r\n\r\njust text",
			"nofrom.eml": "Subject: hi\r\n\r\nbody",
		});
		const app = await HeadlessApp.load(dir);
		const read = (p: string): Promise<unknown> => readEmail(app, app.vault.getAbstractFileByPath(p) as TFile);
		await expect(read("big.md")).rejects.toThrow(/big\.md: the note is 5\.0 MB; email notes over 2 MB are not drafted/);
		await expect(read("nothing.eml")).rejects.toThrow(/nothing\.eml: the file is empty/);
		await expect(read("noheaders.eml")).rejects.toThrow(/noheaders\.eml: /);
		await expect(read("nofrom.eml")).rejects.toThrow(/nofrom\.eml: the email has no sender/);
	});
});

describe("detection from the metadata cache", () => {
	const file = (path: string): TFile => new TFile(path, { ctime: 0, mtime: 0, size: 10 });
	const scope = { emailFolders: [], emailTag: "" };
	it("says yes, no or 'read it to know'", () => {
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("---\ntype: email\n---\n"), scope)).toBe(true);
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("---\ntags: [email/inbox]\n---\n"), scope)).toBe(true);
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("---\ntype: email-draft\nfrom: x\nsubject: y\n---\n"), scope)).toBe(false);
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("---\ntype: person\n---\n"), scope)).toBe(false);
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("From: x\n"), scope)).toBeNull();
		expect(emailSignal(file("a.eml"), null, scope)).toBe(true);
		expect(emailSignal(file("a.pdf"), null, scope)).toBe(false);
		expect(emailSignal(file("Other/a.eml"), null, { emailFolders: ["Inbox"], emailTag: "" })).toBe(false);
		expect(emailSignal(file("a.md"), parseMarkdownMetadata("---\ntype: email\n---\n"), { emailFolders: [], emailTag: "mail" })).toBe(false);
	});
});

describe("the parsers never throw on arbitrary input", () => {
	it("splitReply, the address parser and the HTML converter", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => {
				splitReply(s);
				parseAddressList(s);
				htmlToText(s);
				replySubject(s);
			}),
			{ numRuns: 400 },
		);
	});

	it("parseEmailNote throws only EmailError", () => {
		const prefix = fc.constantFrom("", "---\n", "---\ntype: email\nfrom: a@b.example\nsubject: s\n---\n", "From: a@b.example\nSubject: x\n\n", "---\nfrom: [\n---\n");
		fc.assert(
			fc.property(prefix, fc.string({ unit: "binary", maxLength: 300 }), (p, s) => {
				try {
					parseEmailNote("f.md", p + s);
				} catch (e) {
					if (!(e instanceof EmailError)) throw e;
				}
			}),
			{ numRuns: 400 },
		);
	});

	it("parseEml rejects only with EmailError", async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.constantFrom("", "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n"), async (bytes, head) => {
				const buf = Buffer.concat([Buffer.from(head), Buffer.from(bytes)]);
				try {
					await parseEml("f.eml", buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
				} catch (e) {
					if (!(e instanceof EmailError)) throw e;
				}
			}),
			{ numRuns: 150 },
		);
	});
});

describe("format=flowed", () => {
	const enc8 = (s: string): ArrayBuffer => {
		const b = Buffer.from(s, "utf8");
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
	};
	it("unfolds soft line breaks without joining a quote to the answer below it (Thunderbird's bottom-posting)", async () => {
		const raw = ["From: Ana <ana@acme.example>", "Subject: Re: Hi", 'Content-Type: text/plain; charset="utf-8";', ' format="flowed"', "", "On 04/02/2012 06:26 PM, Jordan wrote:", "> Can we meet ", "> on Thursday?", "Yes, Thursday ", "works.", ""].join("\r\n");
		const email = await parseEml("r.eml", enc8(raw));
		expect(email.newestMessage).toBe("Yes, Thursday works.");
		expect(email.quotedHistory).toContain("Can we meet on Thursday?");
	});
	it("leaves the words format=flowed in a message's text alone", async () => {
		const raw = ["From: Ana <ana@acme.example>", "Subject: Mail settings", "Content-Type: text/plain; charset=utf-8", "", "Should we send format=flowed from the new server?", ""].join("\r\n");
		expect((await parseEml("r.eml", enc8(raw))).newestMessage).toBe("Should we send format=flowed from the new server?");
	});
});
