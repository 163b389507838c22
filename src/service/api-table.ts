/**
 * The HTTP API, declared once: every `DatabaseAdapter` call (src/core/contract/*.ts plus
 * `testConnection`) mapped to a route. The Fastify server (server.ts) and the remote client
 * (src/remote/) both derive from this table, through the codec in codec.ts:
 *
 *   client: encodeCall(method, args)  → { verb, path, query, body }   (or `{ local }`: no request)
 *   server: decodeCall(method, req)   → the positional args, then `adapter[method](...args)`
 *   server: encodeResult(method, v)   → 200 `{"result": …}` (`{}` for `undefined`), or 204 for void
 *   client: decodeResult(method, body) → the contract's value (vectors back to number[]/Float32Array)
 *
 * Each route says, per positional argument (`args`, one entry per parameter, optional ones too):
 * - `{ in: "path", name }`: a string argument as the path segment `:name` (URI-encoded). When it is
 *   missing (undefined or null) the client resolves to `absent.result` without a request if the
 *   route has `absent` (lookups: `getMemoryById(undefined)` is `null`); otherwise it throws
 *   `ValidationError` (an empty string too: it cannot be a path segment).
 * - `{ in: "query", name, schema }`: a scalar (string, number or boolean) as `?name=`; omitted when
 *   undefined. The client throws `ValidationError` for a value of another JSON type.
 * - `{ in: "body", name, schema }`: the argument as `body[name]` (a JSON object body).
 * - `{ in: "body" | "query", spread: schema, pathKeys? }`: an object argument whose keys listed in
 *   `pathKeys` fill those path segments and whose other keys become the body's (or the query's)
 *   own keys. At most one `spread` per route, and it may share the body with `name`d arguments.
 *
 * Vectors inside arguments and results are found through the schemas (see wire.ts): requests take
 * number arrays or base64 Float32, responses always carry base64 Float32.
 *
 * Errors: every failure is `{"error":{"code","message"}}` with the `AgentmemError` code and message
 * (errors.ts has the status of each code); the client rethrows the matching typed error.
 *
 * Not in the table (dedicated endpoints, see DEDICATED_ROUTES): `capabilities` (a property),
 * `subscribe` (SSE), `exportRecords`/`importRecords` (NDJSON streams); `init`/`close`/`transaction`
 * are not remote calls. A new contract method without an entry here fails to compile.
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import * as S from "./schemas.js";
import { type Schema, VECTOR_IN } from "./wire.js";

export type HttpVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

type AnyFn = (...args: never[]) => unknown;
type MethodNames<T> = { [K in keyof T]-?: T[K] extends AnyFn ? K : never }[keyof T];

/** Adapter methods that are not one request each (they have dedicated endpoints or none). */
export const LIFECYCLE_METHODS = [
	"init",
	"close",
	"transaction",
	"subscribe",
	"exportRecords",
	"importRecords",
] as const;

/** Every contract method served as one JSON request. */
export type ApiMethod = Exclude<MethodNames<DatabaseAdapter>, (typeof LIFECYCLE_METHODS)[number]>;

export type ArgSpec =
	| { readonly in: "path"; readonly name: string }
	| { readonly in: "query" | "body"; readonly name: string; readonly schema: Schema }
	| {
			readonly in: "query" | "body";
			readonly spread: Schema;
			readonly pathKeys?: readonly string[];
	  };

type Params<K extends ApiMethod> = DatabaseAdapter[K] extends (...args: infer P) => unknown
	? Required<P>
	: never;
/** One `ArgSpec` per element of a parameter tuple (homomorphic, so tuples stay tuples). */
type ArgSpecs<P> = { readonly [I in keyof P]: ArgSpec };

export interface Route<K extends ApiMethod = ApiMethod> {
	readonly verb: HttpVerb;
	/** Fastify path syntax: `/v1/rooms/:roomId/memories`. */
	readonly path: string;
	/** The OpenAPI tag (the contract's topic). */
	readonly tag: string;
	readonly summary: string;
	/** One entry per positional parameter of the method, in order. */
	readonly args: ArgSpecs<Params<K>>;
	/** Schema of the result (inside `{"result": …}`); `null` for a void method (204, no body). */
	readonly result: Schema | null;
	/** A lookup whose path argument is missing resolves to this without a request. */
	readonly absent?: { readonly result: null };
}

