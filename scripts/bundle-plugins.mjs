/**
 * esbuild plugins for main.js, shared by esbuild.config.mjs and the bundle tests (which build
 * through esbuild.config.mjs). Each one exists for a reason a reviewer can check:
 *
 * - lookbehindFree: iOS before 16.4 (WebKit without RegExp lookbehind) rejects a whole script
 *   that contains a lookbehind regex literal, so one in a dependency stops the plugin loading at
 *   all. The SDK's path utility has one; it is replaced by a matcher without lookbehind, after
 *   checking on sample paths that both find the same segments. If the SDK changes the pattern,
 *   the build fails, so an update cannot slip by.
 * - noEnvironment: the SDK reads process.env (ANTHROPIC_BASE_URL, ANTHROPIC_CUSTOM_HEADERS,
 *   ANTHROPIC_LOG, …) for anything not given explicitly, and Obsidian's desktop window has the
 *   user's shell environment. Its one reader of the environment is replaced by one that
 *   reads nothing, so no variable can redirect the key or add headers.
 * - mailEntities: postal-mime decodes HTML entities with the full HTML5 table (2,125 names,
 *   45 KB); mail uses the HTML 4 set, so the table is cut to those names, values unchanged.
 * - noTelemetry: the SDK imports OpenTelemetry's API for tracing, which the plugin turns off;
 *   a 1 KB module with the API's no-op behaviour stands in for the 10 KB one.
 * - sdkStubs: SDK modules the plugin's client cannot reach (it passes an explicit apiKey, turns
 *   tracing off, tells API errors apart by status, never sends a batch, sends only flat queries) are replaced by the
 *   minimal modules in scripts/sdk-stubs/, each saying why it is safe. They keep the exports the
 *   SDK imports (a missing one fails the build) and throw if a left-out path is ever taken.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const SDK_PATH_UTIL = /[\\/]@anthropic-ai[\\/]sdk[\\/]internal[\\/]utils[\\/]path\.m?js$/;
const SDK_ENV_UTIL = /[\\/]@anthropic-ai[\\/]sdk[\\/]internal[\\/]utils[\\/]env\.m?js$/;
const POSTAL_ENTITIES = /[\\/]postal-mime[\\/]dist[\\/](?:esm|cjs)[\\/]html-entities\.js$/;

/**
 * The SDK's path check finds `.`/`..` path segments (also `%2e`, with `;params`) with a
 * lookbehind for "at the start or after a slash". This matcher does the same without one: it
 * matches the slash (or the start) in a group and reports the segment after it, with the
 * index and text the lookbehind pattern gives, so the SDK's loop over `exec` is unchanged.
 * The lookahead does not consume the next slash, so adjacent segments are still found.
 * Its source is what goes into main.js (`.toString()`), so the code checked here is the code shipped.
 */
export function segmentMatcher() {
	return {
		lastIndex: 0,
		exec(s) {
			const re = /(^|\/)((?:\.|%2e){1,2}(?:;[^/]*)?)(?=\/|$)/gi;
			re.lastIndex = this.lastIndex;
			const m = re.exec(s);
			if (m === null) {
				this.lastIndex = 0;
				return null;
			}
			const out = [m[2]];
			out.index = m.index + m[1].length;
			out.input = s;
			this.lastIndex = re.lastIndex;
			return out;
		},
	};
}

/** Paths the rewrite must treat exactly as the SDK's own pattern does before it is applied. */
const SEGMENT_SAMPLES = ["/v1/models/..", "/v1/models/.", "/v1/a/%2e%2E/b", "/v1/../x/./y", "/v1/..;p/x", "/v1/...", "/v1/a..", "..", "./", "/v1/%2e./%2E", "/v1/x/..;/..", "/v1/models/claude"];

function allMatches(matcher, s) {
	const out = [];
	let m;
	while ((m = matcher.exec(s)) !== null) out.push([m.index, m[0]]);
	return JSON.stringify(out);
}

/** The SDK's declaration of the pattern, found by shape (the pattern itself is checked by behaviour). */
const SEGMENT_DECLARATION = /const invalidSegmentPattern = \/(.+)\/([a-z]*);/;

export const lookbehindFree = {
	name: "lookbehind-free",
	setup(build) {
		build.onLoad({ filter: SDK_PATH_UTIL }, async (args) => {
			const source = await readFile(args.path, "utf8");
			const found = SEGMENT_DECLARATION.exec(source);
			const fail = (why) => ({ errors: [{ text: `${args.path}: ${why} (the SDK changed); review segmentMatcher in scripts/bundle-plugins.mjs` }] });
			if (!found) return fail("the path-segment pattern was not found");
			const original = new RegExp(found[1], found[2]);
			const differs = SEGMENT_SAMPLES.filter((s) => allMatches(original, s) !== allMatches(segmentMatcher(), s));
			if (differs.length) return fail(`the rewrite would behave differently on ${differs.join(", ")}`);
			return { contents: source.replace(found[0], `const invalidSegmentPattern = (${segmentMatcher.toString()})();`), loader: "js" };
		});
	},
};

