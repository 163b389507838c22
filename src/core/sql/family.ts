/**
 * A SQL family (SQLite, PostgreSQL) is its statements, its migrations and its value encodings. The
 * shared adapter runs these; drivers of the same family share one `SqlFamily` object, so every
 * statement is written once per family.
 *
 * Statements use numbered parameters (`?1` in SQLite, `$1` in PostgreSQL) so one value can be
 * referenced twice. Optional filters are passed as NULL. Lists of ids are passed as one JSON array
 * text. Booleans go through `encodeBool`, embeddings through `encodeEmbedding`, JSON as text.
 * Result columns are snake_case and the same in both families (see rows.ts).
 */
import type { Row } from "./driver.js";
import type { LifecycleStatements } from "./lifecycle-statements.js";

export interface Migration {
	version: number;
	name: string;
	/** The migration's SQL; `{{dimension}}` stands for the database's embedding dimension. */
	sql: string;
}

/** Named statements. Comments give the parameters in order. */
export interface Statements {
	/** Creates agentmem_migrations(version, name, applied_at) and agentmem_meta(key, value) if absent. */
	bootstrap: readonly string[];
	/** Optional: serialises concurrent migrators (run inside the migration transaction). */
	migrationLock?: string;
	migrationsApplied: string;
	/** (version, name, appliedAt) */
	migrationRecord: string;
	metaAll: string;
	/** (key, value) upsert */
	metaSet: string;

	/** (id) */
	accountGet: string;
	/** (id, name, username, email, avatarUrl, detailsJson, createdAt) → 0 rows changed when it exists */
	accountInsert: string;

	/** (id) → id */
	roomGet: string;
	/** (id, createdAt, name?), does nothing when it exists */
	roomInsert: string;
	/** (id) */
	roomDelete: string;
	/** (userIdsJson) → room_id, distinct */
	roomsForParticipants: string;

	/** (id, userId, roomId, createdAt), does nothing when the pair exists */
	participantInsert: string;
	/** (userId, roomId) */
	participantDelete: string;
	/** (userId) → participant_id + account columns */
	participantsForAccount: string;
	/** (roomId) → user_id */
	participantsForRoom: string;
	/** (roomId, userId) → user_state */
	participantStateGet: string;
	/** (roomId, userId, state) */
	participantStateSet: string;
	/** (roomId) → id, name, username, details */
	actorDetails: string;

	/** (id, type, roomId, agentId, userId, contentJson, embedding, isUnique, createdAt); replaces same-type ids */
	memoryUpsert: string;
	/**
	 * Optional: `memoryUpsert` for many rows in one statement. (rowsJson): a JSON array of
	 * { id, type, room_id, agent_id, user_id, content, embedding (the family's text form or null),
	 * created_at }; every row is unique (is_unique true). Rows changed < rows given when an id
	 * belongs to a memory of another type. Without it, `createMemories` inserts row by row.
	 */
	memoryUpsertMany?: string;
	/** (type, roomId, agentId?, uniqueOnly, start?, end?, limit?) newest first */
	memoriesByRoom: string;
	/** (id) */
	memoryById: string;
	/** (idsJson, type?) newest first */
	memoriesByIds: string;
	/** (type, roomIdsJson, agentId?, limit?) newest first */
	memoriesByRoomIds: string;
	/** (roomId, type?, uniqueOnly) → n */
	memoryCount: string;
	/** (id, type) */
	memoryDelete: string;
	/** (roomId, type) */
	memoriesDeleteByRoom: string;
	/** (type?, limit) oldest first */
	memoriesMissingEmbedding: string;
	/** (id, embedding) */
	memoryEmbeddingUpdate: string;
	/**
	 * (type, jsonKey, minLength, maxLength, input or null, threshold, maxContentBytes or null) → text,
	 * embedding of memories with an embedding whose text (a JSON string) has minLength..maxLength
	 * code points, among those whose stored content takes at most maxContentBytes (all when null).
	 * A family may prefilter with the engine's own bounded Levenshtein (PostgreSQL's fuzzystrmatch,
	 * only up to its 255-character limit, so the input is null when longer: megabytes are not bound
	 * for nothing); the final distance is always computed in JavaScript, so every backend returns
	 * the same rows.
	 */
	cachedEmbeddingCandidates: string;
	/**
	 * (type, maxContentBytes, minLength) → id of the memories with an embedding that
	 * `cachedEmbeddingCandidates` left out for their size (it may skip those whose content is too
	 * short to hold minLength characters), to be read one statement each by `cachedEmbeddingCandidate`
	 * (on an embedded engine, one statement extracting megabytes would block the thread).
	 */
	cachedEmbeddingLargeRows: string;
	/**
	 * (id, jsonKey, minLength, maxLength) → text, embedding: that memory, if it qualifies as above
	 * (a family may skip the exact length test, a scan of the text: the caller makes it)
	 */
	cachedEmbeddingCandidate: string;
	/**
	 * (type, roomId?, agentId?, uniqueOnly) memories with an embedding: the exact scan's input.
	 * `InRoom` (roomId required) is the same filter written so the (type, room_id) index serves it:
	 * SQLite plans before it sees values, so `?2 IS NULL OR room_id = ?2` would scan every room.
	 */
	memoryScanCandidates: string;
	memoryScanCandidatesInRoom: string;

