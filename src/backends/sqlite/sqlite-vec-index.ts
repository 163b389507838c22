/**
 * The sqlite-vec index of memories: `vec_memories` (vec0, cosine) is DERIVED from the plain
 * `memories` table, which stays the source of truth. It is kept in sync by TEMP triggers created
 * on each vec0-mode connection, so the file itself holds nothing that needs the extension: a file
 * written in exact-scan mode (no extension loaded) stays writable, marks the index stale, and the
 * next vec0-mode open rebuilds it. Knowledge search uses the exact scan (small per-agent sets).
 */
import type { SqlSession } from "../../core/sql/driver.js";
import { createExactScan, rankCandidates } from "../../core/sql/exact-scan.js";
import type { MemoryVectorQuery, VectorSearch } from "../../core/sql/family.js";
import { sqliteFamily } from "./sqlite-family.js";
import { MEMORY_COLUMNS } from "./sqlite-statements.js";

/** sqlite-vec 0.1.9 refuses a KNN `k` above this ("k value in knn query too large"). */
export const VEC0_MAX_K = 4096;
/**
 * Extra neighbours fetched beyond `count`: vec0 ranks in float32, the final order (and ties by id)
 * comes from `rankCandidates`, so near-ties at the cut-off resolve exactly like the exact scan.
 * When more rows than that tie with the cut-off, vec0 kept an arbitrary few of them: the search
 * is then answered by the exact scan.
 */
const OVERFETCH = 16;
/** agentmem_meta key: "fresh" while the index mirrors the table, "stale" once it may not. */
const STATE_KEY = "vec_memories_state";

/**
 * room_id is the partition key, so a room's top-k never competes with other rooms; type, agent and
 * uniqueness are metadata columns filtered inside the KNN. chunk_size=8 because vec0 allocates a
 * whole chunk per partition (the default 1024 would cost ~1.5 MB per room at 384 dimensions).
 */
const createIndex = (dimension: number) =>
	`CREATE VIRTUAL TABLE vec_memories USING vec0(memory_id text primary key,
	embedding float[${dimension}] distance_metric=cosine, room_id text partition key,
	type text, agent_id text, is_unique integer, chunk_size=8)`;

const VEC_COLUMNS = "memory_id, embedding, room_id, type, agent_id, is_unique";
const backfill = `INSERT INTO vec_memories (${VEC_COLUMNS})
	SELECT id, embedding, room_id, type, agent_id, is_unique FROM memories WHERE embedding IS NOT NULL`;

/** vec0 has no INSERT OR REPLACE / upsert semantics: an update is a delete plus an insert. */
const TRIGGERS = [
	`CREATE TEMP TRIGGER IF NOT EXISTS agentmem_vec_insert AFTER INSERT ON main.memories
	WHEN new.embedding IS NOT NULL BEGIN
	INSERT INTO vec_memories (${VEC_COLUMNS}) VALUES (new.id, new.embedding, new.room_id, new.type, new.agent_id, new.is_unique);
	END`,
	`CREATE TEMP TRIGGER IF NOT EXISTS agentmem_vec_update
	AFTER UPDATE OF id, type, room_id, agent_id, embedding, is_unique ON main.memories BEGIN
	DELETE FROM vec_memories WHERE memory_id = old.id;
	INSERT INTO vec_memories (${VEC_COLUMNS}) SELECT new.id, new.embedding, new.room_id, new.type, new.agent_id, new.is_unique
	WHERE new.embedding IS NOT NULL;
	END`,
	`CREATE TEMP TRIGGER IF NOT EXISTS agentmem_vec_delete AFTER DELETE ON main.memories BEGIN
	DELETE FROM vec_memories WHERE memory_id = old.id;
	END`,
];

const indexExists =
	"SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'vec_memories'";
