/**
 * pgvector indexes by dimension: `vector` HNSW (384, 1536), `halfvec` expression HNSW (3072), and
 * the planner using them for unfiltered and room-filtered searches.
 */
import { expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import type { UUID } from "../../src/core/types.js";
import { account, newId, randomVector, seededRng } from "../conformance/fixtures.js";
import { setupTestDatabase, type TestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres indexes");

/** Rows generated server-side (fast), spread over `rooms` rooms; returns the room ids. */
async function fill(
	a: PostgresDatabaseAdapter,
	agentId: UUID,
	rows: number,
	rooms: number,
): Promise<UUID[]> {
	const ids = Array.from({ length: rooms }, () => newId());
	for (const r of ids) await a.createRoom(r);
	const dim = a.embeddingDimension;
	await a.pool.query(
		`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, created_at)
		SELECT gen_random_uuid(), 'messages', ($1::uuid[])[1 + i % $2::int], $3::uuid, $3::uuid,
			jsonb_build_object('text', 'g' || i),
			array(SELECT random() - 0.5 + i * 0 FROM generate_series(1, $4::int))::real[]::vector, i
		FROM generate_series(1, $5::int) i`,
		[ids, rooms, agentId, dim, rows],
	);
	return ids;
}

const VECTOR_INDEX = /USING hnsw \(embedding (public\.)?vector_cosine_ops\)/;

/** The definition of the migration's memory index in the adapter's schema, or null. */
async function indexDef(a: PostgresDatabaseAdapter): Promise<string | null> {
	const { rows } = await a.pool.query(
		"SELECT pg_get_indexdef(to_regclass('memories_embedding')) AS def",
	);
	return rows[0].def;
}

async function plan(a: PostgresDatabaseAdapter, roomId: UUID | null, forceIndex: boolean) {
	const client = await a.pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SET LOCAL hnsw.iterative_scan = strict_order");
		if (forceIndex) {
			// Rolled back below: only the HNSW index is left for the planner to use, if it matches.
			await client.query("SET LOCAL enable_seqscan = off; DROP INDEX memories_type_room");
		}
		const q = `[${randomVector(seededRng(1), a.embeddingDimension).join(",")}]`;
		const params: unknown[] = [q, "messages", 10];
		if (roomId) params.push(roomId);
		// The very statement the search function (migration 003) runs.
		const sql = (
			await client.query("SELECT agentmem_memory_search_sql($1, $2, false, false) AS sql", [
				a.embeddingDimension,
				roomId !== null,
			])
		).rows[0].sql as string;
		const rows = (await client.query(`EXPLAIN ${sql}`, params)).rows;
		await client.query("ROLLBACK");
		// Without the vector literal, so a failure message stays readable.
		return rows
			.map((r) => (r["QUERY PLAN"] as string).replace(/'\[[^\]]*\]'/g, "'[…]'"))
			.join("\n");
	} finally {
		client.release();
	}
}

async function checkSearch(a: PostgresDatabaseAdapter, rooms: UUID[], agentId: UUID) {
	const dim = a.embeddingDimension;
	const rng = seededRng(dim);
	const target = randomVector(rng, dim);
	const roomId = rooms[1] as UUID;
	const id = newId();
	await a.createMemory(
		{ id, agentId, userId: agentId, roomId, content: { text: "target" }, embedding: target },
		"messages",
	);
	await a.pool.query("ANALYZE memories");
	const [top] = await a.searchMemoriesByEmbedding(target, { tableName: "messages", count: 5 });
	expect(top?.id).toBe(id);
	expect(top?.similarity).toBeCloseTo(1, 5);
	const inRoom = await a.searchMemoriesByEmbedding(target, {
		tableName: "messages",
		roomId,
		count: 5,
	});
	expect(inRoom).toHaveLength(5);
	expect(inRoom.every((m) => m.roomId === roomId)).toBe(true);
	expect(inRoom[0]?.id).toBe(id);
	const other = await a.searchMemoriesByEmbedding(target, {
		tableName: "messages",
		roomId: rooms[0],
		count: 5,
	});
	expect(other.map((m) => m.id)).not.toContain(id);
}

async function adapterWithAgent(d: TestDatabase, dim: number) {
	const a = await d.adapter({ embeddingDimension: dim });
	const agent = account();
	await a.createAccount(agent);
	return { a, agentId: agent.id };
}

if (db) {
	it("384 dimensions: 10,000 rows, the vector HNSW index serves unfiltered and room-filtered searches", async () => {
		const { a, agentId } = await adapterWithAgent(db, 384);
		try {
			expect(a.capabilities).toMatchObject({ vectorSearch: "hnsw", exactSearch: false });
			// Bulk load without the index, then rebuild it from the migration's own definition.
			const def = await indexDef(a);
			await a.pool.query("DROP INDEX memories_embedding");
			const rooms = await fill(a, agentId, 10_000, 10);
			await a.pool.query(def as string);
			expect(def).toMatch(VECTOR_INDEX);
			await checkSearch(a, rooms, agentId);
			expect(await plan(a, null, false)).toMatch(/Index Scan using memories_embedding/);
			expect(await plan(a, rooms[1] as UUID, false)).toMatch(/Index Scan using memories_embedding/);
		} finally {
			await a.close();
		}
	}, 300_000);

	for (const [dim, kind] of [
		[1536, VECTOR_INDEX],
		[
			3072,
			/USING hnsw \(\(\(embedding\)::(public\.)?halfvec\(3072\)\) (public\.)?halfvec_cosine_ops\)/,
		],
	] as const) {
		it(`${dim} dimensions: insert and search, and the query matches the ${dim > 2000 ? "halfvec expression" : "vector"} HNSW index`, async () => {
			const { a, agentId } = await adapterWithAgent(db, dim);
			try {
				expect(a.capabilities).toMatchObject({ vectorSearch: "hnsw", exactSearch: false });
				expect(await indexDef(a)).toMatch(kind);
				const rooms = await fill(a, agentId, 400, 4);
				await checkSearch(a, rooms, agentId);
				// Few rows: the planner may prefer a scan, so the alternatives are removed to prove the
				// query's ORDER BY matches the index expression (otherwise it could not be used).
				expect(await plan(a, null, true)).toMatch(/Index Scan using memories_embedding/);
				expect(await plan(a, rooms[1] as UUID, true)).toMatch(
					/Index Scan using memories_embedding/,
				);
			} finally {
				await a.close();
			}
		}, 300_000);
	}

	it("above 4000 dimensions there is no index and search is exact", async () => {
		const { a, agentId } = await adapterWithAgent(db, 4500);
		try {
			expect(a.capabilities).toMatchObject({ vectorSearch: "exact-scan", exactSearch: true });
			expect(await indexDef(a)).toBeNull();
			const rooms = await fill(a, agentId, 50, 2);
			await checkSearch(a, rooms, agentId);
		} finally {
			await a.close();
		}
	}, 300_000);

	it("reports pgvector's version and iterative scans", async () => {
		const a = await db.adapter();
		try {
			expect(a.serverInfo.pgvectorVersion).toMatch(/^\d+\.\d+/);
			expect(a.serverInfo.iterativeScan).toBe(true);
		} finally {
			await a.close();
		}
	});
}
