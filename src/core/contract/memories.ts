import type {
	CachedEmbedding,
	CreateMemoryItem,
	EmbeddingInput,
	GetCachedEmbeddingsParams,
	GetMemoriesParams,
	Memory,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
	UUID,
} from "../types.js";

/** The contract's memories: writes, reads, search and the embedding cache (see DatabaseAdapter for the rules every call follows). */
export interface MemoryCalls {
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
}
