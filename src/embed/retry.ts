/** Retry timing for HTTP providers: exponential backoff with jitter, and `Retry-After` parsing. */

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds ("120") or an HTTP date. Returns
 * undefined for an absent or unparsable header; a date in the past means "now" (0).
 */
export function parseRetryAfter(
	value: string | null | undefined,
	now = Date.now(),
): number | undefined {
	if (value === null || value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// HTTP dates name a weekday and month; this keeps V8 from reading "-5" as a year.
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0 for the first retry): the one backoff. */
export { backoffDelay } from "../core/backoff.js";

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
