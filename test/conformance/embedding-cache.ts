import { expect, it } from "vitest";
import type { GetCachedEmbeddingsParams } from "../../src/core/types.js";
import {
	axis,
	type ConformanceContext,
	f32,
	makeWorld,
	memory,
	refLevenshtein,
	seededRng,
} from "./fixtures.js";

const DIM = 8;

function params(
	query_input: string,
	query_threshold: number,
	query_match_count = 10,
): GetCachedEmbeddingsParams {
	return {
		query_table_name: "messages",
		query_threshold,
		query_input,
		query_field_name: "content",
		query_field_sub_name: "text",
		query_match_count,
	};
}

/** A random lowercase text of `n` characters. */
function text(rng: () => number, n: number): string {
	return Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(rng() * 26))).join("");
}

/** `s` with `k` characters replaced at seeded positions. */
function mutate(rng: () => number, s: string, k: number): string {
	const chars = s.split("");
	for (let i = 0; i < k; i++) chars[Math.floor(rng() * chars.length)] = "#";
	return chars.join("");
}

export function registerEmbeddingCacheTests(ctx: ConformanceContext): void {
	it("returns embeddings of memories whose content.text is within the threshold, closest first", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const stored = [
			{ text: "hello world", v: axis(DIM, 0) },
			{ text: "hello wordl", v: axis(DIM, 1) },
			{ text: "hellp world", v: axis(DIM, 2) },
			{ text: "goodbye", v: axis(DIM, 3) },
		];
		for (const s of stored)
			await a.createMemory(memory(w, { text: s.text, embedding: s.v }), "messages");
		// Not candidates: no embedding, another type. Other agents and rooms do count.
		await a.createMemory(memory(w, { text: "hello world" }), "messages");
		await a.createMemory(memory(w, { text: "hello world", embedding: axis(DIM, 4) }), "facts");
		await a.createMemory(
			memory(w, {
				text: "hello worl",
				embedding: axis(DIM, 5),
				agentId: w.otherAgentId,
				roomId: w.otherRoomId,
			}),
			"messages",
		);

		expect(await a.getCachedEmbeddings(params("hello world", 2))).toEqual([
			{ embedding: axis(DIM, 0), levenshtein_score: 0 },
			{ embedding: axis(DIM, 5), levenshtein_score: 1 }, // ties by text: "hello worl" < "hellp world"
			{ embedding: axis(DIM, 2), levenshtein_score: 1 },
			{ embedding: axis(DIM, 1), levenshtein_score: 2 },
		]);
		expect(await a.getCachedEmbeddings(params("hello world", 2, 2))).toHaveLength(2);
		expect(await a.getCachedEmbeddings(params("hello world", 0))).toEqual([
			{ embedding: axis(DIM, 0), levenshtein_score: 0 },
		]);
		expect(await a.getCachedEmbeddings(params("zzzzzzzzzzzzzzzzzz", 3))).toEqual([]);
	});

	it("works on texts far over 255 characters, with exact distances", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: 16 });
		const w = await makeWorld(a);
		const rng = seededRng(7);
		const base = text(rng, 3000);
		const texts = [
			base,
			mutate(rng, base, 3),
			mutate(rng, base, 20),
			mutate(rng, base, 200),
			`${base.slice(0, 300)}x`,
			text(rng, 300),
		];
		const vectors = texts.map((_, i) => f32(axis(16, i, 1 + i / 7)));
		for (const [i, t] of texts.entries()) {
			await a.createMemory(
				memory(w, { text: t, embedding: vectors[i], createdAt: 1000 + i }),
				"messages",
			);
		}
		const query = mutate(rng, base, 5);
		const threshold = 60;
		const expected = texts
			.map((t, i) => ({
				t,
				embedding: vectors[i] as number[],
				levenshtein_score: refLevenshtein(query, t),
			}))
			.filter((x) => x.levenshtein_score <= threshold)
			.sort(
				(x, y) => x.levenshtein_score - y.levenshtein_score || (x.t < y.t ? -1 : x.t > y.t ? 1 : 0),
			)
			.map(({ embedding, levenshtein_score }) => ({ embedding, levenshtein_score }));
		expect(expected.length).toBeGreaterThanOrEqual(2);
		expect(await a.getCachedEmbeddings(params(query, threshold))).toEqual(expected);

		const short = texts[4] as string;
		expect(await a.getCachedEmbeddings(params(short, 0))).toEqual([
			{ embedding: vectors[4], levenshtein_score: 0 },
		]);
	});
}
