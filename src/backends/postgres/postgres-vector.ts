/**
 * Nearest-neighbour search with pgvector, shared by PostgreSQL and PGlite. The migration builds a
 * cosine HNSW index on `embedding` (d <= 2000), on `embedding::halfvec(d)` (2000 < d <= 4000), or
 * none (d > 4000: exact scan). Queries order by the same expression, so the planner can use the
 * index; every filter sits in the WHERE clause, and pgvector >= 0.8's iterative index scan keeps
 * reading the index until `count` rows pass them, so filters apply before top-k. The candidates
 * are then ranked in JavaScript (the shared `rankBySimilarity`), so similarities, order and ties
 * equal every other backend's.
 */
import type { Row, SqlDriver, SqlSession } from "../../core/sql/driver.js";
import { rankBySimilarity } from "../../core/sql/exact-scan.js";
import type {
	KnowledgeVectorQuery,
	MemoryVectorQuery,
	VectorSearch,
} from "../../core/sql/family.js";
import { postgresFamily } from "./postgres-family.js";
import { KNOWLEDGE_COLUMNS, MEMORY_COLUMNS } from "./postgres-statements.js";

/** pgvector's HNSW limits: `vector` up to 2000 dimensions, `halfvec` up to 4000. */
export const VECTOR_INDEX_MAX_DIMENSION = 2000;
export const HALFVEC_INDEX_MAX_DIMENSION = 4000;
/** pgvector's `hnsw.ef_search` ceiling. */
const MAX_EF_SEARCH = 1000;

export type VectorIndexKind = "vector" | "halfvec" | "none";

/** Which index the migration built for this dimension (see 001_initial.sql). */
export function vectorIndexKind(dimension: number): VectorIndexKind {
	if (dimension <= VECTOR_INDEX_MAX_DIMENSION) return "vector";
	if (dimension <= HALFVEC_INDEX_MAX_DIMENSION) return "halfvec";
	return "none";
}

/** The ORDER BY expression matching the index; `$1` is the query vector's text. */
function distance(dimension: number): string {
	// The dimension is the database's recorded setting (an integer), never caller input.
	const d = Math.trunc(dimension);
	return vectorIndexKind(d) === "halfvec"
		? `embedding::halfvec(${d}) <=> $1::halfvec(${d})`
		: "embedding <=> $1::vector";
}

/** The top-`count` memory candidates in index order: `$1` vector, `$2` type, `$3` count, then filters. */
export function memorySearchSql(
	dimension: number,
	filters: { roomId: boolean; agentId: boolean; uniqueOnly: boolean },
): string {
	const where = ["type = $2::text", "embedding IS NOT NULL"];
	let n = 3;
	if (filters.roomId) where.push(`room_id = $${++n}::uuid`);
	if (filters.agentId) where.push(`agent_id = $${++n}::uuid`);
	if (filters.uniqueOnly) where.push("is_unique");
	return `SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${where.join(" AND ")}
		ORDER BY ${distance(dimension)} LIMIT $3::integer`;
}

/** The top-`count` knowledge candidates: `$1` vector, `$2` agent, `$3` count. */
export function knowledgeSearchSql(dimension: number): string {
	return `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge
		WHERE embedding IS NOT NULL AND (agent_id = $2::uuid OR is_shared)
		ORDER BY ${distance(dimension)} LIMIT $3::integer`;
}

/** The version of pgvector in effect (installed, else available), or null without pgvector. */
export const PGVECTOR_VERSION_SQL = `SELECT coalesce(
	(SELECT extversion FROM pg_extension WHERE extname = 'vector'),
	(SELECT default_version FROM pg_available_extensions WHERE name = 'vector')) AS version`;

/** True for pgvector >= 0.8.0, which has iterative index scans. */
export function hasIterativeScan(version: string): boolean {
	const [major = 0, minor = 0] = version.split(".").map((p) => Number.parseInt(p, 10));
	return major > 0 || minor >= 8;
}

export interface PostgresVectorOptions {
	/** pgvector >= 0.8 (see `hasIterativeScan`). */
	iterativeScan: boolean;
}

/**
 * The family's `VectorSearch`. Searches set `hnsw.*` with SET LOCAL semantics, so they run in a
 * transaction: the caller's, or a short one when handed the driver's autocommit session.
 */
export function createPostgresVectorSearch(
	driver: Pick<SqlDriver, "session" | "transaction">,
	options: PostgresVectorOptions,
): VectorSearch {
	// SET LOCAL, with the value as a parameter.
	const settings = options.iterativeScan
		? "SELECT set_config('hnsw.ef_search', $1::text, true), set_config('hnsw.iterative_scan', 'strict_order', true)"
		: "SELECT set_config('hnsw.ef_search', $1::text, true)";
	const inTransaction = <T>(session: SqlSession, fn: (s: SqlSession) => Promise<T>) =>
		session === driver.session ? driver.transaction(fn) : fn(session);

	const search = (
		session: SqlSession,
		query: Float32Array,
		count: number,
		sql: string,
		params: unknown[],
	): Promise<Row[]> =>
		inTransaction(session, async (s) => {
			if (vectorIndexKind(query.length) !== "none") {
				// pgvector's default (40) gave recall@10 of 0.92 at 100,000 rows here; 80 gave 0.99 for
				// 10% more time (bench: raw-pgvector's ef_search curve).
				const ef = String(Math.min(MAX_EF_SEARCH, Math.max(80, 4 * count)));
				await s.all(settings, [ef]);
			}
			return s.all(sql, [postgresFamily.encodeEmbedding(query), ...params]);
		});

	return {
		async searchMemories(session, query, q: MemoryVectorQuery) {
			const sql = memorySearchSql(query.length, {
				roomId: q.roomId !== undefined,
				agentId: q.agentId !== undefined,
				uniqueOnly: q.uniqueOnly,
			});
			const params: unknown[] = [q.tableName, q.count];
			if (q.roomId !== undefined) params.push(q.roomId);
			if (q.agentId !== undefined) params.push(q.agentId);
			const rows = await search(session, query, q.count, sql, params);
			return rankBySimilarity(postgresFamily, rows, query, q.count, q.threshold);
		},
		async searchKnowledge(session, query, q: KnowledgeVectorQuery) {
			const rows = await search(session, query, q.count, knowledgeSearchSql(query.length), [
				q.agentId,
				q.count,
			]);
			return rankBySimilarity(postgresFamily, rows, query, q.count, q.threshold);
		},
	};
}