	/** (roomId, userId?, onlyInProgress, limit?) oldest first */
	goalsByRoom: string;
	/** (id, roomId, userId, name, status, objectivesJson, createdAt) */
	goalInsert: string;
	/** (id, name, status, objectivesJson) */
	goalUpdate: string;
	/** (id, status) */
	goalStatusUpdate: string;
	/** (id) */
	goalDelete: string;
	/** (roomId) */
	goalsDeleteByRoom: string;

	/** (id, userA, userB, userId, status, createdAt), does nothing when the pair exists either way */
	relationshipInsert: string;
	/** (userA, userB) either direction */
	relationshipGet: string;
	/** (userId) oldest first */
	relationshipsForUser: string;

	/** (id, bodyJson, userId, roomId, type, createdAt) */
	logInsert: string;

	/** (agentId, key, now) → value, unless expired */
	cacheGet: string;
	/** (agentId, key, value, createdAt, expiresAt?) upsert */
	cacheSet: string;
	/** (agentId, key, now) → live: 1 row when a row was deleted, live when it had not expired */
	cacheDelete: string;

	/** (id, agentId, contentJson, embedding, isMain, originalId, chunkIndex, isShared, createdAt) upsert */
	knowledgeUpsert: string;
	/** (id, agentId) visible to the agent */
	knowledgeById: string;
	/** (agentId, limit?) newest first, own and shared */
	knowledgeForAgent: string;
	/** (id, id as a uuid or null for a chunk id) the item and, for a uuid, the chunks naming it as originalId */
	knowledgeDelete: string;
	/** (low, high) the ids in [low, high) under byte-wise order: one file's `<uuid>-chunk-<n>` chunks */
	knowledgeDeleteChunks: string;
	/** (agentId, includeShared) */
	knowledgeClear: string;
	/** (agentId) own and shared items with an embedding: the exact scan's input */
	knowledgeScanCandidates: string;

	/** one row of counts: accounts, rooms, participants, memories, memories_missing, goals, relationships, logs, cache, knowledge */
	statsCounts: string;
	/** → type, n */
	statsMemoriesByType: string;
}

/**
 * Statements of export/import (src/portable/export.ts, import.ts) and diagnostics. Pages are keyset pages
 * in id order: pass NULL as the first cursor, then the last row's id.
 */
