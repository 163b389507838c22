/**
 * Every statement of the PostgreSQL family, once: PostgreSQL (pg) and PGlite both run these.
 * Parameters are numbered (`$1`) and always cast, so each has one type whatever the driver sends
 * (PGlite and pg both bind untyped text). See `Statements` in core for their order.
 */
import {
	ACCOUNT_COLUMNS as ACCOUNT,
	GOAL_COLUMNS as GOAL,
	RELATIONSHIP_COLUMNS as RELATIONSHIP,
} from "../../core/sql/columns.js";
import type { Statements } from "../../core/sql/family.js";
import {
	type ColumnKind,
	columnList,
	RECORDS,
	type RecordKind,
	replaced,
} from "../../core/sql/records.js";

/** The memory select's columns (also what the vector search returns). */
export const MEMORY_COLUMNS = selectList(RECORDS.memories);
/** The knowledge select's columns. */
export const KNOWLEDGE_COLUMNS = selectList(RECORDS.knowledge);
/** The type a parameter of each column kind is cast to. */
const PG_TYPES: Record<ColumnKind, string> = {
	uuid: "uuid",
	text: "text",
	json: "jsonb",
	integer: "integer",
	timestamp: "bigint",
	boolean: "boolean",
	embedding: "vector",
};
/** A kind's select list; embeddings as pgvector's binary form (decoded by the family). */
function selectList(kind: RecordKind): string {
	return kind.columns
		.map((c) => (c.kind === "embedding" ? `vector_send(${c.name}) AS ${c.name}` : c.name))
		.join(", ");
}
/** `LIMIT NULL` means no limit in PostgreSQL. */
const limit = (n: number) => `LIMIT $${n}::integer`;
/** A JSON array of ids (one text parameter) as a set of uuids. */
const ids = (n: number) => `(SELECT value::uuid FROM jsonb_array_elements_text($${n}::jsonb))`;
/** Serialises migrators across processes; the key spells "agmm". Per database. */
const MIGRATION_LOCK_KEY = 1634168173;
/** Takes that lock for the rest of the transaction. */
export const MIGRATION_LOCK_SQL = `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;

/**
 * getCachedEmbeddings' candidates among the memories `where` selects: content at key $2 as text,
 * when a JSON string of $3..$4 code points (char_length counts code points, as the JavaScript side
 * does). Each step runs once per row (OFFSET 0 keeps a subquery from being merged into its
 * parent, which would repeat it per mention): the TOASTed content is read once, and char_length (a
 * scan, slow on PGlite) once, only where the byte length (known without a scan) allows the range.
 */
const cachedTexts = (where: string) => `SELECT t.text, vector_send(t.embedding) AS embedding FROM (
		SELECT x.text, char_length(x.text) AS len, x.embedding FROM (
			SELECT v.value #>> '{}' AS text, v.embedding FROM (
				SELECT content -> $2::text AS value, embedding FROM memories
				WHERE embedding IS NOT NULL AND ${where} OFFSET 0) v
			WHERE jsonb_typeof(v.value) = 'string' OFFSET 0) x
		WHERE octet_length(x.text) BETWEEN $3::integer AND 4 * $4::bigint OFFSET 0) t
	WHERE t.len BETWEEN $3::integer AND $4::integer`;
const SCAN_CANDIDATES = `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = $1::text AND embedding IS NOT NULL
	AND ($2::uuid IS NULL OR room_id = $2::uuid) AND ($3::uuid IS NULL OR agent_id = $3::uuid)
	AND (NOT $4::boolean OR is_unique)`;

export const postgresStatements: Statements = {
	bootstrap: [
		"CREATE TABLE IF NOT EXISTS agentmem_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
		"CREATE TABLE IF NOT EXISTS agentmem_meta (key text PRIMARY KEY, value text NOT NULL)",
	],
	migrationLock: MIGRATION_LOCK_SQL,
	migrationsApplied: "SELECT version FROM agentmem_migrations ORDER BY version",
	migrationRecord:
		"INSERT INTO agentmem_migrations (version, name, applied_at) VALUES ($1::integer, $2::text, $3::bigint)",
	metaAll: "SELECT key, value FROM agentmem_meta",
	metaSet:
		"INSERT INTO agentmem_meta (key, value) VALUES ($1::text, $2::text) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",

	accountGet: `SELECT ${ACCOUNT} FROM accounts WHERE id = $1::uuid`,
	accountInsert: `INSERT INTO accounts (${ACCOUNT}) VALUES ($1::uuid, $2::text, $3::text, $4::text,
		$5::text, $6::jsonb, $7::bigint) ON CONFLICT (id) DO NOTHING`,

	roomGet: "SELECT id FROM rooms WHERE id = $1::uuid",
	roomInsert:
		"INSERT INTO rooms (id, created_at, name) VALUES ($1::uuid, $2::bigint, $3::text) ON CONFLICT (id) DO NOTHING",
	roomDelete: "DELETE FROM rooms WHERE id = $1::uuid",
	roomsForParticipants: `SELECT DISTINCT room_id FROM participants WHERE user_id IN ${ids(1)} ORDER BY room_id`,

	participantInsert: `INSERT INTO participants (id, user_id, room_id, created_at)
		VALUES ($1::uuid, $2::uuid, $3::uuid, $4::bigint) ON CONFLICT (user_id, room_id) DO NOTHING`,
	participantDelete: "DELETE FROM participants WHERE user_id = $1::uuid AND room_id = $2::uuid",
	participantsForAccount: `SELECT p.id AS participant_id, ${ACCOUNT.split(", ")
		.map((c) => `a.${c}`)
		.join(
			", ",
		)} FROM participants p JOIN accounts a ON a.id = p.user_id WHERE p.user_id = $1::uuid ORDER BY p.created_at, p.id`,
	participantsForRoom:
		"SELECT user_id FROM participants WHERE room_id = $1::uuid ORDER BY created_at, user_id",
	participantStateGet:
		"SELECT user_state FROM participants WHERE room_id = $1::uuid AND user_id = $2::uuid",
	participantStateSet:
		"UPDATE participants SET user_state = $3::text WHERE room_id = $1::uuid AND user_id = $2::uuid",
	actorDetails: `SELECT a.id, a.name, a.username, a.details FROM participants p
		JOIN accounts a ON a.id = p.user_id WHERE p.room_id = $1::uuid ORDER BY p.created_at, a.id`,

	// Parameters in RECORDS.memories' order (bindMemory); an id of another type is left alone.
	memoryUpsert: `INSERT INTO memories (${columnList(RECORDS.memories)})
		VALUES (${RECORDS.memories.columns.map((c, i) => `$${i + 1}::${PG_TYPES[c.kind]}`).join(", ")})
		ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
		WHERE memories.type = EXCLUDED.type`,
	// RECORDS.memories' columns, from memoryJsonRow's rows: json (not jsonb) parsed once, straight
	// into rows; the embedding stays text until the cast.
	memoryUpsertMany: `INSERT INTO memories (${columnList(RECORDS.memories)})
		SELECT ${RECORDS.memories.columns.map((c) => (c.kind === "embedding" ? `${c.name}::vector` : c.name)).join(", ")}
		FROM json_to_recordset($1::json) AS x(${RECORDS.memories.columns.map((c) => `${c.name} ${c.kind === "embedding" ? "text" : PG_TYPES[c.kind]}`).join(", ")})
		ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
		WHERE memories.type = EXCLUDED.type`,
	memoriesByRoom: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = $1::text AND room_id = $2::uuid
		AND ($3::uuid IS NULL OR agent_id = $3::uuid) AND (NOT $4::boolean OR is_unique)
		AND ($5::bigint IS NULL OR created_at >= $5::bigint) AND ($6::bigint IS NULL OR created_at <= $6::bigint)
		ORDER BY created_at DESC, id DESC ${limit(7)}`,
	memoryById: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = $1::uuid`,
	memoriesByIds: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE id IN ${ids(1)}
		AND ($2::text IS NULL OR type = $2::text) ORDER BY created_at DESC, id DESC`,
	memoriesByRoomIds: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE type = $1::text
		AND room_id IN ${ids(2)} AND ($3::uuid IS NULL OR agent_id = $3::uuid)
		ORDER BY created_at DESC, id DESC ${limit(4)}`,
	memoryCount: `SELECT count(*) AS n FROM memories WHERE room_id = $1::uuid
		AND ($2::text IS NULL OR type = $2::text) AND (NOT $3::boolean OR is_unique)`,
	memoryDelete: "DELETE FROM memories WHERE id = $1::uuid AND type = $2::text",
	memoriesDeleteByRoom: "DELETE FROM memories WHERE room_id = $1::uuid AND type = $2::text",
	memoriesMissingEmbedding: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE embedding IS NULL
		AND ($1::text IS NULL OR type = $1::text) ORDER BY created_at, id ${limit(2)}`,
	memoryEmbeddingUpdate: "UPDATE memories SET embedding = $2::vector WHERE id = $1::uuid",
	cachedEmbeddingCandidates: `${cachedTexts(
		"type = $1::text AND ($7::integer IS NULL OR pg_column_size(content) <= $7::integer)",
	)}
		AND CASE WHEN t.len <= 255 AND char_length($5::text) <= 255
			THEN levenshtein_less_equal(t.text, $5::text, $6::integer) <= $6::integer
			ELSE true END`,
	// pg_column_size: the stored (maybe compressed) size, known without reading the value.
	cachedEmbeddingLargeRows: `SELECT id FROM memories WHERE type = $1::text AND embedding IS NOT NULL
		AND pg_column_size(content) > $2::integer AND $3::integer >= 0`,
	// One large text: its exact length is checked in JavaScript, sparing PGlite a scan of megabytes.
	cachedEmbeddingCandidate: `SELECT x.text, vector_send(x.embedding) AS embedding FROM (
		SELECT v.value #>> '{}' AS text, v.embedding FROM (
			SELECT content -> $2::text AS value, embedding FROM memories
			WHERE id = $1::uuid AND embedding IS NOT NULL OFFSET 0) v
		WHERE jsonb_typeof(v.value) = 'string' OFFSET 0) x
		WHERE octet_length(x.text) BETWEEN $3::integer AND 4 * $4::bigint`,
	memoryScanCandidates: SCAN_CANDIDATES,
	// PostgreSQL plans each unnamed statement with its values, so one form serves both.
	memoryScanCandidatesInRoom: SCAN_CANDIDATES,

	goalsByRoom: `SELECT ${GOAL} FROM goals WHERE room_id = $1::uuid AND ($2::uuid IS NULL OR user_id = $2::uuid)
		AND (NOT $3::boolean OR status = 'IN_PROGRESS') ORDER BY created_at, id ${limit(4)}`,
	goalInsert: `INSERT INTO goals (${GOAL}) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text,
		$6::jsonb, $7::bigint)`,
	goalUpdate:
		"UPDATE goals SET name = $2::text, status = $3::text, objectives = $4::jsonb WHERE id = $1::uuid",
	goalStatusUpdate: "UPDATE goals SET status = $2::text WHERE id = $1::uuid",
	goalDelete: "DELETE FROM goals WHERE id = $1::uuid",
	goalsDeleteByRoom: "DELETE FROM goals WHERE room_id = $1::uuid",

	relationshipInsert: `INSERT INTO relationships (id, user_a, user_b, user_id, status, created_at)
		VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::bigint) ON CONFLICT DO NOTHING`,
	relationshipGet: `SELECT ${RELATIONSHIP} FROM relationships
		WHERE (user_a = $1::uuid AND user_b = $2::uuid) OR (user_a = $2::uuid AND user_b = $1::uuid)`,
	relationshipsForUser: `SELECT ${RELATIONSHIP} FROM relationships
		WHERE user_a = $1::uuid OR user_b = $1::uuid ORDER BY created_at, id`,

	logInsert: `INSERT INTO logs (id, body, user_id, room_id, type, created_at)
		VALUES ($1::uuid, $2::jsonb, $3::uuid, $4::uuid, $5::text, $6::bigint)`,

	cacheGet: `SELECT value FROM cache WHERE agent_id = $1::uuid AND key = $2::text
		AND (expires_at IS NULL OR expires_at > $3::bigint)`,
	cacheSet: `INSERT INTO cache (agent_id, key, value, created_at, expires_at)
		VALUES ($1::uuid, $2::text, $3::text, $4::bigint, $5::bigint)
		ON CONFLICT (agent_id, key) DO UPDATE SET value = EXCLUDED.value, created_at = EXCLUDED.created_at,
		expires_at = EXCLUDED.expires_at`,
	cacheDelete: `DELETE FROM cache WHERE agent_id = $1::uuid AND key = $2::text
		RETURNING (expires_at IS NULL OR expires_at > $3::bigint) AS live`,

	knowledgeUpsert: `INSERT INTO knowledge (id, agent_id, content, embedding, is_main, original_id, chunk_index, is_shared, created_at)
		VALUES ($1::text, $2::uuid, $3::jsonb, $4::vector, $5::boolean, $6::uuid, $7::integer, $8::boolean, $9::bigint)
		ON CONFLICT (id) DO UPDATE SET agent_id = EXCLUDED.agent_id, content = EXCLUDED.content,
		embedding = EXCLUDED.embedding, is_main = EXCLUDED.is_main, original_id = EXCLUDED.original_id,
		chunk_index = EXCLUDED.chunk_index, is_shared = EXCLUDED.is_shared, created_at = EXCLUDED.created_at`,
	knowledgeById: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE id = $1::text AND (agent_id = $2::uuid OR is_shared)`,
	knowledgeForAgent: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE agent_id = $1::uuid OR is_shared
		ORDER BY created_at DESC, id DESC ${limit(2)}`,
	knowledgeDelete: "DELETE FROM knowledge WHERE id = $1::text OR original_id = $2::uuid",
	// id is COLLATE "C" (migration 004): byte-wise, so the range is exact and reads the primary key.
	knowledgeDeleteChunks: `DELETE FROM knowledge WHERE id >= ($1::text COLLATE "C") AND id < ($2::text COLLATE "C")`,
	knowledgeClear:
		"DELETE FROM knowledge WHERE agent_id = $1::uuid AND ($2::boolean OR NOT is_shared)",
	knowledgeScanCandidates: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE embedding IS NOT NULL
		AND (agent_id = $1::uuid OR is_shared)`,

	statsCounts: `SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM rooms) AS rooms,
		(SELECT count(*) FROM participants) AS participants, (SELECT count(*) FROM memories) AS memories,
		(SELECT count(*) FROM memories WHERE embedding IS NULL) AS memories_missing,
		(SELECT count(*) FROM goals) AS goals, (SELECT count(*) FROM relationships) AS relationships,
		(SELECT count(*) FROM logs) AS logs, (SELECT count(*) FROM cache) AS cache,
		(SELECT count(*) FROM knowledge) AS knowledge`,
	statsMemoriesByType: "SELECT type, count(*) AS n FROM memories GROUP BY type ORDER BY type",
};
