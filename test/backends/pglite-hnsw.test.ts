/**
 * PGlite runs no autovacuum: the adapter ANALYZEs by itself, so the planner picks the HNSW index
 * after ordinary writes, with no manual ANALYZE. Checked with EXPLAIN on the family's own search
 * SQL (the statement PGlite's search runs, postgres-vector.ts). The same at 10,000 rows written in
 * batches, unfiltered and room-filtered, is a soak (pglite-hnsw.soak.test.ts, npm run test:soak).
 */
import { describe, expect, it } from "vitest";
import { makeWorld, memory, randomVector, seededRng } from "../conformance/fixtures.js";
import { planner } from "./pglite/planner.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

// Below the 384 of the measurement in docs/pglite.md, to keep the test quick; the planner's choice
// is the same.
const DIM = 128;
const shared = sharedPGlite();

const { plan, estimatedRows, settle } = planner(shared, DIM);

describe("pglite keeps planner statistics current", () => {
	it("uses the HNSW index, unfiltered and room-filtered, after 3,000 single createMemory calls", async () => {
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
		const query = randomVector(rng, DIM);
		expect(await plan(query)).toContain("Index Scan using memories_embedding");
		expect(await plan(query, w.roomId)).toContain("Index Scan using memories_embedding");
		await a.close();
	}, 240_000); // 10-25 s alone, a minute on a machine busy with other tests: a liveness guard
});
