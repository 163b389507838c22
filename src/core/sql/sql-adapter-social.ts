/** The contract's accounts, rooms, participants, goals, relationships, logs and cache, over SQL. */
import { NotFoundError, ValidationError } from "../errors.js";
import type {
	Account,
	Actor,
	CacheKey,
	Goal,
	GoalStatus,
	LogParams,
	Participant,
	ParticipantUserState,
	Relationship,
	UUID,
} from "../types.js";
import * as v from "../validation.js";
import { newId, prepareGoal } from "./prepare.js";
import * as rows from "./rows.js";
import { SqlAdapterBase } from "./sql-adapter-base.js";

export abstract class SqlSocialAdapter extends SqlAdapterBase {
	// ---- accounts ----

	async getAccountById(userId: UUID): Promise<Account | null> {
		if (userId === undefined || userId === null) return null; // a missing id is "not found"
		const id = v.uuid(userId, "userId");
		const found = await this.op("getAccountById", (s) =>
			s.all(this.family.statements.accountGet, [id]),
		);
		return found[0] ? rows.toAccount(found[0]) : null;
	}

	async createAccount(account: Account): Promise<boolean> {
		if (account === null || typeof account !== "object")
			throw new ValidationError("account", "expected an account object");
		const id = v.uuid(account.id, "account.id");
		v.assertString(account.name, "account.name", { allowEmpty: true });
		v.assertString(account.username, "account.username", { allowEmpty: true });
		v.assertOptionalString(account.email, "account.email");
		v.assertOptionalString(account.avatarUrl, "account.avatarUrl");
		const details = v.jsonObjectText(account.details ?? {}, "account.details");
		const changed = await this.op("createAccount", (s) =>
			s.run(this.family.statements.accountInsert, [
				id,
				account.name,
				account.username,
				account.email ?? null,
				account.avatarUrl ?? null,
				details,
				Date.now(),
			]),
		);
		return changed > 0;
	}

	// ---- rooms and participants ----

	async getRoom(roomId: UUID): Promise<UUID | null> {
		if (roomId === undefined || roomId === null) return null; // a missing id is "not found"
		const id = v.uuid(roomId, "roomId");
		const found = await this.op("getRoom", (s) => s.all(this.family.statements.roomGet, [id]));
		return found[0] ? (found[0].id as UUID) : null;
	}

	async createRoom(roomId?: UUID): Promise<UUID> {
		const id = v.optionalUuid(roomId, "roomId") ?? newId();
		await this.op("createRoom", (s) => s.run(this.family.statements.roomInsert, [id, Date.now()]));
		return id;
	}

	async removeRoom(roomId: UUID): Promise<void> {
		const id = v.uuid(roomId, "roomId");
		await this.op("removeRoom", (s) => s.run(this.family.statements.roomDelete, [id]));
	}

	async getRoomsForParticipant(userId: UUID): Promise<UUID[]> {
		return this.roomsFor([v.uuid(userId, "userId")]);
	}

	async getRoomsForParticipants(userIds: UUID[]): Promise<UUID[]> {
		const ids = v.uuidArray(userIds, "userIds");
		return ids.length === 0 ? [] : this.roomsFor(ids);
	}

	private async roomsFor(userIds: UUID[]): Promise<UUID[]> {
		const found = await this.op("getRoomsForParticipants", (s) =>
			s.all(this.family.statements.roomsForParticipants, [JSON.stringify(userIds)]),
		);
		return found.map((r) => r.room_id as UUID);
	}

