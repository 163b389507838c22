import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { EmbeddingDimensionError, ValidationError } from "../../src/core/errors.js";
import {
	axis,
	type ConformanceContext,
	expectError,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
	type World,
} from "./fixtures.js";

const DIM = 8;

type Call = (a: DatabaseAdapter, w: World, v: number[]) => Promise<unknown>;

/** Every method that takes a vector, on write and on search. */
const VECTOR_CALLS: Record<string, Call> = {
	createMemory: (a, w, v) => a.createMemory(memory(w, { embedding: v }), "messages", true),
	createMemories: (a, w, v) =>
		a.createMemories([
			{ memory: memory(w, { embedding: axis(DIM, 0) }), tableName: "messages" },
			{ memory: memory(w, { embedding: v }), tableName: "messages" },
		]),
	updateMemoryEmbedding: async (a, w, v) => {
		const m = memory(w);
		await a.createMemory(m, "messages");
		return a.updateMemoryEmbedding(m.id, v);
	},
	searchMemoriesByEmbedding: (a, _w, v) =>
		a.searchMemoriesByEmbedding(v, { tableName: "messages" }),
	searchMemories: (a, w, v) =>
		a.searchMemories({
			tableName: "messages",
			roomId: w.roomId,
			embedding: v,
			match_threshold: 0,
			match_count: 5,
			unique: false,
		}),
	createKnowledge: (a, w, v) =>
		a.createKnowledge({
			id: newId(),
			agentId: w.agentId,
			content: { text: "k" },
			embedding: Float32Array.from(v),
		}),
	searchKnowledge: (a, w, v) =>
		a.searchKnowledge({ agentId: w.agentId, embedding: v, match_threshold: 0, match_count: 5 }),
};

export function registerDimensionsTests(ctx: ConformanceContext): void {
	for (const [method, call] of Object.entries(VECTOR_CALLS)) {
		it(`${method}: a wrong-length vector throws EmbeddingDimensionError naming both numbers`, async () => {
			const a = await ctx.makeAdapter({ embeddingDimension: DIM });
			const w = await makeWorld(a);
			for (const length of [DIM - 1, DIM + 1, 1536]) {
				const before = await a.stats();
				const err = await expectError(
					() => call(a, w, new Array(length).fill(0.5)),
					EmbeddingDimensionError,
				);
				expect(err.code).toBe("EMBEDDING_DIMENSION");
				expect(err.expected).toBe(DIM);
				expect(err.actual).toBe(length);
				expect(err.message).toContain(String(DIM));
				expect(err.message).toContain(String(length));
				// updateMemoryEmbedding's setup memory is the only write allowed.
				const after = await a.stats();
				expect(after.memoriesMissingEmbedding - before.memoriesMissingEmbedding).toBe(
					after.memories - before.memories,
				);
				expect(after.knowledge).toBe(before.knowledge);
			}
		});

		it(`${method}: NaN and Infinity throw ValidationError`, async () => {
			const a = await ctx.makeAdapter({ embeddingDimension: DIM });
			const w = await makeWorld(a);
			for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e39]) {
				const v = axis(DIM, 0);
				v[3] = bad;
				await expectError(() => call(a, w, v), ValidationError);
			}
			const s = await a.stats();
			expect(s.memories - s.memoriesMissingEmbedding).toBe(0);
			expect(s.knowledge).toBe(0);
		});
	}

	it("an all-zero query vector throws ValidationError", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.createMemory(memory(w, { embedding: axis(DIM, 0) }), "messages");
		const zero = new Array(DIM).fill(0);
		await expectError(
			() => a.searchMemoriesByEmbedding(zero, { tableName: "messages" }),
			ValidationError,
		);
		await expectError(
			() =>
				a.searchKnowledge({
					agentId: w.agentId,
					embedding: zero,
					match_threshold: 0,
					match_count: 1,
				}),
			ValidationError,
		);
	});

	it("a wrong-length vector inside a batch writes nothing", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await expectRefusedUnchanged(
			a,
			() =>
				a.createMemories(
					[0, 1, 2].map((i) => ({
						memory: memory(w, { embedding: axis(i === 2 ? DIM + 1 : DIM, 0) }),
						tableName: "messages",
					})),
				),
			EmbeddingDimensionError,
		);
	});
}
