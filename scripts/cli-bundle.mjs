/**
 * The headless command line as `npm run build` writes it to dist/, shared by esbuild.config.mjs,
 * the bundle tests (through `node esbuild.config.mjs check`) and the bench (scripts/bench.mjs),
 * so what is measured and tested is what ships.
 *
 * cli.js is the entry, kept small (headless/cli/index.ts); engine.js beside it is the engine
 * (headless/cli/run.ts and what it imports), which cli.js loads through V8's code cache
 * (headless/cli/codeCache.ts), knowing it by the content hash the build puts into cli.js.
 *
 * A run pays for parsing and evaluating every module in engine.js before it does anything, so
 * what most runs never use lives in files of its own beside it, loaded by the engine's dynamic
 * imports (made `require` calls, which the code cache's loader supports) on first use:
 * - anthropic.js: the Anthropic SDK, a third of the code; `context`, `triage` and offline drafts
 *   never call Claude.
 * - mime.js: postal-mime's MIME parser and its entity table, for `.eml` files only. Addresses in
 *   notes go through postal-mime's address parser alone, which stays in engine.js.
 */
import esbuild from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { noEnvironment } from "./bundle-plugins.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Modules loaded on first use: the engine imports each (`specifier`) dynamically from one
 * module (`importer`); the file (`file`) is built from it, and no module matching `owns` may be
 * left in engine.js.
 */
export const LAZY_MODULES = [
	{ importer: "src/draft/claude.ts", specifier: "./anthropic", entry: "src/draft/anthropic.ts", file: "anthropic.js", owns: /[\\/]@anthropic-ai[\\/]sdk[\\/]/ },
	{ importer: "src/email/parse.ts", specifier: "./mime", entry: "src/email/mime.ts", file: "mime.js", owns: /[\\/]postal-mime[\\/]dist[\\/](?:esm|cjs)[\\/](?:postal-mime|mime-node|html-entities)\.js$/ },
];

const common = {
	absWorkingDir: ROOT,
	bundle: true,
	platform: "node",
	format: "cjs",
	target: "node20",
	sourcemap: false,
	logLevel: "info",
	metafile: true,
};

/**
 * Each lazy module's import becomes a load of its file beside cli.js at run time. A static
 * import of one fails the build: it would put the module back in every run.
 */
const lazyBeside = {
	name: "lazy-beside",
	setup(build) {
		for (const lazy of LAZY_MODULES) {
			const importer = path.join(ROOT, lazy.importer);
			const filter = new RegExp(`^${lazy.specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
			build.onResolve({ filter }, (args) => {
				if (args.importer !== importer) return undefined;
				if (args.kind !== "dynamic-import") return { errors: [{ text: `${lazy.importer}: ${lazy.specifier} must be imported dynamically (await import), so a run that does not need it does not load it` }] };
				return { path: `./${lazy.file}`, external: true };
			});
		}
	},
};

/**
 * addresses.ts imports `addressParser` from postal-mime, whose entry also evaluates the MIME
 * parser. In cli.js that import goes to the package's own address-parser module, after checking
 * that the entry re-exports that module's function unchanged (so the substitution changes nothing).
 */
const addressParserOnly = {
	name: "address-parser-only",
	setup(build) {
		const importer = path.join(ROOT, "src/email/addresses.ts");
		build.onResolve({ filter: /^postal-mime$/ }, async (args) => {
			if (args.importer !== importer || args.pluginData === "address-parser-only") return undefined;
			const entry = await build.resolve("postal-mime", { kind: args.kind, resolveDir: args.resolveDir, pluginData: "address-parser-only" });
			const fail = (why) => ({ errors: [{ text: `postal-mime's address parser: ${why} (postal-mime changed); review addressParserOnly in scripts/cli-bundle.mjs` }] });
			if (entry.errors.length) return { errors: entry.errors };
			const parserFile = path.join(path.dirname(entry.path), "address-parser.js");
			if (!existsSync(parserFile)) return fail(`${parserFile} not found`);
			const source = readFileSync(entry.path, "utf8");
			const imported = /^import addressParser from '\.\/address-parser\.js';$/m.test(source);
			const reexported = /^export \{[^}]*\baddressParser\b[^}]*\};$/m.test(source) && !/\baddressParser\s*=[^=]/.test(source);
			if (!imported || !reexported) return fail(`${entry.path} no longer re-exports address-parser.js's default export as it is`);
			return { path: parserFile, namespace: "address-parser-only" };
		});
		build.onLoad({ filter: /.*/, namespace: "address-parser-only" }, (args) => ({
			contents: `export { default as addressParser } from ${JSON.stringify(args.path)};\n`,
			resolveDir: path.dirname(args.path),
			loader: "js",
		}));
	},
};

/** The modules in a build's output, as paths relative to the repository. */
function inputsOf(metafile) {
	return Object.keys(metafile.inputs);
}

/**
 * Builds cli.js and the lazy modules' files into `outdir` (relative to the working directory).
 * `overrides` apply to every build (the bundle tests quiet the log). Returns the metafiles.
 */
export async function buildCli(outdir, overrides = {}) {
	// The engine's Claude client reads no environment here either; the CLI passes the
	// variables it documents.
	const enginePath = path.resolve(outdir, "engine.js");
	const engine = await esbuild.build({
		...common,
		...overrides,
		entryPoints: ["headless/cli/run.ts"],
		// The lazy files' `import()` becomes `require`: engine.js is compiled by a vm.Script,
		// where a dynamic import needs a loader of its own, and CommonJS loads them faster.
		supported: { "dynamic-import": false },
		plugins: [noEnvironment, lazyBeside, addressParserOnly],
		outfile: enginePath,
	});
	const buildId = createHash("sha256").update(readFileSync(enginePath)).digest("hex");
	const cli = await esbuild.build({
		...common,
		...overrides,
		banner: { js: "#!/usr/bin/env node" },
		entryPoints: ["headless/cli/index.ts"],
		define: { ENGINE_BUILD_ID: JSON.stringify(buildId) },
		plugins: [noEnvironment],
		outfile: path.resolve(outdir, "cli.js"),
	});
	const inEntry = inputsOf(cli.metafile).filter((f) => f.startsWith("src/") && f !== "src/shared/lazyPart.ts");
	if (inEntry.length) throw new Error(`cli.js includes ${inEntry[0]}, which belongs in engine.js (cli.js is parsed on every run)`);
	const metafiles = { "cli.js": cli.metafile, "engine.js": engine.metafile };
	for (const lazy of LAZY_MODULES) {
		const left = inputsOf(engine.metafile).filter((f) => lazy.owns.test(f));
		if (left.length) throw new Error(`engine.js includes ${left[0]}, which belongs in ${lazy.file}`);
		const result = await esbuild.build({ ...common, ...overrides, entryPoints: [lazy.entry], plugins: [noEnvironment], outfile: path.resolve(outdir, lazy.file) });
		if (!inputsOf(result.metafile).some((f) => lazy.owns.test(f))) throw new Error(`${lazy.file} does not hold what it is for (${lazy.owns})`);
		metafiles[lazy.file] = result.metafile;
	}
	return metafiles;
}
