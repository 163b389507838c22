/**
 * Nearest-neighbour search with pgvector, shared by PostgreSQL and PGlite. The migration builds a
 * cosine HNSW index on `embedding` (d <= 2000), on `embedding::halfvec(d)` (2000 < d <= 4000), or
 * none (d > 4000: exact scan). Searches (migration 003) order by the same expression, so the planner can use the
 * index; every filter sits in the WHERE clause, and pgvector >= 0.8's iterative index scan keeps
 * reading the index until `count` rows pass them, so filters apply before top-k. The candidates
 * are then ranked in JavaScript (the shared `rankCandidates`), so similarities, order and ties
 * equal every other backend's. The SQL cut keeps every row tied with the last one (migration 005),
 * a few more than `count` are fetched, and while rows left out could still tie with the cut-off
 * (more near-identical vectors than were fetched) the search asks again for four times as many.
 *
 * On one connection the adapter alone uses (PGlite), the search is a plain statement instead of the
 * function (see `createSessionSearch`), which returns whole rows only for the candidates that can
 * make the top k.
 */
import { DatabaseError } from "../../core/errors.js";
import type { Row, SqlSession } from "../../core/sql/driver.js";
import { FLOAT32_CUTOFF_MARGIN, rankCandidates } from "../../core/sql/exact-scan.js";
import type {
	KnowledgeVectorQuery,
	MemoryVectorQuery,
	VectorSearch,
} from "../../core/sql/family.js";
import { postgresFamily } from "./postgres-family.js";
import { insertUniqueMemory } from "./postgres-unique-insert.js";

/** pgvector's HNSW limits: `vector` up to 2000 dimensions, `halfvec` up to 4000. */
export const VECTOR_INDEX_MAX_DIMENSION = 2000;
export const HALFVEC_INDEX_MAX_DIMENSION = 4000;
/** pgvector's `hnsw.ef_search` ceiling. */
const MAX_EF_SEARCH = 1000;
/** Candidates fetched beyond `count`, so near-ties at the cut-off are ranked here, not by the SQL. */
const OVERFETCH = 16;
/** The largest LIMIT an `integer` parameter takes. */
const MAX_LIMIT = 2 ** 31 - 1;
/**
 * Between 2000 and 4000 dimensions the index orders by halfvec distance (11-bit significands), so
 * rows further from the cut-off may still be on the wrong side of it.
 */
const HALFVEC_CUTOFF_MARGIN = 4e-3;

export type VectorIndexKind = "vector" | "halfvec" | "none";

/** Which index the migration built for this dimension (see 001_initial.sql). */
export function vectorIndexKind(dimension: number): VectorIndexKind {
	if (dimension <= VECTOR_INDEX_MAX_DIMENSION) return "vector";
	if (dimension <= HALFVEC_INDEX_MAX_DIMENSION) return "halfvec";
	return "none";
}

/** A memory search: `$1` vector, `$2` type, `$3` count, `$4` room?, `$5` agent?, `$6` unique only, then the HNSW settings. */
const SEARCH_MEMORIES = `SELECT * FROM agentmem_search_memories($1::vector, $2::text, $3::integer,
	$4::uuid, $5::uuid, $6::boolean, $7::integer, $8::boolean)`;
/** A knowledge search: `$1` vector, `$2` agent, `$3` count, then the HNSW settings. */
const SEARCH_KNOWLEDGE = `SELECT * FROM agentmem_search_knowledge($1::vector, $2::uuid, $3::integer,
	$4::integer, $5::boolean)`;

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
	/**
	 * The query vector as a parameter. Default: the family's text form. node-postgres passes
	 * `toPgVectorBinary` (binary parameters skip formatting ~400 numbers as text); PGlite cannot,
	 * it sends every parameter as text.
	 */
	encodeQuery?: (query: Float32Array) => unknown;
	/**
	 * The driver has one connection, used by this adapter alone (PGlite): searches run as plain
	 * statements with the HNSW settings kept on the connection (`createSessionSearch`).
	 */
	singleConnection?: boolean;
}

/**
 * The family's `VectorSearch`: one statement per search, a call of migration 003's functions,
 * which set `hnsw.*` for that statement's transaction and run the filtered top-k query.
 */
