/**
 * `createMemory(…, unique)` in one statement on the PostgreSQL family: the near-duplicate search
 * (migration 003's function, so the HNSW settings and filters are the search's own) and the insert
 * share one round trip, and the outbox row is written by the memories trigger in that statement.
 * Two round trips (search, then insert) cost a third more than a plain insert; this costs the
 * search's time inside the server only.
 *
 * The decision is taken in SQL with pgvector's distance, which may differ from the JavaScript
 * similarity every backend ranks with by float rounding. When a candidate's similarity is within
 * `FLOAT32_CUTOFF_MARGIN` of the threshold the statement writes nothing and says so; the caller
 * then checks in JavaScript and inserts, as before (rare: a neighbour at 0.95 ± 1e-4).
 * Each candidate's distance is read by primary key in a scalar subquery: a join would let the
 * planner, which expects 1000 rows from a set-returning function, hash-join a scan of the table.
 */
import type { SqlSession } from "../../core/sql/driver.js";
import { FLOAT32_CUTOFF_MARGIN } from "../../core/sql/exact-scan.js";
import type { UniqueInsertResult } from "../../core/sql/family.js";
import { columnList, RECORDS, replaced } from "../../core/sql/records.js";

const PG_TYPES: Record<string, string> = {
	uuid: "uuid",
	text: "text",
	json: "jsonb",
	timestamp: "bigint",
	boolean: "boolean",
	embedding: "vector",
};

const COLUMNS = RECORDS.memories.columns;
const at = (name: string) => COLUMNS.findIndex((c) => c.name === name) + 1;
const param = (name: string) => {
	const i = at(name);
	const kind = COLUMNS[i - 1]?.kind ?? "text";
	return `$${i}::${PG_TYPES[kind] ?? kind}`;
};
/** is_unique: the check's answer (the bound value is null; referenced so it has a type). */
const DECIDED = `NOT d.dup AND coalesce(${param("is_unique")}, true)`;
/** The parameters after bindMemory's: candidates, ef_search, iterative scan, threshold, margin. */
const EXTRA = COLUMNS.length;

/**
 * bindMemory's parameters (is_unique's slot null), then (limit, efSearch, iterative,
 * threshold, margin). One row: whether it was written (0 also for an id of another type), the
 * decision, and whether it was too close to call.
 */
export const MEMORY_INSERT_UNIQUE = `WITH c AS (
	SELECT (SELECT 1 - (m.embedding <=> ${param("embedding")}) FROM memories m WHERE m.id = s.id) AS sim
	FROM agentmem_search_memories(${param("embedding")}, ${param("type")}, $${EXTRA + 1}::integer,
		${param("room_id")}, ${param("agent_id")}, false, $${EXTRA + 2}::integer, $${EXTRA + 3}::boolean) s
	WHERE s.id <> ${param("id")}
), d AS (
	SELECT coalesce(bool_or(sim >= $${EXTRA + 4}::float8 AND sim <> 'NaN'), false) AS dup,
		coalesce(bool_or(abs(sim - $${EXTRA + 4}::float8) < $${EXTRA + 5}::float8), false) AS close
	FROM c
), ins AS (
	INSERT INTO memories (${columnList(RECORDS.memories)})
	SELECT ${COLUMNS.map((c) => (c.name === "is_unique" ? DECIDED : param(c.name))).join(", ")}
	FROM d WHERE NOT d.close
	ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
	WHERE memories.type = EXCLUDED.type
	RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::integer AS written, dup, close FROM d`;

/** Runs MEMORY_INSERT_UNIQUE; null when the check was too close to call in SQL (nothing written). */
export async function insertUniqueMemory(
	session: SqlSession,
	memory: readonly unknown[],
	settings: { limit: number; efSearch: number | null; iterative: boolean; threshold: number },
): Promise<UniqueInsertResult | null> {
	const [row] = await session.all<{ written: number; dup: boolean; close: boolean }>(
		MEMORY_INSERT_UNIQUE,
		[
			...memory,
			settings.limit,
			settings.efSearch,
			settings.iterative,
			settings.threshold,
			FLOAT32_CUTOFF_MARGIN,
		],
	);
	if (!row || row.close) return null;
	return { changed: Number(row.written), unique: !row.dup };
}
