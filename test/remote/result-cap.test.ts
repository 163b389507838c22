/**
 * `--max-results` through the remote adapter: a count above the cap, and a call without a count
 * whose result would exceed it, are the same ValidationError in the caller (never a truncated list).
 */
import { afterAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { ValidationError } from "../../src/core/errors.js";
import { tempFiles } from "../backends/sqlite/harness.js";
import { type Served, serve } from "./harness.js";

const files = tempFiles("remote-cap");
const served: Served[] = [];
afterAll(async () => {
	for (const s of served) await s.close();
});

describe("RemoteDatabaseAdapter against a service with maxResults 2", () => {
	it("throws ValidationError for a count above the cap and for an unbounded call over it", async () => {
		const backend = new SqliteDatabaseAdapter({ path: files.file(), embeddingDimension: 4 });
		await backend.init();
		const s = await serve(backend, { maxResults: 2 });
		served.push(s);
		const a = s.remote;
		const userId = crypto.randomUUID();
		await a.createAccount({ id: userId, name: "Ada", username: "ada" });
		const roomId = await a.createRoom();
		const write = (text: string) =>
			a.createMemory(
				{ userId, agentId: userId, roomId, content: { text }, embedding: [1, 0, 0, 0] },
				"messages",
			);
		await write("a");
		await write("b");
		expect(await a.getMemories({ roomId, tableName: "messages" })).toHaveLength(2);
		await write("c");

		const over = a.getMemories({ roomId, tableName: "messages", count: 3 });
		await expect(over).rejects.toBeInstanceOf(ValidationError);
		await expect(over).rejects.toMatchObject({ field: "count" });
		const unbounded = a.getMemories({ roomId, tableName: "messages" });
		await expect(unbounded).rejects.toBeInstanceOf(ValidationError);
		await expect(unbounded).rejects.toThrow(/more than 2 rows.*pass count/);
		await expect(
			a.getMemoriesByRoomIds({ roomIds: [roomId], tableName: "messages" }),
		).rejects.toMatchObject({ code: "VALIDATION", field: "limit" });
		// Within the cap it is served, and nothing was lost.
		expect(await a.getMemories({ roomId, tableName: "messages", count: 2 })).toHaveLength(2);
		expect(await a.countMemories(roomId, true, "messages")).toBe(3);
	});
});
