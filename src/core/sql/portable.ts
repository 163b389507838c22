/**
 * Export and import of every record, implemented once over a family's portable statements. Export
 * reads keyset pages (a million memories never sit in memory); import validates each record with
 * the same rules as the write methods, then writes it with its own id, timestamps and flags.
 */
import {
	ConfigurationError,
	EmbeddingDimensionError,
	NotFoundError,
	UnsupportedFeatureError,
	ValidationError,
} from "../errors.js";
import {
	type ImportOptions,
	type ImportSummary,
	PORTABLE_KINDS,
	type PortableRecord,
} from "../portable-types.js";
import type { MemoryEvent, UUID } from "../types.js";
import * as v from "../validation.js";
import { toNumberArray } from "../vector.js";
import type { Row, SqlSession } from "./driver.js";
import type { PortableStatements, SqlFamily } from "./family.js";
import type { DatabaseSettings } from "./migrate.js";
import {
	type PreparedKnowledge,
	type PreparedMemory,
	prepareGoal,
	prepareKnowledge,
	prepareMemory,
} from "./prepare.js";
import { bool, int, json } from "./rows.js";

const PAGE_SIZE = 500;
const DEFAULT_BATCH_SIZE = 500;

/** What the shared adapter lends export and import. */
export interface PortableContext {
	family: SqlFamily;
	settings: DatabaseSettings;
	/** Runs `fn` on the adapter's (or transaction's) session. */
	read<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
	/** Runs `fn` in a transaction; events passed to `publish` are dispatched after commit. */
	write<T>(fn: (s: SqlSession, publish: (event: MemoryEvent) => void) => Promise<T>): Promise<T>;
	isForeignKeyError(err: unknown): boolean;
}

function statementsOf(family: SqlFamily): PortableStatements {
	if (!family.portable) {
		throw new UnsupportedFeatureError(`the ${family.name} family has no export/import statements`);
	}
	return family.portable;
}

// ---- export ----

export async function* exportRecords(ctx: PortableContext): AsyncGenerator<PortableRecord> {
	const p = statementsOf(ctx.family);
	const f = ctx.family;
	const [version] = await ctx.read((s) => s.all(p.schemaVersion));
	yield {
		kind: "database",
		schemaVersion: int(version?.v ?? 0),
		embeddingDimension: ctx.settings.embeddingDimension,
		embeddingModel: ctx.settings.embeddingModel,
	};
	const id = (r: Row) => r.id as UUID;
	const at = (r: Row) => int(r.created_at);
	for await (const r of pages(ctx, p.accountsPage)) {
		yield {
			kind: "account",
			id: id(r),
			name: r.name as string,
			username: r.username as string,
			email: (r.email as string | null) ?? null,
			avatarUrl: (r.avatar_url as string | null) ?? null,
			details: json(r.details),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.roomsPage))
		yield { kind: "room", id: id(r), createdAt: at(r) };
	for await (const r of pages(ctx, p.participantsPage)) {
		yield {
			kind: "participant",
			id: id(r),
			userId: r.user_id as UUID,
			roomId: r.room_id as UUID,
			userState: (r.user_state as "FOLLOWED" | "MUTED" | null) ?? null,
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.relationshipsPage)) {
		yield {
			kind: "relationship",
			id: id(r),
			userA: r.user_a as UUID,
			userB: r.user_b as UUID,
			userId: r.user_id as UUID,
			roomId: (r.room_id as UUID | null) ?? null,
			status: r.status as string,
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.goalsPage)) {
		yield {
			kind: "goal",
			id: id(r),
			roomId: r.room_id as UUID,
			userId: (r.user_id as UUID | null) ?? null,
			name: r.name as string,
			status: r.status as "IN_PROGRESS" | "DONE" | "FAILED",
			objectives: json(r.objectives),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.logsPage)) {
		yield {
			kind: "log",
			id: id(r),
			userId: r.user_id as UUID,
			roomId: r.room_id as UUID,
			type: r.type as string,
			body: json(r.body),
			createdAt: at(r),
		};
	}
	for await (const r of cachePages(ctx, p.cachePage)) {
		yield {
			kind: "cache",
			agentId: r.agent_id as UUID,
			key: r.key as string,
			value: r.value as string,
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.knowledgePage)) {
		yield {
			kind: "knowledge",
			id: id(r),
			agentId: r.agent_id as UUID,
			content: json(r.content),
			embedding: f.decodeEmbedding(r.embedding),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.memoriesPage)) {
		yield {
			kind: "memory",
			id: id(r),
			type: r.type as string,
			roomId: r.room_id as UUID,
			agentId: r.agent_id as UUID,
			userId: r.user_id as UUID,
			content: json(r.content),
			embedding: f.decodeEmbedding(r.embedding),
			unique: bool(r.is_unique),
			createdAt: at(r),
		};
	}
}

