import { expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../src/core/errors.js";
import type { Memory, UUID } from "../../src/core/types.js";
import {
	type ConformanceContext,
	expectError,
	expectRefusedUnchanged,
	f32,
	makeWorld,
	memory,
	newId,
	randomVector,
	seededRng,
	vec,
} from "./fixtures.js";

const DIM = 8;

export function registerMemoriesTests(ctx: ConformanceContext): void {
	it("round-trips content, ids, embedding and createdAt exactly", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const content = {
			text: "héllo wörld 👋🏽 こんにちは \u{1F600} \\ \" ' \n\t",
			action: "CONTINUE",
			nested: { list: [1, -2.5, 1e-7, "x", null, true, { deep: ["👩‍👩‍👧"] }], empty: {} },
			big: 2 ** 52,
		};
		const m = memory(w, {
			content,
			embedding: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
			createdAt: 1_700_000_000_123,
		});
		await a.createMemory(m, "messages");
		const got = await a.getMemoryById(m.id);
		expect(got).toMatchObject({
			id: m.id,
			userId: w.userId,
			agentId: w.agentId,
			roomId: w.roomId,
			createdAt: 1_700_000_000_123,
			unique: true,
		});
		expect(got?.content).toEqual(content);
		expect(got?.embedding).toEqual(f32(m.embedding as number[]));
	});

	it("generates an id and sets createdAt to now when absent", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const before = Date.now();
		await a.createMemory(
			{ userId: w.userId, agentId: w.agentId, roomId: w.roomId, content: { text: "x" } },
			"messages",
		);
		const after = Date.now();
		const [m] = await a.getMemories({ roomId: w.roomId, tableName: "messages" });
		expect(m?.id).toMatch(/^[0-9a-f-]{36}$/i);
		expect(m?.createdAt).toBeGreaterThanOrEqual(before);
		expect(m?.createdAt).toBeLessThanOrEqual(after);
		expect(m?.embedding).toBeUndefined();
	});

	it("accepts a 1 MB text and Float32Array embeddings", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const text = "ab✓".repeat(350_000);
		const m = memory(w, {
			text,
			embedding: Float32Array.from(vec(DIM, 1, 2)) as unknown as number[],
		});
		await a.createMemory(m, "documents");
		const got = await a.getMemoryById(m.id);
		expect(got?.content.text).toBe(text);
		expect(got?.embedding).toEqual(vec(DIM, 1, 2));
		expect(Array.isArray(got?.embedding)).toBe(true);
	});

	it("lists memories newest first with count, agent, type and inclusive time bounds", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const t = 1_000_000;
		for (let i = 0; i < 5; i++) {
			await a.createMemory(memory(w, { text: `m${i}`, createdAt: t + i * 10 }), "messages");
		}
		await a.createMemory(
			memory(w, { text: "other agent", agentId: w.otherAgentId, createdAt: t + 100 }),
			"messages",
		);
		await a.createMemory(memory(w, { text: "fact", createdAt: t + 200 }), "facts");
		await a.createMemory(
			memory(w, { text: "elsewhere", roomId: w.otherRoomId, createdAt: t + 300 }),
			"messages",
		);
		const texts = (ms: { content: { text?: string } }[]) => ms.map((m) => m.content.text);

		expect(texts(await a.getMemories({ roomId: w.roomId, tableName: "messages" }))).toEqual([
			"other agent",
			"m4",
			"m3",
			"m2",
			"m1",
			"m0",
		]);
		expect(
			texts(await a.getMemories({ roomId: w.roomId, tableName: "messages", count: 2 })),
		).toEqual(["other agent", "m4"]);
		expect(
			texts(await a.getMemories({ roomId: w.roomId, tableName: "messages", agentId: w.agentId })),
		).toEqual(["m4", "m3", "m2", "m1", "m0"]);
		expect(
			texts(
				await a.getMemories({
					roomId: w.roomId,
					tableName: "messages",
					start: t + 10,
					end: t + 30,
				}),
			),
		).toEqual(["m3", "m2", "m1"]);
		expect(texts(await a.getMemories({ roomId: w.roomId, tableName: "facts" }))).toEqual(["fact"]);
		expect(await a.getMemories({ roomId: newId(), tableName: "messages" })).toEqual([]);
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(6);
		expect(await a.countMemories(w.roomId, false, "facts")).toBe(1);
		expect(await a.countMemories(newId(), true, "messages")).toBe(0);
		expect((await a.stats()).memoriesByType).toEqual({ messages: 7, facts: 1 });
	});

	it("gets memories by ids and by rooms, newest first", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const m1 = memory(w, { text: "one", createdAt: 1000 });
		const m2 = memory(w, { text: "two", createdAt: 2000, roomId: w.otherRoomId });
		const m3 = memory(w, { text: "three", createdAt: 3000 });
		await a.createMemory(m1, "messages");
		await a.createMemory(m2, "messages");
		await a.createMemory(m3, "facts");
		const ids = [m1.id, m2.id, m3.id, newId()];
		expect((await a.getMemoriesByIds(ids)).map((m) => m.id)).toEqual([m3.id, m2.id, m1.id]);
		expect((await a.getMemoriesByIds(ids, "messages")).map((m) => m.id)).toEqual([m2.id, m1.id]);
		expect(await a.getMemoriesByIds([])).toEqual([]);
		const byRooms = await a.getMemoriesByRoomIds({
			roomIds: [w.roomId, w.otherRoomId],
			tableName: "messages",
		});
		expect(byRooms.map((m) => m.id)).toEqual([m2.id, m1.id]);
		const limited = await a.getMemoriesByRoomIds({
			roomIds: [w.roomId, w.otherRoomId],
			tableName: "messages",
			limit: 1,
		});
		expect(limited.map((m) => m.id)).toEqual([m2.id]);
		expect(
			await a.getMemoriesByRoomIds({
				roomIds: [w.roomId],
				tableName: "messages",
				agentId: w.otherAgentId,
			}),
		).toEqual([]);
		expect(await a.getMemoryById(newId())).toBeNull();
	});

	it("removes one memory, or all of a type in a room", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const keep = memory(w, { text: "keep" });
		const gone = memory(w, { text: "gone" });
		await a.createMemory(keep, "facts");
		await a.createMemory(gone, "messages");
		await a.createMemory(memory(w, { text: "also gone" }), "messages");
		await a.createMemory(memory(w, { text: "other room", roomId: w.otherRoomId }), "messages");
		await a.removeMemory(gone.id, "facts");
		expect(await a.getMemoryById(gone.id)).not.toBeNull();
		await a.removeMemory(gone.id, "messages");
		expect(await a.getMemoryById(gone.id)).toBeNull();
		await a.removeMemory(newId(), "messages");
		await a.removeAllMemories(w.roomId, "messages");
		expect(await a.countMemories(w.roomId, false, "messages")).toBe(0);
		expect(await a.countMemories(w.roomId, false, "facts")).toBe(1);
		expect(await a.countMemories(w.otherRoomId, false, "messages")).toBe(1);
	});

	it("replaces a memory stored again with the same id and type; refuses another type", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const m = memory(w, { text: "first" });
		await a.createMemory(m, "messages");
		await a.createMemory({ ...m, content: { text: "second" } }, "messages");
		expect((await a.getMemoryById(m.id))?.content).toEqual({ text: "second" });
		expect((await a.stats()).memories).toBe(1);
		await expectError(
			() => a.createMemory({ ...m, content: { text: "third" } }, "facts"),
			ConflictError,
		);
		expect((await a.getMemoryById(m.id))?.content).toEqual({ text: "second" });
	});

	it("createMemories stores a batch of 2,500 with embeddings, each one readable and findable", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const rng = seededRng(2500);
		const items = Array.from({ length: 2500 }, (_, i) => ({
			memory: memory(w, {
				text: `m${i}`,
				embedding: randomVector(rng, DIM),
				createdAt: 1_000 + i,
			}),
			tableName: "messages",
		}));
		await a.createMemories(items);
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(2500);
		const last = items[2499]?.memory as Memory & { id: UUID };
		const stored = await a.getMemoryById(last.id);
		expect(stored?.content).toEqual({ text: "m2499" });
		expect(stored?.createdAt).toBe(3_499);
		expect(stored?.unique).toBe(true);
		expect(stored?.embedding).toEqual(f32(last.embedding as number[]));
		const [top] = await a.searchMemoriesByEmbedding(last.embedding as number[], {
			tableName: "messages",
			count: 1,
		});
		expect(top?.id).toBe(last.id);
	});

	it("createMemories: a repeated id keeps the later row, as two createMemory calls would", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const m = memory(w, { text: "first" });
		await a.createMemories([
			{ memory: m, tableName: "messages" },
			{ memory: memory(w), tableName: "messages" },
			{ memory: { ...m, content: { text: "second" } }, tableName: "messages" },
		]);
		expect((await a.getMemoryById(m.id))?.content).toEqual({ text: "second" });
		expect(await a.countMemories(w.roomId, true, "messages")).toBe(2);
	});

	it("createMemories refuses an id of another type, naming it, and writes nothing", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const taken = memory(w, { text: "a fact" });
		await a.createMemory(taken, "facts");
		const batch = [
			{ memory: memory(w), tableName: "messages" },
			{ memory: { ...taken, content: { text: "now a message" } }, tableName: "messages" },
		];
		const before = await a.stats();
		const err = await expectError(() => a.createMemories(batch), ConflictError);
		expect(err.message).toContain(taken.id);
		expect(await a.stats()).toEqual(before);
		expect((await a.getMemoryById(taken.id))?.content).toEqual({ text: "a fact" });
	});

	it("createMemories names the missing room of a batch and writes nothing", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const missingRoom = newId();
		const batch = [
			{ memory: memory(w), tableName: "messages" },
			{ memory: memory(w, { roomId: missingRoom }), tableName: "messages" },
		];
		await expectRefusedUnchanged(a, () => a.createMemories(batch), NotFoundError);
		const err = await expectError(() => a.createMemories(batch), NotFoundError);
		expect(err.message).toContain(`roomId ${missingRoom} does not exist`);
	});
}
