import { expect, it } from "vitest";
import { axis, type ConformanceContext, makeWorld, memory } from "./fixtures.js";

const DIM = 8;

export function registerCascadesTests(ctx: ConformanceContext): void {
	it("removeRoom removes its memories, participants, goals and logs, and nothing of other rooms", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.addParticipant(w.userId, w.otherRoomId);
		for (const roomId of [w.roomId, w.otherRoomId]) {
			await a.createMemory(memory(w, { roomId, embedding: axis(DIM, 0) }), "messages");
			await a.createMemory(memory(w, { roomId }), "facts");
			await a.createGoal({
				roomId,
				userId: w.userId,
				name: "g",
				status: "IN_PROGRESS",
				objectives: [],
			});
			await a.log({ body: {}, userId: w.userId, roomId, type: "t" });
		}
		await a.createRelationship({ userA: w.userId, userB: w.agentId });
		await a.removeRoom(w.roomId);

		expect(await a.getRoom(w.roomId)).toBeNull();
		expect(await a.getMemories({ roomId: w.roomId, tableName: "messages" })).toEqual([]);
		expect(await a.getParticipantsForRoom(w.roomId)).toEqual([]);
		expect(await a.getGoals({ roomId: w.roomId })).toEqual([]);
		const hits = await a.searchMemoriesByEmbedding(axis(DIM, 0), {
			tableName: "messages",
			count: 10,
		});
		expect(hits.map((m) => m.roomId)).toEqual([w.otherRoomId]);
		expect(await a.stats()).toMatchObject({
			rooms: 1,
			memories: 2,
			memoriesMissingEmbedding: 1,
			participants: 1,
			goals: 1,
			logs: 1,
			relationships: 1,
			accounts: 4,
		});
		expect(await a.getRoomsForParticipant(w.userId)).toEqual([w.otherRoomId]);
		await a.removeRoom(w.roomId); // removing again is harmless
	});

	it("50 concurrent addParticipant calls for the same pair leave one row and never throw", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const results = await Promise.all(
			Array.from({ length: 50 }, () => a.addParticipant(w.otherUserId, w.otherRoomId)),
		);
		expect(results).toEqual(new Array(50).fill(true));
		expect(await a.getParticipantsForRoom(w.otherRoomId)).toEqual([w.otherUserId]);
		expect((await a.stats()).participants).toBe(3);
	});
}
