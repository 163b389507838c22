/**
 * Import: each record checked (check.ts), then written with its own id, timestamps and flags, in
 * transactions of `batchSize`.
 */
import { NotFoundError, ValidationError } from "../core/errors.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../core/portable-types.js";
import type { SqlSession } from "../core/sql/driver.js";
import type { PreparedMemory } from "../core/sql/prepare.js";
import { bindMemory } from "../core/sql/records.js";
import type { Memory, MemoryEvent } from "../core/types.js";
import * as v from "../core/validation.js";
import { toNumberArray } from "../core/vector.js";
import { type CheckedRecord, checkPortableRecord } from "./check.js";
import type { PortableContext } from "./context.js";
import { statementsOf } from "./context.js";
import { BulkImport, MissingReferenceInBulk } from "./import-bulk.js";

const DEFAULT_BATCH_SIZE = 500;

type CheckedMemory = Extract<CheckedRecord, { kind: "memory" }>;

export async function importRecords(
	ctx: PortableContext,
	records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
	options: ImportOptions = {},
): Promise<ImportSummary> {
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	v.assertCount(batchSize, "batchSize", { min: 1 });
	statementsOf(ctx.family);
	const summary: ImportSummary = {
		account: 0,
		room: 0,
		participant: 0,
		relationship: 0,
		goal: 0,
		log: 0,
		cache: 0,
		knowledge: 0,
		memory: 0,
	};
	const { embeddingDimension, embeddingModel } = ctx.settings;
	let batch: CheckedRecord[] = [];
	let written = 0;
	let position = 0;
	const bulk = ctx.bulk ? new BulkImport(ctx.bulk, embeddingDimension) : null;
	const writeBatch = (current: CheckedRecord[], first: number) =>
		ctx.write(async (s, publish) => {
			const memories = current.filter((c): c is CheckedMemory => c.kind === "memory");
			const copy = bulk?.usable(s, memories) === true;
			for (const [i, checked] of current.entries()) {
				if (copy && checked.kind === "memory") continue;
				await writeOne(ctx, s, checked, first + i, publish);
			}
			if (!copy || !bulk) return;
			for (const m of await bulk.write(s, memories, ctx.isForeignKeyError)) {
				publish({ tableName: m.item.tableName, memory: memoryOf(m.item, m.unique) });
			}
			bulk.committed(memories.length);
		});
	const flush = async (): Promise<void> => {
		const current = batch;
		batch = [];
		const first = position - current.length;
		try {
			await writeBatch(current, first);
		} catch (err) {
			if (!MissingReferenceInBulk.is(err) || !bulk) throw err;
			// Row by row, so the error names the record.
			bulk.disabled = true;
			await writeBatch(current, first);
		}
		for (const checked of current) {
			if (checked.kind === "plain") summary[checked.record.kind as keyof ImportSummary]++;
			else if (checked.kind !== "database") summary[checked.kind]++;
		}
		written += current.length;
		options.onProgress?.(written);
	};
	try {
		for await (const record of records) {
			try {
				batch.push(checkPortableRecord(record, embeddingDimension, embeddingModel));
			} catch (err) {
				if (err instanceof Error) err.message = `record ${position + 1}: ${err.message}`;
				throw err;
			}
			position++;
			if (batch.length >= batchSize) await flush();
		}
		if (batch.length > 0) await flush();
	} finally {
		// The vector index this import dropped is built again, also after a failure.
		await bulk?.finish((fn) => ctx.write((s) => fn(s)));
	}
	return summary;
}

function memoryOf(m: PreparedMemory, unique: boolean): Memory {
	return {
		id: m.id,
		userId: m.userId,
		agentId: m.agentId,
		roomId: m.roomId,
		createdAt: m.createdAt,
		content: JSON.parse(m.contentJson),
		unique,
		...(m.vector ? { embedding: toNumberArray(m.vector) } : {}),
	};
}

async function writeOne(
	ctx: PortableContext,
	s: SqlSession,
	checked: CheckedRecord,
	index: number,
	publish: (event: MemoryEvent) => void,
): Promise<void> {
	if (checked.kind === "database") return;
	const f = ctx.family;
	const p = statementsOf(f);
	const vector = (x: Float32Array | null) => (x ? f.encodeEmbedding(x) : null);
	try {
		if (checked.kind === "memory") {
			const m = checked.item;
			const changed = await s.run(
				f.statements.memoryUpsert,
				bindMemory({
					id: m.id,
					type: m.tableName,
					room_id: m.roomId,
					agent_id: m.agentId,
					user_id: m.userId,
					content: m.contentJson,
					embedding: vector(m.vector),
					is_unique: f.encodeBool(checked.unique),
					created_at: m.createdAt,
				}),
			);
			if (changed === 0)
				throw new ValidationError(
					"memory.id",
					`${m.id} already belongs to a memory of another type than "${m.tableName}"`,
				);
			publish({ tableName: m.tableName, memory: memoryOf(m, checked.unique) });
			return;
		}
		if (checked.kind === "knowledge") {
			const k = checked.item;
			await s.run(f.statements.knowledgeUpsert, [
				k.id,
				k.agentId,
				k.contentJson,
				vector(k.vector),
				f.encodeBool(k.isMain),
				k.originalId,
				k.chunkIndex,
				f.encodeBool(k.isShared),
				k.createdAt,
			]);
			return;
		}
		const r = checked.record;
		switch (r.kind) {
			case "account":
				await s.run(p.accountUpsert, [
					r.id,
					r.name,
					r.username,
					r.email ?? null,
					r.avatarUrl ?? null,
					checked.json,
					r.createdAt,
				]);
				return;
			case "room":
				await s.run(p.roomUpsert, [r.id, r.createdAt, r.name ?? null]);
				return;
			case "participant":
				await s.run(p.participantUpsert, [r.id, r.userId, r.roomId, r.userState, r.createdAt]);
				return;
			case "relationship":
				await s.run(p.relationshipImport, [
					r.id,
					r.userA,
					r.userB,
					r.userId,
					r.roomId ?? null,
					r.status,
					r.createdAt,
				]);
				return;
			case "goal":
				await s.run(p.goalUpsert, [
					r.id,
					r.roomId,
					r.userId ?? null,
					r.name,
					r.status,
					checked.json,
					r.createdAt,
				]);
				return;
			case "log":
				await s.run(p.logUpsert, [r.id, checked.json, r.userId, r.roomId, r.type, r.createdAt]);
				return;
			case "cache":
				await s.run(f.statements.cacheSet, [
					r.agentId,
					r.key,
					r.value,
					r.createdAt,
					r.expiresAt ?? null,
				]);
				return;
		}
	} catch (err) {
		if (!ctx.isForeignKeyError(err)) throw err;
		const what = checked.kind === "plain" ? checked.record.kind : checked.kind;
		throw new NotFoundError(
			`importRecords: record ${index + 1} (${what}) names an account or room that does not exist; ` +
				"accounts and rooms must be imported before the records that name them (as exportRecords orders them)",
			{ cause: err },
		);
	}
}
