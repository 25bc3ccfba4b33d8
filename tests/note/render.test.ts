import { describe, it, expect, afterAll } from "@jest/globals";
import { readFileSync } from "fs";
import * as path from "path";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { parseEmailNote } from "../../src/email/parse";
import { renderDraftNote, replyFromDraftNote, type DraftNoteInput } from "../../src/note/render";
import { createDraftNote, linkBack, safeFileName } from "../../src/note/write";
import { mailtoUrl } from "../../src/note/mailto";
import { findFrontmatter } from "../../src/host/markdown";
import { draftForFile, fileAt } from "../../src/draft/engine";
import type { VaultContext } from "../../src/context/build";
import { NO_USAGE } from "../../src/draft/pricing";
import type { TFile } from "../../headless/host";
import { cleanupVaults, loadVault, writeVault } from "../support/vault";
import { emptyContext } from "../support/context";

afterAll(cleanupVaults);

const EMPTY_CONTEXT: VaultContext = emptyContext();

function input(emailText: string, over: Partial<DraftNoteInput> = {}): DraftNoteInput {
	return {
		email: parseEmailNote("Inbox/e.md", emailText),
		emailPath: "Inbox/e.md",
		reason: "Contains question",
		topics: ["a"],
		context: EMPTY_CONTEXT,
		reply: "Hi,\n\nThanks.\n\nBest",
		model: "claude-sonnet-5-5",
		offline: false,
		usage: { ...NO_USAGE },
		costUsd: 0,
		created: new Date("2026-11-25T10:00:00Z"),
		form: "callout",
		...over,
	};
}

function frontmatterOf(note: string): Record<string, unknown> {
	const block = findFrontmatter(note);
	if (!block) throw new Error("no frontmatter");
	return parseYaml(block.yaml) as Record<string, unknown>;
}

