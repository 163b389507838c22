import type { ImportOptions, ImportSummary, PortableRecord } from "./portable-types.js";
import type {
	Account,
	Actor,
	AdapterCapabilities,
	AdapterStats,
	CachedEmbedding,
	CacheKey,
	CreateMemoryItem,
	EmbeddingInput,
	GetCachedEmbeddingsParams,
	GetKnowledgeParams,
	GetMemoriesParams,
	Goal,
	GoalStatus,
	KnowledgeItem,
	LogParams,
	Memory,
	MemoryEvent,
	Participant,
	ParticipantUserState,
	Relationship,
	SearchKnowledgeParams,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
	SubscribeFilter,
	Unsubscribe,
	UUID,
} from "./types.js";

/**
 * The one interface every backend implements: a superset of ElizaOS 0.1's `IDatabaseAdapter` and
 * `IDatabaseCacheAdapter`. Each method is documented here once; backends do not repeat it.
 *
 * Rules that hold for every method:
 * - Bad input throws a `ValidationError` (or `EmbeddingDimensionError`) and writes nothing.
 * - A write naming a room, user or agent that does not exist throws `NotFoundError`.
 * - A read scoped to something that does not exist returns `[]` or `null`, never an error.
 * - Failures throw typed `AgentmemError`s; no method returns an empty result to hide one. Storage
 *   that cannot be written throws `ReadOnlyDatabaseError` (`READ_ONLY`), a full disk
 *   `StorageFullError` (`STORAGE_FULL`); either way the write is rolled back whole.
 * - Error messages, stacks and causes never carry credentials: a URL's password shows as `***`.
 * - `similarity` is always cosine similarity in [-1, 1], higher is closer; `match_threshold` is a
 *   cosine similarity too, inclusive.
 * - Timestamps are milliseconds since the epoch.
 * - Ids are UUIDs (knowledge also takes ElizaOS's `<uuid>-chunk-<n>`), normalised to lower case on
 *   every backend: an id given in upper case is stored, found and returned in lower case, so case
 *   never creates a duplicate. A missing id (`undefined` or `null`) on a lookup by id
 *   (`getMemoryById`, `getAccountById`, `getRoom`, `getKnowledge`'s `id`) is "not found": `null`
 *   (or every item, for `getKnowledge`), as in ElizaOS's adapters. A malformed id still throws.
 * - Counts and limits (`count`, `limit`, `match_count`, `query_match_count`, …) are integers from 0
 *   to 2^31 - 1 (what PostgreSQL binds); anything else is a `ValidationError` on every backend.
 * - Strings that are stored (names, usernames, emails, goal names, log types, cache keys and values,
 *   and every string inside JSON) must be Unicode text: a lone surrogate or U+0000 is a
 *   `ValidationError` on every backend (PostgreSQL cannot store them).
 *
 * The JSON rule, for every JSON-valued field (memory `content`, account `details`, goal
 * `objectives`, log `body`, knowledge `content`; cache values are plain strings), on every backend:
 * - A value is stored exactly as `JSON.stringify` writes it, and reads back as `JSON.parse` of that
 *   text. What is not data is dropped as `JSON.stringify` drops it: functions, symbols and
 *   `undefined` as object members are left out; as array elements, and array holes, they become
 *   `null` (`[1, , 3]` is stored as `[1,null,3]`); `toJSON()` is honoured (a `Date` is stored as its
 *   ISO string); a class instance keeps its own enumerable properties. So ElizaOS's runtime can store
 *   a whole character, plugins with their functions included, as an agent's `details`.
 * - The members of an object may read back in another order: PostgreSQL and PGlite store `jsonb`,
 *   which orders keys by length, then bytes (`{"zz":1,"a":2}` reads back as `{"a":2,"zz":1}`);
 *   SQLite and SQL.js keep the order written. Values, and the order of array elements, are kept.
 * - Data that JSON would silently change, or that a backend cannot store, is refused with a
 *   `ValidationError` naming its path (e.g. `content.a[2]`), and nothing is written: `NaN`,
 *   `±Infinity`, `BigInt`, cycles, `Map`/`Set`/typed arrays (JSON writes them as `{}`), lone
 *   surrogates and U+0000 in strings or keys, nesting deeper than 100 objects/arrays (SQLite's JSON
 *   functions stop at 1,000 and PostgreSQL's at its stack depth; 100 is far inside both), and more
 *   than 16 Mi characters of JSON text.
 * - Rows an older version wrote with array holes as nothing (`[1,,3]`, SQLite/SQL.js) read back as
 *   `[1,null,3]`.
 */
