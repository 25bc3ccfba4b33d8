/**
 * Estimated cost of a draft. Prices in US dollars per million tokens, from Anthropic's
 * model pages (platform.claude.com/docs, "Models overview" and each model's page), read
 * 2026-11-25. Cache writes are the 5-minute rate. Unknown models get no estimate rather
 * than a wrong one.
 */
import type { Usage } from "../shared/usage";

export { NO_USAGE, type Usage } from "../shared/usage";

export interface Price {
	input: number;
	output: number;
	cacheWrite: number;
	cacheRead: number;
}

export const PRICES_AS_OF = "2026-11-25";

const PRICES: Record<string, Price> = {
	"claude-fable-5-1": { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
	"claude-fable-5": { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
	"claude-opus-5-5": { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.4 },
	"claude-opus-5": { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
	"claude-sonnet-5-5": { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
	"claude-sonnet-5": { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
	"claude-sonnet-4-6": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
	"claude-sonnet-4-5": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
	"claude-haiku-4-5": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
};

/** The price of a model id, matching dated ids (`claude-haiku-4-5-20251001`) to their family. */
export function priceFor(model: string): Price | null {
	const id = model.toLowerCase();
	if (PRICES[id]) return PRICES[id] ?? null;
	const base = Object.keys(PRICES)
		.filter((k) => id.startsWith(`${k}-`))
		.sort((a, b) => b.length - a.length)[0];
	return base ? PRICES[base] ?? null : null;
}

/** Estimated cost in US dollars, or null for a model without a known price. */
export function estimateCost(model: string, usage: Usage): number | null {
	const p = priceFor(model);
	if (!p) return null;
	const dollars =
		(usage.inputTokens * p.input + usage.outputTokens * p.output + usage.cacheCreationTokens * p.cacheWrite + usage.cacheReadTokens * p.cacheRead) / 1_000_000;
	return Math.round(dollars * 1_000_000) / 1_000_000;
}
