/**
 * The service in front of PostgreSQL with row-level security: a user JWT runs through `asUser`,
 * so A reading B's room gets what RLS lets A see (nothing), A's write into B's room is refused and
 * writes nothing, and A's event stream never carries B's memories. Mirrors postgres-rls.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import {
	A,
	AGENT,
	CANARY,
	id,
	MEM_A,
	MEM_B,
	populate,
	ROOM_A,
	ROOM_B,
} from "../backends/postgres/rls-world.js";
import { JWT_SECRET, type Running, serve, userToken } from "./harness.js";

const db = await setupTestDatabase("service over postgres row-level security");

if (db) {
	describe("service over PostgreSQL with row-level security", () => {
		let owner: PostgresDatabaseAdapter;
		let service: Running;
		let asA: Record<string, string>;

		beforeAll(async () => {
			owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4 });
			await populate(owner);
			service = await serve(owner, { jwt: { secret: JWT_SECRET } });
			asA = { authorization: `Bearer ${await userToken(A)}` };
		});
		afterAll(async () => {
			await service?.app.close();
			await owner?.close();
		});

		it("a user reading another user's room gets nothing; the canary never reaches them", async () => {
			const reads = [
				`/v1/rooms/${ROOM_B}/memories?tableName=messages`,
				`/v1/memories/${MEM_B}`,
				`/v1/rooms/${ROOM_B}/memories/count?tableName=messages&unique=false`,
				`/v1/rooms/${ROOM_B}/participants`,
			];
			const bodies = await Promise.all(
				reads.map(async (p) => (await service.call(p, { headers: asA })).json()),
			);
			expect(bodies).toEqual([{ result: [] }, { result: null }, { result: 0 }, { result: [] }]);
			const search = await service.call("/v1/memories/search", {
				method: "POST",
				headers: asA,
				json: { embedding: [0, 1, 0, 0], tableName: "messages", match_threshold: -1 },
			});
			const text = await search.text();
			expect(text).not.toContain(CANARY);
			expect(text).not.toContain(MEM_B);
			// Their own room is theirs.
			const own = (await (
				await service.call(`/v1/rooms/${ROOM_A}/memories?tableName=messages`, { headers: asA })
			).json()) as { result: { id: string }[] };
			expect(own.result.map((m) => m.id)).toEqual([MEM_A]);
		});

		it("a user writing into another user's room is refused (403) and nothing is written", async () => {
			const before = await owner.stats();
			const res = await service.call("/v1/memories", {
				method: "POST",
				headers: asA,
				json: {
					tableName: "messages",
					memory: {
						id: id(),
						userId: A,
						agentId: AGENT,
						roomId: ROOM_B,
						content: { text: "intrusion" },
					},
				},
			});
			expect(res.status).toBe(403);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
				"PERMISSION_DENIED",
			);
			expect(await owner.stats()).toEqual(before);
		});

		it("a user's event stream carries their rooms' memories, never another user's", async () => {
			const res = await service.call("/v1/events?tableName=messages", { headers: asA });
			expect(res.status).toBe(200);
			const reader = (res.body as ReadableStream<Uint8Array>).getReader();
			await reader.read();
			await owner.createMemory(
				{
					id: id(),
					userId: A,
					agentId: AGENT,
					roomId: ROOM_B,
					content: { text: `${CANARY} live` },
				},
				"messages",
			);
			await owner.createMemory(
				{ id: id(), userId: A, agentId: AGENT, roomId: ROOM_A, content: { text: "for A" } },
				"messages",
			);
			let text = "";
			const decoder = new TextDecoder();
			while (!text.includes("for A")) {
				const { value, done } = await reader.read();
				if (done) break;
				text += decoder.decode(value, { stream: true });
			}
			await reader.cancel();
			expect(text).toContain("for A");
			expect(text).not.toContain(CANARY);
		});
	});
}
