/**
 * Operations drawn from the whole DatabaseAdapter contract, as plain data (a method name and its
 * arguments) so one generated sequence runs unchanged on every backend and prints as code.
 * Subscriptions are left out: their events arrive asynchronously (PostgreSQL: after a NOTIFY
 * round trip), so they are compared by the subscribe conformance tests, not call by call here.
 */
import fc from "fast-check";
import * as d from "./domain.js";

/** A contract call: `adapter[m](...a)`. */
export interface CallOp {
	m: string;
	a: unknown[];
}

/**
 * `transaction(fn)`: `fn` runs `body` on `tx` (each call's failure caught when `catchEach`, else the
 * first failure propagates), then returns normally or throws its own error (`end: "throw"`).
 */
export interface TransactionOp {
	m: "transaction";
	body: Op[];
	catchEach: boolean;
	end: "return" | "throw";
}

export type Op = CallOp | TransactionOp;

/** Not a method: `importRecords` of what `exportRecords` yields, on the same adapter. */
export const REIMPORT = "reimportExport";

export const isTransaction = (op: Op): op is TransactionOp =>
	op.m === "transaction" && "body" in op;

export interface GeneratorOptions {
	dim: number;
	/** Float32 overflow/underflow vectors (issue 18 point 1). */
	float32Edges: boolean;
	/** Transactions whose `fn` catches a failed call and goes on (issues 18.2, 19.1). */
	catchInTransactions: boolean;
	/** Deepest transaction nesting. */
	depth: number;
}

/**
 * How often each call is drawn relative to the others (default 2): writes that later reads and
 * searches need come often, removals of whole rooms seldom, so sequences do not stay empty.
 */
const WEIGHTS: Record<string, number> = {
	createMemory: 3,
	createMemories: 3,
	createKnowledge: 4,
	createGoal: 4,
	getMemories: 3,
	searchMemoriesByEmbedding: 4,
	searchMemories: 2,
	searchKnowledge: 4,
	getKnowledge: 3,
	removeRoom: 1,
	removeAllMemories: 1,
	clearKnowledge: 1,
	removeAllGoals: 1,
	removeGoal: 1,
	[REIMPORT]: 1,
};

const call = (m: string, ...a: fc.Arbitrary<unknown>[]): fc.WeightedArbitrary<CallOp> => ({
	arbitrary: fc.tuple(...a).map((args) => ({ m, a: args })),
	weight: WEIGHTS[m] ?? 2,
});

