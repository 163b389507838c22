/**
 * Memory over its lifetime, continued: cache entries that expire (explicit times, no sleeping),
 * scoped handles that fill and enforce an agent or a room, and room names and cache expiry
 * carried by export and import.
 */
import { expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import { forAgent, forRoom } from "../../src/core/scoped.js";
import type { UUID } from "../../src/core/types.js";
import {
	axis,
	type ConformanceContext,
	expectError,
	expectRefusedUnchanged,
	makeWorld,
	memory,
	newId,
} from "./fixtures.js";

const DIM = 8;
const HOUR = 3_600_000;

export function registerLifecycleScopedTests(ctx: ConformanceContext): void {
	it("cache entries expire: read as absent, not deletable, swept by the next setCache", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const key = (k: string) => ({ agentId: w.agentId, key: k });
		await a.setCache({ ...key("gone"), value: "old", expiresAt: Date.now() - 1 });
		await a.setCache({ ...key("ttl"), value: "fresh", ttlMs: HOUR });
		await a.setCache({ ...key("until"), value: "later", expiresAt: Date.now() + HOUR });
		await a.setCache({ ...key("forever"), value: "kept" });
		expect(await a.getCache(key("gone"))).toBeUndefined();
		expect(await a.getCache(key("ttl"))).toBe("fresh");
		expect(await a.getCache(key("until"))).toBe("later");
		expect(await a.getCache(key("forever"))).toBe("kept");
		expect(await a.deleteCache(key("gone"))).toBe(false);

		// Setting again replaces the expiry (here: none).
		await a.setCache({ ...key("ttl"), value: "no expiry now" });
		await a.setCache({ ...key("past"), value: "x", expiresAt: 0 });
		expect((await a.stats()).cache).toBe(4); // ttl, until, forever, and past until the next set
		await a.setCache({ ...key("forever"), value: "kept" });
		expect((await a.stats()).cache).toBe(3);
		expect(await a.getCache(key("ttl"))).toBe("no expiry now");

		for (const bad of [
			{ ttlMs: 0 },
			{ ttlMs: -5 },
			{ ttlMs: 1.5 },
			{ ttlMs: "1h" },
			{ expiresAt: -1 },
			{ expiresAt: Number.NaN },
			{ ttlMs: 10, expiresAt: Date.now() + 10 },
		]) {
			await expectRefusedUnchanged(
				a,
				() => a.setCache({ ...key("bad"), value: "v", ...(bad as object) }),
				ValidationError,
			);
		}
		expect(await a.getCache(key("bad"))).toBeUndefined();
	});

	it("forAgent fills and enforces the agent: another agent's memories are out of reach", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const mine = forAgent(a, w.agentId.toUpperCase() as UUID);
		const theirs = forAgent(a, w.otherAgentId);
		const { agentId: _a, ...noAgent } = memory(w, { embedding: axis(DIM, 0), text: "mine" });
		await mine.createMemory(noAgent, "messages");
		const other = memory(w, { agentId: w.otherAgentId, embedding: axis(DIM, 0), text: "theirs" });
		await theirs.createMemory(other, "messages");

		// Naming another agent is refused before anything is written or deleted.
		await expectRefusedUnchanged(a, () => mine.createMemory(other, "messages"), ValidationError);
		await expectRefusedUnchanged(
			a,
			() => mine.getMemories({ roomId: w.roomId, tableName: "messages", agentId: w.otherAgentId }),
			ValidationError,
		);
		await expectRefusedUnchanged(
			a,
			() => mine.deleteMemories({ agentId: w.otherAgentId }),
			ValidationError,
		);
		await expectError(
			() => Promise.resolve().then(() => mine.forAgent(w.otherAgentId)),
			ValidationError,
		);

		// Reads and search see only the agent's memories; removals never touch the other's.
		const got = await mine.getMemories({ roomId: w.roomId, tableName: "messages" });
		expect(got.map((m) => m.content.text)).toEqual(["mine"]);
		expect(await mine.getMemoryById(other.id)).toBeNull();
		expect(await mine.getMemoriesByIds([other.id, got[0]?.id as UUID])).toHaveLength(1);
		const hits = await mine.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages" });
		expect(hits.map((m) => m.content.text)).toEqual(["mine"]);
		await mine.removeMemory(other.id, "messages");
		expect(await a.getMemoryById(other.id)).not.toBeNull();
		expect(await mine.deleteMemories({ roomId: w.roomId })).toBe(1);
		expect(await a.getMemoryById(other.id)).not.toBeNull();
		expect((await mine.listRooms()).map((r) => r.id)).toEqual([w.roomId]);

		// Knowledge: the agent's own items; a shared item of another agent cannot be removed.
		const shared = {
			id: newId(),
			agentId: w.otherAgentId,
			content: { text: "s", metadata: { isShared: true } },
		};
		await theirs.createKnowledge(shared);
		await mine.createKnowledge({ id: newId(), content: { text: "own" } });
		expect((await mine.getKnowledge()).map((k) => k.content.text).sort()).toEqual(["own", "s"]);
		await expectRefusedUnchanged(a, () => mine.removeKnowledge(shared.id), ValidationError);
		await mine.clearKnowledge();
		expect((await mine.getKnowledge()).map((k) => k.content.text)).toEqual(["s"]);
	});

	it("forRoom fills and enforces the room", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const room = forRoom(a, w.roomId);
		const { roomId: _r, ...noRoom } = memory(w, { embedding: axis(DIM, 1), text: "here" });
		await room.createMemories([{ memory: noRoom, tableName: "facts" }]);
		const elsewhere = memory(w, { roomId: w.otherRoomId, embedding: axis(DIM, 1), text: "there" });
		await a.createMemory(elsewhere, "facts");

		await expectRefusedUnchanged(
			a,
			() => room.createMemories([{ memory: elsewhere, tableName: "facts" }]),
			ValidationError,
		);
		await expectRefusedUnchanged(
			a,
			() => room.pruneMemories({ keepLast: 1, roomId: w.otherRoomId }),
			ValidationError,
		);
		const hits = await room.searchMemories({
			tableName: "facts",
			embedding: axis(DIM, 1),
			match_threshold: 0.5,
			match_count: 5,
			unique: false,
		});
		expect(hits.map((m) => m.content.text)).toEqual(["here"]);
		expect(await room.getMemoryById(elsewhere.id)).toBeNull();
		await room.removeAllMemories(undefined, "facts");
		expect(await a.countMemories(w.roomId, false, "facts")).toBe(0);
		expect(await a.countMemories(w.otherRoomId, false, "facts")).toBe(1);
		const both = room.forAgent(w.agentId);
		expect([both.agentId, both.roomId]).toEqual([w.agentId, w.roomId]);
		expect(() => forRoom(a, "not-a-uuid" as UUID)).toThrow(ValidationError);
	});

	it("export and import carry room names and cache expiry", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.setRoomName(w.roomId, "named");
		const expiresAt = Date.now() + HOUR;
		await a.setCache({ agentId: w.agentId, key: "k", value: "v", expiresAt });
		const records: PortableRecord[] = [];
		for await (const r of a.exportRecords()) records.push(r);
		const rooms = records.filter((r) => r.kind === "room");
		expect(rooms.find((r) => r.id === w.roomId)).toMatchObject({ name: "named" });
		expect(rooms.find((r) => r.id === w.otherRoomId)).toMatchObject({ name: null });
		expect(records.find((r) => r.kind === "cache")).toMatchObject({ key: "k", expiresAt });

		await a.setRoomName(w.roomId, null);
		await a.setCache({ agentId: w.agentId, key: "k", value: "v" });
		await a.importRecords(records);
		expect(await a.getRoomName(w.roomId)).toBe("named");
		// An export of an older version has neither field: read as no name, no expiry.
		await a.importRecords([
			{ kind: "room", id: w.otherRoomId, createdAt: 1 },
			{ kind: "cache", agentId: w.agentId, key: "old", value: "o", createdAt: 1 },
		]);
		expect(await a.getCache({ agentId: w.agentId, key: "old" })).toBe("o");
		const again: PortableRecord[] = [];
		for await (const r of a.exportRecords()) again.push(r);
		expect(again.find((r) => r.kind === "cache" && r.key === "k")).toMatchObject({ expiresAt });
		await expectRefusedUnchanged(
			a,
			() => a.importRecords([{ kind: "room", id: newId(), createdAt: 1, name: "bad\u001b" }]),
			ValidationError,
		);
	});
}
