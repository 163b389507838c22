import { expect, it } from "vitest";
import type { MemoryEvent } from "../../src/core/types.js";
import { type ConformanceContext, makeWorld, memory, sleep, waitFor } from "./fixtures.js";

export function registerSubscribeTests(ctx: ConformanceContext): void {
	it("delivers committed memories matching the filter, once, after commit; none from rollbacks", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const events: MemoryEvent[] = [];
		const unsubscribe = await a.subscribe({ tableName: "messages", roomId: w.roomId }, (e) =>
			events.push(e),
		);

		const first = memory(w, { text: "first", content: { text: "first", n: [1, { deep: "ü" }] } });
		await a.createMemory(first, "messages");
		await a.createMemory(memory(w, { text: "other type" }), "facts");
		await a.createMemory(memory(w, { text: "other room", roomId: w.otherRoomId }), "messages");
		await a.transaction(async (tx) => {
			await tx.createMemory(memory(w, { text: "in tx" }), "messages");
			await sleep(50);
			expect(events.map((e) => e.memory.content.text)).not.toContain("in tx");
		});
		await expect(
			a.transaction(async (tx) => {
				await tx.createMemory(memory(w, { text: "rolled back" }), "messages");
				throw new Error("rollback");
			}),
		).rejects.toThrow("rollback");
		await a.createMemories([{ memory: memory(w, { text: "sentinel" }), tableName: "messages" }]);

		// Delivery is in commit order, so once the sentinel arrives everything before it has too.
		await waitFor(() => events.some((e) => e.memory.content.text === "sentinel"));
		expect(events.map((e) => e.memory.content.text)).toEqual(["first", "in tx", "sentinel"]);
		expect(events[0]).toMatchObject({
			tableName: "messages",
			memory: { id: first.id, roomId: w.roomId, content: first.content },
		});
		await unsubscribe();
	});

	it("stops delivering after unsubscribe", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const stopped: MemoryEvent[] = [];
		const live: MemoryEvent[] = [];
		const stop = await a.subscribe({}, (e) => stopped.push(e));
		const stopLive = await a.subscribe({ roomId: w.roomId }, (e) => live.push(e));
		await a.createMemory(memory(w, { text: "one" }), "facts");
		await waitFor(() => stopped.length === 1 && live.length === 1);
		await stop();
		await a.createMemory(memory(w, { text: "two" }), "messages");
		await waitFor(() => live.length === 2);
		expect(stopped.map((e) => e.memory.content.text)).toEqual(["one"]);
		expect(live.map((e) => e.tableName)).toEqual(["facts", "messages"]);
		await stopLive();
	});

	it("delivers one event per memory id per batch or transaction, with the content committed last", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const events: MemoryEvent[] = [];
		const unsubscribe = await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
		const repeated = memory(w, { text: "v1" });
		const other = memory(w, { text: "other" });
		await a.createMemories([
			{ memory: repeated, tableName: "messages" },
			{ memory: other, tableName: "messages" },
			{ memory: { ...repeated, content: { text: "v2" } }, tableName: "messages" },
		]);
		const again = memory(w, { text: "t1" });
		await a.transaction(async (tx) => {
			await tx.createMemory(again, "facts");
			await tx.createMemory({ ...again, content: { text: "t2" } }, "facts");
		});
		// A later transaction writing the same id again is a new commit: a new event.
		await a.createMemory({ ...repeated, content: { text: "v3" } }, "messages");
		await a.createMemory(memory(w, { text: "sentinel" }), "messages");
		await waitFor(() => events.some((e) => e.memory.content.text === "sentinel"));
		await sleep(100); // a late duplicate would arrive in this window
		// Each event sits where the id was first written in its commit, with its last content.
		expect(events.map((e) => [e.memory.id, e.memory.content.text])).toEqual([
			[repeated.id, "v2"],
			[other.id, "other"],
			[again.id, "t2"],
			[repeated.id, "v3"],
			[expect.any(String), "sentinel"],
		]);
		await unsubscribe();
	});

	it("delivers a committed memory removed before the listener runs, with its committed content", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const events: MemoryEvent[] = [];
		const unsubscribe = await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
		const gone = memory(w, { text: "gone at once", embedding: [1, 0, 0, 0, 0, 0, 0, 0] });
		await a.createMemory(gone, "messages");
		await a.removeMemory(gone.id, "messages");
		const inTx = memory(w, { text: "created and removed in one transaction" });
		await a.transaction(async (tx) => {
			await tx.createMemory(inTx, "messages");
			await tx.removeMemory(inTx.id, "messages");
		});
		await a.createMemory(memory(w, { text: "sentinel" }), "messages");
		await waitFor(() => events.some((e) => e.memory.content.text === "sentinel"));
		expect(events.map((e) => e.memory.content.text)).toEqual([
			"gone at once",
			"created and removed in one transaction",
			"sentinel",
		]);
		expect(events[0]).toMatchObject({
			tableName: "messages",
			memory: { id: gone.id, roomId: w.roomId, embedding: [1, 0, 0, 0, 0, 0, 0, 0] },
		});
		expect(await a.getMemoryById(gone.id)).toBeNull();
		await unsubscribe();
	});
}
