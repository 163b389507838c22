/** The vec0 index: derived from the plain table, rebuilt when stale, k limit, compact(). */
import { copyFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import {
	account,
	makeWorld,
	memory,
	randomVector,
	seededRng,
	type World,
} from "../conformance/fixtures.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";
import { inspectFile } from "./sqlite/inspect.js";

const files = tempFiles("sqlite-vec-index");
const openAdapter = adapterOpener({ vectorSearch: "vec0" });

async function write(a: SqliteDatabaseAdapter, w: World, n: number, dim: number, seed: number) {
	const rng = seededRng(seed);
	const items = Array.from({ length: n }, (_, i) => ({
		memory: memory(w, {
			roomId: i % 3 ? w.roomId : w.otherRoomId,
			embedding: randomVector(rng, dim),
		}),
		tableName: "messages",
	}));
	await a.createMemories(items);
	return items.map((i) => i.memory.id);
}

/** Searches a file in vec0 mode and, on a copy of it, in exact-scan mode. */
async function searchBothWays(
	path: string,
	dim: number,
	query: number[],
	count: number,
	roomId?: string,
) {
	const params = { tableName: "messages", count, roomId: roomId as never };
	const vec0 = await openAdapter({ path, embeddingDimension: dim });
	const found = await vec0.searchMemoriesByEmbedding(query, params);
	await vec0.close();
	const copy = files.file();
	copyFileSync(path, copy);
	const exact = await openAdapter({ path: copy, vectorSearch: "exact-scan" });
	return { found, expected: await exact.searchMemoriesByEmbedding(query, params) };
}

describe("sqlite vec0 index", () => {
	it("rebuilds the index on a vec0 open after exact-scan mode wrote to the file", async () => {
		const dim = 8;
		const path = files.file();
		const a = await openAdapter({ path, embeddingDimension: dim });
		const w = await makeWorld(a);
		const ids = await write(a, w, 60, dim, 11);
		await a.close();

		const b = await openAdapter({ path, vectorSearch: "exact-scan" });
		await write(b, w, 40, dim, 12);
		for (const id of ids.slice(0, 25)) await b.removeMemory(id, "messages");
		await b.removeRoom(w.otherRoomId);
		await b.close();

		const query = randomVector(seededRng(13), dim);
		const { found, expected } = await searchBothWays(path, dim, query, 20);
		expect(found.map((m) => m.id)).toEqual(expected.map((m) => m.id));
		expect(found.map((m) => m.similarity)).toEqual(expected.map((m) => m.similarity));
		const facts = inspectFile(path);
		expect(facts.indexed).toBe(facts.embedded);
		expect(facts.integrity).toBe("ok");
	});

	it("answers a count above sqlite-vec's k limit (4096) in full, equal to the exact scan", async () => {
		const dim = 4;
		const path = files.file();
		const a = await openAdapter({ path, embeddingDimension: dim });
		const w = await makeWorld(a);
		await write(a, w, 6000, dim, 21);
		await a.close();
		const query = randomVector(seededRng(22), dim);
		// 3000 goes through vec0 (within the room), 4500 exceeds k and takes the exact scan.
		for (const [count, roomId] of [
			[3000, w.roomId],
			[4500, undefined],
		] as const) {
			const { found, expected } = await searchBothWays(path, dim, query, count, roomId);
			expect(found).toHaveLength(count);
			expect(found.map((m) => m.id)).toEqual(expected.map((m) => m.id));
		}
	});

	it("room-filtered vec0 search equals the exact scan in a large room and a smaller one", async () => {
		const dim = 8;
		const path = files.file();
		const a = await openAdapter({ path, embeddingDimension: dim });
		const w = await makeWorld(a);
		// Two thirds go to w.roomId (4,000), the rest to w.otherRoomId (2,000).
		await write(a, w, 6000, dim, 31);
		await a.close();
		const rng = seededRng(32);
		for (const roomId of [w.roomId, w.otherRoomId]) {
			for (let i = 0; i < 3; i++) {
				const query = randomVector(rng, dim);
				const { found, expected } = await searchBothWays(path, dim, query, 10, roomId);
				expect(found).toHaveLength(10);
				expect(found.every((m) => m.roomId === roomId)).toBe(true);
				expect(found.map((m) => m.id)).toEqual(expected.map((m) => m.id));
				expect(found.map((m) => m.similarity)).toEqual(expected.map((m) => m.similarity));
			}
		}
	});

	it("compact() after 10,000 insert/delete cycles leaves the file at most 2x a fresh one", async () => {
		const dim = 64;
		const path = files.file();
		const a = await openAdapter({ path, embeddingDimension: dim });
		const w = await makeWorld(a);
		const live = await write(a, w, 200, dim, 31);
		const rng = seededRng(32);
		for (let batch = 0; batch < 100; batch++) {
			await a.transaction(async (tx) => {
				for (let i = 0; i < 100; i++) {
					const m = memory(w, { embedding: randomVector(rng, dim) });
					await tx.createMemory(m, "messages", false);
					await tx.removeMemory(m.id, "messages");
				}
			});
		}
		await a.compact();
		const kept = await a.getMemoriesByIds(live as never);
		expect(kept).toHaveLength(200);
		await a.close();

		const freshPath = files.file();
		const fresh = await openAdapter({ path: freshPath, embeddingDimension: dim });
		for (const id of [w.agentId, w.userId]) await fresh.createAccount(account({ id }));
		for (const id of [w.roomId, w.otherRoomId]) await fresh.createRoom(id);
		await fresh.createMemories(kept.map((m) => ({ memory: m, tableName: "messages" })));
		await fresh.close();
		expect(statSync(path).size).toBeLessThanOrEqual(2 * statSync(freshPath).size);
		expect(inspectFile(path)).toEqual({ integrity: "ok", embedded: 200, indexed: 200 });
	});
});
