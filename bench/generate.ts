/**
 * Synthetic vaults with the structure of real ones: people with addresses and aliases,
 * organizations with domains, meetings and daily notes linking them, emails, and other notes.
 * Deterministic (a seeded generator), so runs compare.
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";

function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 0x100000000;
	};
}

const FIRST = ["Ana", "Tomás", "Mei", "Raj", "Lea", "Max", "Priya", "Kenji", "Zoë", "Omar", "Sara", "Jonas", "Aisha", "Luca", "Nina", "Piotr", "Chloé", "Diego", "Hana", "Ivan"];
const LAST = ["Ruiz", "Herrera", "Chen", "Patel", "Martin", "Müller", "Shah", "Tanaka", "Ørsted", "Haddad", "Kowalski", "Rossi", "Novak", "García", "Kim", "Silva", "Dubois", "Larsen", "Okafor", "Weiss"];
const ORG_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Gringotts", "Monarch", "Oscorp"];
const ORG_SUFFIX = ["Corp", "Labs", "Group", "Systems", "Analytics", "Logistics", "Bank", "Health"];

export interface GeneratedVault {
	dir: string;
	notes: number;
	people: Array<{ path: string; name: string; email: string }>;
	orgs: Array<{ path: string; name: string; domain: string }>;
	emails: string[];
}

const pad = (n: number): string => String(n).padStart(2, "0");

export function generateVault(dir: string, total: number, seed = 42): GeneratedVault {
	const r = rng(seed);
	const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)] as T;
	const write = (rel: string, text: string): void => {
		const abs = path.join(dir, ...rel.split("/"));
		mkdirSync(path.dirname(abs), { recursive: true });
		writeFileSync(abs, text);
	};
	const nOrgs = Math.max(5, Math.round(total * 0.02));
	const nPeople = Math.max(20, Math.round(total * 0.08));
	const nMeetings = Math.round(total * 0.3);
	const nDaily = Math.round(total * 0.3);
	const nEmails = Math.round(total * 0.2);
	const nOther = Math.max(0, total - nOrgs - nPeople - nMeetings - nDaily - nEmails);

	const orgs: GeneratedVault["orgs"] = [];
	for (let i = 0; i < nOrgs; i++) {
		const name = `${pick(ORG_WORDS)} ${pick(ORG_SUFFIX)} ${i}`;
		const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`;
		const p = `Companies/${name}.md`;
		orgs.push({ path: p, name, domain });
		write(p, `---\ntype: customer\ndomains:\n  - ${domain}\n  - ${domain.replace(".example", "-eu.example")}\nstatus: active\n---\n# ${name}\n\n${name} is a customer since 202${i % 6}.\n\n## Key facts\n- Uses the forecasting module.\n- Renewal in Q${(i % 4) + 1}.\n`);
	}

	const people: GeneratedVault["people"] = [];
	for (let i = 0; i < nPeople; i++) {
		const first = pick(FIRST);
		const last = pick(LAST);
		const name = `${first} ${last} ${i}`;
		const org = orgs[i % orgs.length] as GeneratedVault["orgs"][number];
		const email = `${first.toLowerCase().normalize("NFKD").replace(/[^a-z]/g, "")}.${i}@${org.domain}`;
		const p = `People/${name}.md`;
		people.push({ path: p, name, email });
		const inline = i % 10 === 0;
		const body = inline
			? `# ${name}\n\nemail:: ${email}\ncompany:: [[${org.name}]]\n\nWorks on the ${pick(ORG_SUFFIX)} team.\n`
			: `---\ntype: person\naliases:\n  - ${first} ${last[0]}. ${i}\nemail: ${email}\ncompany: "[[${org.name}]]"\nrole: ${pick(["VP Engineering", "Buyer", "CTO", "Analyst", "Director"])}\n---\n# ${name}\n\n- Met at the ${2020 + (i % 6)} summit.\n- Prefers short emails.\n`;
		write(p, body);
	}

	const day = (i: number): string => {
		const d = new Date(Date.UTC(2024, 0, 1) + i * 86400000);
		return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	};
	for (let i = 0; i < nMeetings; i++) {
		const a = pick(people);
		const b = pick(people);
		const org = pick(orgs);
		write(`Meetings/${day(i % 900)} Meeting ${i}.md`, `---\ndate: ${day(i % 900)}\nattendees:\n  - "[[${a.name}]]"\n  - "[[${b.name}]]"\n---\n# Meeting ${i}\n\n- [[${a.name}]] asked about pricing for [[${org.name}]].\n- Follow up with [[${b.name}]] next week.\n`);
	}
	for (let i = 0; i < nDaily; i++) {
		const a = pick(people);
		write(`Daily/${day(i)}.md`, `# ${day(i)}\n\n- Call with [[${a.name}]].\n- #work Reviewed the roadmap.\n`);
	}
	const emails: string[] = [];
	for (let i = 0; i < nEmails; i++) {
		const a = pick(people);
		const p = `Inbox/${day(i % 900)} Email ${i}.md`;
		emails.push(p);
		write(p, `---\ntype: email\nfrom: "${a.name} <${a.email}>"\nto: me@northwind.example\nsubject: "Re: Question ${i % 300}"\ndate: ${day(i % 900)}\n---\nHi,\n\nCan we talk about the renewal with ${pick(people).name} next week?\n\nThanks\n`);
	}
	for (let i = 0; i < nOther; i++) write(`Notes/Note ${i}.md`, `# Note ${i}\n\nSome thoughts about [[${pick(orgs).name}]] and #ideas.\n`);
	return { dir, notes: nOrgs + nPeople + nMeetings + nDaily + nEmails + nOther, people, orgs, emails };
}
