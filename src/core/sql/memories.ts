/** The contract's memory writes (one, a batch, with the near-duplicate check), over SQL. */
import { ConflictError, ValidationError } from "../errors.js";
import type { CreateMemoryItem, Memory } from "../types.js";
import { toNumberArray } from "../vector.js";
import { afterInsert, ready, type SqlContext } from "./context.js";
import type { SqlSession } from "./driver.js";
import { hasListeners, publish } from "./events.js";
import { copyMemories } from "./memories-bulk.js";
import { type PreparedMemory, prepareMemory } from "./prepare.js";
import { bindMemory, memoryJsonRow } from "./records.js";
import { op, type Ref, runTransaction, write } from "./session.js";

/** Cosine similarity at or above which a memory counts as a near-duplicate (ElizaOS semantics). */
export const DUPLICATE_SIMILARITY = 0.95;
/** Rows per statement of a bulk insert (about 4 MB of JSON at 384 dimensions). */
const BULK_ROWS = 1000;

function hasRepeatedId(items: PreparedMemory[]): boolean {
	return new Set(items.map((i) => i.id)).size !== items.length;
}

/** The rows a memory refers to, for a NotFoundError's message. */
function memoryRefs(item: PreparedMemory): Ref[] {
	return [
		{ field: "roomId", table: "rooms", id: item.roomId },
		{ field: "agentId", table: "accounts", id: item.agentId },
		{ field: "userId", table: "accounts", id: item.userId },
	];
}

/**
 * `memoryUpsertMany`'s parameter (records.ts: memoryJsonRow). contentJson is already JSON; ids and
 * timestamps were validated by prepareMemory. A bulk row is always unique (no duplicate check).
 */
function bulkRowsJson(items: PreparedMemory[], encode: (v: Float32Array) => unknown): string {
	const rows = items.map((i) =>
		memoryJsonRow({
			id: `"${i.id}"`,
			type: JSON.stringify(i.tableName),
			room_id: `"${i.roomId}"`,
			agent_id: `"${i.agentId}"`,
			user_id: `"${i.userId}"`,
			content: i.contentJson,
			embedding: i.vector ? JSON.stringify(encode(i.vector)) : "null",
			is_unique: "true",
			created_at: String(i.createdAt),
		}),
	);
	return `[${rows.join(",")}]`;
}

export async function createMemory(
	ctx: SqlContext,
	memory: Memory,
	tableName: string,
	unique = false,
): Promise<void> {
	const { backend, settings } = ready(ctx);
	const item = prepareMemory(memory, tableName, unique, settings.embeddingDimension);
	// One statement checks and inserts where the backend can: atomic, one round trip.
	if (await insertUniqueInOneStatement(ctx, item)) return;
	if (item.checkUnique && !ctx.scope && !backend.driver.concurrentStatements) {
		// On a single connection a transaction keeps the duplicate check and the insert together
		// (no other call of this adapter runs between them); a pool gives no such guarantee.
		await runTransaction(ctx, (tx) => insertMemory(tx, item, false));
	} else {
		await insertMemory(ctx, item, false);
	}
}

export async function createMemories(ctx: SqlContext, items: CreateMemoryItem[]): Promise<void> {
	const { settings } = ready(ctx);
	if (!Array.isArray(items)) throw new ValidationError("items", "expected an array");
	const prepared = items.map((it, i) => {
		if (it === null || typeof it !== "object")
			throw new ValidationError(`items[${i}]`, "expected { memory, tableName, unique? }");
		return prepareMemory(
			it.memory,
			it.tableName,
			it.unique,
			settings.embeddingDimension,
			`items[${i}].memory`,
		);
	});
	if (prepared.length === 0) return;
	const bulk = ctx.family.statements.memoryUpsertMany;
	// One statement per chunk, unless a row's duplicate check must see the rows before it, or an
	// id repeats (then the later row replaces the earlier one, as one-by-one inserts do).
	if (prepared.every((p) => !p.checkUnique) && !hasRepeatedId(prepared)) {
		const copied = await copyMemories(ctx, prepared, (item) => announce(ctx, item, true));
		if (copied === "done") return;
		if (copied === "unavailable" && bulk && (await insertMemoriesInBulk(ctx, prepared, bulk)))
			return;
		// A reference is missing. One by one, the batch fails with the error of its first failing
		// item (a type clash before the missing reference is a ConflictError), as on SQLite.
	}
	await runTransaction(ctx, async (tx) => {
		for (const item of prepared) await insertMemory(tx, item);
	});
}

/**
 * bindMemory's parameters for `item`; `isUnique` null leaves the decision to the statement.
 * `encodeVector` false leaves the embedding's slot null (the backend binds the vector itself).
 */
function memoryParams(
	ctx: SqlContext,
	item: PreparedMemory,
	isUnique: boolean | null,
	encodeVector = true,
): unknown[] {
	return bindMemory({
		id: item.id,
		type: item.tableName,
		room_id: item.roomId,
		agent_id: item.agentId,
		user_id: item.userId,
		content: item.contentJson,
		embedding: item.vector && encodeVector ? ctx.family.encodeEmbedding(item.vector) : null,
		is_unique: isUnique === null ? null : ctx.family.encodeBool(isUnique),
		created_at: item.createdAt,
	});
}

