/**
 * SQL.js searches an in-memory copy of the embeddings. It must never answer from a stale copy:
 * writes by the caller on the same sql.js Database, rolled-back transactions and export() (which
 * reopens the database and resets SQLite's change counter) all invalidate it.
 */
import initSqlJs from "sql.js";
import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { UUID } from "../../src/core/types.js";

const id = () => globalThis.crypto.randomUUID() as UUID;

async function setup() {
	const SQL = await initSqlJs();
	const database = new SQL.Database();
	const adapter = new SqlJsDatabaseAdapter({ database, embeddingDimension: 3 });
	await adapter.init();
	const user = id();
	await adapter.createAccount({ id: user, name: "u", username: "u" });
	const roomId = await adapter.createRoom();
	const remember = (text: string, embedding: number[]) =>
		adapter.createMemory(
			{ userId: user, agentId: user, roomId, content: { text }, embedding },
			"facts",
		);
	const recall = async () =>
		(await adapter.searchMemoriesByEmbedding([1, 0, 0], { tableName: "facts", count: 5 })).map(
			(m) => m.content.text,
		);
	return { database, adapter, user, roomId, remember, recall };
}

describe("SQL.js vector cache", () => {
	it("sees rows the caller writes directly on the sql.js Database", async () => {
		const { database, adapter, user, roomId, remember, recall } = await setup();
		await remember("a", [1, 0, 0]);
		await remember("b", [1, 0.1, 0]);
		expect(await recall()).toEqual(["a", "b"]);
		const blob = new Uint8Array(new Float32Array([1, 0.05, 0]).buffer);
		database.run(
			"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at) VALUES (?, 'facts', ?, ?, ?, ?, ?, 1, 0)",
			[id(), roomId, user, user, JSON.stringify({ text: "direct" }), blob],
		);
		expect(await recall()).toEqual(["a", "direct", "b"]);
		database.run("DELETE FROM memories WHERE json_extract(content, '$.text') = 'a'");
		expect(await recall()).toEqual(["direct", "b"]);
		await adapter.close();
	});

	it("never keeps rows of a rolled-back transaction", async () => {
		const { adapter, user, roomId, remember, recall } = await setup();
		await remember("kept", [1, 0, 0]);
		expect(await recall()).toEqual(["kept"]);
		await expect(
			adapter.transaction(async (tx) => {
				await tx.createMemory(
					{ userId: user, agentId: user, roomId, content: { text: "gone" }, embedding: [1, 0, 0] },
					"facts",
				);
				expect(
					(await tx.searchMemoriesByEmbedding([1, 0, 0], { tableName: "facts" }))
						.map((m) => m.content.text)
						.sort(),
				).toEqual(["gone", "kept"]);
				throw new Error("roll back");
			}),
		).rejects.toThrow("roll back");
		expect(await recall()).toEqual(["kept"]);
		await adapter.close();
	});

	it("is rebuilt after export(), which resets SQLite's change counter", async () => {
		const { adapter, remember, recall } = await setup();
		await remember("one", [1, 0, 0]);
		expect(await recall()).toEqual(["one"]);
		await adapter.export();
		await remember("two", [0.9, 0.1, 0]);
		expect(await recall()).toEqual(["one", "two"]);
		await adapter.close();
	});
});
