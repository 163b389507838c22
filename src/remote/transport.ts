/** How the HTTP client sends a request: a `fetch` and a way to release its connections. */
export interface Transport {
	fetch: typeof fetch;
	close(): Promise<void>;
}

/** The page's (or runtime's) own `fetch`: nothing to close. */
export function globalTransport(): Transport {
	if (typeof globalThis.fetch !== "function")
		throw new TypeError("agentmem/remote needs fetch (Node >= 20 or a browser)");
	return { fetch: globalThis.fetch.bind(globalThis), close: async () => undefined };
}
