/** The contract's rooms, over SQL. */
import { NotFoundError, ValidationError } from "../errors.js";
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

export async function createRoom(ctx: SqlContext, roomId?: UUID, name?: string): Promise<UUID> {
	const id = v.optionalUuid(roomId, "roomId") ?? newId();
	if (name !== undefined) assertRoomName(name, "name");
	await op(ctx, "createRoom", async (s) => {
		const created = await s.run(ctx.family.statements.roomInsert, [id, Date.now(), name ?? null]);
		// An existing room keeps its name (a renamed room is not renamed back by its creator).
		if (created === 0 && name !== undefined)
			await s.run(ctx.family.lifecycle.roomNameFill, [id, name]);
	});
	return id;
}

/** Longest room name accepted, in UTF-16 code units. */
export const MAX_ROOM_NAME = 256;

/**
 * A room name: 1 to 256 characters, not only white space, no control characters (names are
 * printed in terminals, where they could carry escape sequences), storable on every backend.
 */
export function assertRoomName(value: unknown, field: string): asserts value is string {
	v.assertString(value, field);
	if (value.trim() === "") throw new ValidationError(field, "must not be only white space");
	if (value.length > MAX_ROOM_NAME)
		throw new ValidationError(field, `at most ${MAX_ROOM_NAME} characters, got ${value.length}`);
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
	if (/[\u0000-\u001f\u007f-\u009f]/.test(value))
		throw new ValidationError(field, "must not contain control characters");
}

export async function getRoomName(ctx: SqlContext, roomId: UUID): Promise<string | null> {
	const id = v.uuid(roomId, "roomId");
	const found = await op(ctx, "getRoomName", (s) => s.all(ctx.family.lifecycle.roomNameGet, [id]));
	return (found[0]?.name as string | null | undefined) ?? null;
}

export async function setRoomName(
	ctx: SqlContext,
	roomId: UUID,
	name: string | null,
): Promise<void> {
	const id = v.uuid(roomId, "roomId");
	if (name !== null) assertRoomName(name, "name");
	const changed = await op(ctx, "setRoomName", (s) =>
		s.run(ctx.family.lifecycle.roomNameSet, [id, name]),
	);
	if (changed === 0) throw new NotFoundError(`setRoomName: room ${id} does not exist`);
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
