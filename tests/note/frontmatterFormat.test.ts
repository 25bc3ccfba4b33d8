/**
 * The draft note's frontmatter goes through the host's YAML (Obsidian's stringifyYaml in the
 * plugin, the `yaml` package in the headless host) and keeps its exact format: block lists,
 * wikilinks in double quotes, plain scalars where YAML allows them, a nested usage map.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { parseEmailNote } from "../../src/email/parse";
import { renderDraftNote, type DraftNoteInput } from "../../src/note/render";
import { findFrontmatter } from "../../src/host/markdown";
import { hostYaml, provideYaml } from "../../src/host/slice";
import { packageYaml } from "../../headless/yaml";
import { parseYaml, stringifyYaml } from "../support/obsidian-stub";
import type { VaultContext } from "../../src/context/build";

const CONTEXT = {
	people: [{ path: "People/Ana Ruiz.md", name: "Ana Ruiz" }],
	organizations: [{ path: "Companies/Acme Corp.md", name: "Acme Corp" }],
	interactions: [],
	items: [{ section: "people", path: "People/Ana Ruiz.md", name: "Ana Ruiz", markdown: "", tokens: 1 }],
	omitted: [],
	markdown: "",
	promptMarkdown: "",
	tokens: 0,
	audience: { recipients: [], ownOrganization: null, organizations: [], internalOnly: false, text: "" },
	time: { timeZone: "UTC", today: "", todayText: "", emailDateSender: null, emailDateLocal: null, relativeDates: [], text: "" },
	commitments: [],
	heldBack: [],
} as unknown as VaultContext;

const EMAIL = "---\nfrom: Ruiz, Ana <ana.ruiz@acme.example>\nto: jordan@northwind.example\ncc: Mei Chen <mei.chen@acme.example>\nsubject: 'RE: Re: Acme renewal'\n---\nCan we meet?";

function input(over: Partial<DraftNoteInput> = {}): DraftNoteInput {
	return {
		email: parseEmailNote("Inbox/2026-11-21 Re Acme renewal.md", EMAIL),
		emailPath: "Inbox/2026-11-21 Re Acme renewal.md",
		reason: "Meeting request",
		topics: ["Acme renewal", "QBR"],
		context: CONTEXT,
		reply: "Hi Ana,\n\nYes.\n\nBest,\nJordan",
		model: "offline",
		offline: true,
		usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 },
		costUsd: 0,
		created: new Date("2026-11-25T02:41:20.417Z"),
		form: "callout",
		ownAddresses: ["jordan@northwind.example"],
		...over,
	};
}

const EXPECTED = `---
status: draft
type: email-draft
original: "[[Inbox/2026-11-21 Re Acme renewal]]"
created: 2026-11-25T02:41:20.417Z
to: ana.ruiz@acme.example
to_name: Ruiz, Ana
cc:
  - mei.chen@acme.example
subject: "Re: Acme renewal"
reason: Meeting request
topics:
  - Acme renewal
  - QBR
people_mentioned:
  - "[[People/Ana Ruiz|Ana Ruiz]]"
organizations:
  - "[[Companies/Acme Corp|Acme Corp]]"
vault_context_used: true
model: offline
offline: true
usage:
  input_tokens: 0
  output_tokens: 0
  cache_read_tokens: 0
  cache_creation_tokens: 0
cost_usd: 0
---
`;

const frontmatterText = (note: string): string => note.slice(0, findFrontmatter(note)?.bodyStart ?? 0);

afterEach(() => provideYaml(packageYaml));

describe("draft note frontmatter through the host's YAML", () => {
	it("has the same format in the headless host and with the YAML the plugin provides", () => {
		provideYaml(packageYaml);
		expect(frontmatterText(renderDraftNote(input()))).toBe(EXPECTED);
		// What main.ts hands over in onload (the stub stands in for Obsidian's functions).
		provideYaml({ parse: parseYaml, stringify: stringifyYaml });
		expect(frontmatterText(renderDraftNote(input()))).toBe(EXPECTED);
	});

	it("a long or awkward value round-trips exactly through either", () => {
		const instructions = `Shorter: decline the call, "politely" — and mention the #renewal date: 2026-12-31 ${"and more ".repeat(20)}`;
		for (const yaml of [packageYaml, { parse: parseYaml, stringify: stringifyYaml }]) {
			provideYaml(yaml);
			const note = renderDraftNote(input({ version: 2, previousDraftPath: "Inbox/x - reply draft.md", instructions }));
			const block = findFrontmatter(note);
			const fm = hostYaml().parse(block?.yaml ?? "") as Record<string, unknown>;
			expect(fm.instructions).toBe(instructions.trim());
			expect(fm.previous_draft).toBe("[[Inbox/x - reply draft]]");
			expect(fm.subject).toBe("Re: Acme renewal");
		}
		// The headless host never folds a long value across lines.
		provideYaml(packageYaml);
		const note = renderDraftNote(input({ version: 2, instructions }));
		expect(note.split("\n").filter((l) => l.startsWith("instructions: "))).toHaveLength(1);
	});

	it("without a provided YAML, the engine says which host forgot it", () => {
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the slice module, with nothing provided
			const fresh = require("../../src/host/slice") as typeof import("../../src/host/slice");
			expect(() => fresh.hostYaml()).toThrow(/No YAML implementation/);
		});
	});
});
