/**
 * Memory over its lifetime (issue 16): rooms listed and named, memories deleted by filter and
 * pruned by retention rules, with search and counts following at once. Cache expiry and scoped
 * handles are in lifecycle-scoped.ts.
 */
import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { NotFoundError, ValidationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import {
	axis,
	type ConformanceContext,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
	type World,
} from "./fixtures.js";
import { registerLifecycleScopedTests } from "./lifecycle-scoped.js";

const DIM = 8;
const T0 = 1_700_000_000_000;

/** Memories at T0 + i (i = 0..n-1) of the world's agent and user in `roomId`, along axis i % DIM. */
async function writeSeries(
	a: DatabaseAdapter,
	w: World,
	n: number,
	fields: { roomId?: UUID; type?: string; agentId?: UUID; userId?: UUID; at?: number } = {},
): Promise<UUID[]> {
	const items = Array.from({ length: n }, (_, i) => ({
		memory: memory(w, {
			roomId: fields.roomId ?? w.roomId,
			agentId: fields.agentId ?? w.agentId,
			userId: fields.userId ?? w.userId,
			createdAt: (fields.at ?? T0) + i,
			embedding: axis(DIM, i % DIM),
			text: `m${i}`,
		}),
		tableName: fields.type ?? "messages",
	}));
	await a.createMemories(items);
	return items.map((it) => it.memory.id);
}

async function allIds(a: DatabaseAdapter, roomId: UUID, type = "messages"): Promise<string[]> {
	return (await a.getMemories({ roomId, tableName: type })).map((m) => m.id as string).sort();
}

export function registerLifecycleTests(ctx: ConformanceContext): void {
	it("listRooms: names, participants, counts per type, activity, order and paging", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.setRoomName(w.roomId, "launch ✨");
		const empty = await a.createRoom(newId(), "empty room");
		await writeSeries(a, w, 3, { at: T0 });
		await writeSeries(a, w, 2, { at: T0 + 10, type: "facts" });
		await writeSeries(a, w, 1, { at: T0 + 100, roomId: w.otherRoomId, agentId: w.otherAgentId });

		const rooms = await a.listRooms();
		expect(rooms.map((r) => r.id)).toEqual([
			w.otherRoomId, // last activity T0 + 100
			w.roomId, // T0 + 11
			...[empty].sort(), // no memories: last
		]);
		expect(rooms[1]).toEqual({
			id: w.roomId,
			name: "launch ✨",
			createdAt: expect.any(Number),
			participants: 2,
			memories: { facts: 2, messages: 3 },
			firstActivity: T0,
			lastActivity: T0 + 11,
		});
		expect(rooms[0]).toMatchObject({ name: null, participants: 0, memories: { messages: 1 } });
		expect(rooms[2]).toMatchObject({
			id: empty,
			name: "empty room",
			participants: 0,
			memories: {},
			firstActivity: null,
			lastActivity: null,
		});

		// An agent's rooms: those it takes part in or has memories in, with its own counts.
		const mine = await a.listRooms({ agentId: w.agentId });
		expect(mine.map((r) => r.id)).toEqual([w.roomId]);
		const other = await a.listRooms({ agentId: w.otherAgentId });
		expect(other.map((r) => [r.id, r.memories])).toEqual([[w.otherRoomId, { messages: 1 }]]);
		expect(await a.listRooms({ agentId: newId() })).toEqual([]);

		expect((await a.listRooms({ limit: 1, offset: 1 })).map((r) => r.id)).toEqual([w.roomId]);
		expect(await a.listRooms({ limit: 0 })).toEqual([]);
		expect(await a.listRooms({ offset: 5 })).toEqual([]);
		await expectRefusedUnchanged(a, () => a.listRooms({ limit: -1 }), ValidationError);
		await expectRefusedUnchanged(
			a,
			() => a.listRooms({ agentId: "nope" as UUID }),
			ValidationError,
		);
	});

	it("room names: createRoom names a new room, setRoomName renames and clears, bad names write nothing", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const id = newId();
		expect(await a.createRoom(id, "general")).toBe(id);
		expect(await a.getRoomName(id)).toBe("general");
		// Idempotent: an existing name is kept; a room without one gets it.
		await a.createRoom(id, "other");
		expect(await a.getRoomName(id)).toBe("general");
		const unnamed = await a.createRoom();
		expect(await a.getRoomName(unnamed)).toBeNull();
		await a.createRoom(unnamed.toUpperCase() as UUID, "late name");
		expect(await a.getRoomName(unnamed)).toBe("late name");

		await a.setRoomName(id.toUpperCase() as UUID, "renamed 🚀");
		expect(await a.getRoomName(id)).toBe("renamed 🚀");
		await a.setRoomName(id, null);
		expect(await a.getRoomName(id)).toBeNull();
		expect(await a.getRoomName(newId())).toBeNull();

		await a.setRoomName(id, "kept");
		for (const bad of [
			"",
			"   ",
			"a\u0000b",
			"bell\u0007",
			"esc\u001b[31m",
			"x".repeat(257),
			"\ud800",
			7,
		]) {
			await expectRefusedUnchanged(a, () => a.setRoomName(id, bad as string), ValidationError);
			await expectRefusedUnchanged(a, () => a.createRoom(newId(), bad as string), ValidationError);
		}
		expect(await a.getRoomName(id)).toBe("kept");
		await expectRefusedUnchanged(a, () => a.setRoomName(newId(), "x"), NotFoundError);
		await expectRefusedUnchanged(a, () => a.setRoomName("bad" as UUID, "x"), ValidationError);
		expect(await a.getRoomName(id)).toBe("kept");
	});

	it("deleteMemories: every criterion narrows, returns the count, search and counts follow", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const series = await writeSeries(a, w, 6, { at: T0 }); // T0..T0+5 in roomId
		const others = await writeSeries(a, w, 3, { at: T0, roomId: w.otherRoomId });
		const facts = await writeSeries(a, w, 2, { at: T0, type: "facts" });
		const theirs = await writeSeries(a, w, 2, { at: T0 + 50, userId: w.otherUserId });

		// Exclusive time bounds within one room and type: T0+1 < t < T0+4 deletes T0+2, T0+3.
		expect(
			await a.deleteMemories({
				roomId: w.roomId,
				tableName: "messages",
				after: T0 + 1,
				before: T0 + 4,
			}),
		).toBe(2);
		expect(await allIds(a, w.roomId)).toEqual(
			[series[0], series[1], series[4], series[5], ...theirs].sort(),
		);
		// Search no longer returns them (axis 2 and 3 were series[2] and series[3]).
		for (const i of [2, 3]) {
			const hits = await a.searchMemoriesByEmbedding(axis(DIM, i), {
				tableName: "messages",
				roomId: w.roomId,
			});
			expect(hits.map((m) => m.id)).not.toContain(series[i]);
			expect(hits.length).toBeGreaterThan(0);
		}
		// By user, by ids (ids of another type are not matched by a type filter).
		expect(await a.deleteMemories({ userId: w.otherUserId })).toBe(2);
		expect(
			await a.deleteMemories({ ids: [facts[0] as UUID, series[0] as UUID], tableName: "facts" }),
		).toBe(1);
		expect(await a.deleteMemories({ ids: [] })).toBe(0);
		expect(await a.deleteMemories({ ids: [newId()] })).toBe(0);
		// Nothing matched twice; another agent's filter matches nothing of this agent's.
		expect(await a.deleteMemories({ userId: w.otherUserId })).toBe(0);
		expect(await a.deleteMemories({ agentId: w.otherAgentId })).toBe(0);
		// By type alone, by room alone (upper-case ids are the same ids).
		expect(await a.deleteMemories({ tableName: "facts" })).toBe(1);
		expect(await a.deleteMemories({ roomId: w.otherRoomId.toUpperCase() as UUID })).toBe(3);
		expect(await a.countMemories(w.otherRoomId, false, "messages")).toBe(0);
		expect(others).toHaveLength(3);
		const left = [series[0], series[1], series[4], series[5]];
		expect(await allIds(a, w.roomId)).toEqual(left.sort());
		expect((await a.stats()).memories).toBe(4);
		const top = await a.searchMemoriesByEmbedding(axis(DIM, 0), {
			tableName: "messages",
			count: 10,
		});
		expect(top.map((m) => m.id).sort()).toEqual(left.sort());
	});

	it("deleteMemories: an empty filter, bad values or unknown members are refused and delete nothing", async () => {
		const a = await ctx.sharedAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await writeSeries(a, w, 2);
		const bad: unknown[] = [
			{},
			{ tableName: undefined, roomId: null },
			null,
			"messages",
			[],
			{ roomID: w.roomId },
			{ tableName: "" },
			{ tableName: "x; DROP TABLE memories" },
			{ roomId: "nope" },
			{ ids: ["nope"] },
			{ ids: "x" },
			{ before: -1 },
			{ after: 1.5 },
			{ before: Number.NaN },
			{ userId: 3 },
		];
		for (const filter of bad)
			await expectRefusedUnchanged(a, () => a.deleteMemories(filter as never), ValidationError);
	});

	it("pruneMemories: keepLast per room and type, olderThan / before, and both together", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const now = Date.now();
		const old = now - 10 * 86_400_000;
		const roomA = await writeSeries(a, w, 5, { at: old }); // old..old+4
		const roomB = await writeSeries(a, w, 3, { at: old, roomId: w.otherRoomId });
		const facts = await writeSeries(a, w, 2, { at: old, type: "facts" });
		const recent = await writeSeries(a, w, 2, { at: now - 1000 }); // messages, room A, recent

		// Older than 5 days, keeping the newest 3 of each room and type: room A's messages keep the
		// two recent ones and old+4 (3 newest), so old+0..old+3 go; room B keeps all 3; facts keep 2.
		expect(await a.pruneMemories({ olderThan: 5 * 86_400_000, keepLast: 3 })).toBe(4);
		expect(await allIds(a, w.roomId)).toEqual([roomA[4], ...recent].sort());
		expect(await allIds(a, w.otherRoomId)).toEqual([...roomB].sort());
		expect(await allIds(a, w.roomId, "facts")).toEqual([...facts].sort());

		// keepLast alone, scoped to a type and a room.
		expect(
			await a.pruneMemories({ keepLast: 1, tableName: "messages", roomId: w.otherRoomId }),
		).toBe(2);
		expect(await allIds(a, w.otherRoomId)).toEqual([roomB[2]]);
		// before alone (exclusive), with an agent filter that matches nothing first.
		expect(await a.pruneMemories({ before: old + 1, agentId: w.otherAgentId })).toBe(0);
		expect(await a.pruneMemories({ before: old + 1 })).toBe(1); // facts[0]
		expect(await allIds(a, w.roomId, "facts")).toEqual([facts[1]]);
		// olderThan alone: every old memory goes, recent ones stay.
		expect(await a.pruneMemories({ olderThan: 86_400_000 })).toBe(3);
		expect(await allIds(a, w.roomId)).toEqual([...recent].sort());
		expect((await a.stats()).memories).toBe(2);
		const hits = await a.searchMemoriesByEmbedding(axis(DIM, 4), { tableName: "messages" });
		expect(hits.map((m) => m.id)).not.toContain(roomA[4]);

		for (const params of [
			{},
			{ tableName: "messages" },
			{ keepLast: 0 },
			{ keepLast: 1.5 },
			{ olderThan: -1 },
			{ before: "yesterday" },
			{ keepLast: 1, roomId: "x" },
			{ keepLast: 1, keep: 2 },
			null,
		])
			await expectRefusedUnchanged(a, () => a.pruneMemories(params as never), ValidationError);
	});

	it("deleteMemories inside a rolled-back transaction deletes nothing", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const ids = await writeSeries(a, w, 3);
		await expect(
			a.transaction(async (tx) => {
				expect(await tx.deleteMemories({ roomId: w.roomId })).toBe(3);
				expect(await tx.pruneMemories({ keepLast: 1 })).toBe(0);
				throw new Error("undo");
			}),
		).rejects.toThrow("undo");
		expect(await allIds(a, w.roomId)).toEqual([...ids].sort());
		const hits = await a.searchMemoriesByEmbedding(axis(DIM, 1), {
			tableName: "messages",
			count: 1,
		});
		expect(hits.map((m) => m.id)).toEqual([ids[1]]);
		expect(await a.transaction((tx) => tx.deleteMemories({ ids: [ids[0] as UUID] }))).toBe(1);
		expect(await allIds(a, w.roomId)).toEqual([ids[1], ids[2]].sort());
	});

	registerLifecycleScopedTests(ctx);
}
