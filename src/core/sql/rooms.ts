/** The contract's rooms, over SQL. */
import type { UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { newId } from "./prepare.js";
import { op } from "./session.js";

export async function getRoom(ctx: SqlContext, roomId: UUID): Promise<UUID | null> {
	if (roomId === undefined || roomId === null) return null; // a missing id is "not found"
	const id = v.uuid(roomId, "roomId");
	const found = await op(ctx, "getRoom", (s) => s.all(ctx.family.statements.roomGet, [id]));
	return found[0] ? (found[0].id as UUID) : null;
}

export async function createRoom(ctx: SqlContext, roomId?: UUID): Promise<UUID> {
	const id = v.optionalUuid(roomId, "roomId") ?? newId();
	await op(ctx, "createRoom", (s) => s.run(ctx.family.statements.roomInsert, [id, Date.now()]));
	return id;
}

export async function removeRoom(ctx: SqlContext, roomId: UUID): Promise<void> {
	const id = v.uuid(roomId, "roomId");
	await op(ctx, "removeRoom", (s) => s.run(ctx.family.statements.roomDelete, [id]));
}

export async function getRoomsForParticipant(ctx: SqlContext, userId: UUID): Promise<UUID[]> {
	return roomsFor(ctx, [v.uuid(userId, "userId")]);
}

export async function getRoomsForParticipants(ctx: SqlContext, userIds: UUID[]): Promise<UUID[]> {
	const ids = v.uuidArray(userIds, "userIds");
	return ids.length === 0 ? [] : roomsFor(ctx, ids);
}

async function roomsFor(ctx: SqlContext, userIds: UUID[]): Promise<UUID[]> {
	const found = await op(ctx, "getRoomsForParticipants", (s) =>
		s.all(ctx.family.statements.roomsForParticipants, [JSON.stringify(userIds)]),
	);
	return found.map((r) => r.room_id as UUID);
}
