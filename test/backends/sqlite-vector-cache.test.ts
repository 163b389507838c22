/**
 * SQLite's in-memory copy of the embeddings (exact-scan and quantized modes) is derived: another
 * connection's commits make it stale, a connection that lost its change log rebuilds it, and the
 * approximate (binary code) search keeps to the filters and reports exact similarities.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { VectorColumns } from "../../src/backends/sqlite/vector-columns.js";
import type { UUID } from "../../src/core/types.js";
import { cosineSimilarity } from "../../src/core/vector.js";
import { seededRng } from "../support/random.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";

const files = tempFiles("sqlite-vector-cache");
const openAdapter = adapterOpener({ embeddingDimension: 3 });

async function world(a: SqliteDatabaseAdapter) {
	const user = crypto.randomUUID() as UUID;
	await a.createAccount({ id: user, name: "u", username: "u" });
	const roomId = await a.createRoom();
	return { user, roomId };
}

const texts = async (a: SqliteDatabaseAdapter, roomId: UUID, agentId: UUID) =>
	(
		await a.searchMemoriesByEmbedding([1, 0, 0], { tableName: "facts", roomId, agentId, count: 5 })
	).map((m) => m.content.text);

describe.each(["exact-scan", "quantized"] as const)("sqlite %s: the in-memory copy", (mode) => {
	it("sees what another connection to the file commits (data_version)", async () => {
		const path = files.file();
		const a = await openAdapter({ path, vectorSearch: mode });
		const { user, roomId } = await world(a);
		const memory = (text: string, embedding: number[]) => ({
			userId: user,
			agentId: user,
			roomId,
			content: { text },
			embedding,
		});
		await a.createMemory(memory("a", [1, 0, 0]), "facts");
		expect(await texts(a, roomId, user)).toEqual(["a"]);
		const b = await openAdapter({ path, vectorSearch: mode });
		await b.createMemory(memory("b", [1, 0.1, 0]), "facts");
		expect(await texts(a, roomId, user)).toEqual(["a", "b"]);
		await b.removeAllMemories(roomId, "facts");
		expect(await texts(a, roomId, user)).toEqual([]);
	});

	it("follows the caller's own writes, and stays right when the change log lost a trigger", async () => {
		const database = new Database(files.file());
		const a = await openAdapter({ database, vectorSearch: mode });
		const { user, roomId } = await world(a);
		await a.createMemory(
			{ userId: user, agentId: user, roomId, content: { text: "a" }, embedding: [1, 0, 0] },
			"facts",
		);
		expect(await texts(a, roomId, user)).toEqual(["a"]);
		// Without its trigger the change log misses the next insert: the copy cannot be trusted,
		// so searches read the rows (the caller's own statements included) through SQL.
		database.exec("DROP TRIGGER memory_changes_insert");
		const blob = Buffer.from(new Float32Array([1, 0.05, 0]).buffer);
		database
			.prepare(
				"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at) VALUES (?, 'facts', ?, ?, ?, ?, ?, 1, 0)",
			)
			.run(crypto.randomUUID(), roomId, user, user, JSON.stringify({ text: "direct" }), blob);
		expect(await texts(a, roomId, user)).toEqual(["a", "direct"]);
		const other = crypto.randomUUID() as UUID;
		await a.createAccount({ id: other, name: "v", username: "v" });
		database
			.prepare("UPDATE memories SET agent_id = ? WHERE json_extract(content, '$.text') = 'a'")
			.run(other);
		database.prepare("DELETE FROM memories WHERE json_extract(content, '$.text') = 'direct'").run();
		expect(await texts(a, roomId, user)).toEqual([]);
		expect(await texts(a, roomId, other)).toEqual(["a"]);
		await a.close();
		database.close();
	});
});

describe("VectorColumns", () => {
	const dim = 16;
	const rand = seededRng(7);
	const vec = () => Float32Array.from({ length: dim }, () => rand() * 2 - 1);

	it("approximate search keeps to the filters, reports exact similarities, and finds most of the exact top k", () => {
		const columns = new VectorColumns(dim);
		// ~600 rows pass the filter: more than the 400 candidates a search of 10 re-ranks.
		const rows = Array.from({ length: 12000 }, (_, i) => ({
			id: `id-${String(i).padStart(5, "0")}`,
			room: `r${Math.floor(i / 7) % 3}`,
			agent: `a${Math.floor(i / 5) % 2}`,
			unique: i % 11 !== 0,
			v: vec(),
		}));
		for (const r of rows) columns.put(r.id, "t", r.room, r.agent, r.unique, r.v);
		// Deletions leave dead slots (packed away once there are many): none may come back.
		for (const [i, r] of rows.entries()) if (i % 3 !== 0) columns.remove(r.id);
		const live = new Map(rows.filter((_, i) => i % 3 === 0).map((r) => [r.id, r]));
		let hits = 0;
		for (let q = 0; q < 20; q++) {
			const query = vec();
			const filter = { type: "t", room: "r1", agent: "a1", uniqueOnly: true };
			const exact = columns.exact(query, filter, 10);
			const approx = columns.approximate(query, filter, 10, undefined, {
				exactBelow: 0,
				rescore: 100,
			});
			for (const { id, similarity } of approx) {
				const r = live.get(id);
				expect(r && r.room === "r1" && r.agent === "a1" && r.unique).toBe(true);
				expect(similarity).toBe(cosineSimilarity(query, r?.v as Float32Array));
			}
			const expected = [...live.values()]
				.filter((r) => r.room === "r1" && r.agent === "a1" && r.unique)
				.map((r) => ({ id: r.id, similarity: cosineSimilarity(query, r.v) }))
				.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1))
				.slice(0, 10);
			expect(exact).toEqual(expected);
			const want = new Set(expected.map((r) => r.id));
			hits += approx.filter((r) => want.has(r.id)).length;
		}
		// 16 random dimensions are a hard case for sign bits; real embeddings do far better.
		expect(hits / 200).toBeGreaterThan(0.5);
	});

	it("over 20,000 rows the two-pass candidate choice keeps to the filter and finds the neighbours", () => {
		const d = 192; // six code words: the first pass reads two
		const r = seededRng(11);
		const centres = Array.from({ length: 50 }, () =>
			Float32Array.from({ length: d }, () => r() * 2 - 1),
		);
		const near = (c: Float32Array, spread: number) => c.map((x) => x + (r() * 2 - 1) * spread);
		const columns = new VectorColumns(d);
		const vectors = new Map<string, Float32Array>();
		for (let i = 0; i < 40_000; i++) {
			const v = near(centres[i % 50] as Float32Array, 0.8);
			vectors.set(`id-${i}`, v);
			columns.put(`id-${i}`, "t", i % 4 === 0 ? "other" : "big", "a", true, v);
		}
		const filter = { type: "t", room: "big", agent: "a", uniqueOnly: false };
		let found = 0;
		let hits = 0;
		for (let q = 0; q < 40; q++) {
			// Near a stored row of the room (its nearest neighbour), as a recalled memory is.
			const row = 4 * q + 1;
			const query = near(vectors.get(`id-${row}`) as Float32Array, 0.1);
			// 120 candidates of 30,000: the first pass runs (it needs more than 160 per candidate).
			const approx = columns.approximate(query, filter, 3, undefined, {
				exactBelow: 0,
				rescore: 100,
			});
			expect(approx).toHaveLength(3);
			for (const { id, similarity } of approx) {
				expect(Number(id.slice(3)) % 4).not.toBe(0);
				expect(similarity).toBe(cosineSimilarity(query, vectors.get(id) as Float32Array));
			}
			if (approx[0]?.id === `id-${row}`) found++;
			const want = new Set(columns.exact(query, filter, 3).map((m) => m.id));
			hits += approx.filter((m) => want.has(m.id)).length;
		}
		expect(found).toBe(40);
		// The other two of the top 3 are only close members of a 600-row cluster (random here).
		expect(hits / 120).toBeGreaterThan(0.5);
	});
});
