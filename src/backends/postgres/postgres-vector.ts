import { ConfigurationError } from "../../core/errors.js";
import type { Row, SqlSession } from "../../core/sql/driver.js";
import { FLOAT32_CUTOFF_MARGIN, rankCandidates } from "../../core/sql/exact-scan.js";
import type {
	KnowledgeVectorQuery,
	MemoryVectorQuery,
	VectorSearch,
} from "../../core/sql/family.js";
import { postgresFamily } from "./postgres-family.js";
import { insertUniqueMemory } from "./postgres-unique-insert.js";
import {
	createBigRooms,
	createTableRowsCache,
	efSearchFor,
	exactBelowFor,
	MAX_EF_SEARCH,
	type TableRows,
} from "./search-plan.js";
import { createSessionSearch } from "./session-search.js";
import { vectorIndexKind } from "./vector-index.js";

/**
 * Candidates fetched beyond `count`, so near-ties at the cut-off are ranked here, not by the SQL
 * (a cut-off still uncertain asks again, see `nearest`: any value >= 1 gives the same answer).
 * Every extra row is a whole row read and sent, and with a room filter more of the index walked:
 * 16 made a room-filtered search 3.0 ms where raw pgvector takes 1.1, 4 made it 2.0 ms (bench,
 * 10,000 rows in 4 rooms). 2, not 1: with 1 the bench's 11th candidate was within the margin of
 * the 10th in 5-9% of its queries (each then a second query); with 2, in 1 of 400.
 */
const OVERFETCH = 2;
/** The largest LIMIT an `integer` parameter takes. */
const MAX_LIMIT = 2 ** 31 - 1;
/**
 * Between 2000 and 4000 dimensions the index orders by halfvec distance (11-bit significands), so
 * rows further from the cut-off may still be on the wrong side of it.
 */
const HALFVEC_CUTOFF_MARGIN = 4e-3;

/**
 * A memory search: `$1` vector, `$2` type, `$3` count, `$4` room?, `$5` agent?, `$6` unique only,
 * the HNSW settings, then `$9` the room size below which the search is exact (migration 013).
 */
const SEARCH_MEMORIES = `SELECT * FROM agentmem_search_memories($1::vector, $2::text, $3::integer,
	$4::uuid, $5::uuid, $6::boolean, $7::integer, $8::boolean, $9::integer)`;
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

/** The HNSW search option of the PostgreSQL-family adapters (PostgreSQL, PGlite). */
export interface HnswSearchOptions {
	/**
	 * The `hnsw.ef_search` of a search (1–1000), at least 4 × count. Default: 80, and on a table
	 * of more than 100,000 rows (the planner's estimate) 80 per 100,000 rows, so recall holds as
	 * the table grows (docs/postgres.md, "Search"). Given, it replaces that rule: larger for better
	 * recall, smaller for faster searches on a big table.
	 */
	efSearch?: number;
}

/** Throws ConfigurationError unless `efSearch` is absent or an integer from 1 to 1000. */
export function checkEfSearch(efSearch: unknown): void {
	if (efSearch === undefined) return;
	if (
		!Number.isInteger(efSearch) ||
		(efSearch as number) < 1 ||
		(efSearch as number) > MAX_EF_SEARCH
	)
		throw new ConfigurationError(
			`efSearch must be an integer from 1 to ${MAX_EF_SEARCH} (hnsw.ef_search), got ${JSON.stringify(efSearch)}`,
		);
}

export interface PostgresVectorOptions extends HnswSearchOptions {
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
	const tableRows = createTableRowsCache();
	const bigRooms = createBigRooms();
	/** The searched tables' sizes (estimated, cached); none needed without an index. */
	const sizes = (session: SqlSession, query: Float32Array): Promise<TableRows | null> =>
		vectorIndexKind(query.length) === "none"
			? Promise.resolve(null)
			: tableRows(session, query.length);
	/**
	 * `hnsw.ef_search` for `count` results out of `limit` candidates on a table of `rows` rows; null
	 * without an index. pgvector's default (40) gave recall@10 of 0.92 at 100,000 rows here; 80 gave
	 * 0.99 for 10% more time (bench: raw-pgvector's ef_search curve); larger tables need more.
	 */
	const efSearch = (rows: number | null, count: number, limit: number): number | null =>
		rows === null ? null : efSearchFor(rows, count, limit, options.efSearch);
	const encode =
		options.encodeQuery ?? ((query: Float32Array) => postgresFamily.encodeEmbedding(query));

