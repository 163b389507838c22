/**
 * Subscribe events recorded once per INSERT statement (migration 010): a bulk load's one
 * notification names all of its events ("<oid>:<first>-<last>@<xid>"), read a page at a time, each
 * delivered once and in order; an upsert's updated rows still go through the row trigger; forged
 * range payloads name only real events of the transaction they give, delivered at most once.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import type { MemoryEvent } from "../../src/core/types.js";
import { makeWorld, memory, sleep, waitFor } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres subscribe statements");
let schemaCounter = 0;

if (db) {
	describe("postgres subscribe: events per statement", () => {
		const open: PostgresDatabaseAdapter[] = [];
		afterEach(async () => {
			await Promise.all(open.splice(0).map((a) => a.close()));
		});

		async function pair() {
			if (!db) throw new Error("unreachable: guarded above");
			const schema = `substmt_${process.pid}_${schemaCounter++}`;
			const a = await db.adapter({ schema, embeddingDimension: 4 });
			const b = await db.adapter({ schema, embeddingDimension: 4 });
			open.push(a, b);
			return { a, b, schema };
		}

		const texts = (events: MemoryEvent[]) => events.map((e) => e.memory.content.text);

		it("a bulk load of 1,200 is one notification; every memory is delivered once, in order, to each matching subscription", async () => {
			const { a, b, schema } = await pair();
			const w = await makeWorld(a);
			const all: MemoryEvent[] = [];
			const inRoom: MemoryEvent[] = [];
			const facts: MemoryEvent[] = [];
			await a.subscribe({}, (e) => all.push(e));
			await a.subscribe({ roomId: w.roomId }, (e) => inRoom.push(e));
			await a.subscribe({ tableName: "facts" }, (e) => facts.push(e));
			const batch = Array.from({ length: 1200 }, (_, i) => ({
				memory: memory(w, {
					text: `m${i}`,
					roomId: i % 2 === 0 ? w.roomId : w.otherRoomId,
					embedding: [i, 1, 0, 0],
				}),
				tableName: "messages",
			}));
			await b.createMemories(batch);
			const [{ n } = { n: 0 }] = await db.sql<{ n: number }>(
				`SELECT count(*)::int AS n FROM "${schema}".agentmem_memory_events`,
			);
			expect(n).toBe(1200);
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => texts(all).includes("sentinel"), 10_000);
			await waitFor(() => texts(inRoom).includes("sentinel"), 10_000);
			await sleep(200); // a duplicate would arrive in this window
			const want = batch.map((it) => it.memory.content.text);
			expect(texts(all)).toEqual([...want, "sentinel"]);
			expect(texts(inRoom)).toEqual([...want.filter((_, i) => i % 2 === 0), "sentinel"]);
			expect(facts).toEqual([]);
			expect(all[7]?.memory).toMatchObject({ id: batch[7]?.memory.id, embedding: [7, 1, 0, 0] });
		});

		it("an upsert's replaced and new rows are one event each, with the values committed", async () => {
			const { a, b } = await pair();
			const w = await makeWorld(a);
			const kept = memory(w, { text: "v1" });
			await b.createMemory(kept, "messages");
			const events: MemoryEvent[] = [];
			await a.subscribe({}, (e) => events.push(e));
			const fresh = memory(w, { text: "new" });
			await b.transaction(async (tx) => {
				await tx.createMemory(fresh, "messages");
				await tx.createMemory({ ...kept, content: { text: "v2" } }, "messages");
				await tx.createMemory({ ...fresh, content: { text: "new, replaced" } }, "messages");
			});
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => texts(events).includes("sentinel"), 5000);
			await sleep(200);
			expect(texts(events)).toEqual(["new, replaced", "v2", "sentinel"]);
		});

		it("forged range payloads deliver nothing new: another transaction, a delivered range, before subscribe", async () => {
			const { a, b, schema } = await pair();
			const w = await makeWorld(a);
			const before = Array.from({ length: 3 }, (_, i) => ({
				memory: memory(w, { text: `before ${i}` }),
				tableName: "messages",
			}));
			await b.createMemories(before);
			const events: MemoryEvent[] = [];
			await a.subscribe({}, (e) => events.push(e));
			await b.createMemories([
				{ memory: memory(w, { text: "first" }), tableName: "messages" },
				{ memory: memory(w, { text: "second" }), tableName: "messages" },
			]);
			await waitFor(() => texts(events).includes("second"), 5000);
			const rows = await db.sql<{ id: string; xid: string }>(
				`SELECT id::text, xid::text FROM "${schema}".agentmem_memory_events ORDER BY id`,
			);
			const [{ oid } = { oid: "" }] = await db.sql<{ oid: string }>(
				`SELECT '"${schema}".memories'::regclass::oid::text AS oid`,
			);
			const firstId = rows[0]?.id;
			const lastId = rows.at(-1)?.id;
			const forge = (payload: string) =>
				db.sql("SELECT pg_notify('agentmem_memories', $1)", [payload]);
			await forge(`${oid}:${firstId}-${lastId}@${rows[0]?.xid}`); // committed before subscribe
			await forge(`${oid}:${firstId}-${lastId}@${rows.at(-1)?.xid}`); // delivered already
			await forge(`${oid}:${firstId}-${lastId}@1`); // no such transaction
			await forge(`${oid}:${lastId}-${firstId}@${rows.at(-1)?.xid}`); // an empty range
			await forge(`${oid}:1-99999999999999999999@1`); // not a bigint
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => texts(events).includes("sentinel"), 5000);
			await sleep(100);
			expect(texts(events)).toEqual(["first", "second", "sentinel"]);
		});
	});
}
