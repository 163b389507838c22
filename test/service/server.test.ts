/** The service over SQLite: a session through the API, auth refusals, limits and the error table. */
import { describe, expect, it } from "vitest";
import { encodeVector } from "../../src/service/wire.js";
import { DIM, JWT_SECRET, KEY, sqliteService, userToken, uuid } from "./harness.js";

const start = sqliteService("service");

async function world(call: Awaited<ReturnType<typeof start>>["call"]) {
	const user = uuid();
	const room = uuid();
	expect(
		(
			await call("/v1/accounts", {
				method: "POST",
				json: { id: user, name: "Ada", username: "ada" },
			})
		).status,
	).toBe(200);
	expect(
		await (await call("/v1/rooms", { method: "POST", json: { roomId: room } })).json(),
	).toEqual({ result: room });
	return { user, room };
}

const memory = (user: string, room: string, text: string, embedding: unknown = [1, 0, 0, 0]) => ({
	memory: { userId: user, agentId: user, roomId: room, content: { text }, embedding },
	tableName: "messages",
});

describe("agentmem service over SQLite", () => {
	it("serves a session: write, read, search, with vectors as arrays or base64", async () => {
		const { call } = await start();
		const { user, room } = await world(call);
		expect(
			(await call("/v1/memories", { method: "POST", json: memory(user, room, "hello") })).status,
		).toBe(204);
		const b64 = encodeVector([0, 1, 0, 0]);
		expect(
			(await call("/v1/memories", { method: "POST", json: memory(user, room, "b64", b64) })).status,
		).toBe(204);
		const list = (await (await call(`/v1/rooms/${room}/memories?tableName=messages`)).json()) as {
			result: { content: { text: string }; embedding: string }[];
		};
		expect(list.result.map((m) => m.content.text).sort()).toEqual(["b64", "hello"]);
		expect(list.result.find((m) => m.content.text === "b64")?.embedding).toBe(b64);
		const found = (await (
			await call("/v1/memories/search", {
				method: "POST",
				json: { embedding: b64, tableName: "messages", count: 1 },
			})
		).json()) as { result: { content: { text: string }; similarity: number }[] };
		expect(found.result).toHaveLength(1);
		expect(found.result[0]?.content.text).toBe("b64");
		expect(found.result[0]?.similarity).toBeCloseTo(1);
		expect(
			await (await call(`/v1/rooms/${room}/memories/count?tableName=messages`)).json(),
		).toEqual({ result: 2 });
		expect(await (await call(`/v1/memories/${uuid()}`)).json()).toEqual({ result: null });
		expect(await (await call(`/v1/cache?agentId=${user}&key=nothing`)).json()).toEqual({});
	});

	it("refuses a request without credentials (401) and writes nothing", async () => {
		const { call, adapter } = await start();
		const { user, room } = await world(call);
		const before = await adapter.stats();
		const refused: Record<string, string>[] = [
			{ "x-no-auth": "1" },
			{ authorization: "Bearer wrong-key-wrong-key" },
			{ "x-no-auth": "1", apikey: "nope" },
		];
		for (const headers of refused) {
			const res = await call("/v1/memories", {
				method: "POST",
				headers,
				json: memory(user, room, "sneaky"),
			});
			expect(res.status).toBe(401);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
		}
		expect((await call("/v1/stats", { headers: { "x-no-auth": "1", apikey: KEY } })).status).toBe(
			200,
		);
		expect(await adapter.stats()).toEqual(before);
	});

	it("refuses a user token on SQLite with 403 (no row-level security) and writes nothing", async () => {
		const { call, adapter } = await start({ jwt: { secret: JWT_SECRET } });
		const { user, room } = await world(call);
		const before = await adapter.stats();
		const res = await call("/v1/memories", {
			method: "POST",
			headers: { authorization: `Bearer ${await userToken(user)}` },
			json: memory(user, room, "as user"),
		});
		expect(res.status).toBe(403);
		const body = (await res.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe("PERMISSION_DENIED");
		expect(body.error.message).toMatch(/sqlite.*no row-level security/);
		// A forged token is a 401, not a 403.
		const forged = await call("/v1/stats", {
			headers: {
				authorization: `Bearer ${await userToken(user, "another-secret-0123456789abcdef")}`,
			},
		});
		expect(forged.status).toBe(401);
		expect(await adapter.stats()).toEqual(before);
	});

	it("refuses an oversized body with 413 VALIDATION and writes nothing", async () => {
		const { call, adapter } = await start({ bodyLimit: 64 * 1024 });
		const { user, room } = await world(call);
		const before = await adapter.stats();
		const res = await call("/v1/memories", {
			method: "POST",
			json: memory(user, room, "x".repeat(100_000)),
		});
		expect(res.status).toBe(413);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION");
		expect(await adapter.stats()).toEqual(before);
	});

	it.each([
		["base64 of a partial float", "AAA=", 400, "VALIDATION"],
		["not base64", "!!!!", 400, "VALIDATION"],
		["strings in the array", ["a", 1, 2, 3], 400, "VALIDATION"],
		["wrong dimension", [1, 2, 3], 422, "EMBEDDING_DIMENSION"],
		["wrong dimension in base64", encodeVector([1, 2]), 422, "EMBEDDING_DIMENSION"],
		["all zero query", [0, 0, 0, 0], 400, "VALIDATION"],
	])(
		"a malformed vector (%s: %j) → %i %s, nothing written",
		async (name, embedding, status, code) => {
			const { call, adapter } = await start();
			const { user, room } = await world(call);
			const before = await adapter.stats();
			const path = name === "all zero query" ? "/v1/memories/search" : "/v1/memories";
			const json =
				name === "all zero query"
					? { embedding, tableName: "messages" }
					: memory(user, room, "v", embedding);
			const res = await call(path, { method: "POST", json });
			expect(res.status).toBe(status);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
			expect(await adapter.stats()).toEqual(before);
		},
	);

	it("maps typed errors to statuses with the same code and message", async () => {
		const { call, adapter } = await start();
		const { user, room } = await world(call);
		const expectError = async (res: Response, status: number, code: string) => {
			expect(res.status).toBe(status);
			const { error } = (await res.json()) as { error: { code: string; message: string } };
			expect(error.code).toBe(code);
			return error;
		};
		// NOT_FOUND: a write naming a room that does not exist; the message is the adapter's own.
		const missingRoom = uuid();
		const nf = await expectError(
			await call("/v1/memories", { method: "POST", json: memory(user, missingRoom, "x") }),
			404,
			"NOT_FOUND",
		);
		const inProcess = await adapter
			.createMemory(memory(user, missingRoom, "x").memory as never, "messages")
			.catch((e: Error) => e.message);
		expect(nf.message).toBe(inProcess);
		// VALIDATION from the adapter (malformed id) and from the schema (wrong JSON type).
		await expectError(await call("/v1/rooms/not-a-uuid/participants"), 400, "VALIDATION");
		await expectError(
			await call("/v1/memories", { method: "POST", json: { memory: 5, tableName: "messages" } }),
			400,
			"VALIDATION",
		);
		await expectError(
			await call(`/v1/rooms/${room}/memories/count?tableName=messages&unique=maybe`),
			400,
			"VALIDATION",
		);
		await expectError(
			await call("/v1/memories", {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: "{not json",
			}),
			400,
			"VALIDATION",
		);
		// CONFLICT: an id used by a memory of another type.
		const id = uuid();
		await call("/v1/memories", {
			method: "POST",
			json: { ...memory(user, room, "a"), memory: { ...memory(user, room, "a").memory, id } },
		});
		await expectError(
			await call("/v1/memories", {
				method: "POST",
				json: { memory: { ...memory(user, room, "a").memory, id }, tableName: "facts" },
			}),
			409,
			"CONFLICT",
		);
		// UNSUPPORTED_FEATURE, and an unknown route.
		await expectError(
			await call(`/v1/knowledge?agentId=${user}&query=hello`),
			501,
			"UNSUPPORTED_FEATURE",
		);
		await expectError(await call("/v1/nothing-here"), 404, "NOT_FOUND");
	});

	it("refuses a count above maxResults, and a call without a count whose result would exceed it (never truncates)", async () => {
		const { call, adapter } = await start({ maxResults: 2 });
		const { user, room } = await world(call);
		const refused = async (res: Response) => {
			expect(res.status).toBe(400);
			const { error } = (await res.json()) as { error: { code: string; message: string } };
			expect(error.code).toBe("VALIDATION");
			return error.message;
		};
		const path = `/v1/rooms/${room}/memories?tableName=messages`;
		await call("/v1/memories", { method: "POST", json: memory(user, room, "a") });
		await call("/v1/memories", { method: "POST", json: memory(user, room, "b") });
		// At the cap, without a count: every row, as before.
		expect(((await (await call(path)).json()) as { result: unknown[] }).result).toHaveLength(2);
		await call("/v1/memories", { method: "POST", json: memory(user, room, "c") });
		expect(await refused(await call(`${path}&count=3`))).toMatch(
			/^count: 3 is above this service's limit of 2 rows/,
		);
		expect(await refused(await call(path))).toMatch(
			/^count: the result holds more than 2 rows.*pass count/,
		);
		// Within the cap: served.
		expect(
			((await (await call(`${path}&count=2`)).json()) as { result: unknown[] }).result,
		).toHaveLength(2);
		const search = await call("/v1/memories/search", {
			method: "POST",
			json: { embedding: [1, 0, 0, 0], tableName: "messages", count: 3 },
		});
		expect(await refused(search)).toMatch(/^count: 3 is above/);
		expect(((await (await call("/v1/rooms")).json()) as { result: unknown[] }).result).toHaveLength(
			1,
		);
		for (let i = 0; i < 2; i++) await call("/v1/rooms", { method: "POST", json: {} });
		expect(await refused(await call("/v1/rooms"))).toMatch(/^limit: .*page with `offset`/);
		expect(
			((await (await call("/v1/rooms?limit=2&offset=2")).json()) as { result: unknown[] }).result,
		).toHaveLength(1);
		// The rows are all there: the refusal is the service's, not a loss.
		expect(await adapter.countMemories(room, true, "messages")).toBe(3);
	});

	it("answers /health, /ready and /metrics (request counters by route and status, memories)", async () => {
		const { call, base } = await start();
		await world(call);
		expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
		expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: "ready" });
		const text = await (await fetch(`${base}/metrics`)).text();
		expect(text).toMatch(
			/agentmem_http_requests_total\{method="POST",route="\/v1\/rooms",status="200"\} 1/,
		);
		expect(text).toMatch(
			/agentmem_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/accounts",status="200"\}/,
		);
		expect(text).toMatch(/agentmem_memories\{backend="sqlite"\} 0/);
		expect(text).toMatch(/agentmem_sse_streams 0/);
	});

	it("refuses to listen beyond loopback without a service key", async () => {
		const { createServer } = await import("../../src/service/server.js");
		const { adapter } = await start();
		await expect(createServer({ adapter, host: "0.0.0.0" })).rejects.toMatchObject({
			code: "CONFIGURATION",
		});
		const open = await createServer({ adapter, host: "127.0.0.1" });
		await open.close();
	});

	it(`embedding dimension of the served database is ${DIM}`, async () => {
		const { call } = await start();
		const caps = (await (await call("/v1/capabilities")).json()) as {
			result: { embeddingDimension: number; rowLevelSecurity: boolean };
		};
		expect(caps.result).toMatchObject({ embeddingDimension: DIM, rowLevelSecurity: false });
	});
});

describe("request logs", () => {
	it("hold method, path and status, never bodies, content, embeddings, query strings or keys", async () => {
		const { Writable } = await import("node:stream");
		let logged = "";
		const stream = new Writable({
			write(chunk, _enc, done) {
				logged += chunk;
				done();
			},
		});
		const { call } = await start({ logger: { level: "info", stream } });
		const { user, room } = await world(call);
		const secretText = "my-private-diary-entry";
		await call("/v1/memories", {
			method: "POST",
			json: memory(user, room, secretText, [0.123456, 0, 0, 0]),
		});
		await call(`/v1/cache?agentId=${user}&key=secret-cache-key`);
		expect(logged).toContain('"path":"/v1/memories"');
		expect(logged).toContain('"statusCode":204');
		for (const hidden of [secretText, "0.123456", "secret-cache-key", KEY, "authorization"])
			expect(logged).not.toContain(hidden);
	});
});
