import { expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { account, type ConformanceContext, expectError, makeWorld, newId } from "./fixtures.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerRoomsParticipantsTests(ctx: ConformanceContext): void {
	it("creates rooms with a given or a generated id, idempotently", async () => {
		const a = await ctx.makeAdapter();
		const id = newId();
		expect(await a.createRoom(id)).toBe(id);
		expect(await a.createRoom(id)).toBe(id);
		const generated = await a.createRoom();
		expect(generated).toMatch(UUID_RE);
		expect(await a.getRoom(id)).toBe(id);
		expect(await a.getRoom(generated)).toBe(generated);
		expect(await a.getRoom(newId())).toBeNull();
		expect((await a.stats()).rooms).toBe(2);
	});

	it("adds and removes participants and lists rooms and participants", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		expect(await a.addParticipant(w.userId, w.otherRoomId)).toBe(true);
		expect(await a.addParticipant(w.userId, w.otherRoomId)).toBe(true);
		expect((await a.getRoomsForParticipant(w.userId)).sort()).toEqual(
			[w.roomId, w.otherRoomId].sort(),
		);
		expect(await a.getRoomsForParticipant(w.otherUserId)).toEqual([]);
		const rooms = await a.getRoomsForParticipants([w.userId, w.agentId, w.otherUserId]);
		expect(rooms.sort()).toEqual([w.roomId, w.otherRoomId].sort());
		expect(await a.getRoomsForParticipants([])).toEqual([]);
		expect((await a.getParticipantsForRoom(w.roomId)).sort()).toEqual([w.agentId, w.userId].sort());
		expect(await a.getParticipantsForRoom(newId())).toEqual([]);

		expect(await a.removeParticipant(w.userId, w.otherRoomId)).toBe(true);
		expect(await a.removeParticipant(w.userId, w.otherRoomId)).toBe(false);
		expect(await a.getRoomsForParticipant(w.userId)).toEqual([w.roomId]);
	});

	it("lists a user's participations with the account", async () => {
		const a = await ctx.makeAdapter();
		const acc = account({ details: { k: "v" } });
		await a.createAccount(acc);
		const room = await a.createRoom();
		await a.addParticipant(acc.id, room);
		const parts = await a.getParticipantsForAccount(acc.id);
		expect(parts).toHaveLength(1);
		expect(parts[0]?.id).toMatch(UUID_RE);
		expect(parts[0]?.account).toEqual(acc);
		expect(await a.getParticipantsForAccount(newId())).toEqual([]);
	});

	it("keeps a participant's user state", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		expect(await a.getParticipantUserState(w.roomId, w.userId)).toBeNull();
		await a.setParticipantUserState(w.roomId, w.userId, "FOLLOWED");
		expect(await a.getParticipantUserState(w.roomId, w.userId)).toBe("FOLLOWED");
		expect(await a.getParticipantUserState(w.roomId, w.agentId)).toBeNull();
		await a.setParticipantUserState(w.roomId, w.userId, "MUTED");
		expect(await a.getParticipantUserState(w.roomId, w.userId)).toBe("MUTED");
		await a.setParticipantUserState(w.roomId, w.userId, null);
		expect(await a.getParticipantUserState(w.roomId, w.userId)).toBeNull();
		expect(await a.getParticipantUserState(w.otherRoomId, w.userId)).toBeNull();
		await expectError(
			() => a.setParticipantUserState(w.otherRoomId, w.userId, "FOLLOWED"),
			NotFoundError,
		);
	});

	it("returns actor details of a room's participants", async () => {
		const a = await ctx.makeAdapter();
		const acc = account({ details: { summary: "likes tea" } });
		await a.createAccount(acc);
		const room = await a.createRoom();
		await a.addParticipant(acc.id, room);
		expect(await a.getActorDetails({ roomId: room })).toEqual([
			{ id: acc.id, name: acc.name, username: acc.username, details: acc.details },
		]);
		expect(await a.getActorDetails({ roomId: newId() })).toEqual([]);
	});

	it("refuses participants naming an unknown user or room", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await expectError(() => a.addParticipant(newId(), w.roomId), NotFoundError);
		await expectError(() => a.addParticipant(w.userId, newId()), NotFoundError);
	});
}
