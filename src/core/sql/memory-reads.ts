/** The contract's memory reads, removals and embedding updates, over SQL. */
import { NotFoundError, ValidationError } from "../errors.js";
import type { EmbeddingInput, GetMemoriesParams, Memory, UUID } from "../types.js";
import * as v from "../validation.js";
import { ready, type SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";

export async function getMemories(ctx: SqlContext, params: GetMemoriesParams): Promise<Memory[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const roomId = v.uuid(params.roomId, "roomId");
	v.assertTableName(params.tableName);
	const agentId = v.optionalUuid(params.agentId, "agentId");
	v.assertOptionalCount(params.count, "count");
	v.assertOptionalBoolean(params.unique, "unique");
	v.assertOptionalTimestamp(params.start, "start");
	v.assertOptionalTimestamp(params.end, "end");
	const f = ctx.family;
	const found = await op(ctx, "getMemories", (s) =>
		s.all(f.statements.memoriesByRoom, [
			params.tableName,
			roomId,
			agentId ?? null,
			f.encodeBool(params.unique === true),
			params.start ?? null,
			params.end ?? null,
			params.count ?? null,
		]),
	);
	return found.map((r) => rows.toMemory(r, f));
}

export async function getMemoryById(ctx: SqlContext, memoryId: UUID): Promise<Memory | null> {
	// A missing id is "not found": ElizaOS looks a new memory up by its (absent) id first.
	if (memoryId === undefined || memoryId === null) return null;
	const id = v.uuid(memoryId, "id");
	const found = await op(ctx, "getMemoryById", (s) =>
		s.all(ctx.family.statements.memoryById, [id]),
	);
	return found[0] ? rows.toMemory(found[0], ctx.family) : null;
}

export async function getMemoriesByIds(
	ctx: SqlContext,
	memoryIds: UUID[],
	tableName?: string,
): Promise<Memory[]> {
	const ids = v.uuidArray(memoryIds, "ids");
	if (tableName !== undefined) v.assertTableName(tableName);
	if (ids.length === 0) return [];
	const found = await op(ctx, "getMemoriesByIds", (s) =>
		s.all(ctx.family.statements.memoriesByIds, [JSON.stringify(ids), tableName ?? null]),
	);
	return found.map((r) => rows.toMemory(r, ctx.family));
}

export async function getMemoriesByRoomIds(
	ctx: SqlContext,
	params: {
		roomIds: UUID[];
		tableName: string;
		agentId?: UUID;
		limit?: number;
	},
): Promise<Memory[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const roomIds = v.uuidArray(params.roomIds, "roomIds");
	v.assertTableName(params.tableName);
	const agentId = v.optionalUuid(params.agentId, "agentId");
	v.assertOptionalCount(params.limit, "limit");
	if (roomIds.length === 0) return [];
	const found = await op(ctx, "getMemoriesByRoomIds", (s) =>
		s.all(ctx.family.statements.memoriesByRoomIds, [
			params.tableName,
			JSON.stringify(roomIds),
			agentId ?? null,
			params.limit ?? null,
		]),
	);
	return found.map((r) => rows.toMemory(r, ctx.family));
}

export async function countMemories(
	ctx: SqlContext,
	roomIdIn: UUID,
	unique = true,
	tableName?: string,
): Promise<number> {
	const roomId = v.uuid(roomIdIn, "roomId");
	v.assertBoolean(unique, "unique");
	if (tableName !== undefined && tableName !== "") v.assertTableName(tableName);
	const found = await op(ctx, "countMemories", (s) =>
		s.all(ctx.family.statements.memoryCount, [
			roomId,
			tableName || null,
			ctx.family.encodeBool(unique),
		]),
	);
	return rows.int(found[0]?.n ?? 0);
}

export async function removeMemory(
	ctx: SqlContext,
	memoryId: UUID,
	tableName: string,
): Promise<void> {
	const id = v.uuid(memoryId, "memoryId");
	v.assertTableName(tableName);
	await op(ctx, "removeMemory", (s) => s.run(ctx.family.statements.memoryDelete, [id, tableName]));
}

export async function removeAllMemories(
	ctx: SqlContext,
	roomIdIn: UUID,
	tableName: string,
): Promise<void> {
	const roomId = v.uuid(roomIdIn, "roomId");
	v.assertTableName(tableName);
	await op(ctx, "removeAllMemories", (s) =>
		s.run(ctx.family.statements.memoriesDeleteByRoom, [roomId, tableName]),
	);
}

export async function getMemoriesMissingEmbeddings(
	ctx: SqlContext,
	params: { tableName?: string; count?: number } = {},
): Promise<Memory[]> {
	if (params.tableName !== undefined) v.assertTableName(params.tableName);
	v.assertOptionalCount(params.count, "count");
	const found = await op(ctx, "getMemoriesMissingEmbeddings", (s) =>
		s.all(ctx.family.statements.memoriesMissingEmbedding, [
			params.tableName ?? null,
			params.count ?? null,
		]),
	);
	return found.map((r) => rows.toMemory(r, ctx.family));
}

export async function updateMemoryEmbedding(
	ctx: SqlContext,
	memoryId: UUID,
	embedding: EmbeddingInput,
): Promise<void> {
	const { settings } = ready(ctx);
	const id = v.uuid(memoryId, "id");
	const checked = v.checkStoredEmbedding(embedding, settings.embeddingDimension, "embedding");
	const value = checked.kind === "vector" ? ctx.family.encodeEmbedding(checked.vector) : null;
	const changed = await op(ctx, "updateMemoryEmbedding", (s) =>
		s.run(ctx.family.statements.memoryEmbeddingUpdate, [id, value]),
	);
	if (changed === 0) throw new NotFoundError(`updateMemoryEmbedding: memory ${id} does not exist`);
}
