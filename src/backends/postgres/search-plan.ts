/**
 * How a PostgreSQL-family search runs, chosen from the size of the table it searches (issue 17's
 * scale report, bench/analysis-pg.md "Search at scale"): the HNSW graph's `ef_search`, and up to
 * which room size a room-filtered search reads the room exactly instead of walking the graph.
 */
import { LRUCache } from "lru-cache";
import type { SqlSession } from "../../core/sql/driver.js";

/** pgvector's `hnsw.ef_search` ceiling. */
export const MAX_EF_SEARCH = 1000;
/** The least `hnsw.ef_search` of a search unless the adapter's `efSearch` option says otherwise. */
export const DEFAULT_EF_SEARCH = 80;
/** Rows up to which DEFAULT_EF_SEARCH holds recall (see `efSearchFor`). */
export const EF_BASE_ROWS = 100_000;
/** Rooms below this many rows are read exactly whatever the table's size (see `exactBelowFor`). */
export const EXACT_MIN_ROWS = 1_000;
/** Rooms of this many rows or more take the HNSW path: the count stops here. */
export const EXACT_MAX_ROWS = 20_000;

/**
 * `hnsw.ef_search` for a search of `count` results out of `limit` candidates on a table of about
 * `rows` rows: the adapter's `efSearch` option when given (the caller's own trade of time for
 * recall, in both directions), else 80, and beyond EF_BASE_ROWS rows 80 per 100,000 rows (160 at
 * 200,000, 800 at 1,000,000); never below 4 × count or the limit; at most pgvector's 1000.
 * At 100,000 × 384 ef_search 80 gives recall@10 0.99. At 200,000 (bench/probe-scale-search.ts,
 * graph built with ef_construction 64) 80 gives 0.93–0.94, 160 0.97–0.98 for 7–25% more time, and
 * 240 0.98–0.99; at 1,000,000, 80 gave 0.70.
 */
export function efSearchFor(rows: number, count: number, limit: number, option?: number): number {
	const bySize = rows > EF_BASE_ROWS ? Math.ceil((DEFAULT_EF_SEARCH * rows) / EF_BASE_ROWS) : 0;
	const base = option ?? Math.max(DEFAULT_EF_SEARCH, bySize);
	return Math.min(MAX_EF_SEARCH, Math.max(base, 4 * count, limit));
}

/**
 * The room size below which a room-filtered search on a table of about `rows` rows reads the
 * room's rows exactly. The graph walk's cost grows with the table over the room (it passes the
 * other rooms' rows), the exact read's with the room (~1.1 µs a row), so they cross near a
 * multiple of √rows: at 200,000 rows between rooms of 5,000 (exact 5.7 ms, walk 7.4 ms at recall
 * 0.91) and 10,000 (12.4 against 4.6 ms at 0.95). 15 √rows: 2,100 at 20,000 rows, 6,700 at
 * 200,000, 15,000 at 1,000,000; kept within [EXACT_MIN_ROWS, EXACT_MAX_ROWS].
 */
export function exactBelowFor(rows: number): number {
	return Math.min(EXACT_MAX_ROWS, Math.max(EXACT_MIN_ROWS, Math.round(15 * Math.sqrt(rows))));
}

/**
 * The searched tables' row counts as the planner estimates them: `reltuples` over `relpages`
 * (the last ANALYZE's density) times the table's current pages, as PostgreSQL does when planning;
 * a row-width guess for the density when the table was never analyzed.
 */
export const TABLE_ROWS_SQL = `SELECT t.name, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
	(pg_relation_size(c.oid) / current_setting('block_size')::int)::float8 AS pages
FROM (VALUES ('memories'), ('knowledge')) t(name) JOIN pg_class c ON c.oid = to_regclass(t.name)`;

export interface TableRows {
	memories: number;
	knowledge: number;
}

/** Rows of `dimension`-float embeddings in a page when the statistics know none: a guess by width. */
function guessRowsPerPage(dimension: number): number {
	// An embedding above ~2 KB goes to TOAST, leaving ~300 bytes in the page.
	const width = 4 * dimension + 300 > 2032 ? 300 : 4 * dimension + 300;
	return Math.max(1, Math.floor(8160 / width));
}

/** `TABLE_ROWS_SQL`'s rows as estimates. */
export function tableRowsOf(rows: Record<string, unknown>[], dimension: number): TableRows {
	const out: TableRows = { memories: 0, knowledge: 0 };
	for (const r of rows) {
		const reltuples = Number(r.reltuples);
		const relpages = Number(r.relpages);
		const pages = Number(r.pages);
		const perPage =
			reltuples > 0 && relpages > 0 ? reltuples / relpages : guessRowsPerPage(dimension);
		if (r.name === "memories" || r.name === "knowledge") out[r.name] = Math.round(perPage * pages);
	}
	return out;
}

/** How long a table-size estimate is used before it is read again. */
export const TABLE_ROWS_TTL_MS = 10_000;

/**
 * The searched tables' sizes, read (`TABLE_ROWS_SQL`, a catalog lookup) on the session of the
 * search that finds them older than `ttlMs`, else reused: one per adapter.
 */
export function createTableRowsCache(ttlMs = TABLE_ROWS_TTL_MS) {
	let cached: { at: number; rows: TableRows } | null = null;
	return async (session: SqlSession, dimension: number): Promise<TableRows> => {
		const now = Date.now();
		if (cached && now - cached.at < ttlMs) return cached.rows;
		const rows = tableRowsOf(await session.all(TABLE_ROWS_SQL, []), dimension);
		cached = { at: now, rows };
		return rows;
	};
}

/** How long a room found too big for the exact path is remembered as such. */
export const BIG_ROOM_TTL_MS = 60_000;
/** Rooms remembered at most (the least recently found forgotten first). */
const BIG_ROOMS_MAX = 10_000;

/**
 * Rooms of a type found at or above their exact size by a search's count, remembered for `ttlMs`
 * so that searching them again skips the count (up to EXACT_MAX_ROWS index entries read: ~1 ms
 * at 5,000, on a search of 3–5 ms). A room that shrank is counted again once forgotten.
 */
export function createBigRooms(ttlMs = BIG_ROOM_TTL_MS, max = BIG_ROOMS_MAX) {
	const rooms = new LRUCache<string, true>({ max, ttl: ttlMs });
	const key = (type: string, room: string) => `${type}\u0000${room}`;
	return {
		has: (type: string, room: string): boolean => rooms.has(key(type, room)),
		add: (type: string, room: string): void => {
			rooms.set(key(type, room), true);
		},
	};
}