const path = (name: string): ArgSpec => ({ in: "path", name });
const query = (name: string, schema: Schema): ArgSpec => ({ in: "query", name, schema });
const body = (name: string, schema: Schema): ArgSpec => ({ in: "body", name, schema });
const spread = (where: "query" | "body", schema: Schema, pathKeys?: string[]): ArgSpec => ({
	in: where,
	spread: schema,
	...(pathKeys ? { pathKeys } : {}),
});
const arrayOf = (items: Schema): Schema => ({ type: "array", items });
const NONE = { absent: { result: null } } as const;
const { ANY, BOOLEAN, ID_IN, IDS_IN, NUMBER, STRING, object } = S;

export const API_TABLE = {
	// ---- accounts ----
	getAccountById: {
		...{ verb: "GET", path: "/v1/accounts/:userId", tag: "accounts", ...NONE },
		summary: "The account, or null.",
		args: [path("userId")],
		result: S.nullable(S.ACCOUNT_OUT),
	},
	createAccount: {
		...{ verb: "POST", path: "/v1/accounts", tag: "accounts" },
		summary: "Creates an account: true when created, false when the id exists.",
		args: [spread("body", S.ACCOUNT_IN)],
		result: BOOLEAN,
	},
	// ---- rooms ----
	getRoom: {
		...{ verb: "GET", path: "/v1/rooms/:roomId", tag: "rooms", ...NONE },
		summary: "The room's id when it exists, else null.",
		args: [path("roomId")],
		result: S.nullable(S.ID),
	},
	createRoom: {
		...{ verb: "POST", path: "/v1/rooms", tag: "rooms" },
		summary: "Creates a room (a random id when none is given; `name` names it) and returns its id.",
		args: [body("roomId", ID_IN), body("name", ANY)],
		result: S.ID,
	},
	removeRoom: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId", tag: "rooms" },
		summary: "Removes the room and, by cascade, what belongs to it.",
		args: [path("roomId")],
		result: null,
	},
	getRoomsForParticipant: {
		...{ verb: "GET", path: "/v1/accounts/:userId/rooms", tag: "rooms" },
		summary: "Ids of the rooms the user participates in.",
		args: [path("userId")],
		result: S.IDS,
	},
	getRoomsForParticipants: {
		...{ verb: "POST", path: "/v1/rooms/for-participants", tag: "rooms" },
		summary: "Ids of the rooms any of the users participates in.",
		args: [body("userIds", IDS_IN)],
		result: S.IDS,
	},
	listRooms: {
		...{ verb: "GET", path: "/v1/rooms", tag: "rooms" },
		summary: "Every room (of the agent, when given) with name, counts and activity.",
		args: [spread("query", object({ agentId: STRING, limit: NUMBER, offset: NUMBER }))],
		result: arrayOf(S.ROOM_SUMMARY_OUT),
	},
	getRoomName: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/name", tag: "rooms" },
		summary: "The room's name; null when it has none or does not exist.",
		args: [path("roomId")],
		result: S.nullable(STRING),
	},
	setRoomName: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/name", tag: "rooms" },
		summary: "Sets (or with null clears) the room's display name.",
		args: [path("roomId"), body("name", ANY)],
		result: null,
	},
	// ---- participants ----
	addParticipant: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/participants/:userId", tag: "participants" },
		summary: "Adds the user to the room (idempotent).",
		args: [path("userId"), path("roomId")],
		result: BOOLEAN,
	},
	removeParticipant: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId/participants/:userId", tag: "participants" },
		summary: "Removes the user from the room: true when a row was removed.",
		args: [path("userId"), path("roomId")],
		result: BOOLEAN,
	},
	getParticipantsForAccount: {
		...{ verb: "GET", path: "/v1/accounts/:userId/participants", tag: "participants" },
		summary: "The user's participations, each with the account.",
		args: [path("userId")],
		result: arrayOf(S.PARTICIPANT_OUT),
	},
	getParticipantsForRoom: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/participants", tag: "participants" },
		summary: "User ids of the room's participants.",
		args: [path("roomId")],
		result: S.IDS,
	},
	getParticipantUserState: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/participants/:userId/state", tag: "participants" },
		summary: "The user's state in the room (FOLLOWED, MUTED or null).",
		args: [path("roomId"), path("userId")],
		result: S.USER_STATE,
	},
	setParticipantUserState: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/participants/:userId/state", tag: "participants" },
		summary: "Sets the user's state in the room.",
		args: [path("roomId"), path("userId"), body("state", ANY)],
		result: null,
	},
	getActorDetails: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/actors", tag: "participants" },
		summary: "The accounts of the room's participants as actors.",
		args: [spread("query", object({ roomId: ID_IN }), ["roomId"])],
		result: arrayOf(S.ACTOR_OUT),
	},
	// ---- goals ----
	getGoals: {
		...{ verb: "POST", path: "/v1/goals/query", tag: "goals" },
		summary: "The room's goals (of the user; only in-progress ones when asked), oldest first.",
		args: [
			spread(
				"body",
				object({ roomId: ID_IN, userId: ID_IN, onlyInProgress: BOOLEAN, count: NUMBER }),
			),
		],
		result: arrayOf(S.GOAL_OUT),
	},
	createGoal: {
		...{ verb: "POST", path: "/v1/goals", tag: "goals" },
		summary: "Creates a goal.",
		args: [spread("body", S.GOAL_IN)],
		result: null,
	},
	updateGoal: {
		...{ verb: "PUT", path: "/v1/goals", tag: "goals" },
		summary: "Replaces the goal's name, status and objectives (the body's id names it).",
		args: [spread("body", S.GOAL_IN)],
		result: null,
	},
	updateGoalStatus: {
		...{ verb: "PATCH", path: "/v1/goals/:goalId/status", tag: "goals" },
		summary: "Sets the goal's status.",
		args: [spread("body", object({ goalId: ID_IN, status: ANY }), ["goalId"])],
		result: null,
	},
	removeGoal: {
		...{ verb: "DELETE", path: "/v1/goals/:goalId", tag: "goals" },
		summary: "Removes the goal.",
		args: [path("goalId")],
		result: null,
	},
	removeAllGoals: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId/goals", tag: "goals" },
		summary: "Removes every goal of the room.",
		args: [path("roomId")],
		result: null,
	},
	// ---- relationships ----
	createRelationship: {
		...{ verb: "POST", path: "/v1/relationships", tag: "relationships" },
		summary: "Creates the relationship between two accounts (idempotent).",
		args: [spread("body", object({ userA: ID_IN, userB: ID_IN }))],
		result: BOOLEAN,
	},
	getRelationship: {
		...{ verb: "GET", path: "/v1/relationships/between", tag: "relationships" },
		summary: "The relationship between the two accounts in either direction, or null.",
		args: [spread("query", object({ userA: STRING, userB: STRING }, ["userA", "userB"]))],
		result: S.nullable(S.RELATIONSHIP_OUT),
	},
	getRelationships: {
		...{ verb: "GET", path: "/v1/accounts/:userId/relationships", tag: "relationships" },
		summary: "Every relationship the user is part of, oldest first.",
		args: [spread("query", object({ userId: ID_IN }), ["userId"])],
		result: arrayOf(S.RELATIONSHIP_OUT),
	},
	// ---- logs ----
	log: {
		...{ verb: "POST", path: "/v1/logs", tag: "logs" },
		summary: "Appends a log entry for the user and room.",
		args: [spread("body", object({ body: ANY, userId: ID_IN, roomId: ID_IN, type: ANY }))],
		result: null,
	},
	// ---- cache ----
	getCache: {
		...{ verb: "GET", path: "/v1/cache", tag: "cache" },
		summary: "The cached string; `result` is absent when there is none.",
		args: [spread("query", object({ agentId: STRING, key: STRING }, ["agentId", "key"]))],
		result: STRING,
	},
	setCache: {
		...{ verb: "PUT", path: "/v1/cache", tag: "cache" },
		summary: "Sets the cached string.",
		args: [
			spread(
				"body",
				object({ agentId: ID_IN, key: ANY, value: ANY, ttlMs: NUMBER, expiresAt: NUMBER }),
			),
		],
		result: BOOLEAN,
	},
	deleteCache: {
		...{ verb: "DELETE", path: "/v1/cache", tag: "cache" },
		summary: "Deletes the cached string: true when one was deleted.",
		args: [spread("query", object({ agentId: STRING, key: STRING }, ["agentId", "key"]))],
		result: BOOLEAN,
	},
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
	// ---- knowledge ----
	getKnowledge: {
		...{ verb: "GET", path: "/v1/knowledge", tag: "knowledge" },
		summary: "Knowledge items of the agent plus shared ones (or the one with `id`).",
		args: [
			spread(
				"query",
				object({
					id: STRING,
					agentId: STRING,
					limit: NUMBER,
					query: STRING,
					conversationContext: STRING,
				}),
			),
		],
		result: arrayOf(S.KNOWLEDGE_OUT),
	},
	searchKnowledge: {
		...{ verb: "POST", path: "/v1/knowledge/search", tag: "knowledge" },
		summary: "The knowledge items most similar to `embedding`.",
		args: [
			spread(
				"body",
				object({
					agentId: ID_IN,
					embedding: VECTOR_IN,
					match_threshold: NUMBER,
					match_count: NUMBER,
					searchText: ANY,
				}),
			),
		],
		result: arrayOf(S.KNOWLEDGE_OUT),
	},
	createKnowledge: {
		...{ verb: "POST", path: "/v1/knowledge", tag: "knowledge" },
		summary: "Stores a knowledge item; an existing id is replaced.",
		args: [spread("body", S.KNOWLEDGE_IN)],
		result: null,
	},
	removeKnowledge: {
		...{ verb: "DELETE", path: "/v1/knowledge/:id", tag: "knowledge" },
		summary: "Removes the item (and its chunks); `<uuid>-chunk-*` removes every chunk.",
		args: [path("id")],
		result: null,
	},
	clearKnowledge: {
		...{ verb: "DELETE", path: "/v1/agents/:agentId/knowledge", tag: "knowledge" },
		summary: "Removes the agent's items (with `shared`, also its shared ones).",
		args: [path("agentId"), query("shared", BOOLEAN)],
		result: null,
	},
	// ---- beyond ElizaOS ----
	stats: {
		...{ verb: "GET", path: "/v1/stats", tag: "database" },
		summary: "Counts of every record kind, and the embedding dimension and model.",
		args: [],
		result: S.STATS_OUT,
	},
	testConnection: {
		...{ verb: "GET", path: "/v1/connection", tag: "database" },
		summary: "The health check: true, or the typed error saying what is wrong.",
		args: [],
		result: BOOLEAN,
	},
} as const satisfies { readonly [K in ApiMethod]: Route<K> };