	async addParticipant(userIdIn: UUID, roomIdIn: UUID): Promise<boolean> {
		const userId = v.uuid(userIdIn, "userId");
		const roomId = v.uuid(roomIdIn, "roomId");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: userId },
			{ field: "roomId", table: "rooms" as const, id: roomId },
		];
		await this.write("addParticipant", refs, (s) =>
			s.run(this.family.statements.participantInsert, [newId(), userId, roomId, Date.now()]),
		);
		return true;
	}

	async removeParticipant(userIdIn: UUID, roomIdIn: UUID): Promise<boolean> {
		const userId = v.uuid(userIdIn, "userId");
		const roomId = v.uuid(roomIdIn, "roomId");
		const changed = await this.op("removeParticipant", (s) =>
			s.run(this.family.statements.participantDelete, [userId, roomId]),
		);
		return changed > 0;
	}

	async getParticipantsForAccount(userIdIn: UUID): Promise<Participant[]> {
		const userId = v.uuid(userIdIn, "userId");
		const found = await this.op("getParticipantsForAccount", (s) =>
			s.all(this.family.statements.participantsForAccount, [userId]),
		);
		return found.map(rows.toParticipant);
	}

	async getParticipantsForRoom(roomIdIn: UUID): Promise<UUID[]> {
		const roomId = v.uuid(roomIdIn, "roomId");
		const found = await this.op("getParticipantsForRoom", (s) =>
			s.all(this.family.statements.participantsForRoom, [roomId]),
		);
		return found.map((r) => r.user_id as UUID);
	}

	async getParticipantUserState(roomIdIn: UUID, userIdIn: UUID): Promise<ParticipantUserState> {
		const roomId = v.uuid(roomIdIn, "roomId");
		const userId = v.uuid(userIdIn, "userId");
		const found = await this.op("getParticipantUserState", (s) =>
			s.all(this.family.statements.participantStateGet, [roomId, userId]),
		);
		return (found[0]?.user_state as ParticipantUserState | undefined) ?? null;
	}

	async setParticipantUserState(
		roomIdIn: UUID,
		userIdIn: UUID,
		state: ParticipantUserState,
	): Promise<void> {
		const roomId = v.uuid(roomIdIn, "roomId");
		const userId = v.uuid(userIdIn, "userId");
		v.assertUserState(state, "state");
		const changed = await this.op("setParticipantUserState", (s) =>
			s.run(this.family.statements.participantStateSet, [roomId, userId, state]),
		);
		if (changed === 0) {
			throw new NotFoundError(
				`setParticipantUserState: user ${userId} is not a participant of room ${roomId}`,
			);
		}
	}

	async getActorDetails(params: { roomId: UUID }): Promise<Actor[]> {
		const roomId = v.uuid(params?.roomId, "roomId");
		const found = await this.op("getActorDetails", (s) =>
			s.all(this.family.statements.actorDetails, [roomId]),
		);
		return found.map(rows.toActor);
	}

	// ---- goals ----

	async getGoals(params: {
		roomId: UUID;
		userId?: UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	}): Promise<Goal[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const roomId = v.uuid(params.roomId, "roomId");
		const userId = v.optionalUuid(params.userId, "userId");
		v.assertOptionalBoolean(params.onlyInProgress, "onlyInProgress");
		v.assertOptionalCount(params.count, "count");
		const found = await this.op("getGoals", (s) =>
			s.all(this.family.statements.goalsByRoom, [
				roomId,
				userId ?? null,
				this.family.encodeBool(params.onlyInProgress === true),
				params.count ?? null,
			]),
		);
		return found.map(rows.toGoal);
	}

	async createGoal(goal: Goal): Promise<void> {
		const { id, roomId, userId, objectivesJson } = prepareGoal(goal, false);
		const refs: { field: string; table: "accounts" | "rooms"; id: string }[] = [
			{ field: "roomId", table: "rooms", id: roomId },
		];
		if (userId) refs.push({ field: "userId", table: "accounts" as const, id: userId });
		await this.write("createGoal", refs, (s) =>
			s.run(this.family.statements.goalInsert, [
				id,
				roomId,
				userId ?? null,
				goal.name,
				goal.status,
				objectivesJson,
				Date.now(),
			]),
		);
	}

	async updateGoal(goal: Goal): Promise<void> {
		const { id, objectivesJson } = prepareGoal(goal, true);
		const changed = await this.op("updateGoal", (s) =>
			s.run(this.family.statements.goalUpdate, [id, goal.name, goal.status, objectivesJson]),
		);
		if (changed === 0) throw new NotFoundError(`updateGoal: goal ${id} does not exist`);
	}

	async updateGoalStatus(params: { goalId: UUID; status: GoalStatus }): Promise<void> {
		const goalId = v.uuid(params?.goalId, "goalId");
		v.assertGoalStatus(params.status, "status");
		const changed = await this.op("updateGoalStatus", (s) =>
			s.run(this.family.statements.goalStatusUpdate, [goalId, params.status]),
		);
		if (changed === 0) throw new NotFoundError(`updateGoalStatus: goal ${goalId} does not exist`);
	}

	async removeGoal(goalId: UUID): Promise<void> {
		const id = v.uuid(goalId, "goalId");
		await this.op("removeGoal", (s) => s.run(this.family.statements.goalDelete, [id]));
	}

	async removeAllGoals(roomId: UUID): Promise<void> {
		const id = v.uuid(roomId, "roomId");
		await this.op("removeAllGoals", (s) => s.run(this.family.statements.goalsDeleteByRoom, [id]));
	}

	// ---- relationships ----

	async createRelationship(params: { userA: UUID; userB: UUID }): Promise<boolean> {
		const userA = v.uuid(params?.userA, "userA");
		const userB = v.uuid(params.userB, "userB");
		const refs = [
			{ field: "userA", table: "accounts" as const, id: userA },
			{ field: "userB", table: "accounts" as const, id: userB },
		];
		await this.write("createRelationship", refs, (s) =>
			s.run(this.family.statements.relationshipInsert, [
				newId(),
				userA,
				userB,
				userA,
				"FRIENDS",
				Date.now(),
			]),
		);
		return true;
	}

	async getRelationship(params: { userA: UUID; userB: UUID }): Promise<Relationship | null> {
		const userA = v.uuid(params?.userA, "userA");
		const userB = v.uuid(params.userB, "userB");
		const found = await this.op("getRelationship", (s) =>
			s.all(this.family.statements.relationshipGet, [userA, userB]),
		);
		return found[0] ? rows.toRelationship(found[0]) : null;
	}

	async getRelationships(params: { userId: UUID }): Promise<Relationship[]> {
		const userId = v.uuid(params?.userId, "userId");
		const found = await this.op("getRelationships", (s) =>
			s.all(this.family.statements.relationshipsForUser, [userId]),
		);
		return found.map(rows.toRelationship);
	}

	// ---- logs and cache ----

	async log(params: LogParams): Promise<void> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const body = v.jsonObjectText(params.body, "body");
		const userId = v.uuid(params.userId, "userId");
		const roomId = v.uuid(params.roomId, "roomId");
		v.assertString(params.type, "type");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: userId },
			{ field: "roomId", table: "rooms" as const, id: roomId },
		];
		await this.write("log", refs, (s) =>
			s.run(this.family.statements.logInsert, [
				newId(),
				body,
				userId,
				roomId,
				params.type,
				Date.now(),
			]),
		);
	}

	/** The agent (lower case) of a checked cache key. */
	private cacheKey(params: CacheKey): UUID {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const agentId = v.uuid(params.agentId, "agentId");
		v.assertString(params.key, "key");
		return agentId;
	}

	async getCache(params: CacheKey): Promise<string | undefined> {
		const agentId = this.cacheKey(params);
		const found = await this.op("getCache", (s) =>
			s.all(this.family.statements.cacheGet, [agentId, params.key]),
		);
		return found[0] ? (found[0].value as string) : undefined;
	}

	async setCache(params: CacheKey & { value: string }): Promise<boolean> {
		const agentId = this.cacheKey(params);
		v.assertString(params.value, "value", { allowEmpty: true });
		await this.op("setCache", (s) =>
			s.run(this.family.statements.cacheSet, [agentId, params.key, params.value, Date.now()]),
		);
		return true;
	}

	async deleteCache(params: CacheKey): Promise<boolean> {
		const agentId = this.cacheKey(params);
		const changed = await this.op("deleteCache", (s) =>
			s.run(this.family.statements.cacheDelete, [agentId, params.key]),
		);
		return changed > 0;
	}
}