export function createPostgresVectorSearch(options: PostgresVectorOptions): VectorSearch {
	/** `hnsw.ef_search` for `count` results out of `limit` candidates; null without an index. */
	const efSearch = (query: Float32Array, count: number, limit: number): number | null =>
		vectorIndexKind(query.length) === "none"
			? null
			: // pgvector's default (40) gave recall@10 of 0.92 at 100,000 rows here; 80 gave 0.99 for
				// 10% more time (bench: raw-pgvector's ef_search curve).
				Math.min(MAX_EF_SEARCH, Math.max(80, 4 * count, limit));
	const encode =
		options.encodeQuery ?? ((query: Float32Array) => postgresFamily.encodeEmbedding(query));

	/** Fetches `limit` candidates (and their ties) until the cut-off is certain, then ranks them. */
	const nearest = async (
		query: Float32Array,
		q: { count: number; threshold?: number },
		fetch: (limit: number, efSearch: number | null) => Promise<Row[]>,
	): Promise<Row[]> => {
		const margin =
			vectorIndexKind(query.length) === "halfvec" ? HALFVEC_CUTOFF_MARGIN : FLOAT32_CUTOFF_MARGIN;
		for (let limit = Math.min(MAX_LIMIT, q.count + OVERFETCH); ; ) {
			const rows = await fetch(limit, efSearch(query, q.count, limit));
			// At the largest limit there is nothing more to ask for: rank what came.
			const cut = limit === MAX_LIMIT ? Number.POSITIVE_INFINITY : limit;
			const ranked = rankCandidates(postgresFamily, rows, query, q, cut, margin);
			if (ranked) return ranked;
			limit = Math.min(MAX_LIMIT, limit * 4);
		}
	};

	const viaFunction = {
		searchMemories:
			(session: SqlSession, query: Float32Array, q: MemoryVectorQuery) =>
			(limit: number, ef: number | null) =>
				session.all(SEARCH_MEMORIES, [
					encode(query),
					q.tableName,
					limit,
					q.roomId ?? null,
					q.agentId ?? null,
					q.uniqueOnly,
					ef,
					options.iterativeScan,
				]),
		searchKnowledge:
			(session: SqlSession, query: Float32Array, q: KnowledgeVectorQuery) =>
			(limit: number, ef: number | null) =>
				session.all(SEARCH_KNOWLEDGE, [encode(query), q.agentId, limit, ef, options.iterativeScan]),
	};
	const fetchers = options.singleConnection
		? createSessionSearch(options.iterativeScan, encode, viaFunction)
		: viaFunction;

	return {
		// The duplicate check's count (2) and candidates, as searchMemories would fetch them.
		insertUniqueMemory: (session, query, memory, threshold) =>
			insertUniqueMemory(session, memory, {
				limit: 2 + OVERFETCH,
				efSearch: efSearch(query, 2, 2 + OVERFETCH),
				iterative: options.iterativeScan,
				threshold,
			}),
		searchMemories: (session: SqlSession, query, q: MemoryVectorQuery) =>
			nearest(query, q, fetchers.searchMemories(session, query, q)),
		searchKnowledge: (session: SqlSession, query, q: KnowledgeVectorQuery) =>
			nearest(query, q, fetchers.searchKnowledge(session, query, q)),
	};
}

type Fetch = (limit: number, efSearch: number | null) => Promise<Row[]>;
interface Fetchers {
	searchMemories(session: SqlSession, query: Float32Array, q: MemoryVectorQuery): Fetch;
	searchKnowledge(session: SqlSession, query: Float32Array, q: KnowledgeVectorQuery): Fetch;
}

/** The distance the migration's index orders by (agentmem_search_distance in 005), `$1` the query. */
function distanceSql(d: number): string {
	// d is the query's length, an integer.
	return vectorIndexKind(d) === "halfvec"
		? `embedding::halfvec(${d}) <=> $1::vector::halfvec(${d})`
		: "embedding <=> $1::vector";
}

