/**
 * The index build's and the link resolver's shortcuts give exactly what the plain forms give:
 * link texts resolved once per vault state (LinkResolver), tags read in one loop (noteTags),
 * folder and tag settings prepared once per list (inAnyFolder, hasAnyTag), a note's properties
 * grouped once (classify), addresses searched for from each `@` (addressesIn), and a new file
 * put in the previous file's folder without a lookup when it is the same (HeadlessVault). Each plain form below is the code the shortcut replaced.
 */
import { describe, it, expect } from "@jest/globals";
import fc from "fast-check";
import type { CachedMetadata } from "obsidian";
import { HeadlessVault, TFolder } from "../../headless/host";
import { LinkResolver, type LinkTarget } from "../../src/host/links";
import { fileName, isInFolder, linkpathOf, parentPath, splitExtension } from "../../src/host/path";
import { parseFrontMatterTags } from "../../src/host/markdown";
import { hasAnyTag, hasTag, noteTags } from "../../src/host/tags";
import { domainsFrom, emailsFrom, foldName, inAnyFolder, linkDisplay, propertySaysExclude, propertyStrings, propertyValues, type Privacy } from "../../src/context/properties";
import { ADDRESS, addressesIn, classify, type ClassifyOptions, type EntityKind } from "../../src/context/vaultIndex";
import { frontmatterSaysEmail } from "../../src/email/parse";
import { normalizeSettings } from "../../src/settings";

const RUNS = { numRuns: 300 };

// ---- Link resolution ----

interface File extends LinkTarget {
	path: string;
	name: string;
	basename: string;
	extension: string;
}

function makeFile(path: string): File {
	const name = fileName(path);
	return { path, name, ...splitExtension(name) };
}

/** The resolver before link texts were remembered: every rule evaluated for every link. */
function plainResolve(files: readonly File[], linkpath: string, sourcePath: string): File | null {
	const target = linkpathOf(linkpath).replace(/\\/g, "/");
	if (target === "") return files.find((f) => f.path === sourcePath) ?? null;
	const lower = target.toLowerCase();
	const byLowerPath = new Map<string, File>();
	for (const f of files) byLowerPath.set(f.path.toLowerCase(), f);
	const exact = (p: string): File | null => byLowerPath.get(p) ?? byLowerPath.get(`${p}.md`) ?? null;
	if (lower.startsWith("/")) return exact(lower.replace(/^\/+/, ""));
	const sourceFolder = parentPath(sourcePath).toLowerCase();
	if (lower.startsWith("./") || lower.startsWith("../")) {
		const stack: string[] = [];
		for (const part of [...(sourceFolder ? sourceFolder.split("/") : []), ...lower.split("/")]) {
			if (part === "." || part === "") continue;
			if (part === "..") stack.pop();
			else stack.push(part);
		}
		return exact(stack.join("/"));
	}
	const direct = exact(lower);
	if (direct) return direct;
	const name = fileName(lower);
	const withPath = lower.includes("/");
	const candidates = files.filter((f) => {
		const own = f.name.toLowerCase();
		if (own !== name && !(own.endsWith(".md") && own.slice(0, -3) === name)) return false;
		if (!withPath) return true;
		const p = f.path.toLowerCase();
		return p.endsWith(`/${lower}`) || p.endsWith(`/${lower}.md`);
	});
	if (candidates.length <= 1) return candidates[0] ?? null;
	const prefix = sourceFolder ? `${sourceFolder}/` : "";
	const rank = (f: File): number => (f.path.toLowerCase().startsWith(prefix) ? 0 : 1);
	return [...candidates].sort((a, b) => rank(a) - rank(b) || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0] ?? null;
}

