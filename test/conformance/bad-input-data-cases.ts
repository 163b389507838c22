/**
 * The bad-input rows of the data rules (DESIGN.md "Data rules"): JSON that would silently change,
 * lone surrogates in any stored string, counts out of range. Each must throw ValidationError and
 * write nothing, with the same outcome on every backend.
 */
import type { UUID } from "../../src/core/types.js";
import { MAX_JSON_DEPTH } from "../../src/core/validation.js";
import { type Case, DIM } from "./bad-input-cases.js";
import { account, axis, memory, newId, type World } from "./fixtures.js";

/** A high surrogate with nothing after it: not Unicode text (PostgreSQL refuses it, SQLite kept it). */
export const LONE = "a\uD800b";
/** Past every int4 column and LIMIT PostgreSQL binds. */
export const HUGE = 2 ** 31;

/** `{ d: { d: … } }` with `depth` objects in all (the outermost counts as 1). */
export function nested(depth: number): Record<string, unknown> {
	let value: Record<string, unknown> = { leaf: true };
	for (let i = 1; i < depth; i++) value = { d: value };
	return value;
}

function cyclic(): Record<string, unknown> {
	const o: Record<string, unknown> = { text: "loop" };
	o.self = { back: o };
	return o;
}

/** Every JSON-valued field, refusing `bad` placed inside it. */
function jsonFields(name: string, bad: () => unknown): Case[] {
	const goal = (w: World) => ({
		roomId: w.roomId,
		userId: w.userId,
		name: "g",
		status: "DONE" as const,
		objectives: [{ description: "o", completed: false, extra: bad() }],
	});
	return [
		[
			`createMemory: ${name} in content`,
			(a, w) => a.createMemory(memory(w, { content: { text: "t", x: bad() } }), "messages"),
		],
		[
			`createMemories: ${name} in the second content`,
			(a, w) =>
				a.createMemories([
					{ memory: memory(w), tableName: "messages" },
					{ memory: memory(w, { content: { text: "t", x: bad() } }), tableName: "messages" },
				]),
		],
		[
			`createAccount: ${name} in details`,
			(a) => a.createAccount(account({ details: { x: bad() } })),
		],
		[`createGoal: ${name} in objectives`, (a, w) => a.createGoal(goal(w))],
		[
			`log: ${name} in body`,
			(a, w) => a.log({ body: { x: bad() }, userId: w.userId, roomId: w.roomId, type: "t" }),
		],
		[
			`createKnowledge: ${name} in content`,
			(a, w) =>
				a.createKnowledge({
					id: newId(),
					agentId: w.agentId,
					content: { text: "k", metadata: { x: bad() } },
				}),
		],
	];
}

export const DATA_RULE_VALIDATION: Case[] = [
	...jsonFields("NaN", () => Number.NaN),
	...jsonFields("Infinity", () => [1, Number.NEGATIVE_INFINITY]),
	...jsonFields("BigInt", () => 10n),
	...jsonFields("a cycle", cyclic),
	...jsonFields("a lone surrogate", () => ({ s: LONE })),
	...jsonFields("a lone surrogate key", () => ({ "\uDC00": 1 })),
	...jsonFields("U+0000", () => "a\u0000"),
	...jsonFields("nesting past the limit", () => nested(MAX_JSON_DEPTH)),
	[
		"createMemory: content 1,500 deep",
		(a, w) => a.createMemory({ ...memory(w), content: nested(1500) }, "messages"),
	],
	// Lone surrogates in every stored string.
	[
		"createMemory: lone surrogate in text",
		(a, w) => a.createMemory(memory(w, { text: LONE }), "messages"),
	],
	["createAccount: lone surrogate in name", (a) => a.createAccount(account({ name: LONE }))],
	[
		"createAccount: lone surrogate in username",
		(a) => a.createAccount(account({ username: LONE })),
	],
	["createAccount: lone surrogate in email", (a) => a.createAccount(account({ email: LONE }))],
	[
		"createAccount: lone surrogate in avatarUrl",
		(a) => a.createAccount(account({ avatarUrl: LONE })),
	],
	[
		"createGoal: lone surrogate in name",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: LONE,
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"createGoal: lone surrogate in an objective",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "DONE",
				objectives: [{ description: LONE, completed: false }],
			}),
	],
	[
		"log: lone surrogate in type",
		(a, w) => a.log({ body: {}, userId: w.userId, roomId: w.roomId, type: LONE }),
	],
	[
		"setCache: lone surrogate in key",
		(a, w) => a.setCache({ agentId: w.agentId, key: LONE, value: "v" }),
	],
	[
		"setCache: lone surrogate in value",
		(a, w) => a.setCache({ agentId: w.agentId, key: "k", value: LONE }),
	],
	[
		"createKnowledge: lone surrogate in text",
		(a, w) => a.createKnowledge({ id: newId(), agentId: w.agentId, content: { text: LONE } }),
	],
	// Counts and limits beyond what every backend binds (PostgreSQL: int4, 2^31 - 1).
	[
		"getMemories: count 2^31",
		(a, w) => a.getMemories({ roomId: w.roomId, tableName: "messages", count: HUGE }),
	],
	[
		"getMemoriesByRoomIds: limit 2^31",
		(a, w) => a.getMemoriesByRoomIds({ roomIds: [w.roomId], tableName: "messages", limit: HUGE }),
	],
	[
		"searchMemoriesByEmbedding: count 2^31",
		(a) => a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", count: HUGE }),
	],
	[
		"searchMemories: match_count 2^31",
		(a, w) =>
			a.searchMemories({
				tableName: "messages",
				roomId: w.roomId,
				embedding: axis(DIM, 0),
				match_threshold: 0,
				match_count: HUGE,
				unique: false,
			}),
	],
	["getGoals: count 2^31", (a, w) => a.getGoals({ roomId: w.roomId, count: HUGE })],
	["getGoals: count 1.5", (a, w) => a.getGoals({ roomId: w.roomId, count: 1.5 })],
	["getKnowledge: limit 2^31", (a, w) => a.getKnowledge({ agentId: w.agentId, limit: HUGE })],
	[
		"searchKnowledge: match_count 2^31",
		(a, w) =>
			a.searchKnowledge({
				agentId: w.agentId,
				embedding: axis(DIM, 0),
				match_threshold: 0,
				match_count: HUGE,
			}),
	],
	[
		"getCachedEmbeddings: query_match_count 2^31",
		(a) =>
			a.getCachedEmbeddings({
				query_table_name: "messages",
				query_threshold: 2,
				query_input: "x",
				query_field_name: "content",
				query_field_sub_name: "text",
				query_match_count: HUGE,
			}),
	],
	[
		"getMemoriesMissingEmbeddings: count 2^31",
		(a) => a.getMemoriesMissingEmbeddings({ count: HUGE }),
	],
	// Malformed ids stay errors even where a missing one is "not found".
	["getMemoryById: upper-case garbage", (a) => a.getMemoryById("NOT-A-UUID" as UUID)],
	["getAccountById: empty string", (a) => a.getAccountById("" as UUID)],
	["getRoom: a number", (a) => a.getRoom(7 as unknown as UUID)],
];
