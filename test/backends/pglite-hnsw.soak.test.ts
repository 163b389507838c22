/**
 * Soak (npm run test:soak, never part of npm test: minutes on a small machine): PGlite's planner
 * picks the HNSW index at 10,000 rows written in batches, for unfiltered and room-filtered search,
 * with no manual ANALYZE. pglite-hnsw.test.ts checks the same after 3,000 single writes.
 */
import { describe, expect, it } from "vitest";
import { makeWorld, memory, randomVector, seededRng, type World } from "../conformance/fixtures.js";
import { planner } from "./pglite/planner.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

const DIM = 128;
const shared = sharedPGlite();
const { plan, estimatedRows, settle } = planner(shared, DIM);

describe("pglite keeps planner statistics current (soak)", () => {
	it("uses the HNSW index for unfiltered and room-filtered search at 10,000 rows written in batches", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w: World = await makeWorld(a);
		const rng = seededRng(11);
		const rooms = [w.roomId, w.otherRoomId];
		const vectors: number[][] = [];
		for (let batch = 0; batch < 20; batch++) {
			const items = Array.from({ length: 500 }, (_, i) => {
				const embedding = randomVector(rng, DIM);
				vectors.push(embedding);
				const roomId = rooms[i % 2] as World["roomId"];
				return { memory: memory(w, { embedding, roomId }), tableName: "messages" };
			});
			await a.createMemories(items);
		}
		await settle(a);
		expect(await estimatedRows()).toBeGreaterThanOrEqual(8000);
		// Odd positions in a batch went to the other room.
		const query = vectors[1235] as number[];
		expect(await plan(query)).toContain("Index Scan using memories_embedding");
		expect(await plan(query, w.otherRoomId)).toContain("Index Scan using memories_embedding");

		// And the search through the index finds the stored vector itself first.
		const [best] = await a.searchMemoriesByEmbedding(query, {
			tableName: "messages",
			roomId: w.otherRoomId,
			count: 3,
		});
		expect(best?.embedding?.[0]).toBeCloseTo(query[0] as number, 5);
		await a.close();
	}, 600_000);
});