export interface PortableStatements {
	/** → v: the highest applied migration */
	schemaVersion: string;
	/** (afterId?, limit) → accounts columns */
	accountsPage: string;
	/** (afterId?, limit) → id, created_at, name */
	roomsPage: string;
	/** (afterId?, limit) → id, user_id, room_id, user_state, created_at */
	participantsPage: string;
	/** (afterId?, limit) → relationships columns */
	relationshipsPage: string;
	/** (afterId?, limit) → goals columns */
	goalsPage: string;
	/** (afterId?, limit) → id, body, user_id, room_id, type, created_at */
	logsPage: string;
	/** (afterAgentId?, afterKey?, limit) → agent_id, key, value, created_at, expires_at, by (agent_id, key) */
	cachePage: string;
	/** (afterId?, limit) → knowledge columns */
	knowledgePage: string;
	/** (afterId?, limit) → memory columns */
	memoriesPage: string;
	/** (id, name, username, email, avatarUrl, detailsJson, createdAt) upsert */
	accountUpsert: string;
	/** (id, createdAt, name) upsert */
	roomUpsert: string;
	/** (id, userId, roomId, userState, createdAt); an existing pair gets the state */
	participantUpsert: string;
	/** (id, userA, userB, userId, roomId, status, createdAt); does nothing when the pair exists */
	relationshipImport: string;
	/** (id, roomId, userId, name, status, objectivesJson, createdAt) upsert */
	goalUpsert: string;
	/** (id, bodyJson, userId, roomId, type, createdAt) upsert */
	logUpsert: string;
	/** → name: the schema's indexes and virtual tables (for `agentmem doctor`) */
	indexNames: string;
	/** → v: the vector extension's version; fails when the extension is not loaded */
	vectorExtensionVersion: string;
}

export interface SqlFamily {
	readonly name: "sqlite" | "postgres";
	readonly statements: Statements;
	/** Export/import statements; a family without them cannot export or import. */
	readonly portable?: PortableStatements;
	/** Rooms listed and named, memories deleted and pruned, expired cache entries swept. */
	readonly lifecycle: LifecycleStatements;
	readonly migrations: readonly Migration[];
	/** An embedding as the `embedding` column's parameter. */
	encodeEmbedding(vector: Float32Array): unknown;
	/** The `embedding` column's value; null for NULL. */
	decodeEmbedding(value: unknown): Float32Array | null;
	encodeBool(value: boolean): unknown;
}

/** Filters of a memory vector search. Every filter applies before top-k. */
export interface MemoryVectorQuery {
	tableName: string;
	roomId?: string;
	agentId?: string;
	uniqueOnly: boolean;
	count: number;
	/** Cosine similarity, inclusive. */
	threshold?: number;
}

export interface KnowledgeVectorQuery {
	agentId: string;
	count: number;
	threshold?: number;
}

/** What a one-statement unique insert did: rows changed (0: the id has another type), the decision. */
export interface UniqueInsertResult {
	changed: number;
	unique: boolean;
}

/**
 * A backend's nearest-neighbour search. Returns memory (or knowledge) rows with a `similarity`
 * column (cosine), best first, filtered before top-k, thresholded.
 */
export interface VectorSearch {
	/**
	 * Optional: the near-duplicate check (count 2, DUPLICATE_SIMILARITY, the memory's type, room and
	 * agent) and the insert (`memory`: bindMemory's parameters, the embedding's slot null: the
	 * backend binds `query` there, in the form it sends vectors in) in one statement. Null when the
	 * check was too close to call there: nothing was written, the caller checks and inserts itself.
	 */
	insertUniqueMemory?(
		session: import("./driver.js").SqlSession,
		query: Float32Array,
		memory: readonly unknown[],
		threshold: number,
	): Promise<UniqueInsertResult | null>;
	searchMemories(
		session: import("./driver.js").SqlSession,
		query: Float32Array,
		q: MemoryVectorQuery,
	): Promise<Row[]>;
	searchKnowledge(
		session: import("./driver.js").SqlSession,
		query: Float32Array,
		q: KnowledgeVectorQuery,
	): Promise<Row[]>;
}
