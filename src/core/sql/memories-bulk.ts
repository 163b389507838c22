/**
 * `createMemories` through the backend's bulk path (PostgreSQL: COPY into a staging table, then one
 * INSERT … SELECT; the vector index dropped and built after the load when the table is small next
 * to the batch, in the same transaction, so a crash rolls the DROP back too).
 */
import { ConflictError } from "../errors.js";
import type { BulkMemoryRow } from "./bulk.js";
import { afterInsert, ready, type SqlContext } from "./context.js";
import type { PreparedMemory } from "./prepare.js";
import { op, runTransaction } from "./session.js";

/** Below this many rows the family's statement is as fast (a staging table costs a few ms). */
export const COPY_MIN_ROWS = 500;

export function bulkRow(item: PreparedMemory, unique: boolean): BulkMemoryRow {
	return {
		id: item.id,
		type: item.tableName,
		roomId: item.roomId,
		agentId: item.agentId,
		userId: item.userId,
		contentJson: item.contentJson,
		vector: item.vector,
		unique,
		createdAt: item.createdAt,
	};
}

/**
 * Stores `items` (no duplicate check, no id twice) through the backend's bulk path, in one
 * transaction. "unavailable": there is none here (an `asUser` view, a small batch, PGlite);
 * "missing-reference": a room or account does not exist and nothing was written.
 */
export async function copyMemories(
	ctx: SqlContext,
	items: PreparedMemory[],
	announce: (item: PreparedMemory) => void,
): Promise<"done" | "unavailable" | "missing-reference"> {
	const { backend, settings } = ready(ctx);
	const bulk = backend.bulkMemories;
	if (!bulk || ctx.prelude || items.length < COPY_MIN_ROWS) return "unavailable";
	const dimension = settings.embeddingDimension;
	let missingRef = false;
	let used = true;
	try {
		await runTransaction(ctx, (tx) =>
			op(tx, "createMemories", async (s, b) => {
				if (!bulk.available(s)) {
					used = false;
					return;
				}
				const deferred = await bulk.deferIndex(s, dimension, items.length);
				const rows = items.map((i) => bulkRow(i, true));
				const result = await bulk.upsert(s, rows, { skipIdentical: false }).catch((err) => {
					missingRef = b.driver.constraintOf(err) === "foreign_key";
					throw err;
				});
				if (result.clash) {
					const type = items.find((i) => i.id === result.clash)?.tableName ?? "requested";
					throw new ConflictError(
						`createMemories: id ${result.clash} already belongs to a memory of another type than "${type}"`,
					);
				}
				if (deferred) await bulk.restoreIndex(s, dimension);
			}),
		);
	} catch (err) {
		if (!missingRef) throw err;
		return "missing-reference";
	}
	if (!used) return "unavailable";
	afterInsert(ctx, "memories", items.length);
	for (const item of items) announce(item);
	return "done";
}
