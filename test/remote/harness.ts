/**
 * A real service in front of a real backend, on an ephemeral loopback port, and a
 * RemoteDatabaseAdapter talking to it. Closing the remote adapter closes the server and the backend
 * too, so the conformance suite's own cleanup tears everything down.
 */
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { RemoteDatabaseAdapter } from "../../src/remote/remote-adapter.js";
import { createServer, type ServiceOptions } from "../../src/service/server.js";

export const TEST_KEY = "test-service-key-0123456789";

export interface Served {
	url: string;
	remote: RemoteDatabaseAdapter;
	close(): Promise<void>;
}

/** Serves `backend` (initialised) and returns an initialised remote adapter to it. */
export async function serve(
	backend: DatabaseAdapter,
	options: Partial<ServiceOptions> = {},
): Promise<Served> {
	const app = await createServer({
		adapter: backend,
		apiKey: TEST_KEY,
		closeAdapter: true,
		...options,
	});
	let url: string;
	try {
		url = await app.listen({ port: 0, host: "127.0.0.1" });
	} catch (err) {
		await app.close();
		throw err;
	}
	const remote = new RemoteDatabaseAdapter({ url, apiKey: TEST_KEY });
	const closeRemote = remote.close.bind(remote);
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await closeRemote();
		await app.close();
	};
	remote.close = close;
	try {
		await remote.init();
	} catch (err) {
		await close();
		throw err;
	}
	return { url, remote, close };
}