export interface DatabaseAdapter {
	/** What this backend supports. Valid after `init()`. */
	readonly capabilities: AdapterCapabilities;

	// ---- lifecycle ----

	/**
	 * Opens the database and applies pending migrations (a backend opened read-only, e.g. SQLite's
	 * `readonly: true`, applies none and refuses a database that needs one). Idempotent.
	 */
	init(): Promise<void>;
	/** Releases what the adapter opened; never closes a connection the caller passed in. Idempotent. */
	close(): Promise<void>;
	/** The health check: resolves `true`, or throws a typed error saying what is wrong. */
	testConnection(): Promise<boolean>;

	// ---- accounts ----

	/** The account, or `null` when there is none with this id (or `userId` is missing). */
	getAccountById(userId: UUID): Promise<Account | null>;
	/**
	 * Creates an account. Resolves `true` when created, `false` when an account with this id
	 * already exists (it is left unchanged). A bad account throws.
	 */
	createAccount(account: Account): Promise<boolean>;

	// ---- rooms ----

	/** `roomId` (lower case) when the room exists, else `null` (also when `roomId` is missing). */
	getRoom(roomId: UUID): Promise<UUID | null>;
	/** Creates a room (with a new random id when none is given) and resolves to its id. Idempotent. */
	createRoom(roomId?: UUID): Promise<UUID>;
	/** Removes the room and, by cascade, its memories, participants, goals, logs and relationships' room link. */
	removeRoom(roomId: UUID): Promise<void>;
	/** Ids of the rooms the user participates in, in no particular order (`[]` when none). */
	getRoomsForParticipant(userId: UUID): Promise<UUID[]>;
	/** Ids of the rooms any of the users participates in, each once, in no particular order (`[]` if none). */
	getRoomsForParticipants(userIds: UUID[]): Promise<UUID[]>;

	// ---- participants ----

	/**
	 * Adds the user to the room. Idempotent and race-free: concurrent calls for the same pair leave
	 * one row and never throw. Resolves `true` (ElizaOS shape). Unknown user or room throws.
	 */
	addParticipant(userId: UUID, roomId: UUID): Promise<boolean>;
	/** Removes the user from the room. Resolves `true` when a row was removed, `false` when none existed. */
	removeParticipant(userId: UUID, roomId: UUID): Promise<boolean>;
	/** The user's participations, each with the account (`[]` when none). */
	getParticipantsForAccount(userId: UUID): Promise<Participant[]>;
	/** User ids of the room's participants (`[]` when none). */
	getParticipantsForRoom(roomId: UUID): Promise<UUID[]>;
	/** The user's state in the room; `null` when unset or when the user is not a participant. */
	getParticipantUserState(roomId: UUID, userId: UUID): Promise<ParticipantUserState>;
	/** Sets the user's state in the room. Throws `NotFoundError` when the user is not a participant. */
	setParticipantUserState(roomId: UUID, userId: UUID, state: ParticipantUserState): Promise<void>;
	/** The accounts of the room's participants as actors (`[]` when none). */
	getActorDetails(params: { roomId: UUID }): Promise<Actor[]>;

	// ---- memories (`tableName` is the memory type: messages, facts, documents, fragments, …) ----