const folder = fc.constantFrom("", "a", "A", "ab", "b", "a/b", "x/deep", "zzzz", "Ä");
const base = fc.constantFrom("Note", "note", "NOTE", "Ana Ruiz", "x.md", "a", "b", "Ä");
const ext = fc.constantFrom(".md", ".md", ".md", ".pdf", "", ".MD");
const filePath = fc.tuple(folder, base, ext).map(([f, b, e]) => (f ? `${f}/${b}${e}` : `${b}${e}`));
const linkText = fc.oneof(
	{ weight: 4, arbitrary: base },
	{ weight: 3, arbitrary: fc.tuple(folder, base, fc.constantFrom("", ".md", ".pdf")).map(([f, b, e]) => (f ? `${f}/${b}${e}` : `${b}${e}`)) },
	{ weight: 2, arbitrary: fc.tuple(fc.constantFrom("/", "//", "./", "../", "../../", "a\\", " ", "#", ""), base, fc.constantFrom("", "#Heading", "#^block", " ", "^x")).map(([p, b, s]) => `${p}${b}${s}`) },
	{ weight: 1, arbitrary: fc.constantFrom("", "#Heading", " ", "/", ".", "..") },
);

type Op = { op: "add"; path: string } | { op: "remove"; at: number } | { op: "rename"; at: number; to: string } | { op: "resolve"; link: string; from: string };
const op: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 3, arbitrary: filePath.map((path): Op => ({ op: "add", path })) },
	{ weight: 1, arbitrary: fc.nat().map((at): Op => ({ op: "remove", at })) },
	{ weight: 1, arbitrary: fc.tuple(fc.nat(), filePath).map(([at, to]): Op => ({ op: "rename", at, to })) },
	{ weight: 8, arbitrary: fc.tuple(linkText, filePath).map(([link, from]): Op => ({ op: "resolve", link, from })) },
);

describe("LinkResolver remembers each link text's answer only while no file comes or goes", () => {
	it("resolves as the plain rules do, through adds, removals and renames", () => {
		fc.assert(
			fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
				const resolver = new LinkResolver<File>();
				const files: File[] = [];
				const self = (path: string): File | null => files.find((f) => f.path === path) ?? null;
				for (const o of ops) {
					if (o.op === "add") {
						if (files.some((f) => f.path === o.path)) continue;
						const file = makeFile(o.path);
						files.push(file);
						resolver.add(file);
					} else if (o.op === "remove" || o.op === "rename") {
						const file = files[o.at % Math.max(files.length, 1)];
						if (!file) continue;
						if (o.op === "remove") {
							files.splice(files.indexOf(file), 1);
							resolver.remove(file);
						} else {
							if (files.some((f) => f.path === o.to)) continue;
							// As the host does it: the file object is renamed in place, then re-registered.
							const old = file.path;
							Object.assign(file, makeFile(o.to));
							resolver.remove(file, old);
							resolver.add(file);
						}
					} else {
						// Twice: the second answer comes from what the first one remembered.
						const expected = plainResolve(files, o.link, o.from)?.path ?? null;
						expect(resolver.resolve(o.link, o.from, self)?.path ?? null).toBe(expected);
						expect(resolver.resolve(o.link, o.from, self)?.path ?? null).toBe(expected);
					}
				}
			}),
			RUNS,
		);
	});

	it("picks among same-named files by the source note's folder even when the answer is remembered", () => {
		const resolver = new LinkResolver<File>();
		const files = ["a/Note.md", "x/deep/Note.md", "zzzz/Note.md", "b/c/Note.md"].map(makeFile);
		for (const f of files) resolver.add(f);
		const self = (): null => null;
		expect(resolver.resolve("Note", "x/src.md", self)?.path).toBe("x/deep/Note.md");
		expect(resolver.resolve("Note", "elsewhere/src.md", self)?.path).toBe("a/Note.md");
		expect(resolver.resolve("Note", "zzzz/src.md", self)?.path).toBe("zzzz/Note.md");
		expect(resolver.resolve("Note", "b/src.md", self)?.path).toBe("b/c/Note.md");
		// `abcdefgh/` is not under `a/`: the shortest path wins.
		resolver.add(makeFile("abcdefgh/Note.md"));
		resolver.remove(files[0] as File);
		expect(resolver.resolve("Note", "a/src.md", self)?.path).toBe("b/c/Note.md");
		resolver.add(makeFile("Note.md"));
		expect(resolver.resolve("Note", "x/src.md", self)?.path).toBe("Note.md");
	});

	it("finds a file by its full name and a note by its name without `.md`, and nothing else by name", () => {
		const resolver = new LinkResolver<File>();
		for (const p of ["b/a", "c/a.md", "d/a.md.md", "e/a.pdf", "f/A.MD"]) resolver.add(makeFile(p));
		const self = (): null => null;
		const all = (link: string): string | null => resolver.resolve(link, "src.md", self)?.path ?? null;
		expect(all("a")).toBe("b/a");
		expect(all("a.pdf")).toBe("e/a.pdf");
		// `a.md` is `c/a.md` or `f/A.MD` by name, or `d/a.md.md` by basename; never `b/a`.
		expect(all("a.md")).toBe("c/a.md");
		expect(all("a.md.md")).toBe("d/a.md.md");
		expect(all("x/a.md")).toBeNull();
		for (const p of ["c/a.md", "f/A.MD", "d/a.md.md"]) expect(resolver.resolve("a.md", `${p.slice(0, 1)}/src.md`, self)?.path).toBe(p);
	});
});

