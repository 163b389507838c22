/** The contract's goals, over SQL. */
import { NotFoundError, ValidationError } from "../errors.js";
import type { Goal, GoalStatus, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { prepareGoal } from "./prepare.js";
import * as rows from "./rows.js";
import { op, type Ref, write } from "./session.js";

export async function getGoals(
	ctx: SqlContext,
	params: {
		roomId: UUID;
		userId?: UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	},
): Promise<Goal[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const roomId = v.uuid(params.roomId, "roomId");
	const userId = v.optionalUuid(params.userId, "userId");
	v.assertOptionalBoolean(params.onlyInProgress, "onlyInProgress");
	v.assertOptionalCount(params.count, "count");
	const found = await op(ctx, "getGoals", (s) =>
		s.all(ctx.family.statements.goalsByRoom, [
			roomId,
			userId ?? null,
			ctx.family.encodeBool(params.onlyInProgress === true),
			params.count ?? null,
		]),
	);
	return found.map(rows.toGoal);
}

export async function createGoal(ctx: SqlContext, goal: Goal): Promise<void> {
	const { id, roomId, userId, objectivesJson } = prepareGoal(goal, false);
	const refs: Ref[] = [{ field: "roomId", table: "rooms", id: roomId }];
	if (userId) refs.push({ field: "userId", table: "accounts" as const, id: userId });
	await write(ctx, "createGoal", refs, (s) =>
		s.run(ctx.family.statements.goalInsert, [
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

export async function updateGoal(ctx: SqlContext, goal: Goal): Promise<void> {
	const { id, objectivesJson } = prepareGoal(goal, true);
	const changed = await op(ctx, "updateGoal", (s) =>
		s.run(ctx.family.statements.goalUpdate, [id, goal.name, goal.status, objectivesJson]),
	);
	if (changed === 0) throw new NotFoundError(`updateGoal: goal ${id} does not exist`);
}

export async function updateGoalStatus(
	ctx: SqlContext,
	params: { goalId: UUID; status: GoalStatus },
): Promise<void> {
	const goalId = v.uuid(params?.goalId, "goalId");
	v.assertGoalStatus(params.status, "status");
	const changed = await op(ctx, "updateGoalStatus", (s) =>
		s.run(ctx.family.statements.goalStatusUpdate, [goalId, params.status]),
	);
	if (changed === 0) throw new NotFoundError(`updateGoalStatus: goal ${goalId} does not exist`);
}

export async function removeGoal(ctx: SqlContext, goalId: UUID): Promise<void> {
	const id = v.uuid(goalId, "goalId");
	await op(ctx, "removeGoal", (s) => s.run(ctx.family.statements.goalDelete, [id]));
}

export async function removeAllGoals(ctx: SqlContext, roomId: UUID): Promise<void> {
	const id = v.uuid(roomId, "roomId");
	await op(ctx, "removeAllGoals", (s) => s.run(ctx.family.statements.goalsDeleteByRoom, [id]));
}