	/**
	 * Stores a memory (an `id` is generated when absent; `createdAt` defaults to now).
	 *
	 * With `unique = true` and an embedding, the memory is compared with the existing memories of
	 * the same agent, room and type: when one has cosine similarity >= 0.95 it is stored with
	 * `unique = false`, else `unique = true`. Without `unique`, or without an embedding, no check
	 * is made and it is stored with `unique = true`. An all-zero embedding (or one without
	 * direction as float32, see `searchMemoriesByEmbedding`) is stored as missing.
	 * Storing an id that already exists replaces that memory (same type) or throws `ConflictError`.
	 */
	createMemory(memory: Memory, tableName: string, unique?: boolean): Promise<void>;
	/**
	 * Stores many memories in one transaction: all of them, or (on any error) none. A batch with
	 * several bad items fails with the error of the first of them, in order.
	 */
	createMemories(items: CreateMemoryItem[]): Promise<void>;
	/**
	 * The room's memories of this type, newest first (ties by id), at most `count`. `start`/`end`
	 * are inclusive bounds on `createdAt`.
	 */
	getMemories(params: GetMemoriesParams): Promise<Memory[]>;
	/** The memory, or `null` (also when `id` is missing: ElizaOS looks a new memory up first). */
	getMemoryById(id: UUID): Promise<Memory | null>;
	/** The memories with these ids that exist (of this type, when given), newest first. */
	getMemoriesByIds(ids: UUID[], tableName?: string): Promise<Memory[]>;
	/** Memories of this type in any of the rooms, newest first, at most `limit` when given. */
	getMemoriesByRoomIds(params: {
		roomIds: UUID[];
		tableName: string;
		agentId?: UUID;
		limit?: number;
	}): Promise<Memory[]>;
	/** How many memories of this type the room holds (only `unique` ones when `unique`, the default). */
	countMemories(roomId: UUID, unique?: boolean, tableName?: string): Promise<number>;
	/** Removes the memory of this type with this id; nothing happens when there is none. */
	removeMemory(memoryId: UUID, tableName: string): Promise<void>;
	/** Removes every memory of this type in the room. */
	removeAllMemories(roomId: UUID, tableName: string): Promise<void>;
	/**
	 * The `count` (default 10) memories most similar to `embedding` among those that pass every
	 * filter (filters apply before top-k, never after), with `similarity >= match_threshold`,
	 * ordered by similarity descending, each carrying `similarity` and its `embedding`. Equal
	 * similarities (identical or parallel vectors) rank by id ascending, also at the `count`
	 * cut-off: every backend returns the same items. Memories without an embedding are never
	 * returned. An all-zero, non-finite or wrong-length query throws. Vectors (queries and stored
	 * ones, on every path: create, batch, update, knowledge, import) are checked as the engines
	 * hold them, 32-bit floats: a component beyond float32's range (|x| > 3.4e38) or a squared
	 * length beyond it (PostgreSQL sums squares in float32) throws `ValidationError` naming the
	 * component; a vector whose components all round to zero, or whose squared length is below
	 * float32's smallest normal number (1.2e-38), has no direction, like an all-zero one. With 2001
	 * to 4000 dimensions (PostgreSQL indexes half-precision floats) components must be within
	 * ±65504, and a vector whose components all round to zero as float16 (|x| <= 2^-25) has no
	 * direction. A stored vector without direction is stored as missing.
	 */
	searchMemoriesByEmbedding(
		embedding: EmbeddingInput,
		params: SearchMemoriesByEmbeddingParams,
	): Promise<Memory[]>;
	/** `searchMemoriesByEmbedding` in ElizaOS's other parameter shape (`match_count` is `count`). */
	searchMemories(params: SearchMemoriesParams): Promise<Memory[]>;
	/**
	 * Embeddings of stored memories of type `query_table_name` (any agent, any room, only those that
	 * have one) whose `content.<query_field_sub_name>` is within `query_threshold` Levenshtein
	 * distance (inclusive) of `query_input`, closest first (ties by text; the embeddings of one text
	 * in no particular order), at most
	 * `query_match_count`. Works on text of any length. `[]` when nothing is close enough.
	 * Texts are compared whole, never truncated, in O(length · query_threshold) time (near-identical
	 * texts cost about one pass); the comparison gives way to the event loop every few milliseconds,
	 * and only texts whose length is within `query_threshold` of the input's are read at all.
	 */
	getCachedEmbeddings(params: GetCachedEmbeddingsParams): Promise<CachedEmbedding[]>;
	/** Memories stored without an embedding, oldest first, for backfilling (at most `count`). */
	getMemoriesMissingEmbeddings(params: { tableName?: string; count?: number }): Promise<Memory[]>;
	/** Sets the embedding of an existing memory (e.g. a backfill). Throws `NotFoundError` when absent. */
	updateMemoryEmbedding(id: UUID, embedding: EmbeddingInput): Promise<void>;

