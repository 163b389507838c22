/**
 * `createMemory(…, unique)`'s one statement on PostgreSQL (postgres-unique-insert.ts): migration
 * 012's function, or (halfvec index, 2001–4000 dimensions) an inline statement with set_config in an
 * InitPlan that a one-time filter tests above the scan. With the btree indexes dropped (in a
 * rolled-back transaction) only the HNSW graph can order the rows, and 300 nearer rows of another
 * agent hide the one near duplicate of the caller's agent from a 40-candidate walk (the session's
 * default), but not from a 400-candidate walk, nor from an iterative scan: so where the check walks
 * the graph (the inline form; the function above 1000 rows of the type and room) these tests prove
 * the settings are in force when pgvector starts the scan (it reads `hnsw.ef_search` and
 * `hnsw.iterative_scan` on its first row), and where it does not (the function at most 1000 rows)
 * that the check is exact under a generic plan and a custom one alike.
 */
import { expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { postgresFamily } from "../../src/backends/postgres/postgres-family.js";
import {
	CALL_COLUMNS,
	insertUniqueMemory,
	memoryInsertUniqueSql,
	uniqueInsertParams,
} from "../../src/backends/postgres/postgres-unique-insert.js";
import { ConflictError } from "../../src/core/errors.js";
import type { SqlSession } from "../../src/core/sql/driver.js";
import { bindMemory, RECORDS } from "../../src/core/sql/records.js";
import type { UUID } from "../../src/core/types.js";
import { account, newId, seededRng } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres unique insert");
const DIM = 16;
const DECOYS = 300;

/**
 * The unit vector along the first axis, plus `second` along the second axis and uniform noise per
 * component (`noise` at 16 dimensions, scaled so its length is the same at any dimension).
 */
function near(rng: () => number, noise: number, second = 0, dim = DIM): number[] {
	const scale = noise * Math.sqrt(DIM / dim);
	return Array.from(
		{ length: dim },
		(_, i) => (i === 0 ? 1 : 0) + (i === 1 ? second : 0) + (rng() - 0.5) * scale,
	);
}

/**
 * Migration 012's function checks exactly (a filter no plan can serve from the HNSW index) when the
 * memory's type and room hold at most this many rows, and walks the HNSW index above it.
 */
const EXACT_ROOM_ROWS = 1000;

/** A new account and a new room in `a`. */
async function agentAndRoom(a: PostgresDatabaseAdapter) {
	const agent = account();
	await a.createAccount(agent);
	const roomId = newId();
	await a.createRoom(roomId);
	return { agent, roomId };
}

/**
 * 300 decoys nearer to the query than the caller's one near duplicate, all in one room; `filler`
 * more rows of the same type in that room (another agent's, pointing away from the query) make the
 * room large without hiding anything.
 */
async function setup(a: PostgresDatabaseAdapter, dim = DIM, filler = 0) {
	const agent = account();
	const other = account();
	await a.createAccount(agent);
	await a.createAccount(other);
	const roomId = newId();
	await a.createRoom(roomId);
	const rng = seededRng(7);
	// Nearer to the query than the duplicate (similarity ~0.999), but another agent's.
	await a.createMemories(
		Array.from({ length: DECOYS }, (_, i) => ({
			memory: {
				id: newId(),
				agentId: other.id,
				userId: other.id,
				roomId,
				content: { text: `decoy ${i}` },
				embedding: near(rng, 0.02, 0, dim),
			},
			tableName: "messages",
		})),
	);
	await a.createMemories(
		Array.from({ length: filler }, (_, i) => ({
			memory: {
				id: newId(),
				agentId: other.id,
				userId: other.id,
				roomId,
				content: { text: `filler ${i}` },
				embedding: near(rng, 0.5, 0, dim).map((x, j) => (j === 0 ? -x : x)),
			},
			tableName: "messages",
		})),
	);
	// The caller's agent's one near duplicate: similarity 1 / sqrt(1 + 0.25²) ≈ 0.970.
	await a.createMemory(
		{
			id: newId(),
			agentId: agent.id,
			userId: agent.id,
			roomId,
			content: { text: "duplicate" },
			embedding: near(rng, 0, 0.25, dim),
		},
		"messages",
	);
	await a.pool.query("ANALYZE memories");
	return { agentId: agent.id, roomId };
}

/** Runs `fn` in a transaction where only the HNSW index can serve the check, then rolls back. */
async function hnswOnly<T>(
	a: PostgresDatabaseAdapter,
	fn: (session: SqlSession) => Promise<T>,
): Promise<T> {
	const client = await a.pool.connect();
	try {
		await client.query("BEGIN");
		await client.query(
			"DROP INDEX memories_type_room; DROP INDEX memories_agent; SET LOCAL enable_seqscan = off",
		);
		const session: SqlSession = {
			all: async (sql, params) => (await client.query(sql, params as unknown[])).rows as never,
			run: async (sql, params) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
			exec: async (script) => void (await client.query(script)),
		};
		return await fn(session);
	} finally {
		await client.query("ROLLBACK");
		client.release();
	}
}

function params(agentId: UUID, roomId: UUID, dim = DIM): unknown[] {
	return bindMemory({
		id: newId(),
		type: "messages",
		room_id: roomId,
		agent_id: agentId,
		user_id: agentId,
		content: JSON.stringify({ text: "new" }),
		embedding: postgresFamily.encodeEmbedding(new Float32Array(near(() => 0.5, 0, 0, dim))),
		is_unique: null,
		created_at: 1,
	});
}

if (db) {
	// At 16 dimensions (migration 012's function) the room must be over EXACT_ROOM_ROWS for the
	// check to walk the HNSW index at all.
	for (const [dim, how, filler] of [
		[DIM, /^Result/, EXACT_ROOM_ROWS],
		[3072, /One-Time Filter[\s\S]*Index Scan using memories_embedding/, 0],
	] as const)
		it(`${dim} dimensions: the check's HNSW settings are in force when the scan starts (ef_search, iterative scan)`, async () => {
			const a = await db.adapter({ embeddingDimension: dim });
			try {
				const { agentId, roomId } = await setup(a, dim, filler);
				const check = (efSearch: number, iterative: boolean) =>
					hnswOnly(a, (s) =>
						insertUniqueMemory(s, params(agentId, roomId, dim), {
							dimension: dim,
							limit: 6,
							efSearch,
							iterative,
							threshold: 0.95,
						}),
					);
				// 40 candidates, no iterative scan: all decoys, the duplicate is missed (as pgvector does).
				expect(await check(40, false)).toEqual({ changed: 1, unique: true });
				// ef_search 400 (the session's is 40) reaches it: the setting was read after set_config.
				expect(await check(400, false)).toEqual({ changed: 1, unique: false });
				// So does an iterative scan (the session's is off) with 40.
				expect(await check(40, true)).toEqual({ changed: 1, unique: false });
				// The plan: migration 011's function (one Result node), or inline (halfvec) the HNSW index
				// under a one-time filter (the settings' InitPlan).
				const plan = await hnswOnly(a, (s) =>
					s.all<{ "QUERY PLAN": string }>(
						`EXPLAIN ${memoryInsertUniqueSql(dim)}`,
						uniqueInsertParams(params(agentId, roomId, dim), {
							dimension: dim,
							limit: 6,
							efSearch: 40,
							iterative: false,
							threshold: 0.95,
						}),
					),
				);
				const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
				expect(text).toMatch(how);
				// Outside the transaction the session's settings are unchanged.
				const { rows } = await a.pool.query(
					"SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS it",
				);
				expect(rows[0]).toEqual({ ef: "40", it: "off" });
			} finally {
				await a.close();
			}
		}, 120_000);

	it(`a room of at most ${EXACT_ROOM_ROWS} rows: the check is exact, whatever the plan and the HNSW settings`, async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agentId, roomId } = await setup(a);
			// The 40-candidate walk that misses the duplicate above (300 nearer decoys), under a
			// generic plan (what a session's cached plan becomes after five calls) and a custom one.
			for (const mode of ["force_generic_plan", "force_custom_plan"]) {
				const got = await hnswOnly(a, async (s) => {
					await s.exec(`SET LOCAL plan_cache_mode = ${mode}`);
					const results = [];
					for (let i = 0; i < 7; i++) {
						results.push(
							await insertUniqueMemory(s, params(agentId, roomId), {
								dimension: DIM,
								limit: 6,
								efSearch: 40,
								iterative: false,
								threshold: 0.95,
							}),
						);
					}
					return results;
				});
				// Each new row is itself a near duplicate of the ones before it, and of the stored one.
				expect(got).toEqual(Array.from({ length: 7 }, () => ({ changed: 1, unique: false })));
			}
		} finally {
			await a.close();
		}
	}, 120_000);

	it(`a room over ${EXACT_ROOM_ROWS} rows: createMemory(unique) still finds the duplicate (HNSW, iterative scan)`, async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agentId, roomId } = await setup(a, DIM, EXACT_ROOM_ROWS);
			expect(await a.countMemories(roomId, false, "messages")).toBeGreaterThan(EXACT_ROOM_ROWS);
			const memory = (embedding: number[]) => ({
				id: newId(),
				agentId,
				userId: agentId,
				roomId,
				content: { text: "new" },
				embedding,
			});
			const dup = memory(near(() => 0.5, 0));
			await a.createMemory(dup, "messages", true);
			const stored = await a.getMemoryById(dup.id);
			expect(stored?.unique).toBe(false);
			// Bound in pgvector's binary form: the stored vector is the one given.
			expect(stored?.embedding).toEqual(dup.embedding);
			// Nothing of the caller's agent near this one: unique.
			const fresh = memory(Array.from({ length: DIM }, (_, i) => (i === 5 ? 1 : 0)));
			await a.createMemory(fresh, "messages", true);
			expect((await a.getMemoryById(fresh.id))?.unique).toBe(true);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("a clear duplicate decides even beside a neighbour too close to call", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agent, roomId } = await agentAndRoom(a);
			const axis = (x: number) =>
				Array.from({ length: DIM }, (_, i) => (i === 0 ? x : i === 1 ? Math.sqrt(1 - x * x) : 0));
			// Similarity 0.95 to the new memory (too close to call), and 0.99 (a duplicate either way).
			for (const x of [0.95, 0.99])
				await a.createMemory(
					{
						id: newId(),
						agentId: agent.id,
						userId: agent.id,
						roomId,
						content: { text: String(x) },
						embedding: axis(x),
					},
					"messages",
				);
			const result = await hnswOnly(a, (s) =>
				insertUniqueMemory(
					s,
					bindMemory({
						id: newId(),
						type: "messages",
						room_id: roomId,
						agent_id: agent.id,
						user_id: agent.id,
						content: JSON.stringify({ text: "new" }),
						embedding: postgresFamily.encodeEmbedding(new Float32Array(axis(1))),
						is_unique: null,
						created_at: 1,
					}),
					{ dimension: DIM, limit: 6, efSearch: 80, iterative: true, threshold: 0.95 },
				),
			);
			expect(result).toEqual({ changed: 1, unique: false });
		} finally {
			await a.close();
		}
	}, 120_000);

	it("migration 011's (012's) function takes the memory's columns but is_unique, in RECORDS' order and types", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			// proargtypes: the input arguments only.
			const { rows } = await a.pool.query(
				"SELECT array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) AS types FROM pg_proc p WHERE p.oid = 'agentmem_insert_unique_memory'::regproc",
			);
			const types = (rows[0] as { types: string[] }).types;
			const kinds: Record<string, string> = {
				uuid: "uuid",
				text: "text",
				json: "jsonb",
				embedding: "vector",
				timestamp: "bigint",
			};
			const columns = RECORDS.memories.columns.filter((c) => c.name !== "is_unique");
			expect(columns.map((c) => c.name)).toEqual(CALL_COLUMNS);
			expect(types.slice(0, columns.length)).toEqual(columns.map((c) => kinds[c.kind]));
			expect(types.slice(columns.length)).toEqual([
				"integer",
				"integer",
				"boolean",
				"double precision",
				"double precision",
			]);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("createMemory(unique) finds the near duplicate with the btree indexes in place", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agentId, roomId } = await setup(a);
			const id = newId();
			await a.createMemory(
				{
					id,
					agentId,
					userId: agentId,
					roomId,
					content: { text: "new" },
					embedding: near(() => 0.5, 0),
				},
				"messages",
				true,
			);
			const got = await a.getMemoryById(id);
			expect(got?.unique).toBe(false);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("a neighbour too close to the threshold to call writes nothing in SQL; createMemory still stores the memory", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agent, roomId } = await agentAndRoom(a);
			const axis = (x: number, y: number) =>
				Array.from({ length: DIM }, (_, i) => (i === 0 ? x : i === 1 ? y : 0));
			await a.createMemory(
				{
					id: newId(),
					agentId: agent.id,
					userId: agent.id,
					roomId,
					content: { text: "stored" },
					embedding: axis(0.95, Math.sqrt(1 - 0.95 ** 2)),
				},
				"messages",
			);
			const memory = {
				id: newId(),
				agentId: agent.id,
				userId: agent.id,
				roomId,
				content: { text: "new" },
				embedding: axis(1, 0),
			};
			const client = await a.pool.connect();
			try {
				const session: SqlSession = {
					all: async (sql, p) => (await client.query(sql, p as unknown[])).rows as never,
					run: async (sql, p) => (await client.query(sql, p as unknown[])).rowCount ?? 0,
					exec: async (script) => void (await client.query(script)),
				};
				const result = await insertUniqueMemory(
					session,
					bindMemory({
						id: memory.id,
						type: "messages",
						room_id: roomId,
						agent_id: agent.id,
						user_id: agent.id,
						content: JSON.stringify(memory.content),
						embedding: postgresFamily.encodeEmbedding(new Float32Array(memory.embedding)),
						is_unique: null,
						created_at: 1,
					}),
					{ dimension: DIM, limit: 6, efSearch: 80, iterative: true, threshold: 0.95 },
				);
				expect(result).toBeNull();
			} finally {
				client.release();
			}
			expect(await a.getMemoryById(memory.id)).toBeNull();
			await a.createMemory(memory, "messages", true);
			expect((await a.getMemoryById(memory.id))?.content).toEqual({ text: "new" });
		} finally {
			await a.close();
		}
	}, 120_000);

	it("createMemory(unique): the same id and type replaces the row; another type is a ConflictError", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const { agent, roomId } = await agentAndRoom(a);
			const m = {
				id: newId(),
				agentId: agent.id,
				userId: agent.id,
				roomId,
				content: { text: "first" },
				embedding: near(() => 0.5, 0),
			};
			await a.createMemory(m, "messages", true);
			await a.createMemory({ ...m, content: { text: "second" } }, "messages", true);
			const stored = await a.getMemoryById(m.id);
			expect(stored?.content).toEqual({ text: "second" });
			// The row itself is excluded from the check: still unique.
			expect(stored?.unique).toBe(true);
			await expect(
				a.createMemory({ ...m, content: { text: "third" } }, "facts", true),
			).rejects.toBeInstanceOf(ConflictError);
			expect((await a.getMemoryById(m.id))?.content).toEqual({ text: "second" });
		} finally {
			await a.close();
		}
	}, 120_000);

	it("between 2000 and 4000 dimensions the check orders by the halfvec index's expression", async () => {
		const dim = 3072;
		const a = await db.adapter({ embeddingDimension: dim });
		try {
			const { agent, roomId } = await agentAndRoom(a);
			const rng = seededRng(3072);
			const v = Array.from({ length: dim }, () => rng() - 0.5);
			const m = (id: UUID) => ({
				id,
				agentId: agent.id,
				userId: agent.id,
				roomId,
				content: { text: "x" },
				embedding: v,
			});
			const [first, second] = [newId(), newId()];
			await a.createMemory(m(first), "messages", true);
			await a.createMemory(m(second), "messages", true);
			expect((await a.getMemoryById(first))?.unique).toBe(true);
			expect((await a.getMemoryById(second))?.unique).toBe(false);
			expect(memoryInsertUniqueSql(dim)).toContain(
				`ORDER BY m.embedding::halfvec(${dim}) <=> $7::vector::halfvec(${dim})`,
			);
		} finally {
			await a.close();
		}
	}, 120_000);
}
