/** The contract's memories, vector search and embedding cache, over SQL. */
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { codePointLength, levenshteinBoundedSliced } from "../levenshtein.js";
import { TimeSlice } from "../time-slice.js";
import type {
	CachedEmbedding,
	CreateMemoryItem,
	EmbeddingInput,
	GetCachedEmbeddingsParams,
	GetMemoriesParams,
	Memory,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
	UUID,
} from "../types.js";
import * as v from "../validation.js";
import { toNumberArray } from "../vector.js";
import type { Row } from "./driver.js";
import { type PreparedMemory, prepareMemory } from "./prepare.js";
import * as rows from "./rows.js";
import { SqlSocialAdapter } from "./sql-adapter-social.js";

/** Cosine similarity at or above which a memory counts as a near-duplicate (ElizaOS semantics). */
export const DUPLICATE_SIMILARITY = 0.95;
const DEFAULT_SEARCH_COUNT = 10;
/**
 * getCachedEmbeddings on an embedded engine: rows whose stored content is larger than this are
 * read one statement each, so no statement extracts megabytes of JSON while the event loop waits.
 */
const LARGE_CONTENT_BYTES = 64 * 1024;
const JSON_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Rows per statement of a bulk insert (about 4 MB of JSON at 384 dimensions). */
const BULK_ROWS = 1000;

function hasRepeatedId(items: PreparedMemory[]): boolean {
	return new Set(items.map((i) => i.id)).size !== items.length;
}

type Ref = { field: string; table: "accounts" | "rooms"; id: string };

/** The rows a memory refers to, for a NotFoundError's message. */
function memoryRefs(item: PreparedMemory): Ref[] {
	return [
		{ field: "roomId", table: "rooms", id: item.roomId },
		{ field: "agentId", table: "accounts", id: item.agentId },
		{ field: "userId", table: "accounts", id: item.userId },
	];
}

/**
 * `memoryUpsertMany`'s parameter. Built by concatenation: contentJson is already JSON, so it is
 * not parsed and serialised again; ids and timestamps were validated by prepareMemory.
 */
function bulkRowsJson(items: PreparedMemory[], encode: (v: Float32Array) => unknown): string {
	const rows = items.map(
		(i) =>
			`{"id":"${i.id}","type":${JSON.stringify(i.tableName)},"room_id":"${i.roomId}","agent_id":"${i.agentId}","user_id":"${i.userId}","content":${i.contentJson},"embedding":${i.vector ? JSON.stringify(encode(i.vector)) : "null"},"created_at":${i.createdAt}}`,
	);
	return `[${rows.join(",")}]`;
}

export abstract class SqlMemoryAdapter extends SqlSocialAdapter {
	// ---- memories ----

	async createMemory(memory: Memory, tableName: string, unique = false): Promise<void> {
		const { backend, settings } = this.ready();
		const item = prepareMemory(memory, tableName, unique, settings.embeddingDimension);
		if (item.checkUnique && !this.scope && !backend.driver.concurrentStatements) {
			// On a single connection a transaction keeps the duplicate check and the insert together
			// (no other call of this adapter runs between them); a pool gives no such guarantee.
			await this.transaction((tx) => (tx as unknown as SqlMemoryAdapter).insertMemory(item));
		} else {
			await this.insertMemory(item);
		}
	}

	async createMemories(items: CreateMemoryItem[]): Promise<void> {
		const { settings } = this.ready();
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
		const bulk = this.family.statements.memoryUpsertMany;
		// One statement per chunk, unless a row's duplicate check must see the rows before it, or an
		// id repeats (then the later row replaces the earlier one, as one-by-one inserts do).
		if (bulk && prepared.every((p) => !p.checkUnique) && !hasRepeatedId(prepared)) {
			if (await this.insertMemoriesInBulk(prepared, bulk)) return;
			// A reference is missing. One by one, the batch fails with the error of its first failing
			// item (a type clash before the missing reference is a ConflictError), as on SQLite.
		}
		await this.transaction(async (tx) => {
			for (const item of prepared) await (tx as unknown as SqlMemoryAdapter).insertMemory(item);
		});
	}

