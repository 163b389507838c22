/**
 * The search plan chosen from the table's size (search-plan.ts, migration 013): ef_search growing
 * with the table, and room-filtered searches reading a small room exactly (the `(type, room_id)`
 * btree, an ORDER BY the HNSW index cannot supply) instead of walking the graph, which can miss
 * the room's rows.
 */
import { describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import {
	BIG_BUILD_EF_CONSTRUCTION,
	restoreVectorIndex,
} from "../../src/backends/postgres/postgres-bulk.js";
import {
	createTableRowsCache,
	DEFAULT_EF_SEARCH,
	EXACT_MAX_ROWS,
	EXACT_MIN_ROWS,
	efSearchFor,
	exactBelowFor,
	MAX_EF_SEARCH,
	tableRowsOf,
} from "../../src/backends/postgres/search-plan.js";
import type { SqlSession } from "../../src/core/sql/driver.js";
import type { UUID } from "../../src/core/types.js";
import { account, newId } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

describe("the search plan's rules", () => {
	it("ef_search: 80 up to 100,000 rows, growing beyond, replaced by the option, bounded", () => {
		for (const rows of [0, 1, 5_000, 100_000])
			expect(efSearchFor(rows, 10, 12)).toBe(DEFAULT_EF_SEARCH);
		expect(efSearchFor(200_000, 10, 12)).toBeGreaterThan(DEFAULT_EF_SEARCH);
		expect(efSearchFor(1_000_000, 10, 12)).toBeGreaterThan(efSearchFor(200_000, 10, 12));
		expect(efSearchFor(1e12, 10, 12)).toBe(MAX_EF_SEARCH);
		// The option replaces the size rule (both ways); 4 × count and the limit stay floors.
		expect(efSearchFor(1_000_000, 10, 12, 900)).toBe(900);
		expect(efSearchFor(1_000_000, 10, 12, 80)).toBe(80);
		expect(efSearchFor(1_000_000, 10, 12)).toBe(800);
		expect(efSearchFor(0, 10, 12, 7)).toBe(40);
		expect(efSearchFor(0, 10, 500, 7)).toBe(500);
		expect(efSearchFor(0, 10, 5_000)).toBe(MAX_EF_SEARCH);
		let last = 0;
		for (let rows = 0; rows <= 5e7; rows += 250_000) {
			const ef = efSearchFor(rows, 10, 12);
			expect(ef).toBeGreaterThanOrEqual(last);
			last = ef;
		}
	});

	it("the exact room size: within its bounds, growing with the table", () => {
		expect(exactBelowFor(0)).toBe(EXACT_MIN_ROWS);
		expect(exactBelowFor(1e12)).toBe(EXACT_MAX_ROWS);
		expect(exactBelowFor(200_000)).toBeGreaterThan(exactBelowFor(20_000));
		// 1% rooms of 1,000,000 rows (the scale report's) are read exactly.
		expect(exactBelowFor(1_000_000)).toBeGreaterThan(10_000);
	});

	it("table sizes: reltuples scaled to the current pages, a guess by width when never analyzed", () => {
		expect(
			tableRowsOf(
				[
					{ name: "memories", reltuples: 1000, relpages: 100, pages: 300 },
					{ name: "knowledge", reltuples: -1, relpages: 0, pages: 10 },
				],
				384,
			),
		).toEqual({ memories: 3000, knowledge: 10 * Math.floor(8160 / (4 * 384 + 300)) });
		// Embeddings of more than ~2 KB are stored out of line: more rows to a page.
		expect(
			tableRowsOf([{ name: "memories", reltuples: 0, relpages: 0, pages: 10 }], 1536).memories,
		).toBe(10 * Math.floor(8160 / 300));
	});
});

const db = await setupTestDatabase("postgres search paths");
const DIM = 8;

/** A unit vector along `axis`, plus a little of `jitter`. */
const vec = (axis: number, jitter: number) =>
	`[${Array.from({ length: DIM }, (_, i) => (i === axis ? 1 : 0) + jitter * Math.sin(i + jitter * 7)).join(",")}]`;

async function idxScans(a: PostgresDatabaseAdapter): Promise<number> {
	// This backend's pending counts, flushed by the statement before.
	await a.pool.query("SELECT pg_stat_force_next_flush()");
	await a.pool.query("SELECT 1");
	const { rows } = await a.pool.query(
		"SELECT pg_stat_clear_snapshot(), (SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = to_regclass('memories_embedding')) AS n",
	);
	return Number(rows[0].n);
}

if (db) {
	it("a small room is read exactly (recall 1.0) where the HNSW walk misses its rows; a big room walks the graph", async () => {
		// The walk gives up after this many tuples (pgvector's default is 20,000): with it, a room whose
		// rows lie beyond 300 rows of another room is missed by an index scan.
		await db.sql(`ALTER DATABASE ${db.name} SET hnsw.max_scan_tuples = 300`);
		// One connection, so the counters read below are that connection's.
		const a = await db.adapter({ embeddingDimension: DIM, poolConfig: { max: 1 } });
		try {
			const agent = account();
			await a.createAccount(agent);
			const big = newId();
			const small = newId();
			await a.createRoom(big);
			await a.createRoom(small);
			// 6,000 rows near axis 0 in the big room; 600 near its opposite in the small one (9% of the rows:
			// left to itself, the planner walks the graph for it).
			await a.pool.query(
				`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, created_at)
				SELECT gen_random_uuid(), 'messages', CASE WHEN i <= 6000 THEN $1::uuid ELSE $2::uuid END,
					$3::uuid, $3::uuid, jsonb_build_object('text', 'm' || i),
					array(SELECT CASE WHEN d = 1 THEN CASE WHEN i <= 6000 THEN 1 ELSE -1 END ELSE 0 END
						+ 0.3 * sin(i * 13 + d * 7) FROM generate_series(1, $4::int) d)::real[]::vector, i
				FROM generate_series(1, 6600) i`,
				[big, small, agent.id, DIM],
			);
			await a.pool.query("ANALYZE memories");
			const query = vec(0, 0.01);
			const q = Float32Array.from(JSON.parse(query) as number[]);

			// The walk (013's function told to leave the plan alone, sorts off so the index orders)
			// finds none of the small room's rows: the tuples nearest the query are all the big room's.
			const client = await a.pool.connect();
			let walked: number;
			try {
				await client.query("SET enable_sort = off");
				const { rows } = await client.query(
					"SELECT id FROM agentmem_search_memories($1::vector, 'messages', 10, $2::uuid, $3::uuid, false, 40, true, 0)",
					[query, small, agent.id],
				);
				walked = rows.length;
				await client.query("RESET enable_sort");
			} finally {
				client.release();
			}
			expect(walked).toBeLessThan(10);

			// The exact answer, computed here from the room's rows.
			const { rows: all } = await a.pool.query(
				"SELECT id, embedding::text AS e FROM memories WHERE room_id = $1",
				[small],
			);
			const cos = (e: number[]) => {
				let dot = 0;
				let nq = 0;
				let ne = 0;
				for (let i = 0; i < DIM; i++) {
					dot += (q[i] as number) * (e[i] as number);
					nq += (q[i] as number) ** 2;
					ne += (e[i] as number) ** 2;
				}
				return dot / Math.sqrt(nq * ne);
			};
			const truth = all
				.map((r) => ({ id: r.id as string, s: cos(JSON.parse(r.e)) }))
				.sort((x, y) => y.s - x.s)
				.slice(0, 10)
				.map((r) => r.id);

			const before = await idxScans(a);
			const found = await a.searchMemoriesByEmbedding(q, {
				tableName: "messages",
				roomId: small,
				agentId: agent.id as UUID,
				count: 10,
			});
			expect(found.map((m) => m.id)).toEqual(truth);
			expect(await idxScans(a)).toBe(before); // no HNSW scan

			// The big room (6,000 rows, above the exact size for this table) walks the graph.
			expect(exactBelowFor(6600)).toBeGreaterThan(600);
			expect(exactBelowFor(6600)).toBeLessThan(6000);
			const inBig = await a.searchMemoriesByEmbedding(q, {
				tableName: "messages",
				roomId: big,
				agentId: agent.id as UUID,
				count: 10,
			});
			expect(inBig).toHaveLength(10);
			expect(inBig.every((m) => m.roomId === big)).toBe(true);
			expect(await idxScans(a)).toBeGreaterThan(before);
		} finally {
			await a.close();
			await db.sql(`ALTER DATABASE ${db.name} RESET hnsw.max_scan_tuples`);
		}
	}, 120_000);

	it("013's exact statement reads the room through its btree, never the HNSW index", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const room = newId();
			const agent = account();
			await a.createAccount(agent);
			await a.createRoom(room);
			// 2,000 rows, 200 of them in the room.
			const other = newId();
			await a.createRoom(other);
			await a.pool.query(
				`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, created_at)
				SELECT gen_random_uuid(), 'messages', CASE WHEN i % 10 = 0 THEN $1::uuid ELSE $2::uuid END,
					$3::uuid, $3::uuid, '{}'::jsonb,
					array(SELECT sin(i * 7 + d) FROM generate_series(1, $4::int) d)::real[]::vector, i
				FROM generate_series(1, 2000) i`,
				[room, other, agent.id, DIM],
			);
			await a.pool.query("ANALYZE memories");
			const sql = async (exact: boolean) =>
				(
					await a.pool.query(
						"SELECT agentmem_memory_search_sql($1, true, true, false, $2) AS sql",
						[DIM, exact],
					)
				).rows[0].sql as string;
			const client = await a.pool.connect();
			try {
				const plan = async (text: string) =>
					(
						await client.query(`EXPLAIN ${text}`, [
							`[${new Array(DIM).fill(0.1).join(",")}]`,
							"messages",
							12,
							room,
							agent.id,
						])
					).rows
						.map((r) => r["QUERY PLAN"] as string)
						.join("\n");
				// Sorts off: the HNSW form is then the index's; the exact form still cannot use it.
				await client.query("SET enable_sort = off");
				expect(await plan(await sql(false))).toContain("memories_embedding");
				const exact = await plan(await sql(true));
				expect(exact).not.toContain("memories_embedding");
				expect(exact).toContain("memories_type_room");
			} finally {
				await client.query("RESET enable_sort");
				client.release();
			}
		} finally {
			await a.close();
		}
	});

	it("table sizes are read from the catalog and cached", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const agent = account();
			await a.createAccount(agent);
			const room = newId();
			await a.createRoom(room);
			await a.pool.query(
				`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, created_at)
				SELECT gen_random_uuid(), 'messages', $1::uuid, $2::uuid, $2::uuid, '{}'::jsonb,
					array_fill(0.5::real, ARRAY[$3::int])::vector, i FROM generate_series(1, 5000) i`,
				[room, agent.id, DIM],
			);
			await a.pool.query("ANALYZE memories");
			const client = await a.pool.connect();
			try {
				const session = {
					all: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
				} as unknown as SqlSession;
				const cache = createTableRowsCache(60_000);
				const first = await cache(session, DIM);
				expect(first.memories).toBe(5000);
				expect(first.knowledge).toBe(0);
				await client.query("TRUNCATE memories CASCADE");
				expect(await cache(session, DIM)).toEqual(first); // cached
				expect((await createTableRowsCache(0)(session, DIM)).memories).toBe(0);
			} finally {
				client.release();
			}
		} finally {
			await a.close();
		}
	});

	it("a rebuild of a big table builds its graph with ef_construction 128, then resets the option", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const agent = account();
			await a.createAccount(agent);
			const room = newId();
			await a.createRoom(room);
			await a.pool.query(
				`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, created_at)
				SELECT gen_random_uuid(), 'messages', $1::uuid, $2::uuid, $2::uuid, '{}'::jsonb,
					array(SELECT sin(i + d) FROM generate_series(1, $3::int) d)::real[]::vector, i
				FROM generate_series(1, 50) i`,
				[room, agent.id, DIM],
			);
			const def = async () =>
				(await a.pool.query("SELECT pg_get_indexdef(to_regclass('memories_embedding')) AS d"))
					.rows[0].d as string | null;
			const migrations = await def();
			const client = await a.pool.connect();
			try {
				const statements: string[] = [];
				const session = {
					all: async (sql: string, params?: unknown[]) => {
						statements.push(sql);
						return (await client.query(sql, params)).rows;
					},
					run: async (sql: string, params?: unknown[]) => {
						statements.push(sql);
						return (await client.query(sql, params)).rowCount ?? 0;
					},
				} as unknown as SqlSession;
				for (const [bigRows, big] of [
					[100, false],
					[49, true],
				] as const) {
					statements.length = 0;
					await client.query("BEGIN");
					await client.query("DROP INDEX memories_embedding");
					await restoreVectorIndex(session, DIM, bigRows);
					await client.query("COMMIT");
					const built = statements.filter((sql) => sql.startsWith("CREATE INDEX"));
					expect(built).toHaveLength(1);
					expect(built[0]?.includes(`ef_construction = ${BIG_BUILD_EF_CONSTRUCTION}`)).toBe(big);
					expect(await def()).toBe(migrations);
				}
			} finally {
				client.release();
			}
		} finally {
			await a.close();
		}
	});
}
