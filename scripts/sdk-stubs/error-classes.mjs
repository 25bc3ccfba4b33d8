/**
 * main.js's stand-in for the SDK's `core/error-classes.mjs`. The original maps about 150
 * `error_code` values to subclasses of the status errors, and importing them pulls in the
 * organization, beta, files, skills and user-profile resources they are declared in (about
 * 15 KB). The plugin tells API errors apart only by `instanceof APIError` and `status`
 * (toDraftError in src/draft/claude.ts), so with this empty map an error is the SDK's class for
 * its status (BadRequestError, RateLimitError, ...), with the same status, message and
 * `errorCode` as before. Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
export const ERROR_CODE_CLASSES = new Map();