function conflict(item: PreparedMemory): ConflictError {
	return new ConflictError(
		`createMemory: id ${item.id} already belongs to a memory of another type than "${item.tableName}"`,
	);
}

/**
 * A unique memory through the backend's check-and-insert statement. False when there is none, or
 * it wrote nothing (too close to call there): the caller checks and inserts.
 */
async function insertUniqueInOneStatement(ctx: SqlContext, item: PreparedMemory): Promise<boolean> {
	const vector = item.vector;
	if (!item.checkUnique || !vector || !ready(ctx).backend.vector.insertUniqueMemory) return false;
	const done = await write(ctx, "createMemory", memoryRefs(item), (s) =>
		insertUniqueWith(ctx, s, item, vector),
	);
	if (!done) return false;
	if (done.changed === 0) throw conflict(item);
	afterInsert(ctx, "memories", 1);
	announce(ctx, item, done.unique);
	return true;
}

function insertUniqueWith(ctx: SqlContext, s: SqlSession, item: PreparedMemory, v: Float32Array) {
	const insert = ready(ctx).backend.vector.insertUniqueMemory;
	if (!insert) return Promise.resolve(null);
	// The backend binds `v` in the embedding's slot in its own form (the text form costs ~0.12 ms
	// to format at 384 dimensions; node-postgres sends pgvector's binary form instead).
	return insert(s, v, memoryParams(ctx, item, null, false), DUPLICATE_SIMILARITY);
}

async function insertMemory(
	ctx: SqlContext,
	item: PreparedMemory,
	oneStatement = true,
): Promise<void> {
	if (oneStatement && (await insertUniqueInOneStatement(ctx, item))) return;
	const refs = memoryRefs(item);
	const isUnique =
		item.checkUnique && item.vector ? !(await hasNearDuplicate(ctx, item, item.vector)) : true;
	const changed = await write(ctx, "createMemory", refs, (s) =>
		s.run(ctx.family.statements.memoryUpsert, memoryParams(ctx, item, isUnique)),
	);
	if (changed === 0) throw conflict(item);
	afterInsert(ctx, "memories", 1);
	announce(ctx, item, isUnique);
}

/**
 * Inserts `items` in one transaction of bulk statements. False, with nothing written, when a
 * reference is missing (the caller then finds the first failing item).
 */
async function insertMemoriesInBulk(
	ctx: SqlContext,
	items: PreparedMemory[],
	sql: string,
): Promise<boolean> {
	const f = ctx.family;
	let missingRef = false;
	try {
		await runTransaction(ctx, async (tx) => {
			for (let i = 0; i < items.length; i += BULK_ROWS) {
				const chunk = items.slice(i, i + BULK_ROWS);
				const changed = await op(tx, "createMemories", async (s, b) => {
					try {
						return await s.run(sql, [bulkRowsJson(chunk, (v) => f.encodeEmbedding(v))]);
					} catch (err) {
						missingRef = b.driver.constraintOf(err) === "foreign_key";
						throw err;
					}
				});
				if (changed < chunk.length) await throwTypeConflict(tx, chunk);
			}
		});
	} catch (err) {
		if (!missingRef) throw err;
		return false;
	}
	afterInsert(ctx, "memories", items.length);
	for (const item of items) announce(ctx, item, true);
	return true;
}

/** Names the first id of `items` that belongs to a memory of another type. */
async function throwTypeConflict(ctx: SqlContext, items: PreparedMemory[]): Promise<never> {
	const stored = await op(ctx, "createMemories", (s) =>
		s.all(ctx.family.statements.memoriesByIds, [JSON.stringify(items.map((i) => i.id)), null]),
	);
	const typeOf = new Map(stored.map((r) => [r.id as string, r.type as string]));
	const clash = items.find((i) => typeOf.has(i.id) && typeOf.get(i.id) !== i.tableName);
	throw new ConflictError(
		`createMemories: id ${clash?.id ?? "(unknown)"} already belongs to a memory of another type than "${clash?.tableName ?? "requested"}"`,
	);
}

/** Publishes a stored memory to subscribers. */
function announce(ctx: SqlContext, item: PreparedMemory, isUnique: boolean): void {
	// Building the event costs as much as the insert; skip it when nobody listens.
	if (!hasListeners(ctx)) return;
	const memory: Memory = {
		id: item.id,
		userId: item.userId,
		agentId: item.agentId,
		roomId: item.roomId,
		createdAt: item.createdAt,
		content: JSON.parse(item.contentJson),
		unique: isUnique,
	};
	if (item.vector) memory.embedding = toNumberArray(item.vector);
	publish(ctx, { tableName: item.tableName, memory });
}

export async function hasNearDuplicate(
	ctx: SqlContext,
	item: PreparedMemory,
	vector: Float32Array,
): Promise<boolean> {
	const found = await op(ctx, "createMemory", (s, b) =>
		b.vector.searchMemories(s, vector, {
			tableName: item.tableName,
			roomId: item.roomId,
			agentId: item.agentId,
			uniqueOnly: false,
			count: 2,
			threshold: DUPLICATE_SIMILARITY,
		}),
	);
	return found.some((r) => r.id !== item.id);
}
