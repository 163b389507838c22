/**
 * Real-time subscribe over LISTEN/NOTIFY on the real PostgreSQL: exactly-once delivery of every
 * committed memory from concurrent writers on several connections (two adapters, and raw SQL as a
 * stand-in for any other process), nothing from rollbacks, filters, unsubscribe, reconnection after
 * the LISTEN connection is killed, and row-level security applied to an asUser subscriber.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { LISTENER_APPLICATION_NAME } from "../../src/backends/postgres/postgres-listener.js";
import type { MemoryEvent, UUID } from "../../src/core/types.js";
import { makeWorld, memory, sleep, waitFor } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres subscribe");
let schemaCounter = 0;

if (db) {
	describe("postgres subscribe (LISTEN/NOTIFY)", () => {
		const open: PostgresDatabaseAdapter[] = [];
		afterEach(async () => {
			await Promise.all(open.splice(0).map((a) => a.close()));
		});

		/** Two adapters (two pools, two LISTEN connections) on one fresh schema. */
		async function pair(options = {}) {
			if (!db) throw new Error("unreachable: guarded above");
			const schema = `sub_${process.pid}_${schemaCounter++}`;
			const a = await db.adapter({ schema, embeddingDimension: 4, ...options });
			const b = await db.adapter({ schema, embeddingDimension: 4, ...options });
			open.push(a, b);
			return { a, b, schema };
		}

		const texts = (events: MemoryEvent[]) => events.map((e) => e.memory.content.text);

		it("reports cross-process subscribe", async () => {
			const { a } = await pair();
			expect(a.capabilities.crossProcessSubscribe).toBe(true);
		});

		it("delivers every committed memory of its room exactly once, from concurrent writers on other connections", async () => {
			const { a, b, schema } = await pair();
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			const elsewhere: MemoryEvent[] = [];
			await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
			await b.subscribe({ roomId: w.otherRoomId, tableName: "facts" }, (e) => elsewhere.push(e));
			const expected = new Set<string>();
			const write = async (writer: PostgresDatabaseAdapter, n: number, style: number) => {
				const m = memory(w, { text: `w${n}`, embedding: [1, n, 0, 0] });
				expected.add(m.id);
				if (style === 0) await writer.createMemory(m, "messages");
				else if (style === 1) await writer.transaction((tx) => tx.createMemory(m, "facts"));
				else await writer.createMemories([{ memory: m, tableName: "messages" }]);
				// Noise the subscriber must not get: another room.
				if (n % 10 === 0)
					await writer.createMemory(
						memory(w, { roomId: w.otherRoomId, text: `other${n}` }),
						"facts",
					);
			};
			await Promise.all(Array.from({ length: 200 }, (_, n) => write(n % 2 ? a : b, n, n % 3)));
			// Raw SQL through the admin pool: any process writing the table is announced.
			const raw = randomUUID();
			expected.add(raw);
			await db.sql(
				`INSERT INTO "${schema}".memories (id, type, room_id, agent_id, user_id, content, created_at)
				 VALUES ($1, 'messages', $2, $3, $4, '{"text":"raw"}', $5)`,
				[raw, w.roomId, w.agentId, w.userId, Date.now()],
			);
			await waitFor(() => events.some((e) => e.memory.id === raw), 20_000);
			await sleep(200); // a duplicate would arrive in this window
			expect(events).toHaveLength(201);
			expect(new Set(events.map((e) => e.memory.id))).toEqual(expected);
			expect(events.find((e) => e.memory.content.text === "w7")).toMatchObject({
				tableName: "facts",
				memory: { roomId: w.roomId, embedding: [1, 7, 0, 0], content: { text: "w7" } },
			});
			await waitFor(() => elsewhere.length === 20, 5000);
			expect(new Set(texts(elsewhere))).toEqual(
				new Set(Array.from({ length: 20 }, (_, i) => `other${i * 10}`)),
			);
		});

		it("delivers nothing from rolled-back transactions or savepoints", async () => {
			const { a, b } = await pair();
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			await a.subscribe({}, (e) => events.push(e));
			await expect(
				b.transaction(async (tx) => {
					await tx.createMemory(memory(w, { text: "doomed" }), "messages");
					throw new Error("abort");
				}),
			).rejects.toThrow("abort");
			await b.transaction(async (tx) => {
				await tx.createMemory(memory(w, { text: "kept" }), "messages");
				await expect(
					tx.transaction(async (inner) => {
						await inner.createMemory(memory(w, { text: "savepoint rolled back" }), "messages");
						throw new Error("inner");
					}),
				).rejects.toThrow("inner");
			});
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => texts(events).includes("sentinel"), 5000);
			expect(texts(events)).toEqual(["kept", "sentinel"]);
		});

		it("does not announce embedding updates, and stops after unsubscribe", async () => {
			const { a, b } = await pair();
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			const stop = await a.subscribe({ tableName: "messages" }, (e) => events.push(e));
			const m = memory(w, { text: "one" });
			await b.createMemory(m, "messages");
			await b.createMemory(memory(w, { text: "fact" }), "facts");
			await waitFor(() => events.length === 1, 5000);
			await b.updateMemoryEmbedding(m.id, [0, 1, 0, 0]);
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => events.length === 2, 5000);
			await stop();
			await b.createMemory(memory(w, { text: "two" }), "messages");
			// A second subscription proves "two" was announced while the first was gone.
			const later: MemoryEvent[] = [];
			await a.subscribe({}, (e) => later.push(e));
			await b.createMemory(memory(w, { text: "three" }), "messages");
			await waitFor(() => later.length === 1, 5000);
			expect(texts(events)).toEqual(["one", "sentinel"]);
			expect(texts(later)).toEqual(["three"]);
		});

		it("resumes delivery after the LISTEN connection is terminated", async () => {
			const { a, b } = await pair();
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
			await b.createMemory(memory(w, { text: "before" }), "messages");
			await waitFor(() => events.length === 1, 5000);
			const listeners = async (condition = "true") =>
				(
					await db.sql<{ pid: number }>(
						`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND ${condition}`,
						[LISTENER_APPLICATION_NAME],
					)
				).map((r) => r.pid);
			const killed = await listeners();
			expect(killed.length).toBeGreaterThan(0);
			await db.sql("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [killed]);
			// Wait for the reconnected LISTEN connection (a new backend), then write.
			const deadline = Date.now() + 15_000;
			const listening = "state = 'idle' AND query LIKE 'LISTEN%'";
			while (!(await listeners(listening)).some((pid) => !killed.includes(pid))) {
				if (Date.now() > deadline) throw new Error("the listener did not reconnect");
				await sleep(50);
			}
			await b.createMemory(memory(w, { text: "after" }), "messages");
			await waitFor(() => texts(events).includes("after"), 5000);
			await sleep(100);
			expect(texts(events)).toEqual(["before", "after"]);
		});

		it("delivers after a reconnect the memories committed while the LISTEN connection was down", async () => {
			// The LISTEN connection logs in as its own role, so it can be kept out for a while.
			const role = `agentmem_listen_${process.pid}`;
			await db.sql(`DROP ROLE IF EXISTS ${role}`);
			await db.sql(`CREATE ROLE ${role} LOGIN`);
			try {
				const url = new URL(db.url);
				url.username = role;
				url.password = "";
				const { a, b } = await pair({ listenConnection: url.toString() });
				const w = await makeWorld(a);
				const events: MemoryEvent[] = [];
				await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
				await b.createMemory(memory(w, { text: "before" }), "messages");
				await waitFor(() => events.length === 1, 5000);
				await db.sql(`ALTER ROLE ${role} NOLOGIN`);
				await db.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [
					role,
				]);
				const gone = memory(w, { text: "while down, then removed" });
				await b.createMemory(gone, "messages");
				await b.removeMemory(gone.id, "messages");
				await b.createMemories([
					{ memory: memory(w, { text: "while down" }), tableName: "messages" },
					{
						memory: memory(w, { roomId: w.otherRoomId, text: "other room" }),
						tableName: "messages",
					},
				]);
				await sleep(300); // reconnect attempts fail meanwhile
				expect(texts(events)).toEqual(["before"]);
				await db.sql(`ALTER ROLE ${role} LOGIN`);
				await waitFor(() => events.length === 3, 15_000);
				await b.createMemory(memory(w, { text: "after" }), "messages");
				await waitFor(() => texts(events).includes("after"), 5000);
				await sleep(100);
				expect(texts(events)).toEqual([
					"before",
					"while down, then removed",
					"while down",
					"after",
				]);
			} finally {
				await Promise.all(open.splice(0).map((x) => x.close()));
				await db.sql(`DROP ROLE IF EXISTS ${role}`);
			}
		});

		it("fails subscribe with a ConnectionError when the LISTEN connection cannot open", async () => {
			const { a } = await pair({ listenConnection: "postgres://postgres@127.0.0.1:1/nowhere" });
			await expect(a.subscribe({}, () => undefined)).rejects.toMatchObject({ code: "CONNECTION" });
		});

		it("filters on the memory as read, never on the NOTIFY payload: forged payloads are dropped", async () => {
			const { a } = await pair();
			const w = await makeWorld(a);
			const secret = memory(w, { roomId: w.otherRoomId, text: "secret of the other room" });
			await a.createMemory(secret, "messages");
			const inRoom: MemoryEvent[] = [];
			const facts: MemoryEvent[] = [];
			const all: MemoryEvent[] = [];
			await a.subscribe({ roomId: w.roomId }, (e) => inRoom.push(e));
			await a.subscribe({ tableName: "facts" }, (e) => facts.push(e));
			await a.subscribe({}, (e) => all.push(e));
			// Any role that can connect may notify the channel; these name the secret memory with the
			// subscriptions' room and table, and a memory that does not exist.
			const forge = (payload: object) =>
				db.sql("SELECT pg_notify('agentmem_memories', $1)", [JSON.stringify(payload)]);
			await forge({ id: secret.id, room_id: w.roomId, type: "facts" });
			await forge({ id: secret.id, room_id: w.roomId, type: "messages" });
			await forge({ id: randomUUID(), room_id: w.roomId, type: "facts" });
			await forge({ id: "not-a-uuid", room_id: w.roomId, type: "facts" });
			await a.createMemory(memory(w, { text: "sentinel" }), "facts");
			await waitFor(() => texts(inRoom).includes("sentinel"), 5000);
			await waitFor(() => texts(facts).includes("sentinel"), 5000);
			await waitFor(() => texts(all).includes("sentinel"), 5000);
			expect(texts(inRoom)).toEqual(["sentinel"]);
			expect(texts(facts)).toEqual(["sentinel"]);
			// An unfiltered subscriber may see the re-announced memory, under its real table.
			for (const e of all) {
				if (e.memory.id === secret.id) expect(e.tableName).toBe("messages");
			}
		});

		it("delivers each memory committed on another connection once, even when removed at once or repeated in a batch", async () => {
			const { a, b, schema } = await pair();
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			await a.subscribe({ roomId: w.roomId }, (e) => events.push(e));
			const gone = memory(w, { text: "removed at once", embedding: [0, 1, 0, 0] });
			await b.createMemory(gone, "messages");
			await b.removeMemory(gone.id, "messages");
			const repeated = memory(w, { text: "v1" });
			await b.createMemories([
				{ memory: repeated, tableName: "messages" },
				{ memory: { ...repeated, content: { text: "v2" } }, tableName: "messages" },
			]);
			const inTx = memory(w, { text: "removed in its own transaction" });
			await b.transaction(async (tx) => {
				await tx.createMemory(inTx, "messages");
				await tx.removeMemory(inTx.id, "messages");
			});
			// Another process writes a memory and removes it in one transaction (plain SQL).
			const raw = randomUUID();
			await db.sql(
				`DO $$ BEGIN
				   INSERT INTO "${schema}".memories (id, type, room_id, agent_id, user_id, content, created_at)
				     VALUES ('${raw}', 'facts', '${w.roomId}', '${w.agentId}', '${w.userId}', '{"text":"raw"}', 1);
				   DELETE FROM "${schema}".memories WHERE id = '${raw}';
				 END $$`,
			);
			await b.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(() => texts(events).includes("sentinel"), 5000);
			await sleep(200); // a duplicate would arrive in this window
			expect(texts(events)).toEqual([
				"removed at once",
				"v2",
				"removed in its own transaction",
				"raw",
				"sentinel",
			]);
			expect(events[0]).toMatchObject({
				tableName: "messages",
				memory: { id: gone.id, roomId: w.roomId, embedding: [0, 1, 0, 0] },
			});
			expect(events[3]).toMatchObject({ tableName: "facts", memory: { id: raw } });
		});

		it("forged notifications naming real events deliver nothing new: no repeat, nothing from before subscribe", async () => {
			const { a, schema } = await pair();
			const w = await makeWorld(a);
			const before = memory(w, { roomId: w.otherRoomId, text: "committed before subscribe" });
			await a.createMemory(before, "messages");
			const all: MemoryEvent[] = [];
			const inRoom: MemoryEvent[] = [];
			await a.subscribe({}, (e) => all.push(e));
			await a.subscribe({ roomId: w.roomId }, (e) => inRoom.push(e));
			const first = memory(w, { text: "first" });
			await a.createMemory(first, "messages");
			await waitFor(() => texts(all).includes("first"), 5000);
			const [{ oid } = { oid: "" }] = await db.sql<{ oid: string }>(
				`SELECT '"${schema}".memories'::regclass::oid::text AS oid`,
			);
			const eventOf = async (id: string) =>
				(
					await db.sql<{ id: string }>(
						`SELECT id::text FROM "${schema}".agentmem_memory_events WHERE memory_id = $1`,
						[id],
					)
				)[0]?.id;
			const forge = (payload: string) =>
				db.sql("SELECT pg_notify('agentmem_memories', $1)", [payload]);
			await forge(`${oid}:${await eventOf(first.id)}`); // already delivered
			await forge(`${oid}:${await eventOf(before.id)}`); // committed before subscribe
			await forge(`${oid}:999999`); // no such event
			await forge(`${Number(oid) + 1}:1`); // another table's numbering
			await forge(`${oid}:1e3`);
			await forge(`${oid}:99999999999999999999999`);
			await a.createMemory(memory(w, { text: "sentinel" }), "messages");
			await waitFor(
				() => texts(all).includes("sentinel") && texts(inRoom).includes("sentinel"),
				5000,
			);
			await sleep(100);
			expect(texts(all)).toEqual(["first", "sentinel"]);
			expect(texts(inRoom)).toEqual(["first", "sentinel"]);
		});

		it("prunes events both older than 10 minutes and 10,000 events behind, at every 1000th event", async () => {
			const { a, schema } = await pair();
			const w = await makeWorld(a);
			const events = `"${schema}".agentmem_memory_events`;
			await a.createMemory(memory(w, { text: "old" }), "messages");
			await a.createMemory(memory(w, { text: "old but recent enough" }), "messages");
			await db.sql(
				`UPDATE ${events} SET recorded_at = now() - interval '11 minutes'
				 WHERE id = (SELECT min(id) FROM ${events})`,
			);
			// Jump the numbering so the next event is the 12,000th (more than 10,000 after both).
			await db.sql(`SELECT setval(pg_get_serial_sequence('${events}', 'id'), 11999)`);
			await a.createMemory(memory(w, { text: "the 12,000th" }), "messages");
			const left = await db.sql<{ text: string }>(
				`SELECT content->>'text' AS text FROM ${events} ORDER BY id`,
			);
			expect(left.map((r) => r.text)).toEqual(["old but recent enough", "the 12,000th"]);
		});

		it("asUser(...).close() leaves the owner, its pool and other views open, and ends only the view's subscriptions", async () => {
			const { a } = await pair({ rowLevelSecurity: true });
			const w = await makeWorld(a);
			const view = a.asUser({ sub: w.userId as UUID });
			const other = a.asUser({ sub: w.otherUserId as UUID });
			const viewEvents: MemoryEvent[] = [];
			const ownerEvents: MemoryEvent[] = [];
			await view.subscribe({}, (e) => viewEvents.push(e));
			await a.subscribe({}, (e) => ownerEvents.push(e));
			await view.close();
			await view.close(); // idempotent
			await a.createMemory(memory(w, { text: "after the view closed" }), "messages");
			await waitFor(() => ownerEvents.length === 1, 5000);
			await sleep(100);
			expect(viewEvents).toEqual([]);
			expect(a.pool.ended).toBe(false);
			expect(await a.getMemories({ roomId: w.roomId, tableName: "messages" })).toHaveLength(1);
			expect(await other.getRoomsForParticipant(w.otherUserId as UUID)).toEqual([]);
			await expect(view.getRoom(w.roomId)).rejects.toMatchObject({ code: "CLOSED" });
			await expect(view.subscribe({}, () => undefined)).rejects.toMatchObject({ code: "CLOSED" });
		});

		it("applies row-level security to an asUser subscriber", async () => {
			const { a } = await pair({ rowLevelSecurity: true });
			const w = await makeWorld(a);
			const events: MemoryEvent[] = [];
			// w.userId participates in roomId only.
			await a.asUser({ sub: w.userId as UUID }).subscribe({}, (e) => events.push(e));
			await a.createMemory(memory(w, { roomId: w.otherRoomId, text: "secret" }), "messages");
			await a.createMemory(memory(w, { text: "visible" }), "messages");
			await waitFor(() => events.length === 1, 5000);
			await sleep(100);
			expect(texts(events)).toEqual(["visible"]);
		});
	});
}
