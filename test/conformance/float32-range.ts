/**
 * Vectors are checked as the engines hold them (issue 18 point 1): as 32-bit floats, whose squared
 * length pgvector computes in float32 (beyond its range the distance is NaN, below the smallest
 * normal float it loses its direction), and between 2001 and 4000 dimensions as the half-precision
 * values PostgreSQL's index holds. Every backend refuses or accepts the same vectors.
 */
import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { ValidationError } from "../../src/core/errors.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import {
	type ConformanceContext,
	expectError,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
	vec,
	type World,
} from "./fixtures.js";

const DIM = 8;
/** Finite float32 components whose squared length is not (2 · 9e76 > 3.4e38). */
const LONG = vec(DIM, 3e38, 3e38);
/** Non-zero float32 components whose squared length is below float32's smallest normal (2e-40). */
const SHORT = vec(DIM, 1e-20, 1e-20);

/** Every write path refuses `bad` with a ValidationError naming `component`, writing nothing. */
async function refusedEverywhere(
	a: DatabaseAdapter,
	w: World,
	bad: number[],
	component: number,
): Promise<void> {
	const mentions = async (call: () => Promise<unknown>) => {
		await expectRefusedUnchanged(a, call, ValidationError);
		const err = await expectError(call, ValidationError);
		expect(err.message).toContain(`component ${component}`);
	};
	await mentions(() => a.searchMemoriesByEmbedding(bad, { tableName: "messages", count: 3 }));
	await mentions(() => a.createMemory(memory(w, { embedding: bad }), "messages"));
	await mentions(() =>
		a.createMemories([
			{ memory: memory(w, { embedding: vec(bad.length, 1) }), tableName: "messages" },
			{ memory: memory(w, { embedding: bad }), tableName: "messages" },
		]),
	);
	await mentions(() =>
		a.createKnowledge({
			id: newId(),
			agentId: w.agentId,
			content: { text: "k" },
			embedding: Float32Array.from(bad),
		}),
	);
	await mentions(() =>
		a.searchKnowledge({ agentId: w.agentId, embedding: bad, match_threshold: 0, match_count: 3 }),
	);
	const kept = memory(w, { embedding: vec(bad.length, 1) });
	await a.createMemory(kept, "messages");
	await mentions(() => a.updateMemoryEmbedding(kept.id, bad));
	expect((await a.getMemoryById(kept.id))?.embedding).toEqual(vec(bad.length, 1));
	// Import: the exported database with that memory's vector replaced is refused, unchanged.
	const records: PortableRecord[] = [];
	for await (const r of a.exportRecords()) records.push(r);
	const tampered = records.map((r) =>
		r.kind === "memory" && r.id === kept.id ? { ...r, embedding: Float32Array.from(bad) } : r,
	);
	await expectRefusedUnchanged(
		a,
		() => a.importRecords(tampered, { atomic: true }),
		ValidationError,
	);
	expect((await a.getMemoryById(kept.id))?.embedding).toEqual(vec(bad.length, 1));
}

/** `tiny` is stored as a memory and a knowledge item without embedding, and refused as a query. */
async function treatedAsZero(a: DatabaseAdapter, w: World, tiny: number[]): Promise<void> {
	const m = memory(w, { embedding: tiny });
	await a.createMemory(m, "messages");
	expect((await a.getMemoryById(m.id))?.embedding).toBeUndefined();
	const missing = await a.getMemoriesMissingEmbeddings({ tableName: "messages" });
	expect(missing.map((x) => x.id)).toContain(m.id);
	const k = { id: newId(), agentId: w.agentId, content: { text: "k" }, embedding: tiny };
	await a.createKnowledge({ ...k, embedding: Float32Array.from(tiny) });
	expect((await a.getKnowledge({ agentId: w.agentId, id: k.id }))[0]?.embedding).toBeUndefined();
	const err = await expectError(
		() => a.searchMemoriesByEmbedding(tiny, { tableName: "messages", count: 3 }),
		ValidationError,
	);
	expect(err.message).toMatch(/no direction/);
}

export function registerFloat32RangeTests(ctx: ConformanceContext): void {
	it("a component beyond float32's range (1e39) is refused on every path, naming it", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await refusedEverywhere(a, w, [1e39, 0, 0, 0, 0, 0, 0, 1], 0);
		await refusedEverywhere(a, w, vec(DIM, 1, 0, -1e39), 2);
	});

	it("a vector whose squared length overflows float32 is refused on every path", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await refusedEverywhere(a, w, LONG, 0);
	});

	it("components that flush to zero, or a length too small for float32, count as all-zero", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await treatedAsZero(a, w, vec(DIM, 1e-46, -1e-46));
		await treatedAsZero(a, w, SHORT);
		// The smallest lengths and largest components that stay in range are kept and found.
		const ok = memory(w, { embedding: vec(DIM, 1e-18, 1e-18) });
		const big = memory(w, { embedding: vec(DIM, 1e19, 1e19) });
		await a.createMemory(ok, "messages");
		await a.createMemory(big, "messages");
		const found = await a.searchMemoriesByEmbedding(vec(DIM, 1, 1), {
			tableName: "messages",
			roomId: w.roomId,
			count: 5,
		});
		expect(found.map((x) => x.id).sort()).toEqual([ok.id, big.id].sort());
		expect(found.every((x) => Math.abs((x.similarity as number) - 1) < 1e-6)).toBe(true);
	});

	it("2001 to 4000 dimensions: components are checked as half-precision floats", async () => {
		const d = 2048;
		const a = await ctx.makeAdapter({ embeddingDimension: d });
		const w = await makeWorld(a);
		const over = vec(d, 1, 1);
		over[5] = 70000; // beyond ±65504
		await refusedEverywhere(a, w, over, 5);
		await treatedAsZero(a, w, vec(d, 2e-8, -2e-8)); // every component rounds to half's zero
		const edge = vec(d, 65504, 65504);
		const m = memory(w, { embedding: edge });
		await a.createMemory(m, "messages");
		const found = await a.searchMemoriesByEmbedding(vec(d, 1, 1), {
			tableName: "messages",
			count: 1,
		});
		expect(found.map((x) => x.id)).toEqual([m.id]);
	});
}
