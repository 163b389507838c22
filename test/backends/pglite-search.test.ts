/**
 * PGlite's search (postgres-vector.ts, `createSessionSearch`): a plain statement instead of
 * migration 003's function (embeddings as hex text, not bytea), and the HNSW settings kept on the
 * one connection. It must return exactly what the function path
 * returns (ties, zero vectors, thresholds, filters), and search with its own settings even after
 * a rolled-back transaction or after the caller changed them on the instance.
 */
import type { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { pgliteConnection } from "../../src/backends/pglite/pglite-connection.js";
import {
	createPostgresVectorSearch,
	hasIterativeScan,
	PGVECTOR_VERSION_SQL,
} from "../../src/backends/postgres/postgres-vector.js";
import { sessionMemorySearchSql } from "../../src/backends/postgres/session-search.js";
import type { SqlSession } from "../../src/core/sql/driver.js";
import { SerialDriver } from "../../src/core/sql/serial-driver.js";
import type { UUID } from "../../src/core/types.js";
import { toPgVectorText } from "../../src/core/vector.js";
import { around, makeWorld, newId, randomVector, seededRng } from "../conformance/fixtures.js";
import { planner } from "./pglite/planner.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

const DIM = 16;
const shared = sharedPGlite();
const { plan } = planner(shared, DIM);

/** Memories written straight into the adapter's schema: `rows` of (vector, room, agent, unique). */
async function insertMemories(
	pg: PGlite,
	rows: { v: number[]; room: UUID; agent: UUID; user: UUID; unique: boolean }[],
): Promise<void> {
	for (let i = 0; i < rows.length; i += 500) {
		const chunk = rows.slice(i, i + 500);
		const params: unknown[] = [];
		const values = chunk.map((r, j) => {
			params.push(newId(), r.room, r.agent, r.user, JSON.stringify({ text: `m${i + j}` }));
			params.push(toPgVectorText(r.v), r.unique, i + j);
			const p = j * 8;
			return `($${p + 1}::uuid, 'messages', $${p + 2}::uuid, $${p + 3}::uuid, $${p + 4}::uuid, $${p + 5}::jsonb, $${p + 6}::vector, $${p + 7}::boolean, $${p + 8}::bigint)`;
		});
		await pg.query(
			`INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at) VALUES ${values.join(", ")}`,
			params,
		);
	}
}

function session(pg: PGlite): SqlSession {
	return new SerialDriver(pgliteConnection(pg), {
		ownsConnection: false,
		wrapError: (err) => err as Error,
		constraintOf: () => null,
	}).session;
}

describe("PGlite's session search", () => {
	it("returns exactly what the search function returns: ties, zero vectors, thresholds, filters", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const pg = await shared.pglite();
		const rng = seededRng(11);
		const center = randomVector(rng, DIM);
		const rows: { v: number[]; room: UUID; agent: UUID; user: UUID; unique: boolean }[] = [];
		const push = (v: number[], i: number) =>
			rows.push({
				v,
				room: i % 3 === 0 ? w.otherRoomId : w.roomId,
				agent: i % 4 === 0 ? w.otherAgentId : w.agentId,
				user: w.userId,
				unique: i % 2 === 0,
			});
		for (let i = 0; i < 500; i++) push(randomVector(rng, DIM), i);
		// 40 exact copies (tied at any cut-off), 40 within float rounding of each other, zeros.
		for (let i = 0; i < 40; i++) push(center, i);
		for (let i = 0; i < 40; i++) push(around(rng, center, 1e-6), i);
		for (let i = 0; i < 40; i++) push(around(rng, center, 1e-3), i);
		for (let i = 0; i < 5; i++) push(new Array(DIM).fill(0), i);
		await insertMemories(pg, rows);
		await pg.query(
			`INSERT INTO knowledge (id, agent_id, content, embedding, is_main, is_shared, created_at)
			SELECT 'k' || i, CASE WHEN i % 3 = 0 THEN $2::uuid ELSE $1::uuid END, '{"text": "k"}'::jsonb,
				CASE WHEN i % 4 = 0 THEN $3::vector ELSE $4::vector END, true, i % 5 = 0, i
			FROM generate_series(1, 200) i`,
			[w.agentId, w.otherAgentId, toPgVectorText(center), toPgVectorText(randomVector(rng, DIM))],
		);

		const s = session(pg);
		// Searches each path ran (a search asks again while its cut-off is uncertain): the same.
		let asked = 0;
		const counted: SqlSession = {
			...s,
			all: (sql, params) => {
				if (/agentmem_search_|ROWS WITH TIES/.test(sql)) asked++;
				return s.all(sql, params);
			},
		};
		const [ver] = await s.all<{ version: string }>(PGVECTOR_VERSION_SQL);
		const iterativeScan = hasIterativeScan(ver?.version as string);
		const viaSession = createPostgresVectorSearch({ iterativeScan, singleConnection: true });
		const viaFunction = createPostgresVectorSearch({ iterativeScan });

		const queries = [
			center,
			around(rng, center, 1e-6),
			around(rng, center, 1e-2),
			new Array(DIM).fill(0),
			...Array.from({ length: 4 }, () => randomVector(rng, DIM)),
		].map((q) => Float32Array.from(q));
		const filters = [
			{},
			{ roomId: w.roomId },
			{ agentId: w.otherAgentId },
			{ roomId: w.otherRoomId, agentId: w.agentId },
		];
		let compared = 0;
		let reasked = 0;
		for (const query of queries) {
			for (const count of [1, 3, 10, 45]) {
				for (const threshold of [undefined, 0.5, 0.999]) {
					for (const uniqueOnly of [false, true]) {
						for (const f of filters) {
							const q = { tableName: "messages", uniqueOnly, count, threshold, ...f };
							asked = 0;
							const expected = await viaFunction.searchMemories(counted, query, q);
							const byFunction = asked;
							expect(await viaSession.searchMemories(counted, query, q)).toEqual(expected);
							expect(asked - byFunction).toBe(byFunction);
							compared += expected.length;
							reasked += byFunction - 1;
						}
					}
					const k = { agentId: w.agentId, count, threshold };
					asked = 0;
					const expected = await viaFunction.searchKnowledge(counted, query, k);
					const byFunction = asked;
					expect(await viaSession.searchKnowledge(counted, query, k)).toEqual(expected);
					expect(asked - byFunction).toBe(byFunction);
				}
			}
		}
		expect(compared).toBeGreaterThan(1000);
		expect(reasked).toBeGreaterThan(0); // the ties made some searches ask again
		await a.close();
	}, 120_000);

	it("orders by the halfvec index's expression between 2000 and 4000 dimensions", async () => {
		const dim = 2500;
		const a = await shared.adapter({ embeddingDimension: dim });
		const w = await makeWorld(a);
		const pg = await shared.pglite();
		const rng = seededRng(9);
		const center = randomVector(rng, dim);
		await insertMemories(
			pg,
			Array.from({ length: 60 }, (_, i) => ({
				v: i < 20 ? center : randomVector(rng, dim),
				room: w.roomId,
				agent: w.agentId,
				user: w.userId,
				unique: true,
			})),
		);
		const sql = sessionMemorySearchSql(dim, { room: false, agent: false, uniqueOnly: false });
		// Rolled back below: only the HNSW index is left for the planner to use, if it matches.
		await pg.exec("BEGIN; SET LOCAL enable_seqscan = off; DROP INDEX memories_type_room");
		const { rows } = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, [
			toPgVectorText(center),
			"messages",
			26,
		]);
		await pg.exec("ROLLBACK");
		expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain(
			"Index Scan using memories_embedding",
		);
		const s = session(pg);
		const viaSession = createPostgresVectorSearch({ iterativeScan: true, singleConnection: true });
		const viaFunction = createPostgresVectorSearch({ iterativeScan: true });
		for (const query of [center, around(rng, center, 1e-3), randomVector(rng, dim)]) {
			const q = { tableName: "messages", uniqueOnly: false, count: 5 };
			const v = Float32Array.from(query);
			const expected = await viaFunction.searchMemories(s, v, q);
			expect(expected).toHaveLength(5);
			expect(await viaSession.searchMemories(s, v, q)).toEqual(expected);
		}
		await a.close();
	});

	it("searches with its own HNSW settings after a rollback or the caller's SET", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const pg = await shared.pglite();
		const rng = seededRng(3);
		await insertMemories(
			pg,
			Array.from({ length: 4000 }, () => ({
				v: randomVector(rng, DIM),
				room: w.roomId,
				agent: w.agentId,
				user: w.userId,
				unique: true,
			})),
		);
		// Small rows: the planner would sort a sequential scan, where the settings do not matter.
		await pg.exec("ANALYZE memories; SET enable_seqscan = off");
		const query = randomVector(rng, DIM);
		expect(await plan(query)).toContain("Index Scan using memories_embedding");
		const setting = async (name: string) =>
			(await pg.query<{ v: string }>("SELECT current_setting($1) AS v", [name])).rows[0]?.v;
		const search = (count: number) =>
			a.searchMemoriesByEmbedding(query, { tableName: "messages", count });

		const first = await search(10);
		expect(first).toHaveLength(10);
		expect(await setting("hnsw.ef_search")).toBe("80");
		expect(await setting("hnsw.iterative_scan")).toBe("strict_order");

		// The caller's settings on its instance: an HNSW scan that stops after one row.
		await pg.exec("SET hnsw.ef_search = 1; SET hnsw.iterative_scan = off");
		const raw = await pg.query("SELECT id FROM memories ORDER BY embedding <=> $1 LIMIT 10", [
			toPgVectorText(query),
		]);
		expect(raw.rows.length).toBeLessThan(10);
		expect(await search(10)).toEqual(first);
		expect(await setting("hnsw.ef_search")).toBe("80");

		// Set inside a transaction, undone by its rollback: the next search sees and sets them again.
		await expect(
			a.transaction(async (tx) => {
				expect(
					await tx.searchMemoriesByEmbedding(query, { tableName: "messages", count: 50 }),
				).toHaveLength(50);
				expect(await setting("hnsw.ef_search")).toBe("200");
				throw new Error("undo");
			}),
		).rejects.toThrow("undo");
		expect(await setting("hnsw.ef_search")).toBe("80");
		expect(await search(50)).toHaveLength(50);
		expect(await setting("hnsw.ef_search")).toBe("200");
		await pg.exec("RESET enable_seqscan");
		await a.close();
	}, 120_000);

	it("reads a small room exactly (recall 1.0) where the HNSW walk misses its rows; a big room walks the graph", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const pg = await shared.pglite();
		const axis = (i: number, jitter: number[]) =>
			Array.from({ length: DIM }, (_, d) => (d === i ? 1 : 0) + 0.3 * (jitter[d] as number));
		const rng = seededRng(5);
		// 3,000 rows near axis 0 in one room; 40 near axis 1 in the other.
		await insertMemories(
			pg,
			Array.from({ length: 3040 }, (_, i) => ({
				v: axis(i < 3000 ? 0 : 1, randomVector(rng, DIM)),
				room: i < 3000 ? w.roomId : w.otherRoomId,
				agent: w.agentId,
				user: w.userId,
				unique: true,
			})),
		);
		// The walk gives up after 300 tuples (pgvector's default: 20,000): all the big room's.
		await pg.exec("ANALYZE memories; SET hnsw.max_scan_tuples = 300");
		const query = Float32Array.from(axis(0, new Array(DIM).fill(0.01)));
		// Sorts off: the HNSW index orders the scan.
		await pg.exec(
			"BEGIN; SET LOCAL enable_sort = off; SET LOCAL hnsw.iterative_scan = strict_order",
		);
		const walked = await pg.query(
			"SELECT id FROM memories WHERE type = 'messages' AND room_id = $2 ORDER BY embedding <=> $1::vector LIMIT 10",
			[toPgVectorText(query), w.otherRoomId],
		);
		await pg.exec("ROLLBACK");
		expect(walked.rows.length).toBeLessThan(10);

		const s = session(pg);
		const statements: string[] = [];
		const counted: SqlSession = {
			...s,
			all: (sql, params) => {
				statements.push(sql);
				return s.all(sql, params);
			},
		};
		const search = createPostgresVectorSearch({ iterativeScan: true, singleConnection: true });
		const q = (roomId: UUID) => ({ tableName: "messages", uniqueOnly: false, count: 10, roomId });
		const small = await search.searchMemories(counted, query, q(w.otherRoomId));
		// The exact answer: the room's 40 rows ranked here.
		const { rows } = await pg.query<{ id: string; e: string }>(
			"SELECT id, embedding::text AS e FROM memories WHERE room_id = $1",
			[w.otherRoomId],
		);
		const cos = (e: number[]) => {
			let dot = 0;
			let nq = 0;
			let ne = 0;
			for (let i = 0; i < DIM; i++) {
				dot += (query[i] as number) * (e[i] as number);
				nq += (query[i] as number) ** 2;
				ne += (e[i] as number) ** 2;
			}
			return dot / Math.sqrt(nq * ne);
		};
		const truth = rows
			.map((r) => ({ id: r.id, s: cos(JSON.parse(r.e)) }))
			.sort((x, y) => y.s - x.s)
			.slice(0, 10)
			.map((r) => r.id);
		expect(small.map((m) => m.id)).toEqual(truth);
		expect(statements.some((sql) => sql.includes("OFFSET 0) s ORDER BY distance"))).toBe(true);
		// Through the adapter too.
		const viaAdapter = await a.searchMemoriesByEmbedding(query, {
			tableName: "messages",
			roomId: w.otherRoomId,
			count: 10,
		});
		expect(viaAdapter.map((m) => m.id)).toEqual(truth);

		// The big room (3,000 rows, above the exact size for 3,040) takes the HNSW form, and a second
		// search of it skips the count.
		statements.length = 0;
		const big = await search.searchMemories(counted, query, q(w.roomId));
		expect(big).toHaveLength(10);
		expect(big.every((m) => m.room_id === w.roomId)).toBe(true);
		expect(statements.some((sql) => sql.includes("agentmem_room_below"))).toBe(true);
		expect(statements.some((sql) => sql.includes("OFFSET 0) s ORDER BY distance"))).toBe(false);
		statements.length = 0;
		expect(await search.searchMemories(counted, query, q(w.roomId))).toEqual(big);
		expect(statements.some((sql) => sql.includes("agentmem_room_below"))).toBe(false);
		await pg.exec("RESET hnsw.max_scan_tuples");
		await a.close();
	}, 120_000);
});
