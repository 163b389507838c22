/**
 * The one backoff: the wait before retry number `attempt` (0 for the first retry) is
 * `baseMs * 2^attempt`, capped at `maxMs`, with "equal jitter" (between half and all of it) so
 * clients that failed together do not retry together. Database retries (resilience.ts), the LISTEN
 * connection's reconnects and HTTP embedding retries all wait this long.
 */
export function backoffDelay(
	attempt: number,
	baseMs: number,
	maxMs: number,
	random = Math.random,
): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
	return ceiling / 2 + random() * (ceiling / 2);
}
