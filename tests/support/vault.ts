/** Temporary vaults on disk for tests, loaded through the headless host. */
import { mkdtempSync, mkdirSync, writeFileSync, cpSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { HeadlessApp } from "../../headless/host";
import { VaultIndex } from "../../src/context/vaultIndex";
import { normalizeSettings, type DrafterSettings } from "../../src/settings";
import type { Engine } from "../../src/draft/engine";
import type { ClaudeConfig } from "../../src/draft/claude";

const made: string[] = [];

export function tempDir(prefix = "erd-"): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	made.push(dir);
	return dir;
}

export function writeVault(files: Record<string, string | Buffer>, dir = tempDir()): string {
	for (const [rel, content] of Object.entries(files)) {
		const abs = path.join(dir, ...rel.split("/"));
		mkdirSync(path.dirname(abs), { recursive: true });
		writeFileSync(abs, content);
	}
	return dir;
}

export const EXAMPLE_VAULT = path.resolve(__dirname, "../../examples/vault");

/** A fresh copy of the example vault (tests never write into the checked-in one). */
export function copyExampleVault(): string {
	const dir = tempDir("erd-example-");
	cpSync(EXAMPLE_VAULT, dir, { recursive: true });
	return dir;
}

export function cleanupVaults(): void {
	for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Loaded {
	dir: string;
	app: HeadlessApp;
	index: VaultIndex;
	settings: DrafterSettings;
	engine: (claude?: ClaudeConfig | null) => Engine;
}

export async function loadVault(dir: string, settings: Partial<DrafterSettings> = {}): Promise<Loaded> {
	const app = await HeadlessApp.load(dir);
	const s = normalizeSettings(settings);
	const index = new VaultIndex(app, s);
	index.build();
	index.attach();
	await index.enrichInlineFields();
	return { dir, app, index, settings: s, engine: (claude = null) => ({ app, index, settings: s, claude, now: () => new Date("2026-11-25T10:00:00Z") }) };
}

export const EXAMPLE_SETTINGS: Partial<DrafterSettings> = {
	userName: "Jordan Lee",
	userAddresses: ["jordan@northwind.example", "jordan.lee@gmail.com"],
	signature: "Best,\nJordan",
	excludedFolders: ["Private"],
};
