/**
 * main.js's stand-in for the SDK's `lib/internal/tracing.mjs` (and, through it, the 6 KB of
 * tracing/content, tracing/streaming, tracing/response and tracing/api-call). Every function
 * there records on a call's span, and the plugin's calls have none (tracing is off: see
 * internal-tracing.mjs). The two the SDK calls without checking for a span return, as the
 * originals do, when there is none; the rest throw if ever reached.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs).
 */
const unreachable = (what) => () => {
	const error = new Error(`Email Reply Drafter's build left out the SDK's tracing (${what}): tracing is off in the plugin.`);
	error.stubbedInPluginBuild = true;
	throw error;
};

/** messages.create calls these with `call` undefined when tracing is off: then they do nothing. */
export function recordMessagesCreateRequest(_client, call) {
	return call ? unreachable("recordMessagesCreateRequest")() : call;
}
export function recordMessagesCreateResponse(_client, call) {
	if (call) unreachable("recordMessagesCreateResponse")();
}

export const messagesCreateSpanSettings = unreachable("messagesCreateSpanSettings");
export const sessionsCreateSpanAttributes = unreachable("sessionsCreateSpanAttributes");
export const takeTraceHeaders = unreachable("takeTraceHeaders");
export const withoutTraceHeaders = unreachable("withoutTraceHeaders");
export const endAnthropicApiCallSpanWhenStreamEnds = unreachable("endAnthropicApiCallSpanWhenStreamEnds");
export const recordStreamedMessageContent = unreachable("recordStreamedMessageContent");
export const startEnvironmentWorkSpan = unreachable("startEnvironmentWorkSpan");
export const endEnvironmentWorkSpan = unreachable("endEnvironmentWorkSpan");
export const failEnvironmentWorkSpan = unreachable("failEnvironmentWorkSpan");
export const withEnvironmentWorkSpan = unreachable("withEnvironmentWorkSpan");
export const startToolRunnerSpan = unreachable("startToolRunnerSpan");
export const withToolUseSpan = unreachable("withToolUseSpan");
