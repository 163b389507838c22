/**
 * `createMemory(…, unique)` in one statement on the PostgreSQL family: the near-duplicate check
 * and the insert share one round trip, and the outbox row is written by the memories trigger in
 * that statement. With the HNSW index on the column (up to 2000 dimensions) or none (above 4000)
 * the statement is a call of `agentmem_insert_unique_memory` (migration 012, 011's signature):
 * for a type and room of at most 1000 rows (counted through the (type, room_id) btree) the check
 * (type, room, agent, embedding present, id <> the new id) is a filter, `distance <= 1 - threshold
 * + margin`, that no plan can serve from the HNSW index (it serves ORDER BY only): exact under any
 * plan, so the function keeps its plans for the session (no SET, no HNSW settings); above 1000 rows
 * it is 011's top-k by distance with the HNSW settings, run by EXECUTE (planned for each call's
 * values). The embedding is bound as the searches bind their query (node-postgres: pgvector's
 * binary form). Between 2000 and 4000 dimensions
 * the index is on a halfvec expression whose dimension must be in the statement's text, so there
 * the check is written inline in an INSERT … SELECT, with the HNSW settings set by
 * agentmem_hnsw_settings in an InitPlan that a one-time filter tests above the scan: the executor
 * runs it before it asks the scan for its first row, which is when pgvector reads them
 * (hnswgettuple). test/backends/postgres-unique-insert.test.ts proves, for both forms, that
 * ef_search and the iterative scan change the HNSW walk's answer, and that under the cap the
 * function finds the duplicate that walk misses, under a generic plan too. Under the adapter's
 * `preparedStatements` option the inline form is never a named statement (planEveryCall).
 *
 * Measured (issue 17 target 5; the history of each variant and its numbers is in
 * bench/analysis-pg.md, "Single writes on PostgreSQL"): 011's function-level SET and HNSW settings call cost
 * ~0.3 ms a write; with 012 and the binary embedding, three 1,000-round runs gave 0.923, 0.915
 * and 0.915 of raw pgvector's one-row INSERT, level with plain createMemory (0.90–0.92).
 *
 * The decision is taken in SQL with pgvector's distance, which may differ from the JavaScript
 * similarity every backend ranks with by float rounding. When a candidate's similarity is within
 * `FLOAT32_CUTOFF_MARGIN` of the threshold, and (012's function) none at or above threshold +
 * margin, the statement writes nothing; the caller then checks in
 * JavaScript and inserts, as before (rare: a neighbour at 0.95 ± 1e-4). It writes nothing too for
 * an id that belongs to a memory of another type, and the caller's path throws the ConflictError.
 */
import type { SqlSession } from "../../core/sql/driver.js";
import { FLOAT32_CUTOFF_MARGIN } from "../../core/sql/exact-scan.js";
import type { UniqueInsertResult } from "../../core/sql/family.js";
import { columnList, RECORDS, replaced } from "../../core/sql/records.js";
import { planEveryCall } from "./prepared-statements.js";
import { vectorIndexKind } from "./vector-index.js";

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
const LIMIT = `$${EXTRA + 1}::integer`;
const EF_SEARCH = `$${EXTRA + 2}::integer`;
const ITERATIVE = `$${EXTRA + 3}::boolean`;
const THRESHOLD = `$${EXTRA + 4}::float8`;
const MARGIN = `$${EXTRA + 5}::float8`;

/**
 * The HNSW settings for this statement's transaction (migration 003's agentmem_hnsw_settings), as
 * an uncorrelated scalar subquery: the
 * planner makes it an InitPlan tested by a one-time filter (a gating Result node) above the scan,
 * which the executor evaluates before it asks the scan for its first row; pgvector reads
 * `hnsw.ef_search` and `hnsw.iterative_scan` on that first row (hnswgettuple), not before.
 */
const HNSW_SETTINGS = `(SELECT true FROM agentmem_hnsw_settings(${EF_SEARCH}, ${ITERATIVE}))`;

/**
 * The function's arguments in bindMemory's order, is_unique left out (the function decides it).
 * A column added to RECORDS.memories fails the test that compares the two (and needs a migration).
 */
export const CALL_COLUMNS = COLUMNS.filter((c) => c.name !== "is_unique").map((c) => c.name);
const IS_UNIQUE_SLOT = at("is_unique") - 1;