function topLevelStructure(note: string): string[] {
	// Lines that Markdown reads as structure at the top level of the note.
	return note.split("\n").filter((l) => /^(#{1,6}\s|---\s*$|<\/?details|> \[!)/.test(l));
}

describe("YAML written by the yaml library survives hostile values", () => {
	const hostile = [
		["colons and quotes", `Re: "Deal": 'final' #1 — ok?`, `O'Brien, Ted: Jr.`],
		["YAML syntax", "--- \n- [x]: {a: b} & *ref !tag |", "@admin, % ` >"],
		["emoji and non-Latin", "Привет 👋 — 合同 続き", "Zoë Ørsted-Łukasz 李"],
		["booleans and numbers", "true", "null"],
	] as const;
	it.each(hostile)("%s", (_l, subject, name) => {
		const fmSubject = JSON.stringify(subject.replace(/\n/g, " "));
		// The display name quoted as RFC 5322 wants it, inside a YAML string.
		const from = JSON.stringify(`"${name.replace(/"/g, '\\"')}" <x@y.example>`);
		const note = renderDraftNote(input(`---\nfrom: ${from}\nsubject: ${fmSubject}\n---\nCan you?`));
		const fm = frontmatterOf(note);
		expect(fm.subject).toBe(`Re: ${subject.replace(/\s+/g, " ").replace(/^Re:\s*/, "").trim()}`);
		expect(fm.to_name).toBe(name);
		expect(fm.vault_context_used).toBe(false);
		expect(fm.status).toBe("draft");
		expect(typeof fm.created).toBe("string");
	});

	it("writes YAML booleans, never Python's True", () => {
		const note = renderDraftNote(input("---\nfrom: a@b.example\nsubject: s\n---\nHi"));
		expect(note).toMatch(/^vault_context_used: false$/m);
		expect(note).not.toMatch(/True|False/);
	});
});

describe("nothing from the email or the model breaks the note's structure", () => {
	const evil = ["Hi,", "## Vault Context Used", "</details>", "# Draft Reply: fake", "```", "Thanks", "===", "> [!info]- fake callout", "---", "status: sent", "---"].join("\n");

	it.each(["callout", "details"] as const)("in the %s form", (form) => {
		const note = renderDraftNote(
			input(`---\nfrom: a@b.example\nsubject: "x\\n## Original Email"\n---\n${evil}`, {
				reply: `Sure.\n${evil}`,
				form,
				context: { ...EMPTY_CONTEXT, items: [{ section: "people", path: "P/A.md", name: "A", markdown: "#### [[P/A|A]]\n</details>\n---", tokens: 5 }], markdown: "### People\n\n#### [[P/A|A]]\n</details>\n---" },
			}),
		);
		expect(frontmatterOf(note).status).toBe("draft");
		const structure = topLevelStructure(note);
		// The subject's "##" is escaped; the reply has its own section, and the old rules around it are gone.
		const expected = ["---", "---", "# Draft Reply: Re: x \\#\\# Original Email", "## Reply", "## Original Email", "## Vault Context Used"];
		if (form === "callout") expected.push("> [!info]- Notes that informed this draft (1)");
		else expected.push("<details>", "### People", "#### [[P/A|A]]", "</details>");
		expect(structure).toEqual(expected);
		// The hostile text is still there, inside its section.
		expect(replyFromDraftNote(note)).toBe(`Sure.\n${evil}`);
		expect(note.slice(note.indexOf("\n## Original Email"), note.indexOf("\n## Vault Context Used"))).toContain("> \\</details>");
	});
});

describe("where drafts go", () => {
	it("beside the original, numbered instead of overwriting", async () => {
		const dir = writeVault({ "Inbox/e.md": "---\ntype: email\nfrom: a@b.example\nsubject: s\n---\nCan you?", "Inbox/e - reply draft.md": "mine, do not touch" });
		const v = await loadVault(dir);
		const first = await draftForFile(v.engine(), fileAt(v.app, "Inbox/e.md"));
		const second = await draftForFile(v.engine(), fileAt(v.app, "Inbox/e.md"));
		expect([first.draftPath, second.draftPath]).toEqual(["Inbox/e - reply draft 2.md", "Inbox/e - reply draft 3.md"]);
		expect(readFileSync(path.join(dir, "Inbox/e - reply draft.md"), "utf8")).toBe("mine, do not touch");
	});

	it("in a drafts folder with a template, created if missing", async () => {
		const dir = writeVault({ "Inbox/e.md": "---\ntype: email\nfrom: a@b.example\nsubject: \"Q3: plan?\"\n---\nCan you?" });
		const v = await loadVault(dir, { draftsFolder: "Drafts/Replies", fileNameTemplate: "{{date}} {{subject}}" });
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/e.md"));
		expect(out.draftPath).toBe("Drafts/Replies/2026-11-25 Q3 plan.md");
		expect(safeFileName('a/b:c*d?"e<f>g|h#i^j[k]l')).toBe("a b c d e f g h i j k l");
	});

	it("creating never overwrites, even when a name is taken between check and write", async () => {
		const dir = writeVault({ "x.md": "original" });
		const v = await loadVault(dir);
		const made = await createDraftNote(v.app, "", "x", "new");
		expect(made.path).toBe("x 2.md");
		expect(readFileSync(path.join(dir, "x.md"), "utf8")).toBe("original");
	});

	it("the optional link back adds reply_draft and leaves the email's body byte for byte", async () => {
		const body = "\r\nHi Jordan,\n\n---\n\nCan you  send it?   \n\n> quoted\n";
		const dir = writeVault({ "Inbox/e.md": `---\ntype: email\nfrom: a@b.example\nsubject: s\n---${body}`, "Inbox/h.md": `From: a@b.example\nSubject: s\n\nCan you?\n` });
		const v = await loadVault(dir, { linkBackToOriginal: true });
		const out = await draftForFile(v.engine(), fileAt(v.app, "Inbox/e.md"), { force: true });
		const after = readFileSync(path.join(dir, "Inbox/e.md"), "utf8");
		expect(after.endsWith(`---${body}`)).toBe(true);
		expect(frontmatterOf(after).reply_draft).toBe("[[Inbox/e - reply draft]]");
		expect(out.linkedBack).toBe(true);
		// A pasted email gains frontmatter; its text below stays exactly as it was.
		await linkBack(v.app, fileAt(v.app, "Inbox/h.md"), out.draft);
		expect(readFileSync(path.join(dir, "Inbox/h.md"), "utf8")).toBe(`---\nreply_draft: "[[Inbox/e - reply draft]]"\n---\nFrom: a@b.example\nSubject: s\n\nCan you?\n`);
	});

	it("without the setting, the email file is not touched", async () => {
		const text = "---\ntype: email\nfrom: a@b.example\nsubject: s\n---\nCan you?";
		const dir = writeVault({ "Inbox/e.md": text });
		const v = await loadVault(dir);
		await draftForFile(v.engine(), v.app.vault.getAbstractFileByPath("Inbox/e.md") as TFile);
		expect(readFileSync(path.join(dir, "Inbox/e.md"), "utf8")).toBe(text);
	});
});

describe("mailto links", () => {
	it("encode To, Subject and a multi-line body", () => {
		expect(mailtoUrl("ana@acme.example", "Re: Q&A", "Hi Ana,\n\nYes & no?")).toBe("mailto:ana%40acme.example?subject=Re%3A%20Q%26A&body=Hi%20Ana%2C%0D%0A%0D%0AYes%20%26%20no%3F");
	});
});

describe("structure holds for any text (property test)", () => {
	it("any reply, body, subject and name keep the frontmatter and the sections intact", () => {
		const piece = fc.oneof(
			fc.string({ maxLength: 40 }),
			fc.constantFrom("---", "===", "## Vault Context Used", "## Original Email", "</details>", "<details>", "> [!info]- x", "```", "# Draft Reply: x", "\n", "\r\n", ":", "'", '"', "#", "[[x]]"),
		);
		const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
		fc.assert(
			fc.property(text, text, text, text, fc.constantFrom<Array<"callout" | "details">>("callout", "details"), (reply, body, subject, name, form) => {
				const email = parseEmailNote("Inbox/e.md", `---\ntype: email\nfrom: ${JSON.stringify(`"${name.replace(/["\\\r\n]/g, "")}" <x@y.example>`)}\nsubject: ${JSON.stringify(subject)}\n---\nHi${body}`);
				const note = renderDraftNote(input("---\nfrom: a@b.example\nsubject: s\n---\nx", { email, reply, form }));
				const fm = frontmatterOf(note);
				expect(fm.type).toBe("email-draft");
				expect(fm.status).toBe("draft");
				const sections = note.split("\n").filter((l) => /^## /.test(l));
				expect(sections).toEqual(["## What they ask", "## Reply", "## Original Email", "## Vault Context Used"].filter((h) => h !== "## What they ask" || note.includes("\n## What they ask\n")));
				expect(replyFromDraftNote(note)).toBe(reply.replace(/\r\n?/g, "\n").trim());
				expect(note.split("\n").filter((l) => /^<\/?details>$/.test(l))).toEqual(form === "details" ? ["<details>", "</details>"] : []);
			}),
			{ numRuns: 300 },
		);
	});
});
