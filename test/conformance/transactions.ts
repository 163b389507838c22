import { expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import {
	account,
	axis,
	type ConformanceContext,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
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
}
