/**
 * Planner statistics on PostgreSQL: right after a bulk load autovacuum has not analysed the table
 * yet, and with 1536-dimension vectors (stored out of line, so the table looks small) the planner
 * then preferred a sequential scan plus sort over the HNSW index. The adapter ANALYZEs after
 * enough inserted rows by itself; checked with EXPLAIN on the search function's own statement and
 * with no ANALYZE from the test.
 */
import { expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { account, newId, randomVector, seededRng } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres statistics");
const DIM = 1536;

/** The planner's row estimate for `memories` in the adapter's schema (-1: never analysed). */
async function estimatedRows(a: PostgresDatabaseAdapter): Promise<number> {
	const { rows } = await a.pool.query(
		"SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass('memories')",
	);
	return Number(rows[0].n);
}

async function waitForEstimate(a: PostgresDatabaseAdapter, atLeast: number): Promise<number> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const n = await estimatedRows(a);
		if (n >= atLeast || Date.now() > deadline) return n;
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function plan(a: PostgresDatabaseAdapter): Promise<string> {
	const [{ sql }] = (
		await a.pool.query("SELECT agentmem_memory_search_sql($1, false, false, false) AS sql", [DIM])
	).rows;
	const q = `[${randomVector(seededRng(5), DIM).join(",")}]`;
	const { rows } = await a.pool.query(`EXPLAIN ${sql}`, [q, "messages", 10]);
	return rows.map((r) => r["QUERY PLAN"] as string).join("\n");
}

if (db) {
	it("analyses memories after a bulk load, so a 1536-dimension search uses the HNSW index", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			// init() analysed the empty tables: the estimate is 0, not "never analysed".
			expect(await estimatedRows(a)).toBe(0);
			const agent = account();
			await a.createAccount(agent);
			const roomId = newId();
			await a.createRoom(roomId);
			const rng = seededRng(17);
			for (let batch = 0; batch < 3; batch++) {
				await a.createMemories(
					Array.from({ length: 1000 }, () => ({
						memory: {
							agentId: agent.id,
							userId: agent.id,
							roomId,
							content: { text: "m" },
							embedding: randomVector(rng, DIM),
						},
						tableName: "messages",
					})),
				);
			}
			expect(await waitForEstimate(a, 2000)).toBeGreaterThanOrEqual(2000);
			expect(await plan(a)).toContain("Index Scan using memories_embedding");
		} finally {
			await a.close();
		}
	});
}