/** An object whose members are left out when undefined (as a caller would write it). */
function record(
	shape: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
	return fc.record(shape).map((r) => {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
		return out;
	});
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

function calls(o: GeneratorOptions): fc.WeightedArbitrary<CallOp>[] {
	const vec = d.embedding(o.dim, o.float32Edges);
	const q = d.query(o.dim, o.float32Edges);
	const account = d.orBad(d.account, d.badId);
	const room = d.orBad(d.room, d.badId);
	const agent = d.orBad(d.agent, d.badId);
	const memory = record({
		id: d.orBad(d.memoryId, d.badId),
		userId: account,
		agentId: agent,
		roomId: room,
		createdAt: d.timestamp,
		content: d.content,
		embedding: opt(vec),
	});
	const goal = record({
		id: d.goalId,
		roomId: room,
		userId: account,
		name: d.orBad(fc.constantFrom("plan", "ship"), fc.constantFrom("", 5)),
		status: d.orBad(fc.constantFrom("IN_PROGRESS", "DONE", "FAILED"), fc.constant("NOPE")),
		objectives: fc.constantFrom(
			[],
			[{ description: "x", completed: false }],
			[{ id: "o1", description: "y", completed: true }],
		),
	});
	const knowledge = record({
		id: d.orBad(
			d.knowledgeId,
			fc.constantFrom("e0000000-0000-4000-8000-000000000000-chunk-*", "%"),
		),
		agentId: agent,
		content: fc.oneof(
			d.text.map((t) => ({ text: t })),
			fc.tuple(d.text, fc.boolean()).map(([t, s]) => ({ text: t, metadata: { isShared: s } })),
			fc
				.tuple(d.text, fc.constantFrom(...d.KNOWLEDGE.slice(0, 2)))
				.map(([t, orig]) => ({ text: t, metadata: { isChunk: true, originalId: orig } })),
		),
		embedding: opt(q),
		createdAt: d.timestamp,
	});
	const roomName = d.orBad(
		fc.constantFrom("general", "launch 🚀"),
		fc.constantFrom("", " ", "a\u0007"),
	);
	const stateArb = d.orBad(fc.constantFrom("FOLLOWED", "MUTED", null), fc.constant("LOUD"));
	return [
		call(
			"createAccount",
			record({
				id: account,
				name: fc.constantFrom("Ann", "Bob"),
				username: fc.constantFrom("ann", "bob"),
				email: opt(fc.constant("a@b.c")),
				details: opt(fc.constantFrom({}, { k: [1, 2] })),
			}),
		),
		call("getAccountById", opt(account)),
		call("createRoom", room),
		call("getRoom", opt(room)),
		call("removeRoom", room),
		call("getRoomsForParticipant", account),
		call("getRoomsForParticipants", fc.array(account, { maxLength: 3 })),
		call("addParticipant", account, room),
		call("removeParticipant", account, room),
		call("getParticipantsForAccount", account),
		call("getParticipantsForRoom", room),
		call("getParticipantUserState", room, account),
		call("setParticipantUserState", room, account, stateArb),
		call("getActorDetails", record({ roomId: room })),
		call("createMemory", memory, d.table, opt(fc.boolean())),
		call("createMemory", memory, d.table, opt(fc.boolean())),
		call("createMemory", memory, d.table, fc.constant(true)),
		call(
			"createMemories",
			fc.array(record({ memory, tableName: d.table, unique: opt(fc.boolean()) }), {
				minLength: 1,
				maxLength: 3,
			}),
		),
		call(
			"getMemories",
			record({
				roomId: room,
				tableName: d.table,
				agentId: opt(agent),
				count: opt(d.smallCount),
				unique: opt(fc.boolean()),
				start: d.bound,
				end: d.bound,
			}),
		),
		call("getMemoryById", opt(d.orBad(d.memoryId, d.badId))),
		call(
			"getMemoriesByIds",
			fc.array(d.orBad(d.memoryId, d.badId), { maxLength: 3 }),
			opt(d.table),
		),
		call(
			"getMemoriesByRoomIds",
			record({
				roomIds: fc.array(room, { maxLength: 2 }),
				tableName: d.table,
				agentId: opt(agent),
				limit: opt(d.smallCount),
			}),
		),
		call("countMemories", room, opt(fc.boolean()), opt(d.table)),
		call("removeMemory", d.orBad(d.memoryId, d.badId), d.table),
		call("removeAllMemories", room, d.table),
		call(
			"searchMemoriesByEmbedding",
			q,
			record({
				tableName: d.table,
				match_threshold: opt(d.threshold),
				count: opt(d.smallCount),
				roomId: opt(room),
				agentId: opt(agent),
				unique: opt(fc.boolean()),
			}),
		),
		call("searchMemoriesByEmbedding", q, record({ tableName: d.table, count: opt(d.smallCount) })),
		call(
			"searchMemories",
			record({
				tableName: d.table,
				roomId: room,
				agentId: opt(agent),
				embedding: q,
				match_threshold: d.threshold,
				match_count: d.smallCount,
				unique: fc.boolean(),
			}),
		),
		call(
			"getCachedEmbeddings",
			record({
				query_table_name: d.table,
				query_threshold: d.orBad(fc.integer({ min: 0, max: 6 }), fc.constant(-1)),
				query_input: d.text,
				query_field_name: fc.constant("content"),
				query_field_sub_name: fc.constantFrom("text", "text", "tag"),
				query_match_count: d.smallCount,
			}),
		),
		call(
			"getMemoriesMissingEmbeddings",
			record({ tableName: opt(d.table), count: opt(d.smallCount) }),
		),
		call("updateMemoryEmbedding", d.orBad(d.memoryId, d.badId), vec),
		call(
			"getGoals",
			record({
				roomId: room,
				userId: opt(account),
				onlyInProgress: opt(fc.boolean()),
				count: opt(d.smallCount),
			}),
		),
		call("createGoal", goal),
		call("updateGoal", goal),
		call(
			"updateGoalStatus",
			record({
				goalId: d.orBad(d.goalId, d.badId),
				status: d.orBad(fc.constantFrom("IN_PROGRESS", "DONE", "FAILED"), fc.constant("NOPE")),
			}),
		),
		call("removeGoal", d.orBad(d.goalId, d.badId)),
		call("removeAllGoals", room),
		call("createRelationship", record({ userA: account, userB: account })),
		call("getRelationship", record({ userA: account, userB: account })),
		call("getRelationships", record({ userId: account })),
		call(
			"log",
			record({
				body: d.orBad(
					fc.constantFrom({ a: 1 }, { t: "x", n: [null] }),
					fc.constant({ n: Number.NaN }),
				),
				userId: account,
				roomId: room,
				type: fc.constantFrom("action", "eval"),
			}),
		),
		call(
			"getCache",
			record({ agentId: agent, key: d.orBad(fc.constantFrom("k", "K"), fc.constant("")) }),
		),
		call(
			"setCache",
			record({
				agentId: agent,
				key: fc.constantFrom("k", "K"),
				value: d.orBad(fc.constantFrom("v", "w", ""), fc.constant("\ud800")),
			}),
		),
		call("deleteCache", record({ agentId: agent, key: fc.constantFrom("k", "K") })),
		call("createKnowledge", knowledge),
		call("createKnowledge", knowledge),
		call(
			"getKnowledge",
			record({
				id: opt(d.orBad(d.knowledgeId, d.badId)),
				agentId: agent,
				limit: opt(d.smallCount),
			}),
		),
		call(
			"searchKnowledge",
			record({
				agentId: agent,
				embedding: q,
				match_threshold: d.threshold,
				match_count: d.smallCount,
			}),
		),
		call(
			"removeKnowledge",
			d.orBad(
				fc.oneof(d.knowledgeId, fc.constantFrom(`${d.KNOWLEDGE[0]}-chunk-*`)),
				fc.constantFrom("%", "*"),
			),
		),
		call("clearKnowledge", agent, opt(fc.boolean())),
		call("stats"),
		call(REIMPORT),
		// Lifecycle (issue 16): names, listing, forgetting, retention, expiring cache entries.
		call("createRoom", room, opt(roomName)),
		call("setRoomName", room, fc.option(roomName, { nil: null })),
		call("getRoomName", room),
		call(
			"listRooms",
			record({ agentId: opt(agent), limit: opt(d.smallCount), offset: opt(d.smallCount) }),
		),
		call(
			"deleteMemories",
			record({
				tableName: opt(d.table),
				roomId: opt(room),
				agentId: opt(agent),
				userId: opt(account),
				before: d.bound,
				after: d.bound,
				ids: opt(fc.array(d.orBad(d.memoryId, d.badId), { maxLength: 3 })),
			}),
		),
		call(
			"pruneMemories",
			record({
				olderThan: opt(fc.constantFrom(0, 2000, 30_000)),
				before: d.bound,
				keepLast: opt(d.orBad(fc.integer({ min: 1, max: 3 }), fc.constant(0))),
				tableName: opt(d.table),
				roomId: opt(room),
				agentId: opt(agent),
			}),
		),
		call(
			"setCache",
			record({
				agentId: agent,
				key: fc.constantFrom("k", "K"),
				value: fc.constantFrom("v", "w"),
				ttlMs: opt(d.orBad(fc.constantFrom(1, 1500, 10_000), fc.constant(0))),
				expiresAt: opt(fc.constantFrom(d.T0, d.T0 + 5000, d.T0 + 60_000)),
			}),
		),
	];
}

/** Operations of the contract, transactions (nested up to `depth`) among them. */
export function operation(o: GeneratorOptions): fc.Arbitrary<Op> {
	const plain = fc.oneof(...calls(o));
	const tx = (depth: number): fc.Arbitrary<Op> => {
		if (depth === 0) return plain;
		const inner = fc.oneof(
			{ weight: 8, arbitrary: plain },
			{ weight: 1, arbitrary: tx(depth - 1) },
		);
		return fc.oneof(
			{ weight: 20, arbitrary: plain },
			{
				weight: 1,
				arbitrary: fc
					.record({
						body: fc.array(inner, { minLength: 1, maxLength: 5 }),
						catchEach: o.catchInTransactions ? fc.boolean() : fc.constant(false),
						end: fc.constantFrom<"return" | "throw">("return", "throw"),
					})
					.map((r): Op => ({ m: "transaction", ...r })),
			},
		);
	};
	return tx(o.depth);
}

/** Exactly `length` operations (minimise.ts shrinks a failing one). */
export function sequence(o: GeneratorOptions, length: number): fc.Arbitrary<Op[]> {
	return fc.array(operation(o), { minLength: length, maxLength: length });
}
