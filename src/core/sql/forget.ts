/**
 * The contract's `deleteMemories` and `pruneMemories`, over SQL. Each is one DELETE statement, so
 * it is atomic on its own and the derived vector indexes follow in the same statement (sqlite-vec's
 * triggers, SQL.js's change counter, pgvector's index). Bad input throws before anything runs.
 */
import { ValidationError } from "../errors.js";
import type { DeleteMemoriesFilter, PruneMemoriesParams } from "../lifecycle-types.js";
import * as v from "../validation.js";
import { afterInsert, type SqlContext } from "./context.js";
import type { SqlSession } from "./driver.js";
import { op } from "./session.js";

const DELETE_CRITERIA = [
	"tableName",
	"roomId",
	"agentId",
	"userId",
	"before",
	"after",
	"ids",
] as const;

function assertObject(value: unknown, field: string): asserts value is Record<string, unknown> {
	if (value === null || typeof value !== "object" || Array.isArray(value))
		throw new ValidationError(field, `expected an object, got ${v.describe(value)}`);
}

/** Unknown members are refused: a misspelt criterion (`roomID`) must not widen a delete. */
function assertKnownKeys(value: object, known: readonly string[], field: string): void {
	for (const key of Object.keys(value)) {
		if (!known.includes(key))
			throw new ValidationError(
				`${field}.${key}`,
				`unknown member; expected one of ${known.join(", ")}`,
			);
	}
}

const given = (value: unknown) => value !== undefined && value !== null;

/**
 * Runs a delete and tells the backend how many rows went: deletions move the planner's
 * statistics as much as inserts do (the PostgreSQL family's keeper re-ANALYZEs after enough).
 */
async function counted(
	ctx: SqlContext,
	what: string,
	run: (s: SqlSession) => Promise<number>,
): Promise<number> {
	const deleted = await op(ctx, what, run);
	if (deleted > 0) afterInsert(ctx, "memories", deleted);
	return deleted;
}

export async function deleteMemories(
	ctx: SqlContext,
	filter: DeleteMemoriesFilter,
): Promise<number> {
	assertObject(filter, "filter");
	assertKnownKeys(filter, DELETE_CRITERIA, "filter");
	if (!DELETE_CRITERIA.some((k) => given(filter[k])))
		throw new ValidationError(
			"filter",
			`give at least one of ${DELETE_CRITERIA.join(", ")} (an empty filter never deletes everything)`,
		);
	if (given(filter.tableName)) v.assertTableName(filter.tableName, "filter.tableName");
	const roomId = v.optionalUuid(filter.roomId, "filter.roomId");
	const agentId = v.optionalUuid(filter.agentId, "filter.agentId");
	const userId = v.optionalUuid(filter.userId, "filter.userId");
	v.assertOptionalTimestamp(filter.before, "filter.before");
	v.assertOptionalTimestamp(filter.after, "filter.after");
	const ids = given(filter.ids) ? v.uuidArray(filter.ids, "filter.ids") : null;
	if (ids !== null && ids.length === 0) return 0;
	const l = ctx.family.lifecycle;
	return counted(ctx, "deleteMemories", (s) =>
		s.run(ids ? l.memoriesDeleteByIds : l.memoriesDelete, [
			filter.tableName ?? null,
			roomId ?? null,
			agentId ?? null,
			userId ?? null,
			filter.before ?? null,
			filter.after ?? null,
			ids ? JSON.stringify(ids) : null,
		]),
	);
}

const PRUNE_MEMBERS = [
	"olderThan",
	"before",
	"keepLast",
	"tableName",
	"roomId",
	"agentId",
] as const;

export async function pruneMemories(ctx: SqlContext, params: PruneMemoriesParams): Promise<number> {
	assertObject(params, "params");
	assertKnownKeys(params, PRUNE_MEMBERS, "params");
	if (!given(params.olderThan) && !given(params.before) && !given(params.keepLast))
		throw new ValidationError("params", "give at least one of olderThan, before, keepLast");
	v.assertOptionalTimestamp(params.olderThan, "params.olderThan");
	v.assertOptionalTimestamp(params.before, "params.before");
	v.assertOptionalCount(params.keepLast, "params.keepLast", { min: 1 });
	if (given(params.tableName)) v.assertTableName(params.tableName, "params.tableName");
	const roomId = v.optionalUuid(params.roomId, "params.roomId");
	const agentId = v.optionalUuid(params.agentId, "params.agentId");
	// Both time rules narrow: a memory must be older than each one given.
	const limits = [
		given(params.olderThan) ? Date.now() - (params.olderThan as number) : undefined,
		params.before ?? undefined,
	].filter((t): t is number => t !== undefined);
	const cutoff = limits.length > 0 ? Math.min(...limits) : null;
	const l = ctx.family.lifecycle;
	const filters = [params.tableName ?? null, roomId ?? null, agentId ?? null, cutoff];
	return counted(ctx, "pruneMemories", (s) =>
		given(params.keepLast)
			? s.run(l.memoriesPruneKeepLast, [...filters, params.keepLast])
			: s.run(l.memoriesPruneOlder, filters),
	);
}