	private async insertMemory(item: PreparedMemory): Promise<void> {
		const refs = memoryRefs(item);
		const isUnique =
			item.checkUnique && item.vector ? !(await this.hasNearDuplicate(item, item.vector)) : true;
		const changed = await this.write("createMemory", refs, (s) =>
			s.run(this.family.statements.memoryUpsert, [
				item.id,
				item.tableName,
				item.roomId,
				item.agentId,
				item.userId,
				item.contentJson,
				item.vector ? this.family.encodeEmbedding(item.vector) : null,
				this.family.encodeBool(isUnique),
				item.createdAt,
			]),
		);
		if (changed === 0) {
			throw new ConflictError(
				`createMemory: id ${item.id} already belongs to a memory of another type than "${item.tableName}"`,
			);
		}
		this.afterInsert("memories", 1);
		this.announce(item, isUnique);
	}

	/**
	 * Inserts `items` in one transaction of bulk statements. False, with nothing written, when a
	 * reference is missing (the caller then finds the first failing item).
	 */
	private async insertMemoriesInBulk(items: PreparedMemory[], sql: string): Promise<boolean> {
		const f = this.family;
		let missingRef = false;
		try {
			await this.transaction(async (tx) => {
				const view = tx as unknown as SqlMemoryAdapter;
				for (let i = 0; i < items.length; i += BULK_ROWS) {
					const chunk = items.slice(i, i + BULK_ROWS);
					const changed = await view.op("createMemories", async (s, b) => {
						try {
							return await s.run(sql, [bulkRowsJson(chunk, (v) => f.encodeEmbedding(v))]);
						} catch (err) {
							missingRef = b.driver.constraintOf(err) === "foreign_key";
							throw err;
						}
					});
					if (changed < chunk.length) await view.throwTypeConflict(chunk);
				}
			});
		} catch (err) {
			if (!missingRef) throw err;
			return false;
		}
		this.afterInsert("memories", items.length);
		for (const item of items) this.announce(item, true);
		return true;
	}

	/** Names the first id of `items` that belongs to a memory of another type. */
	private async throwTypeConflict(items: PreparedMemory[]): Promise<never> {
		const stored = await this.op("createMemories", (s) =>
			s.all(this.family.statements.memoriesByIds, [JSON.stringify(items.map((i) => i.id)), null]),
		);
		const typeOf = new Map(stored.map((r) => [r.id as string, r.type as string]));
		const clash = items.find((i) => typeOf.has(i.id) && typeOf.get(i.id) !== i.tableName);
		throw new ConflictError(
			`createMemories: id ${clash?.id ?? "(unknown)"} already belongs to a memory of another type than "${clash?.tableName ?? "requested"}"`,
		);
	}

	/** Publishes a stored memory to subscribers. */
	private announce(item: PreparedMemory, isUnique: boolean): void {
		// Building the event costs as much as the insert; skip it when nobody listens.
		if (this.state.listeners.size === 0) return;
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
		this.publish({ tableName: item.tableName, memory });
	}

