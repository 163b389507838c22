/**
 * `agentmem/remote`: the `DatabaseAdapter` of an `agentmem serve` service, over HTTP. Built on
 * `fetch` (a keep-alive undici agent in Node, the page's own connections in a browser).
 */
export { parseRetryAfter, type RemoteErrorInfo } from "./decode-error.js";
export { DEFAULT_TIMEOUT_MS, HttpClient, type HttpClientOptions } from "./http.js";
export { type RemoteAdapterOptions, RemoteDatabaseAdapter } from "./remote-adapter.js";

import { type RemoteAdapterOptions, RemoteDatabaseAdapter } from "./remote-adapter.js";

/** Opens and initialises a remote adapter (the key defaults to `AGENTMEM_API_KEY`). */
export async function connectRemote(
	url: string,
	options: Omit<RemoteAdapterOptions, "url"> = {},
): Promise<RemoteDatabaseAdapter> {
	const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
		?.env;
	const adapter = new RemoteDatabaseAdapter({
		...options,
		url,
		apiKey: options.apiKey ?? env?.AGENTMEM_API_KEY,
	});
	try {
		await adapter.init();
	} catch (err) {
		await adapter.close().catch(() => undefined);
		throw err;
	}
	return adapter;
}
