/**
 * Text in code-unit order: a deterministic order for sorting (dates written as ISO 8601, paths
 * as ties' last word), the same on every device. `localeCompare` would also load ICU's collator
 * on its first call (about 6 ms of a command-line run) and compare ten times slower; its order
 * matters only for lists people read, which keep it (src/draft/batch.ts).
 */
export function byCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
