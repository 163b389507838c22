/**
 * JSON Schemas of the contract's types, as they travel (src/service/wire.ts for vectors). Request
 * schemas check JSON types only: the adapter then applies every contract rule itself, so a bad
 * value gets the same `ValidationError` message over HTTP as in process. Response schemas are what
 * Fastify serialises with; free-form JSON (`content`, `details`, `objectives`, `body`) is `{}`.
 */
import {
	type Schema,
	VECTOR_IN_ARRAY,
	VECTOR_IN_F32,
	VECTOR_OUT_ARRAY,
	VECTOR_OUT_F32,
} from "./wire.js";

/** The largest count or limit the contract accepts (what PostgreSQL binds). */
export const MAX_INT = 2 ** 31 - 1;

export const ANY: Schema = {};
export const STRING: Schema = { type: "string" };
export const BOOLEAN: Schema = { type: "boolean" };
export const NUMBER: Schema = { type: "number" };
export const INTEGER: Schema = { type: "integer" };
/** An id: any string here; the adapter checks the UUID (or knowledge id) form. */
export const ID: Schema = { type: "string", description: "A UUID (normalised to lower case)." };
export const IDS: Schema = { type: "array", items: ID };
/** An id in a request: a string, or null where the contract treats a missing id as absent. */
export const ID_IN: Schema = { type: ["string", "null"], description: "A UUID, or null." };
/** The most items a request array (batch, ids) may hold. */
export const MAX_ITEMS = 10_000;
export const IDS_IN: Schema = { type: "array", items: ID_IN, maxItems: MAX_ITEMS };
export const NULL: Schema = { type: "null" };
export const nullable = (s: Schema): Schema => ({ anyOf: [s, NULL] });
/** A JSON object with these properties (others are passed through to the adapter, which decides). */
export const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
	type: "object",
	properties,
	...(required.length ? { required } : {}),
});

// ---- requests ----

export const MEMORY_IN = object(
	{
		id: ID_IN,
		userId: ID_IN,
		agentId: ID_IN,
		roomId: ID_IN,
		createdAt: NUMBER,
		content: ANY,
		embedding: VECTOR_IN_ARRAY,
		similarity: NUMBER,
		unique: BOOLEAN,
	},
	[],
);
export const ACCOUNT_IN = object({
	id: ID_IN,
	name: ANY,
	username: ANY,
	email: ANY,
	avatarUrl: ANY,
	details: ANY,
});
export const GOAL_IN = object({
	id: ID_IN,
	roomId: ID_IN,
	userId: ID_IN,
	name: ANY,
	status: ANY,
	objectives: ANY,
});
export const KNOWLEDGE_IN = object({
	id: ID_IN,
	agentId: ID_IN,
	content: ANY,
	embedding: VECTOR_IN_F32,
	createdAt: NUMBER,
	similarity: NUMBER,
	score: NUMBER,
});
export const CREATE_MEMORY_ITEM = object(
	{ memory: MEMORY_IN, tableName: STRING, unique: BOOLEAN },
	["memory", "tableName"],
);

// ---- responses ----

export const MEMORY_OUT = object({
	id: ID,
	userId: ID,
	agentId: ID,
	roomId: ID,
	createdAt: NUMBER,
	content: ANY,
	embedding: VECTOR_OUT_ARRAY,
	similarity: NUMBER,
	unique: BOOLEAN,
});
export const MEMORIES_OUT: Schema = { type: "array", items: MEMORY_OUT };
export const ACCOUNT_OUT = object({
	id: ID,
	name: STRING,
	username: STRING,
	email: STRING,
	avatarUrl: STRING,
	details: ANY,
});
export const ACTOR_OUT = object({ id: ID, name: STRING, username: STRING, details: ANY });
export const PARTICIPANT_OUT = object({ id: ID, account: ACCOUNT_OUT });
export const GOAL_OUT = object({
	id: ID,
	roomId: ID,
	userId: ID,
	name: STRING,
	status: STRING,
	objectives: ANY,
});
export const RELATIONSHIP_OUT = object({
	id: ID,
	userA: ID,
	userB: ID,
	userId: ID,
	roomId: nullable(ID),
	status: STRING,
	createdAt: NUMBER,
});
export const KNOWLEDGE_OUT = object({
	id: STRING,
	agentId: ID,
	content: ANY,
	embedding: VECTOR_OUT_F32,
	createdAt: NUMBER,
	similarity: NUMBER,
	score: NUMBER,
});
export const CACHED_EMBEDDING_OUT = object({
	embedding: VECTOR_OUT_ARRAY,
	levenshtein_score: NUMBER,
});
export const ROOM_SUMMARY_OUT = object({
	id: ID,
	name: nullable(STRING),
	createdAt: NUMBER,
	participants: INTEGER,
	memories: { type: "object", additionalProperties: INTEGER },
	firstActivity: nullable(NUMBER),
	lastActivity: nullable(NUMBER),
});
export const USER_STATE: Schema = {
	anyOf: [{ type: "string", enum: ["FOLLOWED", "MUTED"] }, NULL],
};
export const STATS_OUT = object({
	accounts: INTEGER,
	rooms: INTEGER,
	participants: INTEGER,
	memories: INTEGER,
	memoriesMissingEmbedding: INTEGER,
	memoriesByType: { type: "object", additionalProperties: INTEGER },
	goals: INTEGER,
	relationships: INTEGER,
	logs: INTEGER,
	cache: INTEGER,
	knowledge: INTEGER,
	embeddingDimension: INTEGER,
	embeddingModel: nullable(STRING),
});
export const CAPABILITIES_OUT = object({
	backend: STRING,
	vectorSearch: STRING,
	exactSearch: BOOLEAN,
	persistent: BOOLEAN,
	multipleConnections: BOOLEAN,
	crossProcessSubscribe: BOOLEAN,
	rowLevelSecurity: BOOLEAN,
	embeddingDimension: INTEGER,
});
export const ERROR_OUT = object(
	{
		error: object({ code: STRING, message: STRING }, ["code", "message"]),
	},
	["error"],
);
