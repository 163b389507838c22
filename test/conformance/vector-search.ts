import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { Memory } from "../../src/core/types.js";
import {
	axis,
	type ConformanceContext,
	f32,
	makeWorld,
	memory,
	vec,
	type World,
} from "./fixtures.js";

const DIM = 8;

/** Golden vectors whose cosine with the query `axis(0)` is exact in float32 and float64. */
const GOLDEN = [
	{ text: "same", v: axis(DIM, 0, 3), sim: 1 },
	{ text: "three-four", v: vec(DIM, 3, 4), sim: 0.6 },
	{ text: "half", v: vec(DIM, 1, 1, 1, 1), sim: 0.5 },
	{ text: "third", v: vec(DIM, 1, 2, 2), sim: 1 / 3 },
	{ text: "orthogonal", v: axis(DIM, 1), sim: 0 },
	{ text: "minus-half", v: vec(DIM, -1, 1, 1, 1), sim: -0.5 },
	{ text: "opposite", v: axis(DIM, 0, -2), sim: -1 },
];

async function golden(a: DatabaseAdapter): Promise<World> {
	const w = await makeWorld(a);
	for (const g of GOLDEN)
		await a.createMemory(memory(w, { text: g.text, embedding: g.v }), "messages");
	return w;
}

const texts = (ms: Memory[]) => ms.map((m) => m.content.text);

export function registerVectorSearchTests(ctx: ConformanceContext): void {
	it("returns cosine similarities of golden vectors (±1e-6), ordered descending", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await golden(a);
		const res = await a.searchMemoriesByEmbedding(axis(DIM, 0), {
			tableName: "messages",
			roomId: w.roomId,
			count: 100,
		});
		expect(texts(res)).toEqual(GOLDEN.map((g) => g.text));
		res.forEach((m, i) => {
			const g = GOLDEN[i];
			expect(m.similarity).toBeCloseTo(g?.sim as number, 6);
			expect(m.embedding).toEqual(f32(g?.v as number[]));
			expect(m.roomId).toBe(w.roomId);
		});
	});

	it("treats match_threshold as an inclusive cosine similarity", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await golden(a);
		const search = (match_threshold: number) =>
			a.searchMemoriesByEmbedding(axis(DIM, 0), {
				tableName: "messages",
				roomId: w.roomId,
				match_threshold,
				count: 100,
			});
		expect(texts(await search(1))).toEqual(["same"]);
		expect(texts(await search(0.5))).toEqual(["same", "three-four", "half"]);
		expect(texts(await search(0))).toEqual(["same", "three-four", "half", "third", "orthogonal"]);
		expect(texts(await search(-0.5))).toEqual(GOLDEN.slice(0, 6).map((g) => g.text));
		expect(texts(await search(-1))).toEqual(GOLDEN.map((g) => g.text));
	});

	it("searchMemories takes ElizaOS's parameter shape with the same rules", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await golden(a);
		const res = await a.searchMemories({
			tableName: "messages",
			roomId: w.roomId,
			embedding: Float32Array.from(axis(DIM, 0)),
			match_threshold: 0.5,
			match_count: 2,
			unique: false,
		});
		expect(texts(res)).toEqual(["same", "three-four"]);
		expect(res[1]?.similarity).toBeCloseTo(0.6, 6);
	});

	it("defaults to 10 results and applies count", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		for (let i = 0; i < 15; i++) {
			await a.createMemory(memory(w, { text: `m${i}`, embedding: vec(DIM, 1, i) }), "messages");
		}
		const q = axis(DIM, 0);
		expect(await a.searchMemoriesByEmbedding(q, { tableName: "messages" })).toHaveLength(10);
		const three = await a.searchMemoriesByEmbedding(q, { tableName: "messages", count: 3 });
		expect(texts(three)).toEqual(["m0", "m1", "m2"]);
	});

	it("applies room, agent and type filters before top-k", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const near = axis(DIM, 0);
		// Closer decoys in another room, of another agent and of another type.
		await a.createMemory(
			memory(w, { text: "other room", roomId: w.otherRoomId, embedding: near }),
			"messages",
		);
		await a.createMemory(
			memory(w, { text: "other agent", agentId: w.otherAgentId, embedding: near }),
			"messages",
		);
		await a.createMemory(memory(w, { text: "other type", embedding: near }), "facts");
		await a.createMemory(memory(w, { text: "target", embedding: vec(DIM, 1, 5) }), "messages");
		const res = await a.searchMemoriesByEmbedding(near, {
			tableName: "messages",
			roomId: w.roomId,
			agentId: w.agentId,
			count: 1,
		});
		expect(texts(res)).toEqual(["target"]);
		const anyRoom = await a.searchMemoriesByEmbedding(near, {
			tableName: "messages",
			agentId: w.agentId,
			count: 5,
		});
		expect(texts(anyRoom)).toEqual(["other room", "target"]);
		const anyAgent = await a.searchMemoriesByEmbedding(near, {
			tableName: "messages",
			roomId: w.roomId,
			count: 5,
		});
		expect(texts(anyAgent)).toEqual(["other agent", "target"]);
	});

	it("never returns memories without an embedding, or stored with an all-zero one, until backfilled", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const none = memory(w, { text: "no embedding", createdAt: 1000 });
		const zero = memory(w, {
			text: "zero embedding",
			embedding: new Array(DIM).fill(0),
			createdAt: 2000,
		});
		const real = memory(w, { text: "real", embedding: vec(DIM, 0, 1), createdAt: 3000 });
		for (const m of [none, zero, real]) await a.createMemory(m, "messages");

		const listed = await a.getMemories({ roomId: w.roomId, tableName: "messages" });
		expect(texts(listed)).toEqual(["real", "zero embedding", "no embedding"]);
		expect(listed[1]?.embedding).toBeUndefined();
		expect(listed[2]?.embedding).toBeUndefined();
		const q = axis(DIM, 0);
		const search = () =>
			a.searchMemoriesByEmbedding(q, { tableName: "messages", match_threshold: -1, count: 100 });
		expect(texts(await search())).toEqual(["real"]);
		expect((await a.stats()).memoriesMissingEmbedding).toBe(2);
		const missing = await a.getMemoriesMissingEmbeddings({ tableName: "messages" });
		expect(missing.map((m) => m.id)).toEqual([none.id, zero.id]);
		expect(await a.getMemoriesMissingEmbeddings({ tableName: "messages", count: 1 })).toHaveLength(
			1,
		);
		expect(await a.getMemoriesMissingEmbeddings({ tableName: "facts" })).toEqual([]);

		await a.updateMemoryEmbedding(zero.id, q);
		expect(texts(await search())).toEqual(["zero embedding", "real"]);
		expect((await a.getMemoryById(zero.id))?.embedding).toEqual(q);
		expect((await a.getMemoriesMissingEmbeddings({})).map((m) => m.id)).toEqual([none.id]);
		expect((await a.stats()).memoriesMissingEmbedding).toBe(1);
	});

	it("returns [] when nothing matches", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await golden(a);
		const q = axis(DIM, 0);
		expect(await a.searchMemoriesByEmbedding(q, { tableName: "facts" })).toEqual([]);
		expect(
			await a.searchMemoriesByEmbedding(q, { tableName: "messages", roomId: w.otherRoomId }),
		).toEqual([]);
	});
}
