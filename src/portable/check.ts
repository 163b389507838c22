/**
 * The check of one portable record against the rules of the write methods and the target's settings,
 * writing nothing: what import runs before each write and `agentmem import --check` runs alone.
 */
import { ConfigurationError, EmbeddingDimensionError, ValidationError } from "../core/errors.js";
import { PORTABLE_KINDS, type PortableRecord } from "../core/portable-types.js";
import {
	type PreparedKnowledge,
	type PreparedMemory,
	prepareGoal,
	prepareKnowledge,
	prepareMemory,
} from "../core/sql/prepare.js";
import { assertRoomName } from "../core/sql/rooms.js";
import type { UUID } from "../core/types.js";
import * as v from "../core/validation.js";
import { toNumberArray } from "../core/vector.js";

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
			if (record.name !== undefined && record.name !== null)
				assertRoomName(record.name, "room.name");
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
			v.assertOptionalTimestamp(record.expiresAt, "cache.expiresAt");
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
export function withLowerCaseIds(record: PortableRecord): PortableRecord {
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
