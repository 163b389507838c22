/**
 * The differential harness checks itself on SQL.js alone: against an adapter broken on purpose it
 * must report the divergence, shrink the sequence to the calls that show it, and print them.
 */
import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { type Backend, reopened } from "./backends.js";
import { ACCOUNTS, MEMORIES, PRELUDE, ROOMS, T0 } from "./domain.js";
import { minimise } from "./minimise.js";
import type { Op } from "./operations.js";
import { literal } from "./print.js";
import { findDivergence } from "./runner.js";

const DIM = 4;
const good = reopened("sqljs", () => new SqlJsDatabaseAdapter({ embeddingDimension: DIM }));

/** SQL.js with one method replaced by `patch(adapter)`'s. */
function broken(patch: (db: DatabaseAdapter) => Partial<DatabaseAdapter>): Backend {
	return reopened("broken", () => {
		const db = new SqlJsDatabaseAdapter({ embeddingDimension: DIM });
		return Object.assign(db, patch(db));
	});
}

const A0 = ACCOUNTS[0] as UUID;
const R0 = ROOMS[0] as UUID;
const memory = (id: string | undefined, createdAt: number): Op => ({
	m: "createMemory",
	a: [{ id, userId: A0, agentId: A0, roomId: R0, createdAt, content: { text: "x" } }, "messages"],
});
const noise: Op[] = [
	{ m: "setCache", a: [{ agentId: A0, key: "k", value: "v" }] },
	{ m: "getGoals", a: [{ roomId: R0 }] },
	{
		m: "transaction",
		body: [{ m: "log", a: [{ body: {}, userId: A0, roomId: R0, type: "t" }] }],
		catchEach: false,
		end: "throw",
	},
];

describe("differential harness", () => {
	it("finds a wrong order, shrinks the sequence to the calls that show it and prints them", async () => {
		const reversed = broken((db) => {
			const get = db.getMemories.bind(db);
			return { getMemories: async (p) => (await get(p)).reverse() };
		});
		const ops: Op[] = [
			...PRELUDE,
			...noise,
			memory(MEMORIES[0], T0),
			...noise,
			memory(MEMORIES[1], T0 + 1000),
			...noise,
			{ m: "getMemories", a: [{ roomId: R0, tableName: "messages" }] },
			...noise,
		];
		const fails = async (o: Op[]) => (await findDivergence([good, reversed], o, DIM)) !== null;
		const smallest = await minimise(ops, fails);
		expect(smallest.map((o) => o.m)).toEqual([
			"createAccount",
			"createRoom",
			"createMemory",
			"createMemory",
			"getMemories",
		]);
		const report = (await findDivergence([good, reversed], smallest, DIM)) ?? "";
		expect(report).toContain("operation #4 (getMemories) differs");
		expect(report).toContain("// ---- the backends part here ----");
		expect(report).toContain(`db.getMemories({ "roomId": "${R0}", "tableName": "messages" })`);
	});

	it("reports a failed call that wrote something", async () => {
		const leaky = broken((db) => {
			const create = db.createGoal.bind(db);
			return {
				createGoal: async (g) => {
					await db.setCache({ agentId: A0, key: "leak", value: "x" });
					return create(g);
				},
			};
		});
		const ops: Op[] = [
			...PRELUDE,
			{
				m: "createGoal",
				a: [{ roomId: ROOMS[2], userId: A0, name: "g", status: "DONE", objectives: [] }],
			},
		];
		const report = await findDivergence([good, leaky], ops, DIM);
		expect(report).toContain("broken: call #8 failed but changed the state");
	});

	it("agrees with itself on a sequence of every kind of call", async () => {
		const ops: Op[] = [...PRELUDE, ...noise, memory(MEMORIES[0], T0), memory(undefined, T0)];
		// A memory without an id gets a random one: the final states differ, and that is reported.
		expect(await findDivergence([good, good], ops.slice(0, -1), DIM)).toBeNull();
		expect(await findDivergence([good, good], ops, DIM)).toContain("final state differs");
	});

	it("prints values JSON cannot hold as TypeScript", () => {
		expect(literal([Number.NaN, Number.POSITIVE_INFINITY, undefined, -1e39])).toBe(
			"[Number.NaN, Number.POSITIVE_INFINITY, undefined, -1e+39]",
		);
		expect(literal({ e: new Float32Array([1, 0.5]), s: "\ud800" })).toBe(
			'{ "e": new Float32Array([1, 0.5]), "s": "\\ud800" }',
		);
	});
});
