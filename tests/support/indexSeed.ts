/**
 * What a host stores of an index, for the tests of seeded builds: each note's record through
 * JSON (as the cache stores it), and a seed from those records with their links as the table.
 */
import type { HeadlessApp } from "../../headless/host";
import type { IndexRecord, IndexSeed, VaultIndex } from "../../src/context/vaultIndex";

/** Every note's record as the index holds it, through JSON. */
export function storedRecords(index: VaultIndex, app: HeadlessApp): Map<string, IndexRecord> {
	const records = new Map<string, IndexRecord>();
	for (const file of app.vault.getMarkdownFiles()) {
		const record = index.recordOf(file.path);
		if (record) records.set(file.path, JSON.parse(JSON.stringify(record)) as IndexRecord);
	}
	return records;
}

/** A seed from stored records: their links as the table, the rest as the records. */
export function seedOf(records: Map<string, IndexRecord>): IndexSeed {
	const backlinks = new Map<string, string[]>();
	for (const [source, record] of records) for (const dest of record.links) backlinks.set(dest, [...(backlinks.get(dest) ?? []), source]);
	return {
		record: (path) => {
			const record = records.get(path);
			if (!record) return undefined;
			const { links: _links, ...rest } = record;
			return rest;
		},
		links: {
			has: (path) => records.has(path),
			linksOf: (path) => records.get(path)?.links ?? [],
			backlinksOf: (path) => backlinks.get(path) ?? [],
		},
	};
}