const stateGet = `SELECT value FROM agentmem_meta WHERE key = '${STATE_KEY}'`;
const countsAgree = `SELECT (SELECT count(*) FROM memories WHERE embedding IS NOT NULL)
	= (SELECT count(*) FROM vec_memories) AS ok`;

/** Drops and recreates the index from the plain table (inside the caller's transaction). */
export async function rebuildIndex(session: SqlSession, dimension: number): Promise<void> {
	await session.exec("DROP TABLE IF EXISTS vec_memories");
	await session.exec(createIndex(dimension));
	await session.run(backfill);
	await session.run(sqliteFamily.statements.metaSet, [STATE_KEY, "fresh"]);
}

/**
 * vec0 mode, at open: rebuilds the index when it is missing, marked stale or disagrees with the
 * table's row count (inside the caller's transaction), then installs this connection's triggers.
 */
export async function ensureIndex(session: SqlSession, dimension: number): Promise<void> {
	const exists = (await session.all(indexExists)).length > 0;
	const state = (await session.all<{ value: string }>(stateGet))[0]?.value;
	const fresh =
		exists && state === "fresh" && Number((await session.all(countsAgree))[0]?.ok) === 1;
	if (!fresh) await rebuildIndex(session, dimension);
	for (const trigger of TRIGGERS) await session.exec(trigger);
}

/**
 * A re-embed's switch, in vec0 mode: this connection's triggers and the index go before the
 * vectors change (the index has the old dimension); `rebuildIndex` and `installTriggers` after.
 */
export async function dropIndex(session: SqlSession): Promise<void> {
	for (const name of ["agentmem_vec_insert", "agentmem_vec_update", "agentmem_vec_delete"]) {
		await session.exec(`DROP TRIGGER IF EXISTS temp.${name}`);
	}
	await session.exec("DROP TABLE IF EXISTS vec_memories");
}

export async function installTriggers(session: SqlSession): Promise<void> {
	for (const trigger of TRIGGERS) await session.exec(trigger);
}

/** Exact-scan mode, at open: writes from here bypass the index, so it must be rebuilt before use. */
export async function markIndexStale(session: SqlSession): Promise<void> {
	if ((await session.all(indexExists)).length === 0) return;
	await session.run(sqliteFamily.statements.metaSet, [STATE_KEY, "stale"]);
}

/** The KNN for one combination of filters; absent filters are left out (vec0 cannot OR them). */
function knnSql(q: MemoryVectorQuery): string {
	// Always reference ?4 and ?5 (better-sqlite3 needs every number bound); NULL means no filter.
	const where = ["embedding MATCH ?1", "k = ?2", "type = ?3"];
	where.push(q.roomId !== undefined ? "room_id = ?4" : "?4 IS NULL");
	where.push(q.agentId !== undefined ? "agent_id = ?5" : "?5 IS NULL");
	if (q.uniqueOnly) where.push("is_unique = 1");
	return `SELECT ${MEMORY_COLUMNS} FROM memories WHERE id IN
	(SELECT memory_id FROM vec_memories WHERE ${where.join(" AND ")})`;
}

/**
 * Memory search on vec0 (itself an exact brute-force scan in sqlite-vec 0.1.9, so results equal
 * the exact scan's); a `count` beyond vec0's k limit is answered by the exact scan instead.
 */
export function createVec0Search(): VectorSearch {
	const exact = createExactScan(sqliteFamily);
	return {
		async searchMemories(session, query, q) {
			const k = q.count + OVERFETCH;
			if (k > VEC0_MAX_K) return exact.searchMemories(session, query, q);
			const rows = await session.all(knnSql(q), [
				sqliteFamily.encodeEmbedding(query),
				k,
				q.tableName,
				q.roomId ?? null,
				q.agentId ?? null,
			]);
			return (
				rankCandidates(sqliteFamily, rows, query, q, k) ?? exact.searchMemories(session, query, q)
			);
		},
		searchKnowledge: (session, query, q) => exact.searchKnowledge(session, query, q),
	};
}
