/**
 * The data types of the contract. Names and shapes follow ElizaOS 0.1's `IDatabaseAdapter`, so a
 * runtime written against that interface compiles against ours unchanged.
 */

/**
 * A UUID string (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, any version). Accepted in either case;
 * stored, compared and returned in lower case on every backend.
 */
export type UUID = `${string}-${string}-${string}-${string}-${string}`;

/** An embedding as the caller supplies it. Stored as 32-bit floats. */
export type EmbeddingInput = number[] | Float32Array;

/**
 * The JSON payload of a memory. `text` is what search, dedup and the embedding cache read. Stored
 * as `JSON.stringify` writes it (see the JSON rule in adapter.ts).
 */
export interface Content {
	text?: string;
	// biome-ignore lint/suspicious/noExplicitAny: ElizaOS content carries arbitrary JSON fields.
	[key: string]: any;
}

export interface Memory {
	id?: UUID;
	userId: UUID;
	agentId: UUID;
	roomId: UUID;
	/** Milliseconds since the epoch. Set to now on write when absent. */
	createdAt?: number;
	content: Content;
	/** Absent (undefined) when the memory has no usable embedding. */
	embedding?: number[];
	/** Cosine similarity in [-1, 1]; set only on results of a vector search. */
	similarity?: number;
	/** False when the memory was stored as a near-duplicate (see `createMemory`). */
	unique?: boolean;
}

export interface Account {
	id: UUID;
	name: string;
	username: string;
	email?: string;
	avatarUrl?: string;
	// biome-ignore lint/suspicious/noExplicitAny: free-form JSON, as in ElizaOS.
	details?: { [key: string]: any };
}

export interface Participant {
	id: UUID;
	account: Account;
}

export type ParticipantUserState = "FOLLOWED" | "MUTED" | null;

export interface Actor {
	id: UUID;
	name: string;
	username: string;
	// biome-ignore lint/suspicious/noExplicitAny: free-form JSON, as in ElizaOS.
	details: { [key: string]: any };
}

export interface Relationship {
	id: UUID;
	userA: UUID;
	userB: UUID;
	/** The user who created the relationship (ElizaOS stores `userA` here). */
	userId: UUID;
	/** The direct-message room of the pair, when one exists. */
	roomId: UUID | null;
	status: string;
	/** Milliseconds since the epoch. */
	createdAt?: number;
}

export type GoalStatus = "IN_PROGRESS" | "DONE" | "FAILED";

export interface Objective {
	id?: string;
	description: string;
	completed: boolean;
}

export interface Goal {
	id?: UUID;
	roomId: UUID;
	userId: UUID;
	name: string;
	status: GoalStatus;
	objectives: Objective[];
}

/** A knowledge-base (RAG) item, as ElizaOS 0.1.9 declares `RAGKnowledgeItem`. */
export interface KnowledgeItem {
	id: UUID;
	agentId: UUID;
	content: {
		text: string;
		metadata?: {
			isMain?: boolean;
			isChunk?: boolean;
			originalId?: UUID;
			chunkIndex?: number;
			source?: string;
			type?: string;
			/** A shared item is visible to every agent. */
			isShared?: boolean;
			// biome-ignore lint/suspicious/noExplicitAny: free-form metadata, as in ElizaOS.
			[key: string]: any;
		};
	};
	embedding?: Float32Array;
	/** Milliseconds since the epoch. */
	createdAt?: number;
	/** Cosine similarity in [-1, 1]; set only on results of `searchKnowledge`. */
	similarity?: number;
	score?: number;
}

/** One row of `getCachedEmbeddings`. */
export interface CachedEmbedding {
	embedding: number[];
	/** Levenshtein distance between the stored text and the query; smaller is closer. */
	levenshtein_score: number;
}

