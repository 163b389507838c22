/**
 * What PGlite's planner makes of the adapter's memory search, for the HNSW tests
 * (pglite-hnsw.test.ts, and its 10,000-row soak).
 */
import type { PGliteDatabaseAdapter } from "../../../src/backends/pglite/index.js";
import { toPgVectorText } from "../../../src/core/vector.js";
import type { SharedPGlite } from "./shared-instance.js";

export function planner(shared: SharedPGlite, dim: number) {
	return {
		/** The plan of the adapter's memory search for `query`, optionally filtered by room. */
		async plan(query: number[], roomId?: string): Promise<string> {
			const pg = await shared.pglite();
			// The very statement the search function (migration 003) runs.
			const sql = (
				await pg.query<{ sql: string }>(
					"SELECT agentmem_memory_search_sql($1, $2, false, false) AS sql",
					[dim, roomId !== undefined],
				)
			).rows[0]?.sql as string;
			const params: unknown[] = [toPgVectorText(query), "messages", 10];
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