/**
 * The statement of a search on a single connection: migration 005's candidates (the `$3` nearest
 * passing `filter`, every row tied with the last; the ORDER BY is the index's), the embedding as
 * hex text (PGlite's own bytea parsing cost ~0.15 ms a row at 384 dimensions, 4 ms of a 26-row
 * search; `hexBytes` decodes it in microseconds). Left-joined to the HNSW settings in effect
 * (`ef`, `iterative`), so there is a row even with no candidates, and the caller sees which
 * settings the scan ran with. The ranking is `rankCandidates`', so the order here does not matter.
 */
export function nearestSql(
	d: number,
	table: string,
	columns: readonly string[],
	filter: string,
): string {
	const dist = distanceSql(d);
	const selected = columns
		.map((col) =>
			col === "embedding" ? "encode(vector_send(embedding), 'hex') AS embedding" : col,
		)
		.join(", ");
	return `SELECT s.ef, s.iterative, c.* FROM (SELECT current_setting('hnsw.ef_search', true) AS ef,
	current_setting('hnsw.iterative_scan', true) AS iterative) s
LEFT JOIN LATERAL (
	SELECT id, ${selected} FROM ${table} WHERE ${filter} ORDER BY ${dist} FETCH FIRST ($3) ROWS WITH TIES
) c ON true`;
}

