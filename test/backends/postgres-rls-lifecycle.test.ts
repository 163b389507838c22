/**
 * The lifecycle calls under row-level security (migration 103 and the room policies): user A lists
 * and renames only their own room, and forgets only what the memory policies let them delete;
 * B's room, names and memories stay as they were.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { NotFoundError, PermissionDeniedError } from "../../src/core/errors.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import { A, AGENT, id, MEM_A, MEM_B, mem, populate, ROOM_A, ROOM_B } from "./postgres/rls-world.js";

const db = await setupTestDatabase("postgres row-level security: lifecycle calls");
const DIM = 4;

describe.runIf(db)("postgres row-level security: rooms listed, renamed and forgotten", () => {
	let owner: PostgresDatabaseAdapter;
	let asA: PostgresDatabaseAdapter;

	beforeAll(async () => {
		if (!db) return;
		owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension: DIM });
		await populate(owner);
		await owner.setRoomName(ROOM_B, "B's room");
		asA = owner.asUser({ sub: A, role: "authenticated" });
		return () => owner.close();
	});

	it("lists only the caller's rooms", async () => {
		const rooms = await asA.listRooms();
		expect(rooms.map((r) => r.id)).toEqual([ROOM_A]);
		expect(rooms[0]).toMatchObject({ participants: 2, memories: { messages: 1 } });
		expect((await owner.listRooms()).map((r) => r.id).sort()).toEqual([ROOM_A, ROOM_B].sort());
	});

	it("lets a participant rename their room, and nobody rename another's", async () => {
		await asA.setRoomName(ROOM_A, "A's room");
		expect(await owner.getRoomName(ROOM_A)).toBe("A's room");
		// B's room is invisible to A: renaming it is "not found", and nothing changes.
		await expect(asA.setRoomName(ROOM_B, "taken over")).rejects.toBeInstanceOf(NotFoundError);
		await expect(asA.setRoomName(ROOM_B, null)).rejects.toBeInstanceOf(NotFoundError);
		expect(await asA.getRoomName(ROOM_B)).toBeNull();
		expect(await owner.getRoomName(ROOM_B)).toBe("B's room");
		// createRoom of B's existing room is refused (the insert's conflict check needs to see the
		// row), with or without a name, and names nothing.
		for (const name of [undefined, "sneaky"])
			await expect(asA.createRoom(ROOM_B, name)).rejects.toBeInstanceOf(PermissionDeniedError);
		expect(await owner.getRoomName(ROOM_B)).toBe("B's room");
	});

	it("keeps every column but the name out of a user's reach", async () => {
		// Raw SQL as Supabase's API runs it: the column privilege refuses any other column.
		const client = await owner.pool.connect();
		try {
			await client.query("BEGIN");
			await client.query("SET LOCAL ROLE authenticated");
			await client.query("SELECT set_config('request.jwt.claims', $1, true)", [
				JSON.stringify({ sub: A, role: "authenticated" }),
			]);
			await expect(
				client.query("UPDATE rooms SET created_at = 0 WHERE id = $1", [ROOM_A]),
			).rejects.toThrow(/permission denied/);
		} finally {
			await client.query("ROLLBACK");
			client.release();
		}
	});

	it("forgets only what the caller may delete", async () => {
		const extra = id();
		await owner.createMemory(
			mem(extra, ROOM_A, AGENT, "the agent's own", [0, 0, 0, 1]),
			"messages",
		);
		// A deletes their own memory in their room; the agent's row there and B's rows stay.
		expect(await asA.deleteMemories({ tableName: "messages" })).toBe(1);
		expect(await owner.getMemoryById(MEM_A)).toBeNull();
		expect(await owner.getMemoryById(extra)).not.toBeNull();
		expect(await owner.getMemoryById(MEM_B)).not.toBeNull();
		expect(await asA.pruneMemories({ keepLast: 1, roomId: ROOM_B })).toBe(0);
		expect(await asA.deleteMemories({ roomId: ROOM_B })).toBe(0);
		expect(await owner.countMemories(ROOM_B, false, "messages")).toBe(2);
	});
});