	// ---- goals ----

	/** The room's goals (of the user, when given; only IN_PROGRESS ones when asked), oldest first. */
	getGoals(params: {
		roomId: UUID;
		userId?: UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	}): Promise<Goal[]>;
	/** Creates a goal (an `id` is generated when absent). */
	createGoal(goal: Goal): Promise<void>;
	/** Replaces the goal's name, status and objectives. Throws `NotFoundError` when absent. */
	updateGoal(goal: Goal): Promise<void>;
	/** Sets the goal's status. Throws `NotFoundError` when absent. */
	updateGoalStatus(params: { goalId: UUID; status: GoalStatus }): Promise<void>;
	/** Removes the goal; nothing happens when there is none. */
	removeGoal(goalId: UUID): Promise<void>;
	/** Removes every goal of the room. */
	removeAllGoals(roomId: UUID): Promise<void>;

	// ---- relationships ----

	/** Creates the relationship between two accounts (idempotent). Resolves `true`. */
	createRelationship(params: { userA: UUID; userB: UUID }): Promise<boolean>;
	/** The relationship between the two accounts in either direction, or `null`. */
	getRelationship(params: { userA: UUID; userB: UUID }): Promise<Relationship | null>;
	/** Every relationship the user is part of, oldest first (`[]` when none). */
	getRelationships(params: { userId: UUID }): Promise<Relationship[]>;

	// ---- logs ----

	/** Appends a log entry for the user and room. */
	log(params: LogParams): Promise<void>;

	// ---- cache (IDatabaseCacheAdapter) ----

	/** The cached string, or `undefined` when there is none. */
	getCache(params: CacheKey): Promise<string | undefined>;
	/** Sets (inserts or replaces) the cached string. Resolves `true`. `agentId` needs no account. */
	setCache(params: CacheKey & { value: string }): Promise<boolean>;
	/** Deletes the cached string. Resolves `true` when one was deleted. */
	deleteCache(params: CacheKey): Promise<boolean>;

	// ---- knowledge (RAG) ----

	/**
	 * Knowledge items of the agent plus shared ones, newest first, at most `limit`; with `id`, that
	 * one item (`[]` when absent or not visible to the agent). `query` and `conversationContext`
	 * are refused with `UnsupportedFeatureError` (ElizaOS's adapters ignore them silently): embed
	 * the query and call `searchKnowledge`.
	 */
	getKnowledge(params: GetKnowledgeParams): Promise<KnowledgeItem[]>;
	/**
	 * The `match_count` items (the agent's own and shared ones) most similar to `embedding`, with
	 * `similarity >= match_threshold`, by similarity descending, equal similarities by id
	 * ascending (also at the `match_count` cut-off). Same rules as memory search.
	 */
	searchKnowledge(params: SearchKnowledgeParams): Promise<KnowledgeItem[]>;
	/**
	 * Stores a knowledge item; an existing id is replaced. An unknown agent throws `NotFoundError`.
	 * A knowledge id is a UUID or, as ElizaOS 0.1.9's RAG names a file's chunks,
	 * `<file uuid>-chunk-<n>` (n a decimal integer); it is stored lower-cased and returned (by
	 * `getKnowledge`, `searchKnowledge`, export) exactly so, so the runtime's own lookups by id find
	 * it. Any other shape (a wildcard, a LIKE character, a suffix) is a `ValidationError`.
	 */
	createKnowledge(item: KnowledgeItem): Promise<void>;
	/**
	 * Removes the item with this id (for a UUID, also the items naming it as
	 * `content.metadata.originalId`: its chunks); nothing happens when absent. `"<uuid>-chunk-*"`
	 * removes every `<uuid>-chunk-<n>` item and nothing else (ElizaOS's cleanup of a changed file);
	 * `*` is accepted only as that whole suffix, never as a pattern elsewhere.
	 */
	removeKnowledge(id: UUID): Promise<void>;
	/** Removes the agent's items; with `shared`, also the shared items the agent created. */
	clearKnowledge(agentId: UUID, shared?: boolean): Promise<void>;