/** Rows of a table in id order, one keyset page at a time. */
async function* pages(ctx: PortableContext, sql: string): AsyncGenerator<Row> {
	let after: unknown = null;
	for (;;) {
		const found = await ctx.read((s) => s.all(sql, [after, PAGE_SIZE]));
		yield* found;
		if (found.length < PAGE_SIZE) return;
		after = found[found.length - 1]?.id;
	}
}

async function* cachePages(ctx: PortableContext, sql: string): AsyncGenerator<Row> {
	let after: [unknown, unknown] = [null, null];
	for (;;) {
		const found = await ctx.read((s) => s.all(sql, [...after, PAGE_SIZE]));
		yield* found;
		if (found.length < PAGE_SIZE) return;
		const last = found[found.length - 1] as Row;
		after = [last.agent_id, last.key];
	}
}

/** What `agentmem doctor` reports beyond the contract. */
export interface Diagnostics {
	schemaVersion: number;
	/** Index (and virtual table) names of the schema. */
	indexes: string[];
	/** sqlite-vec's or pgvector's version; null when no extension is loaded (SQL.js, exact scan). */
	vectorExtensionVersion: string | null;
}

export async function readDiagnostics(ctx: PortableContext): Promise<Diagnostics> {
	const p = statementsOf(ctx.family);
	const [version] = await ctx.read((s) => s.all(p.schemaVersion));
	const indexes = await ctx.read((s) => s.all(p.indexNames));
	let vectorExtensionVersion: string | null = null;
	try {
		const [row] = await ctx.read((s) => s.all(p.vectorExtensionVersion));
		vectorExtensionVersion = (row?.v as string | undefined) ?? null;
	} catch {
		// No extension on this connection (SQL.js, or SQLite in exact-scan mode): reported as null.
	}
	return {
		schemaVersion: int(version?.v ?? 0),
		indexes: indexes.map((r) => r.name as string),
		vectorExtensionVersion,
	};
}

// ---- validation ----

/** A record checked for writing. */
export type CheckedRecord =
	| { kind: "database" }
	| { kind: "plain"; record: PortableRecord; json: string | null }
	| { kind: "knowledge"; item: PreparedKnowledge }
	| { kind: "memory"; item: PreparedMemory; unique: boolean };

/**
 * Checks one record against the rules of the write methods and the target's settings (`dimension`,
 * `model`), writing nothing. Throws the same typed errors the write methods throw.
 */