/** The route of a method, typed as the common `Route` (for generic code). */
export function routeOf(method: ApiMethod): Route {
	return (API_TABLE as Record<ApiMethod, unknown>)[method] as Route;
}

export const API_METHODS = Object.keys(API_TABLE) as ApiMethod[];

/**
 * Endpoints outside the table (the server's own; the remote client calls them directly).
 * - capabilities: `{"result": AdapterCapabilities}`; what the remote adapter reports after init.
 * - events: Server-Sent Events, one `event: memory` per committed memory, `data` a MemoryEvent
 *   with the memory's embedding in base64 (MEMORY_OUT); filter `?tableName=&roomId=`.
 * - export: NDJSON, the `agentmem export` file format (src/portable/jsonl.ts), one record a line.
 * - import: NDJSON body of records in that format (a `database` header line first), one batch per
 *   request (bodies are capped); `?atomic=true` runs the batch in one transaction.
 */
export const DEDICATED_ROUTES = {
	capabilities: { verb: "GET", path: "/v1/capabilities" },
	events: { verb: "GET", path: "/v1/events" },
	export: { verb: "GET", path: "/v1/export" },
	import: { verb: "POST", path: "/v1/import" },
	health: { verb: "GET", path: "/health" },
	ready: { verb: "GET", path: "/ready" },
	metrics: { verb: "GET", path: "/metrics" },
	openapi: { verb: "GET", path: "/openapi.json" },
	docs: { verb: "GET", path: "/docs" },
} as const;
