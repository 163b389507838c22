/** The contract's participants (an account in a room) and their user state, over SQL. */
import { NotFoundError } from "../errors.js";
import type { Actor, Participant, ParticipantUserState, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { newId } from "./prepare.js";
import * as rows from "./rows.js";
import { op, write } from "./session.js";

export async function addParticipant(
	ctx: SqlContext,
	userIdIn: UUID,
	roomIdIn: UUID,
): Promise<boolean> {
	const userId = v.uuid(userIdIn, "userId");
	const roomId = v.uuid(roomIdIn, "roomId");
	const refs = [
		{ field: "userId", table: "accounts" as const, id: userId },
		{ field: "roomId", table: "rooms" as const, id: roomId },
	];
	await write(ctx, "addParticipant", refs, (s) =>
		s.run(ctx.family.statements.participantInsert, [newId(), userId, roomId, Date.now()]),
	);
	return true;
}

export async function removeParticipant(
	ctx: SqlContext,
	userIdIn: UUID,
	roomIdIn: UUID,
): Promise<boolean> {
	const userId = v.uuid(userIdIn, "userId");
	const roomId = v.uuid(roomIdIn, "roomId");
	const changed = await op(ctx, "removeParticipant", (s) =>
		s.run(ctx.family.statements.participantDelete, [userId, roomId]),
	);
	return changed > 0;
}

export async function getParticipantsForAccount(
	ctx: SqlContext,
	userIdIn: UUID,
): Promise<Participant[]> {
	const userId = v.uuid(userIdIn, "userId");
	const found = await op(ctx, "getParticipantsForAccount", (s) =>
		s.all(ctx.family.statements.participantsForAccount, [userId]),
	);
	return found.map(rows.toParticipant);
}

export async function getParticipantsForRoom(ctx: SqlContext, roomIdIn: UUID): Promise<UUID[]> {
	const roomId = v.uuid(roomIdIn, "roomId");
	const found = await op(ctx, "getParticipantsForRoom", (s) =>
		s.all(ctx.family.statements.participantsForRoom, [roomId]),
	);
	return found.map((r) => r.user_id as UUID);
}

export async function getParticipantUserState(
	ctx: SqlContext,
	roomIdIn: UUID,
	userIdIn: UUID,
): Promise<ParticipantUserState> {
	const roomId = v.uuid(roomIdIn, "roomId");
	const userId = v.uuid(userIdIn, "userId");
	const found = await op(ctx, "getParticipantUserState", (s) =>
		s.all(ctx.family.statements.participantStateGet, [roomId, userId]),
	);
	return (found[0]?.user_state as ParticipantUserState | undefined) ?? null;
}

export async function setParticipantUserState(
	ctx: SqlContext,
	roomIdIn: UUID,
	userIdIn: UUID,
	state: ParticipantUserState,
): Promise<void> {
	const roomId = v.uuid(roomIdIn, "roomId");
	const userId = v.uuid(userIdIn, "userId");
	v.assertUserState(state, "state");
	const changed = await op(ctx, "setParticipantUserState", (s) =>
		s.run(ctx.family.statements.participantStateSet, [roomId, userId, state]),
	);
	if (changed === 0) {
		throw new NotFoundError(
			`setParticipantUserState: user ${userId} is not a participant of room ${roomId}`,
		);
	}
}

export async function getActorDetails(ctx: SqlContext, params: { roomId: UUID }): Promise<Actor[]> {
	const roomId = v.uuid(params?.roomId, "roomId");
	const found = await op(ctx, "getActorDetails", (s) =>
		s.all(ctx.family.statements.actorDetails, [roomId]),
	);
	return found.map(rows.toActor);
}
