/** The bad-input rows of the memory methods: each must throw ValidationError and write nothing. */
import type { GetCachedEmbeddingsParams } from "../../src/core/types.js";
import { BAD_ID, type Case, DIM, NUL, SQL_TABLE } from "./bad-input-cases.js";
import { axis, memory, newId } from "./fixtures.js";

function cachedQuery(overrides: Partial<GetCachedEmbeddingsParams>): GetCachedEmbeddingsParams {
	return {
		query_table_name: "messages",
		query_threshold: 2,
		query_input: "x",
		query_field_name: "content",
		query_field_sub_name: "text",
		query_match_count: 5,
		...overrides,
	};
}

export const MEMORY_VALIDATION: Case[] = [
	["createMemory: non-UUID id", (a, w) => a.createMemory(memory(w, { id: BAD_ID }), "messages")],
	[
		"createMemory: non-UUID userId",
		(a, w) => a.createMemory(memory(w, { userId: BAD_ID }), "messages"),
	],
	[
		"createMemory: non-UUID roomId",
		(a, w) => a.createMemory(memory(w, { roomId: BAD_ID }), "messages"),
	],
	["createMemory: SQL in tableName", (a, w) => a.createMemory(memory(w), SQL_TABLE)],
	["createMemory: empty tableName", (a, w) => a.createMemory(memory(w), "")],
	[
		"createMemory: content is a string",
		(a, w) => a.createMemory({ ...memory(w), content: "hi" as never }, "messages"),
	],
	[
		"createMemory: content is an array",
		(a, w) => a.createMemory({ ...memory(w), content: ["hi"] as never }, "messages"),
	],
	[
		"createMemory: content is null",
		(a, w) => a.createMemory({ ...memory(w), content: null as never }, "messages"),
	],
	["createMemory: NUL in text", (a, w) => a.createMemory(memory(w, { text: NUL }), "messages")],
	[
		"createMemory: NUL in a nested value",
		(a, w) => a.createMemory(memory(w, { content: { text: "t", deep: [{ x: NUL }] } }), "messages"),
	],
	[
		"createMemory: NaN in content",
		(a, w) => a.createMemory(memory(w, { content: { text: "t", n: Number.NaN } }), "messages"),
	],
	[
		"createMemory: negative createdAt",
		(a, w) => a.createMemory(memory(w, { createdAt: -1 }), "messages"),
	],
	[
		"createMemory: fractional createdAt",
		(a, w) => a.createMemory(memory(w, { createdAt: 1.5 }), "messages"),
	],
	[
		"createMemory: embedding not an array",
		(a, w) => a.createMemory(memory(w, { embedding: "1,2" as never }), "messages"),
	],
	[
		"createMemories: one bad tableName",
		(a, w) =>
			a.createMemories([
				{ memory: memory(w), tableName: "messages" },
				{ memory: memory(w), tableName: SQL_TABLE },
			]),
	],
	["getMemories: non-UUID room", (a) => a.getMemories({ roomId: BAD_ID, tableName: "messages" })],
	[
		"getMemories: SQL in tableName",
		(a, w) => a.getMemories({ roomId: w.roomId, tableName: SQL_TABLE }),
	],
	[
		"getMemories: negative count",
		(a, w) => a.getMemories({ roomId: w.roomId, tableName: "messages", count: -1 }),
	],
	[
		"getMemories: fractional count",
		(a, w) => a.getMemories({ roomId: w.roomId, tableName: "messages", count: 2.5 }),
	],
	[
		"getMemories: non-UUID agent",
		(a, w) => a.getMemories({ roomId: w.roomId, tableName: "messages", agentId: BAD_ID }),
	],
	["getMemoryById: non-UUID", (a) => a.getMemoryById(BAD_ID)],
	["getMemoriesByIds: non-UUID", (a) => a.getMemoriesByIds([newId(), BAD_ID])],
	["getMemoriesByIds: SQL in tableName", (a) => a.getMemoriesByIds([newId()], SQL_TABLE)],
	[
		"getMemoriesByRoomIds: non-UUID",
		(a) => a.getMemoriesByRoomIds({ roomIds: [BAD_ID], tableName: "messages" }),
	],
	[
		"getMemoriesByRoomIds: negative limit",
		(a, w) => a.getMemoriesByRoomIds({ roomIds: [w.roomId], tableName: "messages", limit: -5 }),
	],
	["countMemories: non-UUID", (a) => a.countMemories(BAD_ID, true, "messages")],
	["countMemories: SQL in tableName", (a, w) => a.countMemories(w.roomId, true, SQL_TABLE)],
	["removeMemory: non-UUID", (a) => a.removeMemory(BAD_ID, "messages")],
	["removeMemory: SQL in tableName", (a) => a.removeMemory(newId(), SQL_TABLE)],
	["removeAllMemories: non-UUID", (a) => a.removeAllMemories(BAD_ID, "messages")],
	["removeAllMemories: SQL in tableName", (a, w) => a.removeAllMemories(w.roomId, SQL_TABLE)],
	[
		"searchMemoriesByEmbedding: SQL in tableName",
		(a) => a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: SQL_TABLE }),
	],
	[
		"searchMemoriesByEmbedding: negative count",
		(a) => a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", count: -1 }),
	],
	[
		"searchMemoriesByEmbedding: fractional count",
		(a) => a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", count: 1.5 }),
	],
	[
		"searchMemoriesByEmbedding: threshold above 1",
		(a) =>
			a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", match_threshold: 1.5 }),
	],
	[
		"searchMemoriesByEmbedding: NaN threshold",
		(a) =>
			a.searchMemoriesByEmbedding(axis(DIM, 0), {
				tableName: "messages",
				match_threshold: Number.NaN,
			}),
	],
	[
		"searchMemoriesByEmbedding: non-UUID room",
		(a) => a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", roomId: BAD_ID }),
	],
	[
		"searchMemories: negative match_count",
		(a, w) =>
			a.searchMemories({
				tableName: "messages",
				roomId: w.roomId,
				embedding: axis(DIM, 0),
				match_threshold: 0,
				match_count: -1,
				unique: false,
			}),
	],
	[
		"getCachedEmbeddings: SQL in query_table_name",
		(a) => a.getCachedEmbeddings(cachedQuery({ query_table_name: SQL_TABLE })),
	],
	[
		"getCachedEmbeddings: unknown query_field_name",
		(a) => a.getCachedEmbeddings(cachedQuery({ query_field_name: "content; DROP TABLE memories" })),
	],
	[
		"getCachedEmbeddings: SQL in query_field_sub_name",
		(a) =>
			a.getCachedEmbeddings(
				cachedQuery({ query_field_sub_name: "text'); DROP TABLE memories;--" }),
			),
	],
	[
		"getCachedEmbeddings: negative threshold",
		(a) => a.getCachedEmbeddings(cachedQuery({ query_threshold: -1 })),
	],
	[
		"getCachedEmbeddings: fractional match count",
		(a) => a.getCachedEmbeddings(cachedQuery({ query_match_count: 0.5 })),
	],
	[
		"getCachedEmbeddings: NUL in input",
		(a) => a.getCachedEmbeddings(cachedQuery({ query_input: NUL })),
	],
	[
		"getMemoriesMissingEmbeddings: negative count",
		(a) => a.getMemoriesMissingEmbeddings({ count: -1 }),
	],
	[
		"getMemoriesMissingEmbeddings: SQL in tableName",
		(a) => a.getMemoriesMissingEmbeddings({ tableName: SQL_TABLE }),
	],
	["updateMemoryEmbedding: non-UUID", (a) => a.updateMemoryEmbedding(BAD_ID, axis(DIM, 0))],
];
