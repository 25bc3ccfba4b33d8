/**
 * Prompt caching, honestly. Anthropic caches a prompt prefix only when it is at least the
 * model's minimum cacheable length; below it, `cache_control` is silently ignored. So the
 * system prompt is marked for caching only when a conservative count of its tokens reaches
 * the current model's minimum, and it is byte-identical from one email to the next (nothing
 * per email is in it; writing samples change at most once a day).
 *
 * Minimums from Anthropic's prompt-caching page, "Cache limitations"
 * (https://platform.claude.com/docs/en/build-with-claude/prompt-caching), read 2026-11-25
 * through the copies quoted in anthropics/anthropic-sdk-python#1194 (4.x models) and the
 * 2026 release notes as reported on dev.to (Claude 5 family). A model family not in the
 * table is treated as needing the largest documented minimum.
 */
export interface CacheMinimum {
	/** Model ids starting with this (the longest match wins). */
	prefix: string;
	family: string;
	tokens: number;
}

export const CACHE_MINIMUMS: readonly CacheMinimum[] = [
	{ prefix: "claude-opus-5", family: "Claude Opus 5", tokens: 512 },
	{ prefix: "claude-fable-5", family: "Claude Fable 5", tokens: 512 },
	{ prefix: "claude-mythos-5", family: "Claude Mythos 5", tokens: 512 },
	{ prefix: "claude-sonnet-5", family: "Claude Sonnet 5", tokens: 1024 },
	{ prefix: "claude-opus-4-8", family: "Claude Opus 4.8", tokens: 1024 },
	{ prefix: "claude-opus-4-7", family: "Claude Opus 4.7", tokens: 2048 },
	{ prefix: "claude-opus-4-6", family: "Claude Opus 4.6", tokens: 4096 },
	{ prefix: "claude-opus-4-5", family: "Claude Opus 4.5", tokens: 4096 },
	{ prefix: "claude-opus-4-1", family: "Claude Opus 4.1", tokens: 1024 },
	{ prefix: "claude-opus-4", family: "Claude Opus 4", tokens: 1024 },
	{ prefix: "claude-sonnet-4", family: "Claude Sonnet 4, 4.5, 4.6", tokens: 1024 },
	{ prefix: "claude-3-7-sonnet", family: "Claude Sonnet 3.7", tokens: 1024 },
	{ prefix: "claude-haiku-4-5", family: "Claude Haiku 4.5", tokens: 4096 },
	{ prefix: "claude-3-5-haiku", family: "Claude Haiku 3.5", tokens: 2048 },
	{ prefix: "claude-3-haiku", family: "Claude Haiku 3", tokens: 2048 },
];

export const UNKNOWN_MODEL_MINIMUM = 4096;

export function minCacheableTokens(model: string): number {
	const id = model.toLowerCase();
	const match = CACHE_MINIMUMS.filter((m) => id.startsWith(m.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
	return match?.tokens ?? UNKNOWN_MODEL_MINIMUM;
}

/**
 * A count that errs low: Claude's tokenizer averages fewer than 4.5 characters per token in
 * English prose (and fewer still in other languages), so a prefix that passes here passes there.
 */
export function conservativeTokens(text: string): number {
	return Math.floor(text.length / 4.5);
}

export function worthCaching(model: string, prefix: string): boolean {
	return conservativeTokens(prefix) >= minCacheableTokens(model);
}
