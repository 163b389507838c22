/**
 * Every statement of the SQLite family, once: SQLite (better-sqlite3) and SQL.js both run these.
 * Parameters are numbered (`?1`); see `Statements` in core for their order.
 */
import {
	ACCOUNT_COLUMNS as ACCOUNT,
	GOAL_COLUMNS as GOAL,
	RELATIONSHIP_COLUMNS as RELATIONSHIP,
} from "../../core/sql/columns.js";
import type { Statements } from "../../core/sql/family.js";
import { columnList, RECORDS, replaced } from "../../core/sql/records.js";

/** The memory select's columns (also what the sqlite-vec search returns). */
export const MEMORY_COLUMNS = columnList(RECORDS.memories);
export const KNOWLEDGE_COLUMNS = columnList(RECORDS.knowledge);
/** `LIMIT NULL` is an error in SQLite; -1 means no limit. */
const limit = (n: number) => `LIMIT coalesce(?${n}, -1)`;

/**
 * getCachedEmbeddings' candidates among the memories `where` selects: content at key ?2, when a
 * JSON string of ?3..?4 characters (SQLite's length() counts code points).
 */
const cachedTexts = (where: string) => `SELECT t.text, t.embedding FROM (
		SELECT json_extract(content, '$.' || ?2) AS text, embedding FROM memories
		WHERE embedding IS NOT NULL AND ${where}) t
		WHERE typeof(t.text) = 'text' AND length(t.text) BETWEEN ?3 AND ?4`;

