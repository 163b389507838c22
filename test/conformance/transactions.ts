import { expect, it } from "vitest";
import { AgentmemError, ConflictError, NotFoundError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import {
	account,
	axis,
	type ConformanceContext,
	expectError,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
	type World,
	writeOneOfEach,
} from "./fixtures.js";

const DIM = 8;

export function registerTransactionsTests(ctx: ConformanceContext): void {
	it("commits every write and resolves to fn's result", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const m = memory(w, { embedding: axis(DIM, 0) });
		const result = await a.transaction(async (tx) => {
			await tx.createMemory(m, "messages");
			expect((await tx.getMemoryById(m.id))?.id).toBe(m.id);
			await tx.setCache({ agentId: w.agentId, key: "k", value: "v" });
			return { answer: 42 };
		});
		expect(result).toEqual({ answer: 42 });
		expect((await a.getMemoryById(m.id))?.id).toBe(m.id);
		expect(await a.getCache({ agentId: w.agentId, key: "k" })).toBe("v");
	});

	it("rolls back every write when fn throws, and rethrows fn's error", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.createMemory(memory(w, { text: "before" }), "messages");
		const before = await a.stats();
		const boom = new Error("boom");
		let caught: unknown;
		try {
			await a.transaction(async (tx) => {
				const acc = account();
				await tx.createAccount(acc);
				const room = await tx.createRoom();
				await tx.addParticipant(acc.id, room);
				await tx.createMemory(memory(w, { roomId: room, embedding: axis(DIM, 1) }), "messages");
				await tx.removeAllMemories(w.roomId, "messages");
				await writeOneOfEach(tx, w, DIM);
				throw boom;
			});
		} catch (err) {
			caught = err;
		}
		expect(caught).toBe(boom);
		expect(await a.stats()).toEqual(before);
		expect(await a.getCache({ agentId: w.agentId, key: "k" })).toBeUndefined();
	});

	it("rolls a nested transaction back to its savepoint when the inner throws and the outer catches", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const [outer1, inner, outer2] = [
			memory(w, { text: "o1" }),
			memory(w, { text: "in" }),
			memory(w, { text: "o2" }),
		];
		await a.transaction(async (tx) => {
			await tx.createMemory(outer1, "messages");
			await expect(
				tx.transaction(async (tx2) => {
					await tx2.createMemory(inner, "messages");
					throw new Error("inner");
				}),
			).rejects.toThrow("inner");
			expect(await tx.getMemoryById(inner.id)).toBeNull();
			await tx.createMemory(outer2, "messages");
		});
		expect(await a.getMemoryById(outer1.id)).not.toBeNull();
		expect(await a.getMemoryById(inner.id)).toBeNull();
		expect(await a.getMemoryById(outer2.id)).not.toBeNull();
	});

	it("rolls back a committed nested transaction when the outer throws", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const inner = memory(w);
		const before = await a.stats();
		await expect(
			a.transaction(async (tx) => {
				expect(
					await tx.transaction(async (tx2) => {
						await tx2.createMemory(inner, "messages");
						return "inner done";
					}),
				).toBe("inner done");
				throw new Error("outer");
			}),
		).rejects.toThrow("outer");
		expect(await a.getMemoryById(inner.id)).toBeNull();
		expect(await a.stats()).toEqual(before);
	});

	it("createMemories with one bad item writes nothing", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const good = [0, 1, 2].map((i) => ({
			memory: memory(w, { embedding: axis(DIM, i) }),
			tableName: "messages",
		}));
		const bad = { memory: memory(w, { roomId: newId() }), tableName: "messages" };
		await expectRefusedUnchanged(a, () => a.createMemories([...good, bad]), NotFoundError);
		await a.createMemories(good);
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(3);
	});

	it("a failed statement inside a transaction rolls back the earlier writes", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const m = memory(w);
		await expectRefusedUnchanged(
			a,
			() =>
				a.transaction(async (tx) => {
					await tx.createMemory(m, "messages");
					await tx.addParticipant(newId(), w.roomId);
				}),
			NotFoundError,
		);
		expect(await a.getMemoryById(m.id)).toBeNull();
	});

	registerCaughtFailureTests(ctx);
}

/**
 * The rule (issues 18.2 and 19.1): each contract call inside a transaction is atomic on its own, so
 * a failure that `fn` catches undoes only that call and the transaction goes on, nested or not.
 */