/** Bytes from hex text (`encode(…, 'hex')`), without Buffer (PGlite runs in browsers too). */
export function hexBytes(hex: string): Uint8Array {
	const out = new Uint8Array(hex.length >> 1);
	for (let i = 0, j = 0; i < out.length; i++, j += 2) {
		out[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
	}
	return out;
}

function nibble(c: number): number {
	// '0'-'9' (48-57), 'a'-'f' (97-102); encode() writes lower case.
	return c <= 57 ? c - 48 : c - 87;
}

const MEMORY_COLUMNS = [
	"type",
	"room_id",
	"agent_id",
	"user_id",
	"content",
	"embedding",
	"is_unique",
	"created_at",
];
const KNOWLEDGE_COLUMNS = [
	"agent_id",
	"content",
	"embedding",
	"is_main",
	"original_id",
	"chunk_index",
	"is_shared",
	"created_at",
];

/**
 * A memory search's statement on a single connection: `$1` query, `$2` type, `$3` limit, then the
 * room and the agent when filtered by them (as migration 003's agentmem_memory_search_sql filters).
 */
export function sessionMemorySearchSql(
	d: number,
	filters: { room: boolean; agent: boolean; uniqueOnly: boolean },
): string {
	let filter = "type = $2 AND embedding IS NOT NULL";
	let next = 4;
	if (filters.room) filter += ` AND room_id = $${next++}::uuid`;
	if (filters.agent) filter += ` AND agent_id = $${next++}::uuid`;
	if (filters.uniqueOnly) filter += " AND is_unique";
	return nearestSql(d, "memories", MEMORY_COLUMNS, filter);
}

/** A knowledge search's statement: `$1` query, `$2` agent, `$3` limit. */
export function sessionKnowledgeSearchSql(d: number): string {
	return nearestSql(
		d,
		"knowledge",
		KNOWLEDGE_COLUMNS,
		"embedding IS NOT NULL AND (agent_id = $2::uuid OR is_shared)",
	);
}

/**
 * Searches on a single connection (PGlite, in-process WASM), where the function call of migration
 * 003 costs about as much again as the query itself (its dynamic SQL, set_config twice), and whole
 * rows cost in the text protocol (the embedding comes back hex-encoded). Here the search is a
 * plain statement (`nearestSql`: whole rows only for the candidates that can matter), and the
 * HNSW settings are session settings on the connection: set (`set_config(…, false)`) when this
 * search wants others than it last saw, and checked on every search, since the statement reports
 * the ones its scan ran with. A rolled-back transaction undoes a setting, and another search may
 * set other values between two statements: then it sets them and searches again, and if they
 * changed under it once more, it calls the function, which sets them for its own statement.
 * These are session settings: a PGlite instance the caller passed in keeps them after searches.
 */
export function createSessionSearch(
	iterativeScan: boolean,
	encode: (query: Float32Array) => unknown,
	fallback: Fetchers,
): Fetchers {
	/** The settings last seen on the connection (set, or reported by a search). */
	let seen: { ef: string | null; iterative: string | null } = { ef: null, iterative: null };
	const wanted = (ef: number | null) => ({
		ef: ef === null ? null : String(ef),
		iterative: iterativeScan ? "strict_order" : null,
	});
	/** True when `actual` has what `want` asks for (null: no wish). */
	const fits = (
		actual: { ef: unknown; iterative: unknown },
		want: { ef: string | null; iterative: string | null },
	) =>
		(want.ef === null || actual.ef === want.ef) &&
		(want.iterative === null || actual.iterative === want.iterative);
	const set = async (
		session: SqlSession,
		want: { ef: string | null; iterative: string | null },
	) => {
		// Session settings (is_local false): they outlast this statement and a committed transaction.
		// Only those wanted: `hnsw.iterative_scan` does not exist before pgvector 0.8.
		const names = [
			...(want.ef === null ? [] : ["hnsw.ef_search"]),
			...(want.iterative === null ? [] : ["hnsw.iterative_scan"]),
		];
		if (names.length === 0) return;
		await session.all(
			`SELECT ${names.map((_, i) => `set_config($${2 * i + 1}::text, $${2 * i + 2}::text, false)`).join(", ")}`,
			names.flatMap((name) => [name, name === "hnsw.ef_search" ? want.ef : want.iterative]),
		);
		seen = want;
	};
	const run = async (
		session: SqlSession,
		sql: string,
		params: unknown[],
		ef: number | null,
		viaFunction: () => Promise<Row[]>,
	): Promise<Row[]> => {
		const want = wanted(ef);
		if (!fits(seen, want)) await set(session, want);
		for (let attempt = 0; attempt < 2; attempt++) {
			const rows = await session.all(sql, params);
			const first = rows[0];
			if (!first) throw new DatabaseError("search: the statement returned no settings row");
			seen = { ef: first.ef as string | null, iterative: first.iterative as string | null };
			if (fits(seen, want)) {
				const out: Row[] = [];
				for (const { ef: _e, iterative: _i, ...row } of rows) {
					if (row.id === null) continue; // no candidates: the settings row alone
					if (typeof row.embedding === "string") row.embedding = hexBytes(row.embedding);
					out.push(row);
				}
				return out;
			}
			if (attempt === 0) await set(session, want);
		}
		return viaFunction();
	};
	return {
		searchMemories: (session, query, q) => {
			const sql = sessionMemorySearchSql(query.length, {
				room: q.roomId !== undefined,
				agent: q.agentId !== undefined,
				uniqueOnly: q.uniqueOnly,
			});
			return (limit, ef) => {
				const params: unknown[] = [encode(query), q.tableName, limit];
				if (q.roomId !== undefined) params.push(q.roomId);
				if (q.agentId !== undefined) params.push(q.agentId);
				return run(session, sql, params, ef, () =>
					fallback.searchMemories(session, query, q)(limit, ef),
				);
			};
		},
		searchKnowledge: (session, query, q) => {
			const sql = sessionKnowledgeSearchSql(query.length);
			return (limit, ef) =>
				run(session, sql, [encode(query), q.agentId, limit], ef, () =>
					fallback.searchKnowledge(session, query, q)(limit, ef),
				);
		},
	};
}

/**
 * A re-embed's switch (core/sql/reembed.ts): the HNSW indexes go before the column takes the new
 * dimension, and are built again for it (the opclass as migration 001 chooses it) after the new
 * vectors are all written, inside the switch's transaction.
 */
export const postgresVectorIndexSwitch = {
	async drop(session: SqlSession): Promise<void> {
		await session.exec("DROP INDEX IF EXISTS memories_embedding");
		await session.exec("DROP INDEX IF EXISTS knowledge_embedding");
	},
	async create(session: SqlSession, { embeddingDimension: d }: { embeddingDimension: number }) {
		const kind = vectorIndexKind(d);
		if (kind === "none") return;
		// d is a checked integer (DDL takes no parameters).
		const on =
			kind === "vector"
				? "embedding vector_cosine_ops"
				: `(embedding::halfvec(${d})) halfvec_cosine_ops`;
		await session.exec(`CREATE INDEX memories_embedding ON memories USING hnsw (${on})`);
		await session.exec(`CREATE INDEX knowledge_embedding ON knowledge USING hnsw (${on})`);
	},
};