export const sqliteStatements: Statements = {
	bootstrap: [
		"CREATE TABLE IF NOT EXISTS agentmem_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
		"CREATE TABLE IF NOT EXISTS agentmem_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
	],
	migrationsApplied: "SELECT version FROM agentmem_migrations ORDER BY version",
	migrationRecord:
		"INSERT INTO agentmem_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
	metaAll: "SELECT key, value FROM agentmem_meta",
	metaSet:
		"INSERT INTO agentmem_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",

	accountGet: `SELECT ${ACCOUNT} FROM accounts WHERE id = ?1`,
	accountInsert: `INSERT INTO accounts (${ACCOUNT}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING`,

	roomGet: "SELECT id FROM rooms WHERE id = ?1",
	roomInsert:
		"INSERT INTO rooms (id, created_at, name) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
	roomDelete: "DELETE FROM rooms WHERE id = ?1",
	roomsForParticipants:
		"SELECT DISTINCT room_id FROM participants WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY room_id",

	participantInsert:
		"INSERT INTO participants (id, user_id, room_id, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, room_id) DO NOTHING",
	participantDelete: "DELETE FROM participants WHERE user_id = ?1 AND room_id = ?2",
	participantsForAccount: `SELECT p.id AS participant_id, ${ACCOUNT.split(", ")
		.map((c) => `a.${c}`)
		.join(
			", ",
		)} FROM participants p JOIN accounts a ON a.id = p.user_id WHERE p.user_id = ?1 ORDER BY p.created_at, p.id`,
	participantsForRoom:
		"SELECT user_id FROM participants WHERE room_id = ?1 ORDER BY created_at, user_id",
	participantStateGet: "SELECT user_state FROM participants WHERE room_id = ?1 AND user_id = ?2",
	participantStateSet:
		"UPDATE participants SET user_state = ?3 WHERE room_id = ?1 AND user_id = ?2",
	actorDetails:
		"SELECT a.id, a.name, a.username, a.details FROM participants p JOIN accounts a ON a.id = p.user_id WHERE p.room_id = ?1 ORDER BY p.created_at, a.id",

	// Parameters in RECORDS.memories' order (bindMemory); an id of another type is left alone.
	memoryUpsert: `INSERT INTO memories (${MEMORY_COLUMNS})
		VALUES (${RECORDS.memories.columns.map((_, i) => `?${i + 1}`).join(", ")})
		ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
		WHERE memories.type = excluded.type`,
	memoriesByRoom: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = ?1 AND room_id = ?2
		AND (?3 IS NULL OR agent_id = ?3) AND (?4 = 0 OR is_unique = 1)
		AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR created_at <= ?6)
		ORDER BY created_at DESC, id DESC ${limit(7)}`,
	memoryById: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = ?1`,
	memoriesByIds: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE id IN (SELECT value FROM json_each(?1))
		AND (?2 IS NULL OR type = ?2) ORDER BY created_at DESC, id DESC`,
	memoriesByRoomIds: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = ?1
		AND room_id IN (SELECT value FROM json_each(?2)) AND (?3 IS NULL OR agent_id = ?3)
		ORDER BY created_at DESC, id DESC ${limit(4)}`,
	memoryCount:
		"SELECT count(*) AS n FROM memories WHERE room_id = ?1 AND (?2 IS NULL OR type = ?2) AND (?3 = 0 OR is_unique = 1)",
	memoryDelete: "DELETE FROM memories WHERE id = ?1 AND type = ?2",
	memoriesDeleteByRoom: "DELETE FROM memories WHERE room_id = ?1 AND type = ?2",
	memoriesMissingEmbedding: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE embedding IS NULL
		AND (?1 IS NULL OR type = ?1) ORDER BY created_at, id ${limit(2)}`,
	memoryEmbeddingUpdate: "UPDATE memories SET embedding = ?2 WHERE id = ?1",
	// ?5 and ?6 feed PostgreSQL's prefilter; named here (always true) so both take the same parameters.
	cachedEmbeddingCandidates: `${cachedTexts("type = ?1 AND (?7 IS NULL OR octet_length(content) <= ?7)")}
		AND ?5 IS ?5 AND ?6 IS ?6`,
	// octet_length reads a text's size without reading the text.
	cachedEmbeddingLargeRows: `SELECT id FROM memories WHERE type = ?1 AND embedding IS NOT NULL
		AND octet_length(content) > ?2 AND octet_length(content) >= ?3`,
	cachedEmbeddingCandidate: cachedTexts("id = ?1"),
	memoryScanCandidates: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = ?1 AND embedding IS NOT NULL
		AND (?2 IS NULL OR room_id = ?2) AND (?3 IS NULL OR agent_id = ?3) AND (?4 = 0 OR is_unique = 1)`,
	memoryScanCandidatesInRoom: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = ?1 AND room_id = ?2
		AND embedding IS NOT NULL AND (?3 IS NULL OR agent_id = ?3) AND (?4 = 0 OR is_unique = 1)`,

	goalsByRoom: `SELECT ${GOAL} FROM goals WHERE room_id = ?1 AND (?2 IS NULL OR user_id = ?2)
		AND (?3 = 0 OR status = 'IN_PROGRESS') ORDER BY created_at, id ${limit(4)}`,
	goalInsert: `INSERT INTO goals (${GOAL}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
	goalUpdate: "UPDATE goals SET name = ?2, status = ?3, objectives = ?4 WHERE id = ?1",
	goalStatusUpdate: "UPDATE goals SET status = ?2 WHERE id = ?1",
	goalDelete: "DELETE FROM goals WHERE id = ?1",
	goalsDeleteByRoom: "DELETE FROM goals WHERE room_id = ?1",

	relationshipInsert:
		"INSERT INTO relationships (id, user_a, user_b, user_id, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
	relationshipGet: `SELECT ${RELATIONSHIP} FROM relationships
		WHERE (user_a = ?1 AND user_b = ?2) OR (user_a = ?2 AND user_b = ?1)`,
	relationshipsForUser: `SELECT ${RELATIONSHIP} FROM relationships WHERE user_a = ?1 OR user_b = ?1
		ORDER BY created_at, id`,

	logInsert:
		"INSERT INTO logs (id, body, user_id, room_id, type, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",

	cacheGet:
		"SELECT value FROM cache WHERE agent_id = ?1 AND key = ?2 AND (expires_at IS NULL OR expires_at > ?3)",
	cacheSet: `INSERT INTO cache (agent_id, key, value, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
		ON CONFLICT (agent_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
		expires_at = excluded.expires_at`,
	cacheDelete: `DELETE FROM cache WHERE agent_id = ?1 AND key = ?2
		RETURNING (expires_at IS NULL OR expires_at > ?3) AS live`,

	knowledgeUpsert: `INSERT INTO knowledge (${KNOWLEDGE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
		ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, content = excluded.content,
		embedding = excluded.embedding, is_main = excluded.is_main, original_id = excluded.original_id,
		chunk_index = excluded.chunk_index, is_shared = excluded.is_shared, created_at = excluded.created_at`,
	knowledgeById: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE id = ?1 AND (agent_id = ?2 OR is_shared = 1)`,
	knowledgeForAgent: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE agent_id = ?1 OR is_shared = 1
		ORDER BY created_at DESC, id DESC ${limit(2)}`,
	knowledgeDelete: "DELETE FROM knowledge WHERE id = ?1 OR original_id = ?2",
	// BINARY collation: byte-wise, so the range is exact and reads the primary key.
	knowledgeDeleteChunks: "DELETE FROM knowledge WHERE id >= ?1 AND id < ?2",
	knowledgeClear: "DELETE FROM knowledge WHERE agent_id = ?1 AND (?2 = 1 OR is_shared = 0)",
	knowledgeScanCandidates: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE embedding IS NOT NULL
		AND (agent_id = ?1 OR is_shared = 1)`,

	statsCounts: `SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM rooms) AS rooms,
		(SELECT count(*) FROM participants) AS participants, (SELECT count(*) FROM memories) AS memories,
		(SELECT count(*) FROM memories WHERE embedding IS NULL) AS memories_missing,
		(SELECT count(*) FROM goals) AS goals, (SELECT count(*) FROM relationships) AS relationships,
		(SELECT count(*) FROM logs) AS logs, (SELECT count(*) FROM cache) AS cache,
		(SELECT count(*) FROM knowledge) AS knowledge`,
	statsMemoriesByType: "SELECT type, count(*) AS n FROM memories GROUP BY type ORDER BY type",
};
