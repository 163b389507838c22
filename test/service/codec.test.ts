import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { API_METHODS, routeOf } from "../../src/service/api-table.js";
import { decodeCall, decodeResult, encodeCall, encodeResult } from "../../src/service/codec.js";
import { decodeVector, encodeVector } from "../../src/service/wire.js";

const ROOM = "2b1f0c1e-6a57-4f9e-9c36-1f2d3e4a5b6c";
const ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

/** What the server would receive for an encoded call (query values as strings, coerced here). */
function receive(method: Parameters<typeof encodeCall>[0], args: unknown[]) {
	const call = encodeCall(method, args);
	if (call.local) throw new Error("local");
	const url = new URL(call.url, "http://x");
	const route = routeOf(method);
	const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
	const re = new RegExp(`^${route.path.replace(/:(\w+)/g, "([^/]+)")}$`);
	const m = re.exec(url.pathname);
	if (!m) throw new Error(`path ${url.pathname} does not match ${route.path}`);
	const params = Object.fromEntries(
		names.map((n, i) => [n, decodeURIComponent(m[i + 1] as string)]),
	);
	const query: Record<string, unknown> = {};
	for (const [k, v] of url.searchParams)
		query[k] =
			v === "true" ? true : v === "false" ? false : Number.isNaN(Number(v)) ? v : Number(v);
	return {
		call,
		args: decodeCall(method, {
			params,
			query,
			body: JSON.parse(JSON.stringify(call.body ?? null)),
		}),
	};
}

describe("API codec", () => {
	it("every route's path parameters are filled by its arguments", () => {
		for (const method of API_METHODS) {
			const route = routeOf(method);
			const inPath = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
			const given = (
				route.args as readonly { in: string; name?: string; pathKeys?: string[] }[]
			).flatMap((a) => (a.in === "path" ? [a.name] : (a.pathKeys ?? [])));
			expect(given.sort(), method).toEqual(inPath.sort());
		}
	});

	it("round-trips a memory with a Float32Array-free number embedding and a base64 search vector", () => {
		const memory = {
			id: ID,
			userId: ID,
			agentId: ID,
			roomId: ROOM,
			content: { text: "hi" },
			embedding: [0.5, 0.25],
		};
		const { call, args } = receive("createMemory", [memory, "messages", true]);
		expect(call).toMatchObject({ verb: "POST", url: "/v1/memories" });
		expect(args).toEqual([memory, "messages", true]);
		const q = new Float32Array([0.1, 0.2]);
		const s = receive("searchMemoriesByEmbedding", [
			q,
			{ tableName: "facts", roomId: ROOM, count: 3 },
		]);
		expect(s.args[0]).toEqual(q);
		expect(s.args[1]).toEqual({ tableName: "facts", roomId: ROOM, count: 3 });
	});

	it("puts path keys of an object argument in the path and the rest in the query", () => {
		const { call, args } = receive("getMemories", [
			{ roomId: ROOM, tableName: "messages", count: 5, unique: false },
		]);
		expect(call.local ? "" : call.url).toBe(
			`/v1/rooms/${ROOM}/memories?tableName=messages&count=5&unique=false`,
		);
		expect(args).toEqual([{ roomId: ROOM, tableName: "messages", count: 5, unique: false }]);
	});

	it("resolves a lookup of a missing id locally, and refuses other missing path ids", () => {
		expect(encodeCall("getMemoryById", [undefined])).toEqual({ local: true, result: null });
		expect(() => encodeCall("removeGoal", [undefined])).toThrow(ValidationError);
		expect(() => encodeCall("countMemories", [ROOM, "yes"])).toThrow(ValidationError);
	});

	it("results: 204 for void, vectors as base64 out and back to the contract's types", () => {
		expect(encodeResult("removeRoom", undefined)).toEqual({ status: 204 });
		expect(encodeResult("getCache", undefined)).toEqual({ status: 200, body: {} });
		expect(decodeResult("getCache", {})).toBeUndefined();
		const memory = {
			id: ID,
			userId: ID,
			agentId: ID,
			roomId: ROOM,
			content: {},
			embedding: [0.5, -1],
		};
		const wire = encodeResult("getMemories", [memory]);
		expect(wire.body).toEqual({ result: [{ ...memory, embedding: encodeVector([0.5, -1]) }] });
		expect(decodeResult("getMemories", JSON.parse(JSON.stringify(wire.body)))).toEqual([memory]);
		const item = {
			id: ID,
			agentId: ID,
			content: { text: "k" },
			embedding: new Float32Array([1, 2]),
		};
		const back = decodeResult(
			"getKnowledge",
			JSON.parse(JSON.stringify(encodeResult("getKnowledge", [item]).body)),
		) as { embedding: Float32Array }[];
		expect(back[0]?.embedding).toEqual(new Float32Array([1, 2]));
	});

	it("refuses malformed base64 vectors with ValidationError", () => {
		expect(() => decodeVector("abc", "embedding")).toThrow(ValidationError);
		expect(() => decodeVector("AAA=", "embedding")).toThrow(/whole number of Float32/);
		expect(decodeVector(encodeVector([1, 2, 3]), "e")).toEqual(new Float32Array([1, 2, 3]));
	});
});