/** The extra parameters' types, after the columns: see EXTRA. */
const EXTRA_TYPES = ["integer", "integer", "boolean", "float8", "float8"];

/** With the index on the column (up to 2000 dimensions) or none (above 4000): migration 011's function. */
const VIA_FUNCTION = `SELECT agentmem_insert_unique_memory(${[
	...CALL_COLUMNS.map((name) => PG_TYPES[COLUMNS.find((c) => c.name === name)?.kind ?? ""]),
	...EXTRA_TYPES,
]
	.map((type, i) => `$${i + 1}::${type}`)
	.join(", ")}) AS is_unique`;

/**
 * bindMemory's parameters (is_unique's slot null), then (limit, efSearch, iterative, threshold,
 * margin). Returns the written row's is_unique (the decision); no row when the check was too close
 * to call or the id belongs to a memory of another type. Between 2000 and 4000 dimensions the
 * check is inline, ordered by the halfvec index's expression (001_initial.sql).
 */
export function memoryInsertUniqueSql(dimension: number): string {
	if (vectorIndexKind(dimension) !== "halfvec") return VIA_FUNCTION;
	return `INSERT INTO memories (${columnList(RECORDS.memories)})
	SELECT ${COLUMNS.map((c) => (c.name === "is_unique" ? DECIDED : param(c.name))).join(", ")}
	FROM (SELECT coalesce(bool_or(sim >= ${THRESHOLD} AND sim <> 'NaN'), false) AS dup,
			coalesce(bool_or(abs(sim - ${THRESHOLD}) < ${MARGIN}), false) AS close
		FROM (SELECT 1 - (m.embedding <=> ${param("embedding")}) AS sim FROM memories m
			WHERE m.type = ${param("type")} AND m.room_id = ${param("room_id")}
				AND m.agent_id = ${param("agent_id")} AND m.embedding IS NOT NULL
				AND m.id <> ${param("id")} AND ${HNSW_SETTINGS}
			ORDER BY m.embedding::halfvec(${dimension}) <=> ${param("embedding")}::halfvec(${dimension})
			LIMIT ${LIMIT}) c) d
	WHERE NOT d.close
	ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
	WHERE memories.type = EXCLUDED.type
	RETURNING is_unique`;
}

const statements = new Map<number, string>();

/** What insertUniqueMemory's statement takes. */
export interface UniqueInsertSettings {
	dimension: number;
	limit: number;
	efSearch: number | null;
	iterative: boolean;
	threshold: number;
	/** The embedding's parameter when `memory` leaves its slot null (e.g. pgvector's binary form). */
	embedding?: unknown;
}

const EMBEDDING_SLOT = at("embedding") - 1;

/** memoryInsertUniqueSql's parameters: bindMemory's (is_unique's slot only inline), then the extras. */
export function uniqueInsertParams(
	memory: readonly unknown[],
	settings: UniqueInsertSettings,
): unknown[] {
	const inline = vectorIndexKind(settings.dimension) === "halfvec";
	const row =
		settings.embedding === undefined
			? memory
			: memory.map((value, i) => (i === EMBEDDING_SLOT ? settings.embedding : value));
	return [
		...(inline ? row : row.filter((_, i) => i !== IS_UNIQUE_SLOT)),
		settings.limit,
		settings.efSearch,
		settings.iterative,
		settings.threshold,
		FLOAT32_CUTOFF_MARGIN,
	];
}

/** Runs the statement for the query's dimension; null when it wrote nothing (the caller checks again). */
export async function insertUniqueMemory(
	session: SqlSession,
	memory: readonly unknown[],
	settings: UniqueInsertSettings,
): Promise<UniqueInsertResult | null> {
	let sql = statements.get(settings.dimension);
	if (sql === undefined) {
		sql = memoryInsertUniqueSql(settings.dimension);
		// Inline, the check must be planned for each call (never a named statement's generic plan).
		if (vectorIndexKind(settings.dimension) === "halfvec") planEveryCall(sql);
		statements.set(settings.dimension, sql);
	}
	const [row] = await session.all<{ is_unique: boolean | null }>(
		sql,
		uniqueInsertParams(memory, settings),
	);
	// Nothing written: too close to call, or the id belongs to a memory of another type (the
	// caller's path finds which, and throws the ConflictError).
	if (!row || row.is_unique === null) return null;
	return { changed: 1, unique: row.is_unique };
}
