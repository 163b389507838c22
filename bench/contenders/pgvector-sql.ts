/**
 * Baseline (a) for the PostgreSQL family: hand-written pgvector SQL (HNSW, cosine, a btree on the
 * room), shared by the `pg` and PGlite baselines so both run the very same statements.
 */

import { toPgVectorText } from "../../src/core/vector.js";
import type { Workload } from "../workload.js";
import { rowVector } from "../workload.js";
import type { Contender } from "./contender.js";

/** The one call both drivers share: `pg.Client#query` and `PGlite#query`. */
export type Query = (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

/** Bytes of every user table with its indexes and TOAST (catalogs excluded). */
export const RELATION_BYTES_SQL = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

export async function relationBytes(query: Query): Promise<number> {
	const { rows } = await query(RELATION_BYTES_SQL);
	return Number((rows[0] as { bytes: string | number }).bytes);
}

/**
 * The `hnsw.ef_search` of the main searches: the one agentmem uses for k <= 20
 * (postgres-vector.ts), so both sides are compared at the same accuracy. pgvector's default, 40,
 * is a point of the ef_search curve measured after them.
 */
export const MATCHED_EF_SEARCH = 80;

export async function setEfSearch(query: Query, ef: number): Promise<void> {
	if (!Number.isInteger(ef) || ef < 1 || ef > 1000) throw new RangeError(`bad ef_search ${ef}`);
	await query(`SET hnsw.ef_search = ${ef}`);
}

/** Builds a raw pgvector contender over a connection that `connect` opens on a fresh database. */
export function pgvectorContender(
	w: Workload,
	meta: { name: string; engine: string },
	connect: () => Promise<{ query: Query; close: () => Promise<void> }>,
): Contender {
	let conn: Awaited<ReturnType<typeof connect>> | undefined;
	const q: Query = (sql, params) => {
		if (!conn) throw new Error(`${meta.name} is not open`);
		return conn.query(sql, params);
	};
	const room = (row: number) => w.roomIds[w.roomOf[row] as number];
	return {
		name: meta.name,
		kind: "raw",
		engine: meta.engine,
		exact: false,
		async open() {
			await conn?.close();
			conn = await connect();
			await q("CREATE EXTENSION IF NOT EXISTS vector");
			await q(
				`CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, embedding vector(${w.spec.dim}) NOT NULL)`,
			);
			await q("CREATE INDEX items_embedding ON items USING hnsw (embedding vector_cosine_ops)");
			await q("CREATE INDEX items_room ON items (room_id)");
			await q("SET hnsw.iterative_scan = strict_order");
			await setEfSearch(q, MATCHED_EF_SEARCH);
		},
		async insertOne(row) {
			await q("INSERT INTO items (id, room_id, embedding) VALUES ($1, $2, $3)", [
				w.ids[row],
				room(row),
				toPgVectorText(rowVector(w, row)),
			]);
		},
		async insertBatch(rows) {
			await q(
				"INSERT INTO items (id, room_id, embedding) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::vector[])",
				[
					rows.map((r) => w.ids[r]),
					rows.map(room),
					// An array literal built here: PGlite does not quote the elements of array parameters.
					`{${rows.map((r) => `"${toPgVectorText(rowVector(w, r))}"`).join(",")}}`,
				],
			);
		},
		async search(query, k, roomIndex) {
			const v = toPgVectorText(query);
			const { rows } =
				roomIndex === undefined
					? await q("SELECT id FROM items ORDER BY embedding <=> $1 LIMIT $2", [v, k])
					: await q("SELECT id FROM items WHERE room_id = $3 ORDER BY embedding <=> $1 LIMIT $2", [
							v,
							k,
							w.roomIds[roomIndex],
						]);
			return (rows as { id: string }[]).map((r) => r.id);
		},
		async diskBytes() {
			return relationBytes(q);
		},
		setEfSearch: (ef) => setEfSearch(q, ef),
		async close() {
			await conn?.close();
			conn = undefined;
		},
	};
}
