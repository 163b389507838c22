/** A static file server on 127.0.0.1 (a free port) for the harness site. */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".wasm": "application/wasm",
};

export interface StaticServer {
	url: string;
	close(): Promise<void>;
}

export async function serveDirectory(dir: string): Promise<StaticServer> {
	const root = resolve(dir);
	const server = createServer(async (req, res) => {
		// The URL parser resolves `..` segments; names stay percent-encoded (ours need none).
		const path = new URL(req.url ?? "/", "http://x").pathname;
		const file = normalize(join(root, path === "/" ? "index.html" : path));
		if (!file.startsWith(root + sep)) {
			res.writeHead(403).end();
			return;
		}
		try {
			const body = await readFile(file);
			res.writeHead(200, {
				"content-type": TYPES[extname(file)] ?? "application/octet-stream",
				// The site is rebuilt per run and each run has a fresh profile: let PGlite's
				// repeated asset fetches hit the cache.
				"cache-control": "max-age=600",
			});
			res.end(body);
		} catch {
			res.writeHead(404).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			}),
	};
}
