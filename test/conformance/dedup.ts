import { expect, it } from "vitest";
import type { UUID } from "../../src/core/types.js";
import { axis, type ConformanceContext, makeWorld, memory, vec } from "./fixtures.js";

const DIM = 8;
/**
 * Unit vectors at cosine 0.96 (a near-duplicate of axis 0) and 0.94 (not one), rotated to opposite
 * sides so that they are not near-duplicates of each other either (cosine 0.81).
 */
const NEAR = vec(DIM, 0.96, 0.28);
const FAR = vec(DIM, 0.94, -Math.sqrt(1 - 0.94 ** 2));

export function registerDedupTests(ctx: ConformanceContext): void {
	it("stores near-duplicates (cosine >= 0.95, same agent, room and type) with unique = false", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const first = memory(w, { text: "first", embedding: axis(DIM, 0), createdAt: 1 });
		const same = memory(w, { text: "same vector", embedding: axis(DIM, 0, 5), createdAt: 2 });
		const near = memory(w, { text: "near", embedding: NEAR, createdAt: 3 });
		const far = memory(w, { text: "far", embedding: FAR, createdAt: 4 });
		const fresh = memory(w, { text: "fresh", embedding: axis(DIM, 2), createdAt: 5 });
		for (const m of [first, same, near, far, fresh]) await a.createMemory(m, "messages", true);

		const unique = async (id: UUID) => (await a.getMemoryById(id))?.unique;
		expect(await unique(first.id)).toBe(true);
		expect(await unique(same.id)).toBe(false);
		expect(await unique(near.id)).toBe(false);
		expect(await unique(far.id)).toBe(true);
		expect(await unique(fresh.id)).toBe(true);

		const uniqueTexts = (
			await a.getMemories({ roomId: w.roomId, tableName: "messages", unique: true })
		).map((m) => m.content.text);
		expect(uniqueTexts).toEqual(["fresh", "far", "first"]);
		expect(await a.getMemories({ roomId: w.roomId, tableName: "messages" })).toHaveLength(5);
		expect(await a.countMemories(w.roomId, undefined, "messages")).toBe(3);
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(3);
		expect(await a.countMemories(w.roomId, false, "messages")).toBe(5);

		const q = axis(DIM, 0);
		const all = await a.searchMemoriesByEmbedding(q, {
			tableName: "messages",
			roomId: w.roomId,
			count: 10,
		});
		expect(all).toHaveLength(5);
		const onlyUnique = await a.searchMemoriesByEmbedding(q, {
			tableName: "messages",
			roomId: w.roomId,
			count: 10,
			unique: true,
		});
		expect(onlyUnique.map((m) => m.content.text)).toEqual(["first", "far", "fresh"]);
		const eliza = await a.searchMemories({
			tableName: "messages",
			roomId: w.roomId,
			embedding: q,
			match_threshold: -1,
			match_count: 10,
			unique: true,
		});
		expect(eliza.map((m) => m.content.text)).toEqual(["first", "far", "fresh"]);
	});

	it("only compares with the same agent, room and type", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const v = axis(DIM, 0);
		await a.createMemory(memory(w, { embedding: v }), "messages", true);
		const others = [
			{ m: memory(w, { agentId: w.otherAgentId, embedding: v }), t: "messages" },
			{ m: memory(w, { roomId: w.otherRoomId, embedding: v }), t: "messages" },
			{ m: memory(w, { embedding: v }), t: "facts" },
		];
		for (const { m, t } of others) {
			await a.createMemory(m, t, true);
			expect((await a.getMemoryById(m.id))?.unique).toBe(true);
		}
	});

	it("stores unique = true without the flag or without an embedding", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const v = axis(DIM, 0);
		await a.createMemory(memory(w, { embedding: v }), "messages", true);
		const noFlag = memory(w, { embedding: v });
		const noEmbedding = memory(w, { text: "no vector" });
		const zero = memory(w, { embedding: new Array(DIM).fill(0) });
		await a.createMemory(noFlag, "messages");
		await a.createMemory(noEmbedding, "messages", true);
		await a.createMemory(zero, "messages", true);
		for (const m of [noFlag, noEmbedding, zero])
			expect((await a.getMemoryById(m.id))?.unique).toBe(true);
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(4);
	});

	it("deduplicates within a createMemories batch too", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const first = memory(w, { embedding: axis(DIM, 0) });
		const dup = memory(w, { embedding: NEAR });
		await a.createMemories([
			{ memory: first, tableName: "messages", unique: true },
			{ memory: dup, tableName: "messages", unique: true },
		]);
		expect((await a.getMemoryById(first.id))?.unique).toBe(true);
		expect((await a.getMemoryById(dup.id))?.unique).toBe(false);
	});
}
