/**
 * The remote adapter's transport against a real HTTP server (node:http on an ephemeral port):
 * error bodies decode into the same typed errors, GETs (only) are retried when the connection
 * breaks, timeouts and unreachable services are ConnectionErrors without credentials, and the SSE
 * client parses events, ignores heartbeats and resumes with Last-Event-ID.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import * as errors from "../../src/core/errors.js";
import type { RemoteErrorInfo } from "../../src/remote/decode-error.js";
import { HttpClient } from "../../src/remote/http.js";
import { openSse } from "../../src/remote/sse.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
	for (const c of clients.splice(0)) await c.close();
	for (const s of servers.splice(0)) {
		s.closeAllConnections();
		await new Promise((r) => s.close(r));
	}
});

async function serve(handler: Handler): Promise<string> {
	const server = createServer(handler);
	servers.push(server);
	await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
	const c = new HttpClient({ baseUrl, ...extra });
	clients.push(c);
	return c;
}

const CASES: [string, number, abstract new (...a: never[]) => errors.AgentmemError][] = [
	["VALIDATION", 400, errors.ValidationError],
	["EMBEDDING_DIMENSION", 422, errors.EmbeddingDimensionError],
	["NOT_FOUND", 404, errors.NotFoundError],
	["CONFLICT", 409, errors.ConflictError],
	["CONNECTION", 503, errors.ConnectionError],
	["CIRCUIT_OPEN", 503, errors.CircuitOpenError],
	["POOL_EXHAUSTED", 503, errors.PoolExhaustedError],
	["VECTOR_EXTENSION_UNAVAILABLE", 500, errors.VectorExtensionUnavailableError],
	["UNSUPPORTED_FEATURE", 501, errors.UnsupportedFeatureError],
	["CONFIGURATION", 500, errors.ConfigurationError],
	["LOCKED", 503, errors.LockedError],
	["CLOSED", 503, errors.ClosedError],
	["DATABASE", 500, errors.DatabaseError],
	["EMBEDDING_PROVIDER", 502, errors.EmbeddingProviderError],
	["UNAUTHORIZED", 401, errors.AuthError],
	["PERMISSION_DENIED", 403, errors.PermissionDeniedError],
	["READ_ONLY", 507, errors.ReadOnlyDatabaseError],
	["STORAGE_FULL", 507, errors.StorageFullError],
];

describe("HttpClient", () => {
	it.each(CASES)(
		"decodes %s into its class with the same code and message",
		async (code, status, cls) => {
			const message =
				code === "EMBEDDING_DIMENSION"
					? "memory.embedding: embedding has 3 dimensions, but this database stores 8. Use …"
					: `memory.roomId: the ${code} message`;
			const base = await serve((_req, res) => {
				res.writeHead(status, { "content-type": "application/json", "retry-after": "2" });
				res.end(JSON.stringify({ error: { code, message } }));
			});
			const err = await client(base)
				.json({ method: "POST", path: "/v1/x", body: {} })
				.catch((e: unknown) => e);
			expect(err).toBeInstanceOf(cls);
			expect(err).toMatchObject({ code, message });
			expect((err as RemoteErrorInfo).httpStatus).toBe(status);
			expect((err as RemoteErrorInfo).retryAfterMs).toBe(2000);
			if (code === "VALIDATION")
				expect((err as errors.ValidationError).field).toBe("memory.roomId");
			if (code === "EMBEDDING_DIMENSION") expect(err).toMatchObject({ expected: 8, actual: 3 });
			if (code === "CIRCUIT_OPEN")
				expect((err as errors.CircuitOpenError).retryAt).toBeGreaterThan(Date.now());
		},
	);

	it("keeps an unknown code as an AgentmemError carrying it; a body of another kind by status", async () => {
		let n = 0;
		const base = await serve((_req, res) => {
			if (n++ === 0) {
				res.writeHead(418, { "content-type": "application/json" });
				res.end(JSON.stringify({ error: { code: "TEAPOT", message: "short and stout" } }));
			} else {
				res.writeHead(502, { "content-type": "text/html" });
				res.end("<h1>Bad gateway</h1>");
			}
		});
		const c = client(base);
		const first = await c.json({ method: "GET", path: "/" }).catch((e: unknown) => e);
		expect(first).toBeInstanceOf(errors.AgentmemError);
		expect(first).toMatchObject({ code: "TEAPOT", message: "short and stout" });
		const second = await c.json({ method: "GET", path: "/" }).catch((e: unknown) => e);
		expect(second).toBeInstanceOf(errors.ConnectionError);
	});

	it("sends the key as a bearer token and never shows it or a URL password in errors", async () => {
		let auth: string | undefined;
		const base = await serve((req, res) => {
			auth = req.headers.authorization;
			res.writeHead(500, { "content-type": "application/json" });
			res.end(
				JSON.stringify({
					error: { code: "DATABASE", message: "failed at postgres://app:hunter2@db/prod" },
				}),
			);
		});
		const err = await client(base, { apiKey: "sk-secret" })
			.json<never>({ method: "GET", path: "/" })
			.catch((e: unknown) => e as Error);
		expect(auth).toBe("Bearer sk-secret");
		expect(err.message).toBe("failed at postgres://app:***@db/prod");

		const port = Number(new URL(base).port);
		servers[0]?.closeAllConnections();
		await new Promise((r) => servers.shift()?.close(r));
		expect(() => new HttpClient({ baseUrl: `http://user:pw-secret@127.0.0.1:${port}` })).toThrow(
			errors.ConfigurationError,
		);
		expect(() => new HttpClient({ baseUrl: `http://user:pw-secret@127.0.0.1:${port}` })).toThrow(
			/user:\*\*\*@/,
		);
		const down = await client(`http://127.0.0.1:${port}`, {
			apiKey: "sk-secret",
			retries: 1,
		})
			.json<never>({ method: "GET", path: "/v1/x" })
			.catch((e: unknown) => e as Error);
		expect(down).toBeInstanceOf(errors.ConnectionError);
		expect(down.message).toContain("cannot reach the agentmem service (ECONNREFUSED)");
		expect(`${down.message}${down.stack}`).not.toMatch(/pw-secret|sk-secret/);
	});

	it("retries a GET whose connection broke, never a POST", async () => {
		const hits: string[] = [];
		const base = await serve((req, res) => {
			hits.push(req.method ?? "");
			if (hits.length === 1 || req.method === "POST") {
				req.socket.destroy(); // the connection breaks before any answer
				return;
			}
			res.writeHead(200, { "content-type": "application/json" });
			res.end('{"ok":true}');
		});
		const c = client(base);
		expect(await c.json({ method: "GET", path: "/" })).toEqual({ ok: true });
		expect(hits).toEqual(["GET", "GET"]);
		hits.length = 1;
		await expect(c.json({ method: "POST", path: "/", body: {} })).rejects.toBeInstanceOf(
			errors.ConnectionError,
		);
		expect(hits).toEqual(["GET", "POST"]);
	});

	it("gives up on a request the service does not answer within timeoutMs", async () => {
		const base = await serve(() => undefined);
		const err = await client(base, { timeoutMs: 100 })
			.json<never>({ method: "GET", path: "/slow" })
			.catch((e: unknown) => e as Error);
		expect(err).toBeInstanceOf(errors.ConnectionError);
		expect(err.message).toContain("no answer within 100 ms");
	});

	it("takes a 2xx answer that is not JSON for a service of another kind", async () => {
		const base = await serve((_req, res) => {
			res.writeHead(200, { "content-type": "text/html" });
			res.end("<html>a login page</html>");
		});
		const err = await client(base)
			.json<never>({ method: "GET", path: "/v1/stats?x=1" })
			.catch((e: unknown) => e as Error);
		expect(err).toBeInstanceOf(errors.ConnectionError);
		expect(err.message).toMatch(/\/v1\/stats: the answer is not JSON/);
	});

	it("refuses calls after close", async () => {
		const c = client("http://127.0.0.1:1");
		await c.close();
		await expect(c.json({ method: "GET", path: "/" })).rejects.toBeInstanceOf(errors.ClosedError);
	});
});

describe("SSE client", () => {
	it("parses events, ignores heartbeats and reconnects with Last-Event-ID", async () => {
		const lastIds: (string | undefined)[] = [];
		const base = await serve((req, res) => {
			lastIds.push(req.headers["last-event-id"] as string | undefined);
			res.writeHead(200, { "content-type": "text/event-stream" });
			if (lastIds.length === 1) {
				res.write(": heartbeat\n\n");
				res.write('event: memory\nid: 1\ndata: {"n":1}\n\n');
				res.end('event: memory\nid: 2\ndata: {"n":2}\n\n'); // the stream drops
			} else {
				res.write('event: memory\nid: 3\ndata: {"n":3}\n\n');
			}
		});
		const got: { event?: string; id?: string; data: string }[] = [];
		const stream = await openSse(client(base), {
			path: "/v1/events",
			query: { roomId: "r" },
			onMessage: (m) => got.push(m),
			reconnectBaseMs: 10,
		});
		for (let i = 0; i < 300 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
		await stream.close();
		expect(got.map((m) => [m.event, m.id, JSON.parse(m.data).n])).toEqual([
			["memory", "1", 1],
			["memory", "2", 2],
			["memory", "3", 3],
		]);
		expect(lastIds).toEqual([undefined, "2"]);
		expect(stream.lastEventId).toBe("3");
	});

	it("rejects with the typed error when the service refuses the stream", async () => {
		const base = await serve((_req, res) => {
			res.writeHead(403, { "content-type": "application/json" });
			res.end(JSON.stringify({ error: { code: "PERMISSION_DENIED", message: "no RLS here" } }));
		});
		await expect(
			openSse(client(base), { path: "/v1/events", onMessage: () => undefined }),
		).rejects.toBeInstanceOf(errors.PermissionDeniedError);
	});
});
