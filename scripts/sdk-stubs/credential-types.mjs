/**
 * main.js's stand-in for the SDK's `lib/credentials/types.mjs`. With the credential chain and
 * token cache left out (credential-chain.mjs, token-cache.mjs), the client needs only this
 * header name, which it adds for requests authorised by a token cache (never, in the plugin).
 * The value is the SDK's. Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
export const OAUTH_API_BETA_HEADER = "oauth-2025-04-20";
