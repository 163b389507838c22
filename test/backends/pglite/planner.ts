/**
 * What PGlite's planner makes of the adapter's memory search, for the HNSW tests
 * (pglite-hnsw.test.ts, and its 10,000-row soak).
 */
import type { PGliteDatabaseAdapter } from "../../../src/backends/pglite/index.js";
import { sessionMemorySearchSql } from "../../../src/backends/postgres/session-search.js";
import { toPgVectorText } from "../../../src/core/vector.js";
import type { SharedPGlite } from "./shared-instance.js";

export function planner(shared: SharedPGlite, dim: number) {
	return {
		/** The plan of the adapter's memory search for `query`, optionally filtered by room. */
		async plan(query: number[], roomId?: string): Promise<string> {
			const pg = await shared.pglite();
			// The very statement PGlite's search runs (postgres-vector.ts, on a single connection).
			const sql = sessionMemorySearchSql(dim, {
				room: roomId !== undefined,
				agent: false,
				uniqueOnly: false,
			});
			const params: unknown[] = [toPgVectorText(query), "messages", 26];
			if (roomId) params.push(roomId);
			const { rows } = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
			return rows.map((r) => r["QUERY PLAN"]).join("\n");
		},

		/** Rows the planner believes `memories` holds (-1: never analysed). */
		async estimatedRows(): Promise<number> {
			const pg = await shared.pglite();
			const { rows } = await pg.query<{ n: number }>(
				"SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'memories'::regclass",
			);
			return Number(rows[0]?.n);
		},

		/** Waits for the ANALYZE queued behind the last write (the adapter's queue runs it next). */
		async settle(a: PGliteDatabaseAdapter): Promise<void> {
			await a.transaction(async () => undefined);
		},
	};
}
