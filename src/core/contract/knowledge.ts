import type { GetKnowledgeParams, KnowledgeItem, SearchKnowledgeParams, UUID } from "../types.js";

/** The contract's knowledge (RAG) items (see DatabaseAdapter for the rules every call follows). */
export interface KnowledgeCalls {
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
}
