/**
 * PGlite shares the PostgreSQL family's LISTEN/NOTIFY subscribe: a forged `pg_notify` payload on the
 * caller's own instance (naming another room's memory with the subscription's room and table) must
 * not reach a filtered subscription; the stored row decides.
 */
import { describe, expect, it } from "vitest";
import type { MemoryEvent } from "../../src/core/types.js";
import { makeWorld, memory } from "../conformance/fixtures.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

const shared = sharedPGlite();

describe("pglite subscribe and forged NOTIFY payloads", () => {
	it("filters on the memory as stored, never on the payload", async () => {
		const a = await shared.adapter({ embeddingDimension: 4 });
		const pg = await shared.pglite();
		const w = await makeWorld(a);
		const secret = memory(w, { roomId: w.otherRoomId, text: "secret of the other room" });
		await a.createMemory(secret, "messages");
		const inRoom: MemoryEvent[] = [];
		const facts: MemoryEvent[] = [];
		await a.subscribe({ roomId: w.roomId }, (e) => inRoom.push(e));
		await a.subscribe({ tableName: "facts" }, (e) => facts.push(e));
		await pg.query("SELECT pg_notify('agentmem_memories', $1)", [
			JSON.stringify({ id: secret.id, room_id: w.roomId, type: "facts" }),
		]);
		const sentinel = memory(w, { text: "sentinel" });
		await a.createMemory(sentinel, "facts");
		await expect.poll(() => facts.map((e) => e.memory.id)).toContain(sentinel.id);
		await expect.poll(() => inRoom.map((e) => e.memory.id)).toContain(sentinel.id);
		expect(inRoom.map((e) => e.memory.content.text)).toEqual(["sentinel"]);
		expect(facts.map((e) => e.memory.content.text)).toEqual(["sentinel"]);
		await a.close();
	});
});
