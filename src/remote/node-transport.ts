/**
 * In Node, requests go through an undici `Agent` the client owns: keep-alive connections reused
 * across calls, and closed by `close()` (the global dispatcher's would keep the process alive for
 * seconds and cannot be closed). Loaded lazily; a browser bundle maps this file to nothing
 * (package.json `browser`) and the client uses the page's `fetch`, which keeps connections alive
 * by itself.
 */
import type { Transport } from "./transport.js";

export async function nodeTransport(): Promise<Transport | undefined> {
	if (typeof process === "undefined" || !process.versions?.node) return undefined;
	let undici: Pick<typeof import("undici"), "Agent" | "fetch">;
	try {
		undici = await import("undici");
	} catch {
		return undefined;
	}
	// Timeouts are the client's own (AbortSignal per request); an SSE stream may idle between
	// heartbeats, so undici's body timeout is off.
	const agent = new undici.Agent({ keepAliveTimeout: 10_000, bodyTimeout: 0, headersTimeout: 0 });
	const agentFetch = ((input: string, init?: RequestInit) =>
		undici.fetch(input, {
			...(init as Parameters<typeof undici.fetch>[1]),
			dispatcher: agent,
		})) as unknown as typeof fetch;
	return { fetch: agentFetch, close: () => agent.close() };
}