export const noEnvironment = {
	name: "no-environment",
	setup(build) {
		build.onLoad({ filter: SDK_ENV_UTIL }, async (args) => {
			const source = await readFile(args.path, "utf8");
			if (!/\breadEnv\b/.test(source)) {
				return { errors: [{ text: `${args.path}: readEnv was not found (the SDK changed); update noEnvironment in scripts/bundle-plugins.mjs` }] };
			}
			const cjs = args.path.endsWith(".js") && /\bexports\b/.test(source);
			const body = "/* The plugin is configured only by its settings: the environment is never read. */\nconst readEnv = (_name) => undefined;\n";
			return { contents: cjs ? `${body}exports.readEnv = readEnv;\n` : `${body}export { readEnv };\n`, loader: "js" };
		});
	},
};

/** HTML 4's character entities: what mail clients write (scripts/mail-entities.json). */
export const MAIL_ENTITY_NAMES = JSON.parse(await readFile(new URL("./mail-entities.json", import.meta.url), "utf8")).names;

export const mailEntities = {
	name: "mail-entities",
	setup(build) {
		build.onLoad({ filter: POSTAL_ENTITIES }, async (args) => {
			const source = await readFile(args.path, "utf8");
			const keep = new Set(MAIL_ENTITY_NAMES);
			const entries = [...source.matchAll(/^\s*'&([A-Za-z0-9]+)(;?)':\s*('(?:[^'\\]|\\.)*'),?$/gm)];
			if (entries.length < 1000) return { errors: [{ text: `${args.path}: the entity table was not recognised (postal-mime changed); update mailEntities in scripts/bundle-plugins.mjs` }] };
			const kept = entries.filter((m) => keep.has(m[1])).map((m) => `\t'&${m[1]}${m[2]}': ${m[3]},`);
			const table = `{\n${kept.join("\n")}\n}`;
			const cjs = /\bexports\.htmlEntities\b/.test(source);
			return { contents: cjs ? `"use strict";\nexports.htmlEntities = ${table};\n` : `export const htmlEntities = ${table};\n`, loader: "js" };
		});
	},
};

/** Tracing is off in the plugin; OpenTelemetry's API is replaced by its no-op behaviour (scripts/otel-noop.mjs). */
export const noTelemetry = {
	name: "no-telemetry",
	setup(build) {
		build.onResolve({ filter: /^@opentelemetry\/api$/ }, () => ({ path: fileURLToPath(new URL("./otel-noop.mjs", import.meta.url)) }));
	},
};

/** SDK file (under node_modules/@anthropic-ai/sdk/) → its stand-in under scripts/sdk-stubs/. */
export const SDK_STUBS = {
	"internal/tracing.mjs": "internal-tracing.mjs",
	"lib/internal/tracing.mjs": "lib-internal-tracing.mjs",
	"core/error-classes.mjs": "error-classes.mjs",
	"lib/credentials/credential-chain.mjs": "credential-chain.mjs",
	"lib/credentials/token-cache.mjs": "token-cache.mjs",
	"lib/credentials/types.mjs": "credential-types.mjs",
	"resources/messages/batches.mjs": "batches.mjs",
	"internal/utils/query.mjs": "query.mjs",
};

/**
 * Each stand-in is loaded in place of its SDK file, so its relative imports resolve from the
 * SDK's folder. The build fails if one of these files is no longer in the bundle's graph under
 * that name (the SDK moved it), so a stub cannot silently stop applying.
 */
export const sdkStubs = {
	name: "sdk-stubs",
	setup(build) {
		const applied = new Set();
		const sdkFile = /[\\/]@anthropic-ai[\\/]sdk[\\/](.+\.mjs)$/;
		build.onStart(() => applied.clear());
		build.onLoad({ filter: sdkFile }, async (args) => {
			const relative = sdkFile.exec(args.path)[1].replace(/\\/g, "/");
			const stub = SDK_STUBS[relative];
			if (!stub) return undefined;
			applied.add(relative);
			return { contents: await readFile(new URL(`./sdk-stubs/${stub}`, import.meta.url), "utf8"), loader: "js" };
		});
		build.onEnd((result) => {
			if (result.errors.length) return;
			const missing = Object.keys(SDK_STUBS).filter((f) => !applied.has(f));
			if (missing.length) result.errors.push({ text: `the SDK no longer loads ${missing.join(", ")}; review SDK_STUBS in scripts/bundle-plugins.mjs` });
		});
	},
};

export const pluginBundlePlugins = [lookbehindFree, noEnvironment, mailEntities, noTelemetry, sdkStubs];