// ---- Tags, folders and the settings lists ----

/** noteTags before it became one loop. */
const plainNoteTags = (cache: CachedMetadata | null): string[] =>
	[...(parseFrontMatterTags(cache?.frontmatter) ?? []), ...(cache?.tags ?? []).map((t) => t.tag)].map((t) => t.replace(/^#/, "").toLowerCase()).filter(Boolean);

const tagText = fc.string({ unit: fc.constantFrom(..."aB#/ ,\t\n-_1Äß".split("")), maxLength: 12 });
const tagValue = fc.oneof(
	tagText,
	fc.array(fc.oneof(tagText, fc.integer({ min: -5, max: 3000 }), fc.constant(null), fc.boolean(), fc.array(tagText, { maxLength: 2 })), { maxLength: 4 }),
	fc.integer(),
	fc.constant(null),
	fc.boolean(),
);
const tagKey = fc.constantFrom("tags", "Tags", "TAG", "tag", "tagz", "tags ", "aliases", "x", "TAGS");
const position = { start: { line: 0, col: 0, offset: 0 }, end: { line: 0, col: 0, offset: 0 } };
const tagCache: fc.Arbitrary<CachedMetadata> = fc
	.tuple(fc.option(fc.array(fc.tuple(tagKey, tagValue), { maxLength: 4 }), { nil: undefined }), fc.option(fc.array(tagText, { maxLength: 3 }), { nil: undefined }))
	.map(([entries, body]) => ({
		...(entries ? { frontmatter: Object.fromEntries(entries) } : {}),
		...(body ? { tags: body.map((tag) => ({ tag, position })) } : {}),
	}));

const settingFolder = fc.constantFrom("", "/", "People", "people/", "/People/", "People/Team", "Pe", "Å", "å", "Private//");
const notePath = fc.tuple(fc.constantFrom("", "People", "people", "People/Team", "PeopleX", "Private", "å", "Å"), fc.constantFrom("x.md", "Ana.md")).map(([f, n]) => (f ? `${f}/${n}` : n));

describe("noteTags, inAnyFolder and hasAnyTag", () => {
	it("noteTags reads what the chain of parseFrontMatterTags and the body's tags gives", () => {
		fc.assert(fc.property(tagCache, (cache) => expect(noteTags(cache)).toEqual(plainNoteTags(cache))), RUNS);
		expect(noteTags(null)).toEqual([]);
		expect(noteTags({ frontmatter: { Tags: "#Work, people/Team  ##x #", tag: "ignored" }, tags: [{ tag: "#Body", position }] })).toEqual(["work", "people/team", "#x", "body"]);
	});

	it("inAnyFolder is isInFolder over the list, exactly or ignoring case, also after the list is edited in place", () => {
		fc.assert(
			fc.property(fc.array(settingFolder, { maxLength: 4 }), fc.array(notePath, { minLength: 1, maxLength: 6 }), settingFolder, (folders, paths, added) => {
				const check = (): void => {
					for (const p of paths) {
						expect(inAnyFolder(p, folders)).toBe(folders.some((f) => isInFolder(p, f)));
						expect(inAnyFolder(p, folders, true)).toBe(folders.some((f) => isInFolder(p.toLowerCase(), f.toLowerCase())));
					}
				};
				check();
				folders.push(added);
				check();
				folders.splice(0, 1);
				check();
			}),
			RUNS,
		);
	});

	it("hasAnyTag is hasTag over the list, also after the list is edited in place", () => {
		const tags = fc.array(fc.constantFrom("private", "private/x", "privatex", "people", "a/private", "#private", "Private"), { maxLength: 4 });
		fc.assert(
			fc.property(tags, tags, (noteTagList, wanted) => {
				expect(hasAnyTag(noteTagList, wanted)).toBe(wanted.some((w) => hasTag(noteTagList, w)));
				wanted.push("people");
				expect(hasAnyTag(noteTagList, wanted)).toBe(wanted.some((w) => hasTag(noteTagList, w)));
			}),
			RUNS,
		);
	});
});

// ---- classify ----

const PERSON_CATEGORIES = new Set(["people", "person", "contacts", "contact"]);
const ORG_CATEGORIES = new Set(["companies", "company", "organizations", "organisations", "organization", "customers", "customer", "partners", "partner", "vendors", "competitors"]);

function plainIsExcluded(path: string, cache: CachedMetadata | null, privacy: Privacy, tags: string[]): boolean {
	const lower = path.toLowerCase();
	if (privacy.excludedFolders.some((f) => isInFolder(lower, f.toLowerCase()))) return true;
	if (propertySaysExclude(cache?.frontmatter, privacy.excludedProperties ?? [])) return true;
	if (!privacy.excludedTags.length) return false;
	return privacy.excludedTags.some((ex) => hasTag(tags, ex));
}

/** classify before the index build grouped each note's properties once. */
function plainClassify(path: string, cache: CachedMetadata | null, options: ClassifyOptions, extra?: Record<string, unknown>): EntityKind | null {
	const tags = plainNoteTags(cache);
	if (plainIsExcluded(path, cache, options, tags)) return null;
	const fm = cache?.frontmatter;
	if (fm && frontmatterSaysEmail(fm)) return null;
	const types = propertyStrings(fm, "type").map((t) => t.toLowerCase().replace(/^\[\[|\]\]$/g, ""));
	if (types.some((t) => t === "email-draft" || t === "email")) return null;
	if (types.some((t) => options.personTypes.includes(t))) return "person";
	if (types.some((t) => options.organizationTypes.includes(t))) return "organization";
	const categories = propertyStrings(fm, "categories").map((c) => foldName(linkDisplay(c)));
	if (categories.some((c) => PERSON_CATEGORIES.has(c))) return "person";
	if (categories.some((c) => ORG_CATEGORIES.has(c))) return "organization";
	for (const tag of tags) {
		const parts = tag.split("/");
		const head = parts[0] ?? "";
		const last = parts[parts.length - 1] ?? "";
		if (PERSON_CATEGORIES.has(head) || (head === "type" && options.personTypes.includes(last))) return "person";
		if (ORG_CATEGORIES.has(head) || (head === "type" && options.organizationTypes.includes(last))) return "organization";
	}
	if (options.peopleFolders.some((f) => isInFolder(path, f))) return "person";
	if (options.organizationFolders.some((f) => isInFolder(path, f))) return "organization";
	if (emailsFrom(propertyStrings(fm, "email")).length || (extra && emailsFrom(propertyStrings(extra, "email")).length)) return "person";
	if (fm && domainsFrom(propertyStrings(fm, "domain")).length && propertyValues(fm, "company").length === 0) return "organization";
	return null;
}

const propertyKey = fc.constantFrom("type", "Kind", "categories", "tags", "email", "E-Mail", "domain", "website", "company", "aliases", "private", "ai", "from", "subject", "note");
const propertyValue = fc.oneof(
	fc.constantFrom("person", "Customer", "[[Person]]", "email", "email-draft", "[[People]]", "companies", "contact", "type/person", "type/vendor", "people/team", "private", "exclude", "true"),
	fc.constantFrom("ana@acme.com", "not an address", "acme.com", "https://www.acme.com/x", "[[Acme]]", "", "  ", "#private", "Re: hi"),
	fc.integer({ min: 0, max: 3 }),
	fc.boolean(),
	fc.constant(null),
);
const nestedTag = fc.constantFrom("#type/person", "type/x/vendor", "#Type/Customer/", "people/team/x", "#company", "a/people", "type", "#private/x");
const properties = fc.array(fc.tuple(propertyKey, fc.oneof(propertyValue, fc.array(propertyValue, { maxLength: 3 }))), { maxLength: 5 }).map((e) => Object.fromEntries(e) as Record<string, unknown>);
const classifyOptions: fc.Arbitrary<ClassifyOptions> = fc
	.tuple(fc.array(settingFolder, { maxLength: 2 }), fc.array(fc.constantFrom("private", "#Secret", "people"), { maxLength: 2 }), fc.array(fc.constantFrom("ai: exclude", "private", "note: x"), { maxLength: 2 }))
	.map(([excludedFolders, excludedTags, excludedProperties]) => ({ ...normalizeSettings({}), excludedFolders, excludedTags, excludedProperties }));

describe("classify", () => {
	it("decides as the plain rules do, for any frontmatter, tags, folder, inline fields and settings", () => {
		fc.assert(
			fc.property(notePath, fc.option(properties, { nil: undefined }), fc.option(fc.array(fc.oneof(tagText, nestedTag), { maxLength: 2 }), { nil: undefined }), fc.option(properties, { nil: undefined }), classifyOptions, (path, frontmatter, body, extra, options) => {
				const cache: CachedMetadata = { ...(frontmatter ? { frontmatter } : {}), ...(body ? { tags: body.map((tag) => ({ tag, position })) } : {}) };
				expect(classify(path, cache, options, extra)).toBe(plainClassify(path, cache, options, extra));
			}),
			{ numRuns: 1000 },
		);
	});
});

// ---- Addresses in an email's properties ----

describe("addressesIn", () => {
	it("finds what matching the whole value with the address pattern finds", () => {
		const plain = (value: string): string[] => (value.match(new RegExp(ADDRESS.source, ADDRESS.flags)) ?? []).map((a) => a.toLowerCase());
		const text = fc.string({ unit: fc.constantFrom(..."aZ.9-_@@ <>\"',;:()[]\u00a0\u2028é+".split("")), maxLength: 40 });
		const realistic = fc.constantFrom('"Chloé Herrera 820" <chloe.820@oscorp-systems-20.example>', "a@b.c_d@e.f, x@y", "Ana <ANA@Acme.COM>; bo@x.io", "me@northwind.example", "no address here", "@@a@b.co", "a@b@c.d.e", "a@b.c_x@y, c@d.e");
		fc.assert(
			fc.property(fc.array(fc.oneof(text, realistic), { minLength: 1, maxLength: 3 }), fc.constantFrom(" ", ", ", "", "@"), (parts, separator) => {
				const value = parts.join(separator);
				expect(addressesIn(value)).toEqual(plain(value));
				expect(addressesIn(parts)).toEqual(parts.flatMap(plain));
			}),
			{ numRuns: 2000 },
		);
		expect(addressesIn(42)).toEqual([]);
	});
});

// ---- The headless vault's folders ----

describe("HeadlessVault.addExisting", () => {
	it("puts each file in its own folder, in whatever order files and folders come", () => {
		// A file and a folder never share a path.
		const vaultPaths = fc.uniqueArray(filePath, { maxLength: 30 }).map((ps) => ps.filter((p) => !ps.some((q) => q.startsWith(`${p}/`))));
		fc.assert(
			fc.property(vaultPaths, (paths) => {
				const vault = new HeadlessVault("/nonexistent-vault");
				for (const p of paths) vault.addExisting(p, { ctime: 0, mtime: 0, size: 0 });
				for (const p of paths) {
					const file = vault.getAbstractFileByPath(p);
					const folder = vault.getAbstractFileByPath(parentPath(p) || "/");
					expect(folder).toBeInstanceOf(TFolder);
					expect(file?.parent).toBe(folder);
					expect((folder as TFolder).children.filter((c) => c === file)).toHaveLength(1);
				}
			}),
			RUNS,
		);
	});
});
