/**
 * Bundled by `node esbuild.config.mjs check` with exactly main.js's options, so the bundle
 * tests can run the shipped SDK and postal-mime code (rewritten as in main.js) in Node.
 */
export { createClient, listActiveModels, requestDraft, toDraftError } from "../../src/draft/claude";
export { default as PostalMime } from "postal-mime";
