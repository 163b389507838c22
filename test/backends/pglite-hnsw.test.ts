/**
 * PGlite runs no autovacuum: the adapter ANALYZEs by itself, so the planner picks the HNSW index
 * after ordinary writes, with no manual ANALYZE. Checked with EXPLAIN on the family's own search
 * SQL (the statement migration 003's search function runs), unfiltered and room-filtered.
 */
import { describe, expect, it } from "vitest";
import type { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { toPgVectorText } from "../../src/core/vector.js";
import { makeWorld, memory, randomVector, seededRng, type World } from "../conformance/fixtures.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

// Below the 384 of the measurement in docs/pglite.md, to keep the test quick; the planner's choice
// is the same.
const DIM = 128;
const shared = sharedPGlite();

/** The plan of the adapter's memory search for `query`, optionally filtered by room. */
async function plan(query: number[], roomId?: string): Promise<string> {
	const pg = await shared.pglite();
	// The very statement the search function (migration 003) runs.
	const sql = (
		await pg.query<{ sql: string }>(
			"SELECT agentmem_memory_search_sql($1, $2, false, false) AS sql",
			[DIM, roomId !== undefined],
		)
	).rows[0]?.sql as string;
	const params: unknown[] = [toPgVectorText(query), "messages", 10];
	if (roomId) params.push(roomId);
	const { rows } = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
	return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/** Rows the planner believes `memories` holds (-1: never analysed). */
async function estimatedRows(): Promise<number> {
	const pg = await shared.pglite();
	const { rows } = await pg.query<{ n: number }>(
		"SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'memories'::regclass",
	);
	return Number(rows[0]?.n);
}

/** Waits for the ANALYZE queued behind the last write (the adapter's queue runs it next). */
async function settle(a: PGliteDatabaseAdapter): Promise<void> {
	await a.transaction(async () => undefined);
}

describe("pglite keeps planner statistics current", () => {
	it("uses the HNSW index after 3,000 single createMemory calls", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const rng = seededRng(7);
		const first = await plan(randomVector(rng, DIM));
		expect(first).not.toContain("memories_embedding"); // an empty table: a scan is right
		for (let i = 0; i < 3000; i++) {
			await a.createMemory(memory(w, { embedding: randomVector(rng, DIM) }), "messages");
		}
		await settle(a);
		expect(await estimatedRows()).toBeGreaterThanOrEqual(2000);
		expect(await plan(randomVector(rng, DIM))).toContain("Index Scan using memories_embedding");
		await a.close();
	});

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
	});
});
