/**
 * Input checking for the write paths of the SQL adapter: each function validates one record and
 * returns the bound parameters of its statement, or throws before any SQL runs.
 */
import { ValidationError } from "../errors.js";
import { knowledgeId } from "../knowledge-id.js";
import type { Goal, KnowledgeItem, Memory, UUID } from "../types.js";
import {
	assertBoolean,
	assertGoalStatus,
	assertOptionalCount,
	assertOptionalTimestamp,
	assertOptionalUuid,
	assertString,
	assertTableName,
	checkStoredEmbedding,
	jsonObjectText,
	jsonText,
	optionalUuid,
	uuid,
} from "../validation.js";

export function newId(): UUID {
	return globalThis.crypto.randomUUID() as UUID;
}

export interface PreparedMemory {
	id: UUID;
	tableName: string;
	roomId: UUID;
	agentId: UUID;
	userId: UUID;
	contentJson: string;
	vector: Float32Array | null;
	createdAt: number;
	checkUnique: boolean;
}

export function prepareMemory(
	memory: Memory,
	tableName: string,
	unique: unknown,
	dimension: number,
	field = "memory",
): PreparedMemory {
	if (memory === null || typeof memory !== "object") {
		throw new ValidationError(field, "expected a memory object");
	}
	assertTableName(tableName);
	if (unique !== undefined) assertBoolean(unique, "unique");
	const id = optionalUuid(memory.id, `${field}.id`);
	const roomId = uuid(memory.roomId, `${field}.roomId`);
	const agentId = uuid(memory.agentId, `${field}.agentId`);
	const userId = uuid(memory.userId, `${field}.userId`);
	assertOptionalTimestamp(memory.createdAt, `${field}.createdAt`);
	const contentJson = jsonObjectText(memory.content, `${field}.content`);
	if (memory.content.text !== undefined) {
		assertString(memory.content.text, `${field}.content.text`, { allowEmpty: true });
	}
	const embedding = checkStoredEmbedding(memory.embedding, dimension, `${field}.embedding`);
	const vector = embedding.kind === "vector" ? embedding.vector : null;
	return {
		id: id ?? newId(),
		tableName,
		roomId,
		agentId,
		userId,
		contentJson,
		vector,
		createdAt: memory.createdAt ?? Date.now(),
		checkUnique: unique === true && vector !== null,
	};
}

export function prepareGoal(goal: Goal, requireId: boolean) {
	if (goal === null || typeof goal !== "object")
		throw new ValidationError("goal", "expected a goal object");
	const id = requireId ? uuid(goal.id, "goal.id") : optionalUuid(goal.id, "goal.id");
	const roomId = uuid(goal.roomId, "goal.roomId");
	const userId = optionalUuid(goal.userId, "goal.userId");
	assertString(goal.name, "goal.name", { allowEmpty: true });
	assertGoalStatus(goal.status, "goal.status");
	if (!Array.isArray(goal.objectives)) {
		throw new ValidationError("goal.objectives", "expected an array of objectives");
	}
	goal.objectives.forEach((o, i) => {
		if (o === null || typeof o !== "object") {
			throw new ValidationError(`goal.objectives[${i}]`, "expected an objective object");
		}
		assertString(o.description, `goal.objectives[${i}].description`, { allowEmpty: true });
		assertBoolean(o.completed, `goal.objectives[${i}].completed`);
	});
	return {
		id: id ?? newId(),
		roomId,
		userId,
		objectivesJson: jsonText(goal.objectives, "goal.objectives"),
	};
}

export interface PreparedKnowledge {
	id: UUID;
	agentId: UUID;
	contentJson: string;
	vector: Float32Array | null;
	isMain: boolean;
	originalId: UUID | null;
	chunkIndex: number | null;
	isShared: boolean;
	createdAt: number;
}

export function prepareKnowledge(item: KnowledgeItem, dimension: number): PreparedKnowledge {
	if (item === null || typeof item !== "object") {
		throw new ValidationError("item", "expected a knowledge item");
	}
	const id = knowledgeId(item.id, "item.id");
	const agentId = uuid(item.agentId, "item.agentId");
	assertOptionalTimestamp(item.createdAt, "item.createdAt");
	const contentJson = jsonObjectText(item.content, "item.content");
	assertString(item.content.text, "item.content.text", { allowEmpty: true });
	const metadata = item.content.metadata ?? {};
	if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
		throw new ValidationError("item.content.metadata", "expected an object");
	}
	assertOptionalUuid(metadata.originalId, "item.content.metadata.originalId");
	assertOptionalCount(metadata.chunkIndex, "item.content.metadata.chunkIndex");
	const embedding = checkStoredEmbedding(item.embedding, dimension, "item.embedding");
	return {
		id,
		agentId,
		contentJson,
		vector: embedding.kind === "vector" ? embedding.vector : null,
		isMain: metadata.isMain === true,
		originalId: (metadata.originalId?.toLowerCase() as UUID | undefined) ?? null,
		chunkIndex: metadata.chunkIndex ?? null,
		isShared: metadata.isShared === true,
		createdAt: item.createdAt ?? Date.now(),
	};
}
