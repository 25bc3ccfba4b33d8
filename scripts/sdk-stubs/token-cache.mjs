/**
 * main.js's stand-in for the SDK's `lib/credentials/token-cache.mjs`: a cache of OAuth tokens,
 * made only for a client given `credentials`, `config` or `profile`, or resolved from the
 * credential chain. The plugin passes `apiKey` (see credential-chain.mjs), so none is made;
 * if one ever is, the client's construction fails loudly.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
export class TokenCache {
	constructor() {
		throw new Error("Email Reply Drafter's build has no OAuth token cache: the plugin passes its API key explicitly.");
	}
}