	private async hasNearDuplicate(item: PreparedMemory, vector: Float32Array): Promise<boolean> {
		const found = await this.op("createMemory", (s, b) =>
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

	async getMemories(params: GetMemoriesParams): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const roomId = v.uuid(params.roomId, "roomId");
		v.assertTableName(params.tableName);
		const agentId = v.optionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.count, "count");
		v.assertOptionalBoolean(params.unique, "unique");
		v.assertOptionalTimestamp(params.start, "start");
		v.assertOptionalTimestamp(params.end, "end");
		const f = this.family;
		const found = await this.op("getMemories", (s) =>
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

	async getMemoryById(memoryId: UUID): Promise<Memory | null> {
		// A missing id is "not found": ElizaOS looks a new memory up by its (absent) id first.
		if (memoryId === undefined || memoryId === null) return null;
		const id = v.uuid(memoryId, "id");
		const found = await this.op("getMemoryById", (s) =>
			s.all(this.family.statements.memoryById, [id]),
		);
		return found[0] ? rows.toMemory(found[0], this.family) : null;
	}

	async getMemoriesByIds(memoryIds: UUID[], tableName?: string): Promise<Memory[]> {
		const ids = v.uuidArray(memoryIds, "ids");
		if (tableName !== undefined) v.assertTableName(tableName);
		if (ids.length === 0) return [];
		const found = await this.op("getMemoriesByIds", (s) =>
			s.all(this.family.statements.memoriesByIds, [JSON.stringify(ids), tableName ?? null]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async getMemoriesByRoomIds(params: {
		roomIds: UUID[];
		tableName: string;
		agentId?: UUID;
		limit?: number;
	}): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const roomIds = v.uuidArray(params.roomIds, "roomIds");
		v.assertTableName(params.tableName);
		const agentId = v.optionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.limit, "limit");
		if (roomIds.length === 0) return [];
		const found = await this.op("getMemoriesByRoomIds", (s) =>
			s.all(this.family.statements.memoriesByRoomIds, [
				params.tableName,
				JSON.stringify(roomIds),
				agentId ?? null,
				params.limit ?? null,
			]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async countMemories(roomIdIn: UUID, unique = true, tableName?: string): Promise<number> {
		const roomId = v.uuid(roomIdIn, "roomId");
		v.assertBoolean(unique, "unique");
		if (tableName !== undefined && tableName !== "") v.assertTableName(tableName);
		const found = await this.op("countMemories", (s) =>
			s.all(this.family.statements.memoryCount, [
				roomId,
				tableName || null,
				this.family.encodeBool(unique),
			]),
		);
		return rows.int(found[0]?.n ?? 0);
	}

	async removeMemory(memoryId: UUID, tableName: string): Promise<void> {
		const id = v.uuid(memoryId, "memoryId");
		v.assertTableName(tableName);
		await this.op("removeMemory", (s) =>
			s.run(this.family.statements.memoryDelete, [id, tableName]),
		);
	}

	async removeAllMemories(roomIdIn: UUID, tableName: string): Promise<void> {
		const roomId = v.uuid(roomIdIn, "roomId");
		v.assertTableName(tableName);
		await this.op("removeAllMemories", (s) =>
			s.run(this.family.statements.memoriesDeleteByRoom, [roomId, tableName]),
		);
	}

	async searchMemoriesByEmbedding(
		embedding: EmbeddingInput,
		params: SearchMemoriesByEmbeddingParams,
	): Promise<Memory[]> {
		const { settings } = this.ready();
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const query = v.checkQueryEmbedding(embedding, settings.embeddingDimension);
		v.assertTableName(params.tableName);
		const roomId = v.optionalUuid(params.roomId, "roomId");
		const agentId = v.optionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.count, "count");
		v.assertOptionalBoolean(params.unique, "unique");
		if (params.match_threshold !== undefined && params.match_threshold !== null) {
			v.assertSimilarity(params.match_threshold, "match_threshold");
		}
		const count = params.count ?? DEFAULT_SEARCH_COUNT;
		if (count === 0) return [];
		const found = await this.op("searchMemoriesByEmbedding", (s, b) =>
			b.vector.searchMemories(s, query, {
				tableName: params.tableName,
				roomId,
				agentId,
				uniqueOnly: params.unique === true,
				count,
				threshold: params.match_threshold ?? undefined,
			}),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async searchMemories(params: SearchMemoriesParams): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.roomId, "roomId");
		v.assertCount(params.match_count, "match_count");
		return this.searchMemoriesByEmbedding(params.embedding, {
			tableName: params.tableName,
			roomId: params.roomId,
			agentId: params.agentId,
			match_threshold: params.match_threshold,
			count: params.match_count,
			unique: params.unique,
		});
	}

	async getCachedEmbeddings(params: GetCachedEmbeddingsParams): Promise<CachedEmbedding[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertTableName(params.query_table_name, "query_table_name");
		v.assertCount(params.query_threshold, "query_threshold");
		v.assertString(params.query_input, "query_input", { allowEmpty: true });
		v.assertCount(params.query_match_count, "query_match_count");
		if (params.query_field_name !== "content") {
			throw new ValidationError(
				"query_field_name",
				`only "content" holds JSON, got ${v.describe(params.query_field_name)}`,
			);
		}
		if (
			typeof params.query_field_sub_name !== "string" ||
			!JSON_KEY_RE.test(params.query_field_sub_name)
		) {
			throw new ValidationError(
				"query_field_sub_name",
				`expected a key such as "text", got ${v.describe(params.query_field_sub_name)}`,
			);
		}
		if (params.query_match_count === 0) return [];
		const input = params.query_input;
		const threshold = params.query_threshold;
		const length = codePointLength(input);
		const [type, key, minLength, maxLength] = [
			params.query_table_name,
			params.query_field_sub_name,
			Math.max(0, length - threshold),
			Math.min(length + threshold, v.MAX_COUNT), // PostgreSQL binds it as a 32-bit integer
		];
		const { statements } = this.family;
		// Texts can be megabytes long, and an embedded engine runs its statements on this thread:
		// there, rows whose content is large are read one statement each; and the comparison runs in
		// slices. So the event loop keeps turning. A server reads them all in one statement.
		const split = this.ready().backend.driver.concurrentStatements ? null : LARGE_CONTENT_BYTES;
		const found = await this.op("getCachedEmbeddings", (s) =>
			s.all(statements.cachedEmbeddingCandidates, [
				type,
				key,
				minLength,
				maxLength,
				length <= 255 ? input : null, // only a prefilter limited to 255 characters reads it
				threshold,
				split,
			]),
		);
		const large =
			split === null
				? []
				: await this.op("getCachedEmbeddings", (s) =>
						s.all(statements.cachedEmbeddingLargeRows, [type, split, minLength]),
					);
		const slice = new TimeSlice();
		const scored: { text: string; row: Row; score: number }[] = [];
		const score = async (row: Row) => {
			const text = row.text as string;
			// Also the exact length test, which cachedEmbeddingCandidate may leave to this side.
			const distance = await levenshteinBoundedSliced(text, input, threshold, slice);
			if (distance <= threshold) scored.push({ text, row, score: distance });
		};
		for (const row of found) await score(row);
		for (const { id } of large) {
			if (slice.due) await slice.giveWay();
			const [row] = await this.op("getCachedEmbeddings", (s) =>
				s.all(statements.cachedEmbeddingCandidate, [id, key, minLength, maxLength]),
			);
			if (row) await score(row);
		}
		scored.sort((a, b) => a.score - b.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
		return scored.slice(0, params.query_match_count).map(({ row, score }) => ({
			embedding: toNumberArray(this.family.decodeEmbedding(row.embedding) ?? []),
			levenshtein_score: score,
		}));
	}

	async getMemoriesMissingEmbeddings(
		params: { tableName?: string; count?: number } = {},
	): Promise<Memory[]> {
		if (params.tableName !== undefined) v.assertTableName(params.tableName);
		v.assertOptionalCount(params.count, "count");
		const found = await this.op("getMemoriesMissingEmbeddings", (s) =>
			s.all(this.family.statements.memoriesMissingEmbedding, [
				params.tableName ?? null,
				params.count ?? null,
			]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async updateMemoryEmbedding(memoryId: UUID, embedding: EmbeddingInput): Promise<void> {
		const { settings } = this.ready();
		const id = v.uuid(memoryId, "id");
		const checked = v.checkStoredEmbedding(embedding, settings.embeddingDimension, "embedding");
		const value = checked.kind === "vector" ? this.family.encodeEmbedding(checked.vector) : null;
		const changed = await this.op("updateMemoryEmbedding", (s) =>
			s.run(this.family.statements.memoryEmbeddingUpdate, [id, value]),
		);
		if (changed === 0)
			throw new NotFoundError(`updateMemoryEmbedding: memory ${id} does not exist`);
	}
}
