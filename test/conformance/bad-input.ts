import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { NotFoundError, ValidationError } from "../../src/core/errors.js";
import { NOT_FOUND, VALIDATION } from "./bad-input-cases.js";
import { DATA_RULE_VALIDATION } from "./bad-input-data-cases.js";
import { MEMORY_VALIDATION } from "./bad-input-memory-cases.js";
import {
	axis,
	type ConformanceContext,
	expectRefusedUnchanged,
	makeWorld,
	newId,
	type World,
	writeOneOfEach,
} from "./fixtures.js";

const DIM = 8;

/** A world with one record of each kind, so "unchanged" is checked against a non-empty database. */
async function seeded(a: DatabaseAdapter): Promise<World> {
	const w = await makeWorld(a);
	await writeOneOfEach(a, w, DIM);
	return w;
}

export function registerBadInputTests(ctx: ConformanceContext): void {
	// Every test here writes nothing (each checks that against its own before/after stats), so they
	// share one seeded adapter instead of a fresh one each.
	let world: { adapter: DatabaseAdapter; w: World } | undefined;
	const shared = async () => {
		const a = await ctx.sharedAdapter({ embeddingDimension: DIM });
		if (world?.adapter !== a) world = { adapter: a, w: await seeded(a) };
		return { a, w: world.w };
	};

	it.each([...VALIDATION, ...MEMORY_VALIDATION, ...DATA_RULE_VALIDATION])(
		"%s → ValidationError, nothing written",
		async (_name, call) => {
			const { a, w } = await shared();
			await expectRefusedUnchanged(a, () => call(a, w), ValidationError);
		},
	);

	it.each(NOT_FOUND)("%s → NotFoundError, nothing written", async (_name, call) => {
		const { a, w } = await shared();
		await expectRefusedUnchanged(a, () => call(a, w), NotFoundError);
	});

	it("reads scoped to unknown ids return empty results, not errors", async () => {
		const { a } = await shared();
		const id = newId();
		expect(await a.getAccountById(id)).toBeNull();
		expect(await a.getRoom(id)).toBeNull();
		expect(await a.getRoomsForParticipant(id)).toEqual([]);
		expect(await a.getParticipantsForRoom(id)).toEqual([]);
		expect(await a.getActorDetails({ roomId: id })).toEqual([]);
		expect(await a.getMemories({ roomId: id, tableName: "messages" })).toEqual([]);
		expect(await a.getMemoriesByRoomIds({ roomIds: [id], tableName: "messages" })).toEqual([]);
		expect(
			await a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", roomId: id }),
		).toEqual([]);
		expect(await a.getGoals({ roomId: id })).toEqual([]);
		expect(await a.getRelationships({ userId: id })).toEqual([]);
		expect(await a.getCache({ agentId: id, key: "k" })).toBeUndefined();
		expect(await a.getKnowledge({ agentId: id })).toEqual([]);
	});

	it("accepts count 0 and returns nothing", async () => {
		const { a, w } = await shared();
		expect(await a.getMemories({ roomId: w.roomId, tableName: "messages", count: 0 })).toEqual([]);
		expect(
			await a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", count: 0 }),
		).toEqual([]);
	});
}
