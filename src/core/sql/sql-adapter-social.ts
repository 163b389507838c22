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
		v.assertUuid(userId, "userId");
		const found = await this.op("getAccountById", (s) =>
			s.all(this.family.statements.accountGet, [userId]),
		);
		return found[0] ? rows.toAccount(found[0]) : null;
	}

	async createAccount(account: Account): Promise<boolean> {
		if (account === null || typeof account !== "object")
			throw new ValidationError("account", "expected an account object");
		v.assertUuid(account.id, "account.id");
		v.assertString(account.name, "account.name", { allowEmpty: true });
		v.assertString(account.username, "account.username", { allowEmpty: true });
		v.assertOptionalString(account.email, "account.email");
		v.assertOptionalString(account.avatarUrl, "account.avatarUrl");
		const details = v.jsonObjectText(account.details ?? {}, "account.details");
		const changed = await this.op("createAccount", (s) =>
			s.run(this.family.statements.accountInsert, [
				account.id,
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
		v.assertUuid(roomId, "roomId");
		const found = await this.op("getRoom", (s) => s.all(this.family.statements.roomGet, [roomId]));
		return found[0] ? (found[0].id as UUID) : null;
	}

	async createRoom(roomId?: UUID): Promise<UUID> {
		v.assertOptionalUuid(roomId, "roomId");
		const id = roomId ?? newId();
		await this.op("createRoom", (s) => s.run(this.family.statements.roomInsert, [id, Date.now()]));
		return id;
	}

	async removeRoom(roomId: UUID): Promise<void> {
		v.assertUuid(roomId, "roomId");
		await this.op("removeRoom", (s) => s.run(this.family.statements.roomDelete, [roomId]));
	}

	async getRoomsForParticipant(userId: UUID): Promise<UUID[]> {
		v.assertUuid(userId, "userId");
		return this.roomsFor([userId]);
	}

	async getRoomsForParticipants(userIds: UUID[]): Promise<UUID[]> {
		v.assertUuidArray(userIds, "userIds");
		return userIds.length === 0 ? [] : this.roomsFor(userIds);
	}

	private async roomsFor(userIds: UUID[]): Promise<UUID[]> {
		const found = await this.op("getRoomsForParticipants", (s) =>
			s.all(this.family.statements.roomsForParticipants, [JSON.stringify(userIds)]),
		);
		return found.map((r) => r.room_id as UUID);
	}

	async addParticipant(userId: UUID, roomId: UUID): Promise<boolean> {
		v.assertUuid(userId, "userId");
		v.assertUuid(roomId, "roomId");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: userId },
			{ field: "roomId", table: "rooms" as const, id: roomId },
		];
		await this.write("addParticipant", refs, (s) =>
			s.run(this.family.statements.participantInsert, [newId(), userId, roomId, Date.now()]),
		);
		return true;
	}

	async removeParticipant(userId: UUID, roomId: UUID): Promise<boolean> {
		v.assertUuid(userId, "userId");
		v.assertUuid(roomId, "roomId");
		const changed = await this.op("removeParticipant", (s) =>
			s.run(this.family.statements.participantDelete, [userId, roomId]),
		);
		return changed > 0;
	}

	async getParticipantsForAccount(userId: UUID): Promise<Participant[]> {
		v.assertUuid(userId, "userId");
		const found = await this.op("getParticipantsForAccount", (s) =>
			s.all(this.family.statements.participantsForAccount, [userId]),
		);
		return found.map(rows.toParticipant);
	}

	async getParticipantsForRoom(roomId: UUID): Promise<UUID[]> {
		v.assertUuid(roomId, "roomId");
		const found = await this.op("getParticipantsForRoom", (s) =>
			s.all(this.family.statements.participantsForRoom, [roomId]),
		);
		return found.map((r) => r.user_id as UUID);
	}

	async getParticipantUserState(roomId: UUID, userId: UUID): Promise<ParticipantUserState> {
		v.assertUuid(roomId, "roomId");
		v.assertUuid(userId, "userId");
		const found = await this.op("getParticipantUserState", (s) =>
			s.all(this.family.statements.participantStateGet, [roomId, userId]),
		);
		return (found[0]?.user_state as ParticipantUserState | undefined) ?? null;
	}

	async setParticipantUserState(
		roomId: UUID,
		userId: UUID,
		state: ParticipantUserState,
	): Promise<void> {
		v.assertUuid(roomId, "roomId");
		v.assertUuid(userId, "userId");
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
		v.assertUuid(params?.roomId, "roomId");
		const found = await this.op("getActorDetails", (s) =>
			s.all(this.family.statements.actorDetails, [params.roomId]),
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
		v.assertUuid(params.roomId, "roomId");
		v.assertOptionalUuid(params.userId, "userId");
		v.assertOptionalBoolean(params.onlyInProgress, "onlyInProgress");
		v.assertOptionalCount(params.count, "count");
		const found = await this.op("getGoals", (s) =>
			s.all(this.family.statements.goalsByRoom, [
				params.roomId,
				params.userId ?? null,
				this.family.encodeBool(params.onlyInProgress === true),
				params.count ?? null,
			]),
		);
		return found.map(rows.toGoal);
	}

	async createGoal(goal: Goal): Promise<void> {
		const { id, objectivesJson } = prepareGoal(goal, false);
		const refs: { field: string; table: "accounts" | "rooms"; id: string }[] = [
			{ field: "roomId", table: "rooms", id: goal.roomId },
		];
		if (goal.userId) refs.push({ field: "userId", table: "accounts" as const, id: goal.userId });
		await this.write("createGoal", refs, (s) =>
			s.run(this.family.statements.goalInsert, [
				id,
				goal.roomId,
				goal.userId ?? null,
				goal.name,
				goal.status,
				objectivesJson,
				Date.now(),
			]),
		);
	}

	async updateGoal(goal: Goal): Promise<void> {
		const { objectivesJson } = prepareGoal(goal, true);
		const changed = await this.op("updateGoal", (s) =>
			s.run(this.family.statements.goalUpdate, [goal.id, goal.name, goal.status, objectivesJson]),
		);
		if (changed === 0) throw new NotFoundError(`updateGoal: goal ${goal.id} does not exist`);
	}

	async updateGoalStatus(params: { goalId: UUID; status: GoalStatus }): Promise<void> {
		v.assertUuid(params?.goalId, "goalId");
		v.assertGoalStatus(params.status, "status");
		const changed = await this.op("updateGoalStatus", (s) =>
			s.run(this.family.statements.goalStatusUpdate, [params.goalId, params.status]),
		);
		if (changed === 0)
			throw new NotFoundError(`updateGoalStatus: goal ${params.goalId} does not exist`);
	}

	async removeGoal(goalId: UUID): Promise<void> {
		v.assertUuid(goalId, "goalId");
		await this.op("removeGoal", (s) => s.run(this.family.statements.goalDelete, [goalId]));
	}

	async removeAllGoals(roomId: UUID): Promise<void> {
		v.assertUuid(roomId, "roomId");
		await this.op("removeAllGoals", (s) =>
			s.run(this.family.statements.goalsDeleteByRoom, [roomId]),
		);
	}

	// ---- relationships ----

	async createRelationship(params: { userA: UUID; userB: UUID }): Promise<boolean> {
		v.assertUuid(params?.userA, "userA");
		v.assertUuid(params.userB, "userB");
		const refs = [
			{ field: "userA", table: "accounts" as const, id: params.userA },
			{ field: "userB", table: "accounts" as const, id: params.userB },
		];
		await this.write("createRelationship", refs, (s) =>
			s.run(this.family.statements.relationshipInsert, [
				newId(),
				params.userA,
				params.userB,
				params.userA,
				"FRIENDS",
				Date.now(),
			]),
		);
		return true;
	}

	async getRelationship(params: { userA: UUID; userB: UUID }): Promise<Relationship | null> {
		v.assertUuid(params?.userA, "userA");
		v.assertUuid(params.userB, "userB");
		const found = await this.op("getRelationship", (s) =>
			s.all(this.family.statements.relationshipGet, [params.userA, params.userB]),
		);
		return found[0] ? rows.toRelationship(found[0]) : null;
	}

	async getRelationships(params: { userId: UUID }): Promise<Relationship[]> {
		v.assertUuid(params?.userId, "userId");
		const found = await this.op("getRelationships", (s) =>
			s.all(this.family.statements.relationshipsForUser, [params.userId]),
		);
		return found.map(rows.toRelationship);
	}

	// ---- logs and cache ----

	async log(params: LogParams): Promise<void> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const body = v.jsonObjectText(params.body, "body");
		v.assertUuid(params.userId, "userId");
		v.assertUuid(params.roomId, "roomId");
		v.assertString(params.type, "type");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: params.userId },
			{ field: "roomId", table: "rooms" as const, id: params.roomId },
		];
		await this.write("log", refs, (s) =>
			s.run(this.family.statements.logInsert, [
				newId(),
				body,
				params.userId,
				params.roomId,
				params.type,
				Date.now(),
			]),
		);
	}

	private cacheKey(params: CacheKey): void {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.agentId, "agentId");
		v.assertString(params.key, "key");
	}

	async getCache(params: CacheKey): Promise<string | undefined> {
		this.cacheKey(params);
		const found = await this.op("getCache", (s) =>
			s.all(this.family.statements.cacheGet, [params.agentId, params.key]),
		);
		return found[0] ? (found[0].value as string) : undefined;
	}

	async setCache(params: CacheKey & { value: string }): Promise<boolean> {
		this.cacheKey(params);
		v.assertString(params.value, "value", { allowEmpty: true });
		await this.op("setCache", (s) =>
			s.run(this.family.statements.cacheSet, [
				params.agentId,
				params.key,
				params.value,
				Date.now(),
			]),
		);
		return true;
	}

	async deleteCache(params: CacheKey): Promise<boolean> {
		this.cacheKey(params);
		const changed = await this.op("deleteCache", (s) =>
			s.run(this.family.statements.cacheDelete, [params.agentId, params.key]),
		);
		return changed > 0;
	}
}