export interface GetCachedEmbeddingsParams {
	/** The memory type (`tableName`) to look in. */
	query_table_name: string;
	/** Largest Levenshtein distance accepted, inclusive. */
	query_threshold: number;
	query_input: string;
	/** The JSON column: only `"content"` exists. */
	query_field_name: string;
	/** The key inside it: ElizaOS passes `"text"`. */
	query_field_sub_name: string;
	query_match_count: number;
}

export interface GetMemoriesParams {
	roomId: UUID;
	tableName: string;
	agentId?: UUID;
	/** At most this many, newest first. */
	count?: number;
	/** Only memories stored with `unique = true`. */
	unique?: boolean;
	/** Inclusive lower bound on `createdAt` (ms epoch). */
	start?: number;
	/** Inclusive upper bound on `createdAt` (ms epoch). */
	end?: number;
}

export interface SearchMemoriesByEmbeddingParams {
	tableName: string;
	/** Cosine similarity, inclusive. Results below it are left out. */
	match_threshold?: number;
	/** How many results at most. Default 10. */
	count?: number;
	roomId?: UUID;
	agentId?: UUID;
	/** Only memories stored with `unique = true`. */
	unique?: boolean;
}

export interface SearchMemoriesParams {
	tableName: string;
	roomId: UUID;
	agentId?: UUID;
	embedding: EmbeddingInput;
	match_threshold: number;
	match_count: number;
	unique: boolean;
}

export interface GetKnowledgeParams {
	id?: UUID;
	agentId: UUID;
	limit?: number;
	query?: string;
	conversationContext?: string;
}

export interface SearchKnowledgeParams {
	agentId: UUID;
	embedding: EmbeddingInput;
	match_threshold: number;
	match_count: number;
	searchText?: string;
}

export interface LogParams {
	// biome-ignore lint/suspicious/noExplicitAny: log bodies are free-form JSON.
	body: { [key: string]: any };
	userId: UUID;
	roomId: UUID;
	type: string;
}

export interface CacheKey {
	agentId: UUID;
	key: string;
}

/** How a backend finds nearest neighbours. The conformance suite reads this, never a name. */
/** `quantized`: binary codes pick candidates that are re-ranked exactly (SQLite, large sets). */
export type VectorSearchKind = "exact-scan" | "hnsw" | "vec0" | "quantized";

/** What a backend supports. Differences are stated here, never hidden behind a fallback. */
export interface AdapterCapabilities {
	/** The backend's name: `sqljs`, `sqlite`, `postgres`, `pglite`. */
	readonly backend: string;
	/** How nearest neighbours are found. `exact-scan` results equal brute force exactly. */
	readonly vectorSearch: VectorSearchKind;
	/** True when results are exact (brute force); false for approximate indexes. */
	readonly exactSearch: boolean;
	/** True when data outlives the process. */
	readonly persistent: boolean;
	/** True when several connections can run statements at the same time. */
	readonly multipleConnections: boolean;
	/** True when `subscribe` works across processes (PostgreSQL LISTEN/NOTIFY). */
	readonly crossProcessSubscribe: boolean;
	/** True when `asUser` and row-level security are available. */
	readonly rowLevelSecurity: boolean;
	/** The one embedding dimension this database stores. */
	readonly embeddingDimension: number;
}

/** A new memory as delivered to `subscribe` listeners (after commit). */
export interface MemoryEvent {
	tableName: string;
	memory: Memory;
}

export interface SubscribeFilter {
	tableName?: string;
	roomId?: UUID;
}

export type Unsubscribe = () => Promise<void>;

/** One item of `createMemories`. */
export interface CreateMemoryItem {
	memory: Memory;
	tableName: string;
	unique?: boolean;
}

/** Counts reported by `stats()`. */
export interface AdapterStats {
	accounts: number;
	rooms: number;
	participants: number;
	memories: number;
	/** Memories stored without an embedding (none given, or an all-zero one). */
	memoriesMissingEmbedding: number;
	memoriesByType: Record<string, number>;
	goals: number;
	relationships: number;
	logs: number;
	cache: number;
	knowledge: number;
	embeddingDimension: number;
	embeddingModel: string | null;
}