	/** Fetches `limit` candidates (and their ties) until the cut-off is certain, then ranks them. */
	const nearest = async (
		query: Float32Array,
		tableSize: number | null,
		q: { count: number; threshold?: number },
		fetch: (limit: number, efSearch: number | null) => Promise<Row[]>,
	): Promise<Row[]> => {
		const margin =
			vectorIndexKind(query.length) === "halfvec" ? HALFVEC_CUTOFF_MARGIN : FLOAT32_CUTOFF_MARGIN;
		for (let limit = Math.min(MAX_LIMIT, q.count + OVERFETCH); ; ) {
			const rows = await fetch(limit, efSearch(tableSize, q.count, limit));
			// At the largest limit there is nothing more to ask for: rank what came.
			const cut = limit === MAX_LIMIT ? Number.POSITIVE_INFINITY : limit;
			const ranked = rankCandidates(postgresFamily, rows, query, q, cut, margin);
			if (ranked) return ranked;
			limit = Math.min(MAX_LIMIT, limit * 4);
		}
	};

	const viaFunction = {
		searchMemories:
			(
				session: SqlSession,
				query: Float32Array,
				q: MemoryVectorQuery,
				exactBelow: number,
				onPath: (exact: boolean) => void,
			) =>
			async (limit: number, ef: number | null) => {
				const rows = await session.all(SEARCH_MEMORIES, [
					encode(query),
					q.tableName,
					limit,
					q.roomId ?? null,
					q.agentId ?? null,
					q.uniqueOnly,
					ef,
					options.iterativeScan,
					exactBelow,
				]);
				if (rows[0]) onPath(rows[0].exact === true);
				for (const row of rows) delete row.exact;
				return rows;
			},
		searchKnowledge:
			(session: SqlSession, query: Float32Array, q: KnowledgeVectorQuery) =>
			(limit: number, ef: number | null) =>
				session.all(SEARCH_KNOWLEDGE, [encode(query), q.agentId, limit, ef, options.iterativeScan]),
	};
	const fetchers = options.singleConnection
		? createSessionSearch(options.iterativeScan, encode, viaFunction)
		: viaFunction;

	return {
		// The duplicate check's count (2) and candidates, as searchMemories would fetch them; the
		// embedding bound as a search's query is (node-postgres: binary, ~2 µs against ~120 µs of text).
		insertUniqueMemory: async (session, query, memory, threshold) =>
			insertUniqueMemory(session, memory, {
				dimension: query.length,
				limit: 2 + OVERFETCH,
				efSearch: efSearch((await sizes(session, query))?.memories ?? null, 2, 2 + OVERFETCH),
				iterative: options.iterativeScan,
				threshold,
				embedding: encode(query),
			}),
		searchMemories: async (session: SqlSession, query, q: MemoryVectorQuery) => {
			const rows = (await sizes(session, query))?.memories ?? null;
			const room = q.roomId;
			// A room below this size is read exactly (0: no count, the HNSW path: no room, no index, or a
			// room known to be bigger).
			const exactBelow =
				rows === null || room === undefined || bigRooms.has(q.tableName, room)
					? 0
					: exactBelowFor(rows);
			const onPath = (exact: boolean) => {
				if (!exact && exactBelow > 0 && room !== undefined) bigRooms.add(q.tableName, room);
			};
			return nearest(
				query,
				rows,
				q,
				fetchers.searchMemories(session, query, q, exactBelow, onPath),
			);
		},
		searchKnowledge: async (session: SqlSession, query, q: KnowledgeVectorQuery) => {
			const rows = (await sizes(session, query))?.knowledge ?? null;
			return nearest(query, rows, q, fetchers.searchKnowledge(session, query, q));
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
