/**
 * Searches on a single connection (PGlite): a plain statement instead of migration 003's function,
 * with the HNSW settings kept as session settings on the connection (see `createSessionSearch`).
 */
import { DatabaseError } from "../../core/errors.js";
import type { Row, SqlSession } from "../../core/sql/driver.js";
import type { KnowledgeVectorQuery, MemoryVectorQuery } from "../../core/sql/family.js";
import { RECORDS, type RecordKind } from "../../core/sql/records.js";
import { hexBytes } from "./hex.js";
import { vectorIndexKind } from "./vector-index.js";

export type Fetch = (limit: number, efSearch: number | null) => Promise<Row[]>;
export interface Fetchers {
	/**
	 * `exactBelow`: a room of fewer rows is read exactly (migration 013; 0: no count, the planner's
	 * choice); `onPath` hears which path a fetch took, when it returned rows.
	 */
	searchMemories(
		session: SqlSession,
		query: Float32Array,
		q: MemoryVectorQuery,
		exactBelow: number,
		onPath: (exact: boolean) => void,
	): Fetch;
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
 * The statement of a search on a single connection: one row, with the HNSW settings in effect
 * (`ef`, `iterative`: the caller sees which settings the scan ran with) and migration 005's
 * candidates (the `$3` nearest passing `filter`, every row tied with the last; the ORDER BY is the
 * index's, or with `exact` migration 013's exact form: the cut made on (id, distance) pairs no
 * index orders, then the whole rows joined back) as one `json` array (null for none), the
 * embedding as hex text. One value instead of
 * a row per candidate: PGlite decodes every field of its text protocol on its own (a copy and a
 * TextDecoder call each, 9 fields a candidate) and parses jsonb, int8 and bool per field, where
 * one JSON.parse does it all; with the settings as plain columns, no LATERAL join either
 * (bench/probe-pglite-search.ts: 0.17 ms of a 2.5 ms search). The hex: PGlite's own bytea parsing
 * cost ~0.15 ms a row at 384 dimensions, `hexBytes` decodes a search's in 0.04–0.11 ms. The
 * ranking is `rankCandidates`', so the order here does not matter.
 */
export function nearestSql(d: number, kind: RecordKind, filter: string, exact = false): string {
	const dist = distanceSql(d);
	const selected = kind.columns
		.map((c) =>
			c.kind === "embedding" ? `encode(vector_send(${c.name}), 'hex') AS ${c.name}` : c.name,
		)
		.join(", ");
	// The exact form: (id, distance) pairs behind an OFFSET 0 fence, cut, then the whole rows.
	const candidates = exact
		? `SELECT ${selected} FROM (SELECT id, distance FROM (SELECT id, ${dist} AS distance FROM ${kind.table}
		WHERE ${filter} OFFSET 0) s ORDER BY distance FETCH FIRST ($3) ROWS WITH TIES) t
	JOIN ${kind.table} USING (id)`
		: `SELECT ${selected} FROM ${kind.table} WHERE ${filter} ORDER BY ${dist} FETCH FIRST ($3) ROWS WITH TIES`;
	return `SELECT current_setting('hnsw.ef_search', true) AS ef,
	current_setting('hnsw.iterative_scan', true) AS iterative,
	(SELECT json_agg(c) FROM (
		${candidates}
	) c) AS candidates`;
}

/**
 * A memory search's statement on a single connection: `$1` query, `$2` type, `$3` limit, then the
 * room and the agent when filtered by them (as migration 003's agentmem_memory_search_sql filters).
 */
export function sessionMemorySearchSql(
	d: number,
	filters: { room: boolean; agent: boolean; uniqueOnly: boolean },
	exact = false,
): string {
	let filter = "type = $2 AND embedding IS NOT NULL";
	let next = 4;
	if (filters.room) filter += ` AND room_id = $${next++}::uuid`;
	if (filters.agent) filter += ` AND agent_id = $${next++}::uuid`;
	if (filters.uniqueOnly) filter += " AND is_unique";
	return nearestSql(d, RECORDS.memories, filter, exact);
}

/** Migration 013's choice: true when room `$2` holds fewer than `$3` memories of type `$1`. */
export const ROOM_BELOW_SQL =
	"SELECT agentmem_room_below($1::text, $2::uuid, $3::integer) AS below";

/** A knowledge search's statement: `$1` query, `$2` agent, `$3` limit. */
export function sessionKnowledgeSearchSql(d: number): string {
	return nearestSql(
		d,
		RECORDS.knowledge,
		"embedding IS NOT NULL AND (agent_id = $2::uuid OR is_shared)",
	);
}

/** The statement's `candidates`: a json array PGlite parsed (or its text), null for none. */
function candidatesOf(value: unknown): Row[] {
	const rows = typeof value === "string" ? JSON.parse(value) : value;
	if (rows === null || rows === undefined) return [];
	if (!Array.isArray(rows)) throw new DatabaseError("search: the candidates are not a JSON array");
	return rows as Row[];
}

/**
 * Searches on a single connection (PGlite, in-process WASM), where the function call of migration
 * 003 costs about as much again as the query itself (its dynamic SQL, set_config twice), and whole
 * rows cost in the text protocol (the embedding comes back hex-encoded). Here the search is a
 * plain statement (`nearestSql`), and the HNSW settings are session settings on the connection:
 * set (`set_config(…, false)`) when this
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
			const [first] = await session.all(sql, params);
			if (!first) throw new DatabaseError("search: the statement returned no settings row");
			seen = { ef: first.ef as string | null, iterative: first.iterative as string | null };
			if (fits(seen, want)) {
				const out = candidatesOf(first.candidates);
				for (const row of out) {
					if (typeof row.embedding === "string") row.embedding = hexBytes(row.embedding);
				}
				return out;
			}
			if (attempt === 0) await set(session, want);
		}
		return viaFunction();
	};
	return {
		searchMemories: (session, query, q, exactBelow, onPath) => {
			const filters = {
				room: q.roomId !== undefined,
				agent: q.agentId !== undefined,
				uniqueOnly: q.uniqueOnly,
			};
			/** Decided once per search, by its first fetch (a cut-off re-ask keeps the path). */
			let exact: Promise<boolean> | undefined;
			const isExact = async () => {
				if (q.roomId === undefined || exactBelow <= 0) return false;
				const [row] = await session.all(ROOM_BELOW_SQL, [q.tableName, q.roomId, exactBelow]);
				onPath(row?.below === true);
				return row?.below === true;
			};
			return async (limit, ef) => {
				exact ??= isExact();
				const sql = sessionMemorySearchSql(query.length, filters, await exact);
				const params: unknown[] = [encode(query), q.tableName, limit];
				if (q.roomId !== undefined) params.push(q.roomId);
				if (q.agentId !== undefined) params.push(q.agentId);
				// The exact path needs no HNSW settings.
				return run(session, sql, params, (await exact) ? null : ef, () =>
					fallback.searchMemories(session, query, q, exactBelow, onPath)(limit, ef),
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