export function registerCaughtFailureTests(ctx: ConformanceContext): void {
	const goalIn = (w: World, roomId: UUID, id: UUID = newId()) => ({
		id,
		roomId,
		userId: w.userId,
		name: "g",
		status: "IN_PROGRESS" as const,
		objectives: [],
	});

	it("a caught NOT_FOUND undoes only that call: the earlier write commits and fn's result is returned", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const m = memory(w, { embedding: axis(DIM, 0) });
		const after = memory(w, { embedding: axis(DIM, 1) });
		let caught: unknown;
		const result = await a.transaction(async (tx) => {
			await tx.createMemory(m, "messages");
			try {
				await tx.createGoal(goalIn(w, newId()));
			} catch (err) {
				caught = err;
			}
			// The transaction goes on: reads and writes after the caught failure work.
			expect((await tx.getMemoryById(m.id))?.id).toBe(m.id);
			await tx.createMemory(after, "messages");
			return "ok";
		});
		expect(caught).toBeInstanceOf(NotFoundError);
		expect(result).toBe("ok");
		expect((await a.getMemoryById(m.id))?.id).toBe(m.id);
		expect((await a.getMemoryById(after.id))?.id).toBe(after.id);
		expect((await a.getGoals({ roomId: w.roomId })).length).toBe(0);
	});

	it("the NOT_FOUND caught inside a transaction names what is missing, as outside", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const room = newId();
		const err = await a.transaction(async (tx) =>
			expectError(() => tx.createGoal(goalIn(w, room)), NotFoundError),
		);
		expect(err.message).toContain(`roomId ${room} does not exist`);
	});

	it("caught VALIDATION and CONFLICT failures undo only their call", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const g = goalIn(w, w.roomId);
		const [m1, m2] = [memory(w), memory(w)];
		await a.transaction(async (tx) => {
			await tx.createMemory(m1, "messages");
			await tx.createGoal(g);
			const conflict = await expectError(
				() => tx.createGoal({ ...g, name: "again" }),
				ConflictError,
			);
			// Named for the call, as outside a transaction.
			expect(conflict.message).toMatch(/^createGoal: /);
			await expectError(
				() => tx.createMemory(memory(w, { embedding: axis(DIM + 1, 0) }), "messages"),
				AgentmemError,
			);
			await expectError(() => tx.createMemory({ ...m1, id: m1.id }, "facts"), ConflictError);
			await tx.createMemory(m2, "messages");
		});
		expect((await a.getMemoryById(m1.id))?.content).toEqual(m1.content);
		expect(await a.getMemoryById(m2.id)).not.toBeNull();
		const goals = await a.getGoals({ roomId: w.roomId });
		expect(goals.map((x) => [x.id, x.name])).toEqual([[g.id, "g"]]);
		expect(await a.countMemories(w.roomId, false, "facts")).toBe(0);
	});

	it("a caught failure of a multi-statement call (createMemories, plain and unique) writes none of it", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const kept = memory(w, { embedding: axis(DIM, 0) });
		const batch = (unique: boolean) => [
			...[1, 2, 3].map((i) => ({
				memory: memory(w, { embedding: axis(DIM, i) }),
				tableName: "messages",
				unique,
			})),
			{ memory: memory(w, { roomId: newId(), embedding: axis(DIM, 4) }), tableName: "messages" },
		];
		await a.transaction(async (tx) => {
			await tx.createMemory(kept, "messages");
			await expectError(() => tx.createMemories(batch(false)), NotFoundError);
			await expectError(() => tx.createMemories(batch(true)), NotFoundError);
		});
		expect(await a.countMemories(w.roomId, false, "messages")).toBe(1);
		expect((await a.getMemoryById(kept.id))?.id).toBe(kept.id);
	});

	it("a nested transaction whose fn catches a failure commits its other writes", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const [outer, inner, later] = [memory(w), memory(w), memory(w)];
		const result = await a.transaction(async (tx) => {
			await tx.createMemory(outer, "messages");
			const r = await tx.transaction(async (tx2) => {
				await tx2.createMemory(inner, "messages");
				await expectError(() => tx2.addParticipant(newId(), w.roomId), NotFoundError);
				return "inner ok";
			});
			await tx.createMemory(later, "messages");
			return r;
		});
		expect(result).toBe("inner ok");
		for (const m of [outer, inner, later]) expect((await a.getMemoryById(m.id))?.id).toBe(m.id);
	});

	it("a nested transaction that throws after a caught failure rolls back to its savepoint only", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const [outer, inner, later] = [memory(w), memory(w), memory(w)];
		await a.transaction(async (tx) => {
			await tx.createMemory(outer, "messages");
			await expect(
				tx.transaction(async (tx2) => {
					await tx2.createMemory(inner, "messages");
					await expectError(() => tx2.createGoal(goalIn(w, newId())), NotFoundError);
					throw new Error("inner gives up");
				}),
			).rejects.toThrow("inner gives up");
			await expectError(() => tx.createGoal(goalIn(w, newId())), NotFoundError);
			await tx.createMemory(later, "messages");
		});
		expect(await a.getMemoryById(outer.id)).not.toBeNull();
		expect(await a.getMemoryById(inner.id)).toBeNull();
		expect(await a.getMemoryById(later.id)).not.toBeNull();
	});

	it("fn throwing after a caught failure rolls every write back and rethrows fn's error", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const before = await a.stats();
		const boom = new Error("boom");
		await expect(
			a.transaction(async (tx) => {
				await tx.createMemory(memory(w), "messages");
				await expectError(() => tx.createGoal(goalIn(w, newId())), NotFoundError);
				await tx.transaction(async (tx2) => {
					await tx2.createMemory(memory(w), "messages");
					await expectError(() => tx2.addParticipant(newId(), w.roomId), NotFoundError);
				});
				await tx.setCache({ agentId: w.agentId, key: "k", value: "v" });
				throw boom;
			}),
		).rejects.toBe(boom);
		expect(await a.stats()).toEqual(before);
		expect(await a.getCache({ agentId: w.agentId, key: "k" })).toBeUndefined();
	});

	it("concurrent calls on one tx, some failing, each stay atomic", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const good = [0, 1, 2, 3].map((i) => memory(w, { embedding: axis(DIM, i) }));
		const outcomes = await a.transaction((tx) =>
			Promise.allSettled([
				...good.map((m) => tx.createMemory(m, "messages")),
				tx.createGoal(goalIn(w, newId())),
				tx.addParticipant(newId(), w.roomId),
			]),
		);
		expect(outcomes.map((o) => o.status)).toEqual([
			"fulfilled",
			"fulfilled",
			"fulfilled",
			"fulfilled",
			"rejected",
			"rejected",
		]);
		expect(await a.countMemories(w.roomId, false, "messages")).toBe(4);
	});
}
