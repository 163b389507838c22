import { expect, it } from "vitest";
import type { CreateMemoryItem, UUID } from "../../src/core/types.js";
import {
	account,
	around,
	type ConformanceContext,
	newId,
	randomVector,
	refCosine,
	seededRng,
} from "./fixtures.js";

const DIM = 16;
const ROOMS = 50;
const PER_ROOM = 200;
const QUERIES = 5;
const K = 10;

interface Stored {
	id: UUID;
	roomId: UUID;
	v: number[];
}

/**
 * 10,000 vectors in 50 rooms. Each query has a target room whose vectors lie loosely around it,
 * while 20 vectors very close to it sit in every other room: the global top-k of a query never
 * contains a vector of its target room, so a backend that filters after top-k returns too little.
 */
function buildDataset(rooms: UUID[]) {
	const rng = seededRng(20240611);
	const queries = Array.from({ length: QUERIES }, () => randomVector(rng, DIM));
	const stored: Stored[] = [];
	rooms.forEach((roomId, r) => {
		for (let i = 0; i < PER_ROOM; i++) {
			const q = queries[i % QUERIES] as number[];
			let v: number[];
			if (r < QUERIES && i % QUERIES === r)
				v = around(rng, q, 0.6); // target room: loose
			else if (i < 20 * QUERIES)
				v = around(rng, q, 0.05); // decoys: very close
			else v = randomVector(rng, DIM);
			stored.push({ id: newId(), roomId, v });
		}
	});
	return { queries, stored };
}

function bruteForce(stored: Stored[], q: number[], k: number, roomId?: UUID): Stored[] {
	return stored
		.filter((s) => roomId === undefined || s.roomId === roomId)
		.map((s) => ({ s, sim: refCosine(q, s.v) }))
		.sort((x, y) => y.sim - x.sim)
		.slice(0, k)
		.map((x) => x.s);
}

export function registerFilteredTopKTests(ctx: ConformanceContext): void {
	it("finds the room's true top-k when the global nearest neighbours sit in other rooms (10,000 vectors, 50 rooms)", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const agent = account();
		await a.createAccount(agent);
		const rooms = Array.from({ length: ROOMS }, () => newId());
		for (const r of rooms) await a.createRoom(r);
		const { queries, stored } = buildDataset(rooms);
		const items: CreateMemoryItem[] = stored.map((s, i) => ({
			memory: {
				id: s.id,
				userId: agent.id,
				agentId: agent.id,
				roomId: s.roomId,
				content: { text: `v${i}` },
				embedding: s.v,
				createdAt: 1_000_000 + i,
			},
			tableName: "messages",
		}));
		for (let i = 0; i < items.length; i += 500) await a.createMemories(items.slice(i, i + 500));
		expect((await a.stats()).memories).toBe(ROOMS * PER_ROOM);

		let hits = 0;
		for (let qi = 0; qi < QUERIES; qi++) {
			const q = queries[qi] as number[];
			const roomId = rooms[qi] as UUID;
			// The premise: no global nearest neighbour belongs to the target room.
			expect(bruteForce(stored, q, K).some((s) => s.roomId === roomId)).toBe(false);
			const truth = bruteForce(stored, q, K, roomId);
			const res = await a.searchMemoriesByEmbedding(q, { tableName: "messages", roomId, count: K });
			expect(res.every((m) => m.roomId === roomId)).toBe(true);
			if (a.capabilities.exactSearch) {
				expect(res.map((m) => m.id)).toEqual(truth.map((s) => s.id));
				res.forEach((m, i) => {
					expect(m.similarity).toBeCloseTo(refCosine(q, truth[i]?.v as number[]), 5);
				});
			} else {
				expect(res).toHaveLength(K);
			}
			const truthIds = new Set(truth.map((s) => s.id));
			hits += res.filter((m) => truthIds.has(m.id as UUID)).length;
		}
		expect(hits / (QUERIES * K)).toBeGreaterThanOrEqual(a.capabilities.exactSearch ? 1 : 0.95);
	}, 120_000);
}
