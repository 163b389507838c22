/**
 * Ties in vector search (issues 18.3 and 19.2): equal similarities break by id ascending on every
 * backend, also where an engine cuts its candidates at k (pgvector's `LIMIT`, vec0's `k`), so
 * the rows past the cut-off that tie with it are never lost.
 */
import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import {
	around,
	axis,
	type ConformanceContext,
	makeWorld,
	memory,
	newId,
	seededRng,
	vec,
	type World,
} from "./fixtures.js";

const DIM = 8;
/** More ties than any engine's overfetch margin (vec0 fetches count + 16). */
const TIES = 40;

const sortedIds = (ids: UUID[]) => [...ids].sort();

/** TIES memories with one vector in the world's room, and a few nearer and farther ones. */
async function tiedMemories(a: DatabaseAdapter, w: World): Promise<UUID[]> {
	const tied: UUID[] = [];
	const items = [];
	for (let i = 0; i < TIES; i++) {
		const m = memory(w, { text: `tie ${i}`, embedding: vec(DIM, 1, 1) });
		tied.push(m.id);
		items.push({ memory: m, tableName: "messages" });
	}
	for (let i = 0; i < 10; i++)
		items.push({ memory: memory(w, { embedding: vec(DIM, 1, -1, i + 1) }), tableName: "messages" });
	await a.createMemories(items);
	return tied;
}

export function registerSearchTiesTests(ctx: ConformanceContext): void {
	it("memory search: identical vectors at the top-k cut-off break by id ascending", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const tied = sortedIds(await tiedMemories(a, w));
		for (const count of [1, 5, TIES, TIES + 3]) {
			for (const roomId of [w.roomId, undefined]) {
				const res = await a.searchMemoriesByEmbedding(vec(DIM, 1, 1), {
					tableName: "messages",
					roomId,
					count,
				});
				expect(res.slice(0, Math.min(count, TIES)).map((m) => m.id)).toEqual(tied.slice(0, count));
				expect(res.slice(0, TIES).every((m) => m.similarity === res[0]?.similarity)).toBe(true);
			}
		}
	});

	it("memory search: a tie below the best result still breaks by id at the cut-off", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const best = memory(w, { text: "best", embedding: axis(DIM, 0) });
		await a.createMemory(best, "messages");
		const tied = sortedIds(await tiedMemories(a, w));
		const res = await a.searchMemoriesByEmbedding(axis(DIM, 0), {
			tableName: "messages",
			roomId: w.roomId,
			count: 3,
		});
		expect(res.map((m) => m.id)).toEqual([best.id, ...tied.slice(0, 2)]);
	});

	it("memory search: near-ties at the cut-off (within float rounding, not equal) rank as the full ranking does", async () => {
		// More rows within 1e-4 of one another than an engine fetches beyond `count` (pgvector's
		// count + 2): the cut-off stays uncertain until it has asked for them all.
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const rng = seededRng(7);
		const center = vec(DIM, 1, 1);
		const items = Array.from({ length: TIES }, (_, i) => ({
			memory: memory(w, { text: `near ${i}`, embedding: around(rng, center, 1e-6) }),
			tableName: "messages",
		}));
		for (let i = 0; i < 10; i++)
			items.push({
				memory: memory(w, { embedding: vec(DIM, 1, -1, i + 1) }),
				tableName: "messages",
			});
		await a.createMemories(items);
		for (const roomId of [w.roomId, undefined]) {
			const search = (count: number) =>
				a.searchMemoriesByEmbedding(center, { tableName: "messages", roomId, count });
			const all = await search(TIES + 10);
			const sims = all.slice(0, TIES).map((m) => m.similarity as number);
			expect(Math.max(...sims) - Math.min(...sims)).toBeLessThan(1e-4);
			expect(new Set(sims).size).toBeGreaterThan(1); // near, not identical
			for (const count of [1, 3, 5]) {
				expect((await search(count)).map((m) => m.id)).toEqual(
					all.slice(0, count).map((m) => m.id),
				);
			}
		}
	});

	it("knowledge search: identical embeddings with match_count 1 return the smallest id", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const ids: UUID[] = [];
		for (let i = 0; i < TIES; i++) {
			const id = newId();
			ids.push(id);
			await a.createKnowledge({
				id,
				agentId: w.agentId,
				content: { text: `tie ${i}` },
				embedding: Float32Array.from(vec(DIM, 2, 1)),
			});
		}
		const tied = sortedIds(ids);
		for (const match_count of [1, 3, TIES]) {
			const res = await a.searchKnowledge({
				agentId: w.agentId,
				embedding: vec(DIM, 2, 1),
				match_threshold: 0,
				match_count,
			});
			expect(res.map((k) => k.id)).toEqual(tied.slice(0, match_count));
		}
	});
}