	// ---- beyond ElizaOS 0.1 ----

	/**
	 * Runs `fn` in one real transaction (BEGIN/COMMIT, savepoints when nested) with an adapter bound
	 * to it, and resolves to `fn`'s result. If `fn` throws, every write is rolled back and `fn`'s
	 * error is rethrown. Use only `tx` inside `fn`.
	 *
	 * Each call on `tx` is atomic on its own, on every backend: a call that fails (NOT_FOUND,
	 * CONFLICT, VALIDATION, a database error) has written nothing, and when `fn` catches its error
	 * the transaction goes on and commits everything else `fn` did. A nested `tx.transaction(fn2)`
	 * follows the same rule as one call: `fn2` throwing undoes all of `fn2`'s writes and nothing
	 * outside; `fn2` catching a failure keeps the rest. (This is a savepoint around each call inside
	 * a transaction; calls on one `tx` run one after another.) The promise never resolves unless
	 * the transaction committed: a transaction the database rolled back instead fails with
	 * `DatabaseError`.
	 *
	 * `tx` is an adapter of the same class (e.g. a `PGliteDatabaseAdapter`), so a backend's own
	 * members work on it too (`persistent`, `pool`, `circuitState`); the few that need the connection
	 * the transaction holds (SQL.js `export()`, SQLite `compact()` / `rebuildVectorIndex()`) throw
	 * ValidationError on `tx` instead of waiting for the transaction they run in.
	 */
	transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T>;
	/**
	 * Calls `listener` for each memory written by a transaction that commits after this call (a call
	 * outside `transaction()` is a transaction of its own) and matches the filter: after the commit,
	 * once, with the memory as that transaction committed it (content, room, embedding), whether or
	 * not it still exists when the listener runs (a memory removed at once, even inside the same
	 * transaction, is still delivered). Nothing is delivered for work that rolled back (a
	 * transaction, or a call or nested transaction undone inside one). A memory written more than
	 * once in one transaction (a `createMemories` batch repeating an id, two `createMemory` calls on
	 * one `tx`) is one event, in the place of its first write, with its last content; another
	 * transaction writing it again is another event. `updateMemoryEmbedding` delivers nothing.
	 * Events arrive in commit order. Resolves to a function that stops the subscription. The filter
	 * applies to the memory as committed (its real table and room) and as this adapter (or `asUser`
	 * view) may read it, never to what a database notification claims (PostgreSQL: docs/postgres.md).
	 */
	subscribe(filter: SubscribeFilter, listener: (event: MemoryEvent) => void): Promise<Unsubscribe>;
	/** Counts of every record kind, and the recorded embedding dimension and model. */
	stats(): Promise<AdapterStats>;
	/**
	 * Every record of the database with all its columns (ids, timestamps, unique flags, user
	 * states, embeddings): first one `database` record (schema version, dimension, model), then
	 * accounts, rooms, participants, relationships, goals, logs, cache entries, knowledge items and
	 * memories, in that order, read page by page so memory use stays flat. Records written while an
	 * export runs may or may not appear; call it on a transaction's `tx` for a consistent snapshot.
	 */
	exportRecords(): AsyncIterable<PortableRecord>;
	/**
	 * Writes records as `exportRecords` yields them, keeping every id, timestamp, unique flag and
	 * state (existing ids are replaced, so importing twice changes nothing). Each record is validated
	 * first; a `database` record whose dimension differs from this database's throws
	 * `EmbeddingDimensionError`, one whose model differs throws `ConfigurationError`. Records are
	 * written in transactions of `batchSize`, or all in one with `atomic`.
	 */
	importRecords(
		records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
		options?: ImportOptions,
	): Promise<ImportSummary>;
}
