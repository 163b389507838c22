/**
 * The routes of memories: writes, reads, removal and search.
 * api-table.ts composes the topics and checks that every contract method has a route.
 */
import {
	type ApiMethod,
	arrayOf,
	body,
	NONE,
	path,
	query,
	type Route,
	spread,
} from "./api-route.js";
import * as S from "./schemas.js";
import { VECTOR_IN } from "./wire.js";

const { ANY, BOOLEAN, ID_IN, IDS_IN, NUMBER, STRING, object } = S;

export const MEMORY_ROUTES = {
	// ---- memories ----
	createMemory: {
		...{ verb: "POST", path: "/v1/memories", tag: "memories" },
		summary: "Stores a memory (see the contract for `unique`).",
		args: [body("memory", S.MEMORY_IN), body("tableName", ANY), body("unique", ANY)],
		result: null,
	},
	createMemories: {
		...{ verb: "POST", path: "/v1/memories/batch", tag: "memories" },
		summary: "Stores many memories in one transaction: all or none.",
		args: [body("items", { type: "array", items: S.CREATE_MEMORY_ITEM, maxItems: S.MAX_ITEMS })],
		result: null,
	},
	getMemories: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/memories", tag: "memories" },
		summary: "The room's memories of this type, newest first.",
		args: [
			spread(
				"query",
				object(
					{
						roomId: ID_IN,
						tableName: STRING,
						agentId: STRING,
						count: NUMBER,
						unique: BOOLEAN,
						start: NUMBER,
						end: NUMBER,
					},
					["tableName"],
				),
				["roomId"],
			),
		],
		result: S.MEMORIES_OUT,
	},
	getMemoryById: {
		...{ verb: "GET", path: "/v1/memories/:id", tag: "memories", ...NONE },
		summary: "The memory, or null.",
		args: [path("id")],
		result: S.nullable(S.MEMORY_OUT),
	},
	deleteMemories: {
		...{ verb: "POST", path: "/v1/memories/delete", tag: "memories" },
		summary: "Deletes the memories matching every criterion of the filter; returns how many.",
		args: [
			spread(
				"body",
				object({
					tableName: ANY,
					roomId: ID_IN,
					agentId: ID_IN,
					userId: ID_IN,
					before: NUMBER,
					after: NUMBER,
					ids: IDS_IN,
				}),
			),
		],
		result: S.INTEGER,
	},
	pruneMemories: {
		...{ verb: "POST", path: "/v1/memories/prune", tag: "memories" },
		summary: "Retention: deletes old memories beyond the newest `keepLast`; returns how many.",
		args: [
			spread(
				"body",
				object({
					olderThan: NUMBER,
					before: NUMBER,
					keepLast: NUMBER,
					tableName: ANY,
					roomId: ID_IN,
					agentId: ID_IN,
				}),
			),
		],
		result: S.INTEGER,
	},
	getMemoriesByIds: {
		...{ verb: "POST", path: "/v1/memories/by-ids", tag: "memories" },
		summary: "The memories with these ids that exist (of this type, when given).",
		args: [body("ids", IDS_IN), body("tableName", ANY)],
		result: S.MEMORIES_OUT,
	},
	getMemoriesByRoomIds: {
		...{ verb: "POST", path: "/v1/memories/by-rooms", tag: "memories" },
		summary: "Memories of this type in any of the rooms, newest first.",
		args: [
			spread("body", object({ roomIds: IDS_IN, tableName: ANY, agentId: ID_IN, limit: NUMBER })),
		],
		result: S.MEMORIES_OUT,
	},
	countMemories: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/memories/count", tag: "memories" },
		summary: "How many memories of this type the room holds.",
		args: [path("roomId"), query("unique", BOOLEAN), query("tableName", STRING)],
		result: S.INTEGER,
	},
	removeMemory: {
		...{ verb: "DELETE", path: "/v1/memories/:memoryId", tag: "memories" },
		summary: "Removes the memory of this type with this id.",
		args: [path("memoryId"), query("tableName", STRING)],
		result: null,
	},
	removeAllMemories: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId/memories", tag: "memories" },
		summary: "Removes every memory of this type in the room.",
		args: [path("roomId"), query("tableName", STRING)],
		result: null,
	},
	searchMemoriesByEmbedding: {
		...{ verb: "POST", path: "/v1/memories/search", tag: "memories" },
		summary: "The memories most similar to `embedding` among those passing every filter.",
		args: [
			body("embedding", VECTOR_IN),
			spread(
				"body",
				object({
					tableName: ANY,
					match_threshold: NUMBER,
					count: NUMBER,
					roomId: ID_IN,
					agentId: ID_IN,
					unique: BOOLEAN,
				}),
			),
		],
		result: S.MEMORIES_OUT,
	},
	searchMemories: {
		...{ verb: "POST", path: "/v1/call/searchMemories", tag: "memories" },
		summary: "searchMemoriesByEmbedding in ElizaOS's other parameter shape.",
		args: [
			spread(
				"body",
				object({
					tableName: ANY,
					roomId: ID_IN,
					agentId: ID_IN,
					embedding: VECTOR_IN,
					match_threshold: NUMBER,
					match_count: NUMBER,
					unique: BOOLEAN,
				}),
			),
		],
		result: S.MEMORIES_OUT,
	},
	getCachedEmbeddings: {
		...{ verb: "POST", path: "/v1/memories/cached-embeddings", tag: "memories" },
		summary: "Embeddings of stored memories whose text is close to the input (Levenshtein).",
		args: [
			spread(
				"body",
				object({
					query_table_name: ANY,
					query_threshold: NUMBER,
					query_input: ANY,
					query_field_name: ANY,
					query_field_sub_name: ANY,
					query_match_count: NUMBER,
				}),
			),
		],
		result: arrayOf(S.CACHED_EMBEDDING_OUT),
	},
	getMemoriesMissingEmbeddings: {
		...{ verb: "GET", path: "/v1/memories/missing-embeddings", tag: "memories" },
		summary: "Memories stored without an embedding, oldest first.",
		args: [spread("query", object({ tableName: STRING, count: NUMBER }))],
		result: S.MEMORIES_OUT,
	},
	updateMemoryEmbedding: {
		...{ verb: "PUT", path: "/v1/memories/:id/embedding", tag: "memories" },
		summary: "Sets the embedding of an existing memory.",
		args: [path("id"), body("embedding", VECTOR_IN)],
		result: null,
	},
} as const satisfies { readonly [K in ApiMethod]?: Route<K> };
