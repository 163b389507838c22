/**
 * The bad-input tables: one row per method and bad argument. Each call must be refused with a typed
 * error and write nothing (see bad-input.ts).
 */
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { account, axis, memory, newId, type World } from "./fixtures.js";

export const DIM = 8;
export const BAD_ID = "not-a-uuid" as UUID;
export const SQL_TABLE = "messages'; DROP TABLE memories;--";
export const NUL = "a\u0000b";

export type Case = [name: string, call: (a: DatabaseAdapter, w: World) => Promise<unknown>];

/** Calls that must throw ValidationError and write nothing (memory methods: bad-input-memory-cases.ts). */
export const VALIDATION: Case[] = [
	["getAccountById: non-UUID", (a) => a.getAccountById(BAD_ID)],
	["createAccount: non-UUID id", (a) => a.createAccount(account({ id: BAD_ID }))],
	[
		"createAccount: name not a string",
		(a) => a.createAccount(account({ name: 42 as unknown as string })),
	],
	["createAccount: NUL in username", (a) => a.createAccount(account({ username: NUL }))],
	[
		"createAccount: details not an object",
		(a) => a.createAccount(account({ details: "x" as never })),
	],
	["getRoom: non-UUID", (a) => a.getRoom(BAD_ID)],
	["createRoom: non-UUID", (a) => a.createRoom(BAD_ID)],
	["removeRoom: non-UUID", (a) => a.removeRoom(BAD_ID)],
	["getRoomsForParticipant: non-UUID", (a) => a.getRoomsForParticipant(BAD_ID)],
	["getRoomsForParticipants: non-UUID", (a, w) => a.getRoomsForParticipants([w.userId, BAD_ID])],
	["addParticipant: non-UUID user", (a, w) => a.addParticipant(BAD_ID, w.roomId)],
	["addParticipant: non-UUID room", (a, w) => a.addParticipant(w.userId, BAD_ID)],
	["removeParticipant: non-UUID", (a, w) => a.removeParticipant(BAD_ID, w.roomId)],
	["getParticipantsForAccount: non-UUID", (a) => a.getParticipantsForAccount(BAD_ID)],
	["getParticipantsForRoom: non-UUID", (a) => a.getParticipantsForRoom(BAD_ID)],
	["getParticipantUserState: non-UUID", (a, w) => a.getParticipantUserState(w.roomId, BAD_ID)],
	[
		"setParticipantUserState: unknown state",
		(a, w) => a.setParticipantUserState(w.roomId, w.userId, "BORED" as never),
	],
	["getActorDetails: non-UUID", (a) => a.getActorDetails({ roomId: BAD_ID })],
	["getGoals: non-UUID room", (a) => a.getGoals({ roomId: BAD_ID })],
	["getGoals: negative count", (a, w) => a.getGoals({ roomId: w.roomId, count: -1 })],
	[
		"createGoal: unknown status",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "MAYBE" as never,
				objectives: [],
			}),
	],
	[
		"createGoal: objectives not an array",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "DONE",
				objectives: "none" as never,
			}),
	],
	[
		"createGoal: NUL in name",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: NUL,
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"updateGoal: non-UUID",
		(a, w) =>
			a.updateGoal({
				id: BAD_ID,
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"updateGoalStatus: unknown status",
		(a) => a.updateGoalStatus({ goalId: newId(), status: "MAYBE" as never }),
	],
	["removeGoal: non-UUID", (a) => a.removeGoal(BAD_ID)],
	["removeAllGoals: non-UUID", (a) => a.removeAllGoals(BAD_ID)],
	[
		"createRelationship: non-UUID",
		(a, w) => a.createRelationship({ userA: w.userId, userB: BAD_ID }),
	],
	["getRelationship: non-UUID", (a, w) => a.getRelationship({ userA: BAD_ID, userB: w.userId })],
	["getRelationships: non-UUID", (a) => a.getRelationships({ userId: BAD_ID })],
	[
		"log: body not an object",
		(a, w) => a.log({ body: "text" as never, userId: w.userId, roomId: w.roomId, type: "t" }),
	],
	[
		"log: NUL in type",
		(a, w) => a.log({ body: {}, userId: w.userId, roomId: w.roomId, type: NUL }),
	],
	[
		"log: non-UUID room",
		(a, w) => a.log({ body: {}, userId: w.userId, roomId: BAD_ID, type: "t" }),
	],
	["getCache: non-UUID agent", (a) => a.getCache({ agentId: BAD_ID, key: "k" })],
	[
		"setCache: value not a string",
		(a, w) => a.setCache({ agentId: w.agentId, key: "k", value: { a: 1 } as never }),
	],
	["setCache: NUL in key", (a, w) => a.setCache({ agentId: w.agentId, key: NUL, value: "v" })],
	["setCache: NUL in value", (a, w) => a.setCache({ agentId: w.agentId, key: "k", value: NUL })],
	["deleteCache: non-UUID agent", (a) => a.deleteCache({ agentId: BAD_ID, key: "k" })],
	["getKnowledge: non-UUID agent", (a) => a.getKnowledge({ agentId: BAD_ID })],
	["getKnowledge: negative limit", (a, w) => a.getKnowledge({ agentId: w.agentId, limit: -1 })],
	[
		"createKnowledge: non-UUID id",
		(a, w) => a.createKnowledge({ id: BAD_ID, agentId: w.agentId, content: { text: "k" } }),
	],
	[
		"createKnowledge: text not a string",
		(a, w) => a.createKnowledge({ id: newId(), agentId: w.agentId, content: { text: 5 as never } }),
	],
	[
		"createKnowledge: NUL in text",
		(a, w) => a.createKnowledge({ id: newId(), agentId: w.agentId, content: { text: NUL } }),
	],
	[
		"searchKnowledge: negative match_count",
		(a, w) =>
			a.searchKnowledge({
				agentId: w.agentId,
				embedding: axis(DIM, 0),
				match_threshold: 0,
				match_count: -1,
			}),
	],
	[
		"searchKnowledge: threshold below -1",
		(a, w) =>
			a.searchKnowledge({
				agentId: w.agentId,
				embedding: axis(DIM, 0),
				match_threshold: -2,
				match_count: 1,
			}),
	],
	["removeKnowledge: non-UUID", (a) => a.removeKnowledge(BAD_ID)],
	["clearKnowledge: non-UUID", (a) => a.clearKnowledge(BAD_ID)],
	["subscribe: SQL in tableName", (a) => a.subscribe({ tableName: SQL_TABLE }, () => {})],
	["subscribe: non-UUID room", (a) => a.subscribe({ roomId: BAD_ID }, () => {})],
];

/** Writes naming something that does not exist: NotFoundError, nothing written. */
export const NOT_FOUND: Case[] = [
	["addParticipant: unknown user", (a, w) => a.addParticipant(newId(), w.roomId)],
	["addParticipant: unknown room", (a, w) => a.addParticipant(w.userId, newId())],
	[
		"setParticipantUserState: not a participant",
		(a, w) => a.setParticipantUserState(w.otherRoomId, w.userId, "MUTED"),
	],
	[
		"createMemory: unknown room",
		(a, w) => a.createMemory(memory(w, { roomId: newId() }), "messages"),
	],
	[
		"createMemory: unknown user",
		(a, w) => a.createMemory(memory(w, { userId: newId() }), "messages"),
	],
	[
		"createMemory: unknown agent",
		(a, w) => a.createMemory(memory(w, { agentId: newId() }), "messages"),
	],
	[
		"createMemories: one unknown room",
		(a, w) =>
			a.createMemories([
				{ memory: memory(w), tableName: "messages" },
				{ memory: memory(w, { roomId: newId() }), tableName: "messages" },
			]),
	],
	["updateMemoryEmbedding: unknown memory", (a) => a.updateMemoryEmbedding(newId(), axis(DIM, 0))],
	[
		"createGoal: unknown room",
		(a, w) =>
			a.createGoal({
				roomId: newId(),
				userId: w.userId,
				name: "g",
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"createGoal: unknown user",
		(a, w) =>
			a.createGoal({
				roomId: w.roomId,
				userId: newId(),
				name: "g",
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"updateGoal: unknown goal",
		(a, w) =>
			a.updateGoal({
				id: newId(),
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "DONE",
				objectives: [],
			}),
	],
	[
		"updateGoalStatus: unknown goal",
		(a) => a.updateGoalStatus({ goalId: newId(), status: "DONE" }),
	],
	[
		"createRelationship: unknown user",
		(a, w) => a.createRelationship({ userA: w.userId, userB: newId() }),
	],
	[
		"log: unknown room",
		(a, w) => a.log({ body: {}, userId: w.userId, roomId: newId(), type: "t" }),
	],
	[
		"log: unknown user",
		(a, w) => a.log({ body: {}, userId: newId(), roomId: w.roomId, type: "t" }),
	],
];