export function checkPortableRecord(
	input: PortableRecord,
	dimension: number,
	model: string | null,
): CheckedRecord {
	if (input === null || typeof input !== "object")
		throw new ValidationError("record", `expected a record object, got ${v.describe(input)}`);
	const record = withLowerCaseIds(input);
	const kind = (record as { kind?: unknown }).kind;
	if (!(PORTABLE_KINDS as readonly unknown[]).includes(kind)) {
		throw new ValidationError(
			"record.kind",
			`expected one of ${PORTABLE_KINDS.join(", ")}; got ${v.describe(kind)}`,
		);
	}
	// A knowledge id may also be an ElizaOS chunk id: prepareKnowledge checks it.
	if (kind !== "database" && kind !== "cache" && kind !== "knowledge")
		v.assertUuid((record as { id?: unknown }).id, `${kind}.id`);
	if (kind !== "database")
		v.assertTimestamp((record as { createdAt?: unknown }).createdAt, `${kind}.createdAt`);
	switch (record.kind) {
		case "database":
			v.assertCount(record.schemaVersion, "database.schemaVersion");
			v.assertCount(record.embeddingDimension, "database.embeddingDimension", { min: 1 });
			v.assertOptionalString(record.embeddingModel, "database.embeddingModel");
			if (record.embeddingDimension !== dimension)
				throw new EmbeddingDimensionError(
					dimension,
					record.embeddingDimension,
					"importRecords: the exported database",
				);
			if (record.embeddingModel && model && record.embeddingModel !== model) {
				throw new ConfigurationError(
					`importRecords: the records' embeddings were made by "${record.embeddingModel}", but this database's by "${model}". ` +
						"Vectors of two models cannot be compared: import into a database of the same model, or re-embed after import.",
				);
			}
			return { kind: "database" };
		case "account":
			v.assertString(record.name, "account.name", { allowEmpty: true });
			v.assertString(record.username, "account.username", { allowEmpty: true });
			v.assertOptionalString(record.email, "account.email");
			v.assertOptionalString(record.avatarUrl, "account.avatarUrl");
			return { kind: "plain", record, json: v.jsonObjectText(record.details, "account.details") };
		case "room":
			return { kind: "plain", record, json: null };
		case "participant":
			v.assertUuid(record.userId, "participant.userId");
			v.assertUuid(record.roomId, "participant.roomId");
			v.assertUserState(record.userState, "participant.userState");
			return { kind: "plain", record, json: null };
		case "relationship":
			v.assertUuid(record.userA, "relationship.userA");
			v.assertUuid(record.userB, "relationship.userB");
			v.assertUuid(record.userId, "relationship.userId");
			v.assertOptionalUuid(record.roomId, "relationship.roomId");
			v.assertString(record.status, "relationship.status");
			return { kind: "plain", record, json: null };
		case "goal":
			return {
				kind: "plain",
				record,
				json: prepareGoal({ ...record, userId: record.userId as UUID }, true).objectivesJson,
			};
		case "log":
			v.assertUuid(record.userId, "log.userId");
			v.assertUuid(record.roomId, "log.roomId");
			v.assertString(record.type, "log.type");
			return { kind: "plain", record, json: v.jsonObjectText(record.body, "log.body") };
		case "cache":
			v.assertUuid(record.agentId, "cache.agentId");
			v.assertString(record.key, "cache.key");
			v.assertString(record.value, "cache.value", { allowEmpty: true });
			return { kind: "plain", record, json: null };
		case "knowledge":
			return {
				kind: "knowledge",
				item: prepareKnowledge(
					{
						id: record.id,
						agentId: record.agentId,
						content: record.content,
						embedding: record.embedding ?? undefined,
						createdAt: record.createdAt,
					},
					dimension,
				),
			};
		case "memory": {
			v.assertBoolean(record.unique, "memory.unique");
			const { embedding, ...rest } = record;
			const item = prepareMemory(
				{ ...rest, embedding: embedding ? toNumberArray(embedding) : undefined },
				record.type,
				undefined,
				dimension,
			);
			return { kind: "memory", item, unique: record.unique };
		}
	}
}

/** The id fields of portable records: normalised to lower case, as every write path does. */
const ID_FIELDS = ["id", "userId", "roomId", "agentId", "userA", "userB"] as const;

/** A copy of `record` with its id fields lower-cased (validated afterwards, as given otherwise). */
function withLowerCaseIds(record: PortableRecord): PortableRecord {
	const fields = record as unknown as Record<string, unknown>;
	if (
		!ID_FIELDS.some((f) => typeof fields[f] === "string" && fields[f] !== fields[f].toLowerCase())
	)
		return record;
	const copy: Record<string, unknown> = { ...fields };
	for (const f of ID_FIELDS) {
		const value = copy[f];
		if (typeof value === "string") copy[f] = value.toLowerCase();
	}
	return copy as unknown as PortableRecord;
}

// ---- import ----

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
	const flush = async (): Promise<void> => {
		const current = batch;
		batch = [];
		const first = position - current.length;
		await ctx.write(async (s, publish) => {
			for (const [i, checked] of current.entries()) {
				await writeOne(ctx, s, checked, first + i, publish);
			}
		});
		for (const checked of current) {
			if (checked.kind === "plain") summary[checked.record.kind as keyof ImportSummary]++;
			else if (checked.kind !== "database") summary[checked.kind]++;
		}
		written += current.length;
		options.onProgress?.(written);
	};
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
	return summary;
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
			const changed = await s.run(f.statements.memoryUpsert, [
				m.id,
				m.tableName,
				m.roomId,
				m.agentId,
				m.userId,
				m.contentJson,
				vector(m.vector),
				f.encodeBool(checked.unique),
				m.createdAt,
			]);
			if (changed === 0)
				throw new ValidationError(
					"memory.id",
					`${m.id} already belongs to a memory of another type than "${m.tableName}"`,
				);
			const memory = {
				id: m.id,
				userId: m.userId,
				agentId: m.agentId,
				roomId: m.roomId,
				createdAt: m.createdAt,
				content: JSON.parse(m.contentJson),
				unique: checked.unique,
				...(m.vector ? { embedding: toNumberArray(m.vector) } : {}),
			};
			publish({ tableName: m.tableName, memory });
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
				await s.run(p.roomUpsert, [r.id, r.createdAt]);
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
				await s.run(f.statements.cacheSet, [r.agentId, r.key, r.value, r.createdAt]);
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
