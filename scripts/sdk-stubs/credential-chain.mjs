/**
 * main.js's stand-in for the SDK's `lib/credentials/credential-chain.mjs` (with the config,
 * OAuth and OIDC federation code it imports: about 12 KB). The SDK resolves a credential chain
 * only when the client is given none of apiKey, authToken, credentials, config or profile; the
 * plugin always passes `apiKey` (a string, from secret storage: createClient in
 * src/draft/claude.ts), so neither function is called. If one ever is, it fails loudly: the
 * request is refused with this message, and no credential is looked for anywhere.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
const unreachable = (what) => {
	throw new Error(`Email Reply Drafter's build has no credential chain (${what}): the plugin passes its API key explicitly.`);
};

export function resolveCredentialsFromConfig() {
	unreachable("resolveCredentialsFromConfig");
}

export async function defaultCredentials() {
	unreachable("defaultCredentials");
}
