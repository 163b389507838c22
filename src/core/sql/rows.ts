/**
 * Result rows to contract types. Both SQL families return the same snake_case columns; only value
 * encodings differ (JSON as text or parsed, booleans as 0/1 or true/false, counts as numbers or
 * strings), and these mappers accept either.
 */
import { DatabaseError } from "../errors.js";
import type {
	Account,
	Actor,
	Goal,
	KnowledgeItem,
	Memory,
	Participant,
	Relationship,
	UUID,
} from "../types.js";
import { toNumberArray } from "../vector.js";
import type { Row } from "./driver.js";
import type { SqlFamily } from "./family.js";
import { fillArrayHoles } from "./legacy-json.js";

/** A JSON column: text (SQLite) or already parsed (PostgreSQL jsonb). */
export function json<T>(value: unknown): T {
	if (typeof value !== "string") return value as T;
	try {
		return JSON.parse(value) as T;
	} catch (err) {
		return parseLegacy(value, err) as T;
	}
}

/** Text an older version wrote with array holes (`[1,,3]`), read as `[1,null,3]`; else a typed error. */
function parseLegacy(text: string, err: unknown): unknown {
	try {
		return JSON.parse(fillArrayHoles(text));
	} catch {
		throw new DatabaseError(
			`a stored JSON value is not valid JSON (${err instanceof Error ? err.message : String(err)}); the record must be rewritten`,
			{ cause: err },
		);
	}
}

/** An integer column: number, bigint or numeric string. */
export function int(value: unknown): number {
	return typeof value === "number" ? value : Number(value);
}

/** A boolean column: 0/1 or true/false. */
export function bool(value: unknown): boolean {
	return value === true || value === 1 || value === 1n || value === "1" || value === "t";
}

function optional<T>(value: T | null | undefined): T | undefined {
	return value === null ? undefined : value;
}

export function toAccount(row: Row): Account {
	const account: Account = {
		id: row.id as UUID,
		name: row.name as string,
		username: row.username as string,
		details: json(row.details),
	};
	const email = optional(row.email as string | null);
	const avatarUrl = optional(row.avatar_url as string | null);
	if (email !== undefined) account.email = email;
	if (avatarUrl !== undefined) account.avatarUrl = avatarUrl;
	return account;
}

export function toParticipant(row: Row): Participant {
	return { id: row.participant_id as UUID, account: toAccount(row) };
}

export function toActor(row: Row): Actor {
	return {
		id: row.id as UUID,
		name: row.name as string,
		username: row.username as string,
		details: json(row.details),
	};
}

/** A row's embedding: already decoded when the row was ranked in JavaScript (exact-scan.ts). */
function embeddingOf(row: Row, family: SqlFamily): Float32Array | null {
	return row.embedding instanceof Float32Array
		? row.embedding
		: family.decodeEmbedding(row.embedding);
}

export function toMemory(row: Row, family: SqlFamily): Memory {
	const memory: Memory = {
		id: row.id as UUID,
		userId: row.user_id as UUID,
		agentId: row.agent_id as UUID,
		roomId: row.room_id as UUID,
		createdAt: int(row.created_at),
		content: json(row.content),
		unique: bool(row.is_unique),
	};
	const embedding = embeddingOf(row, family);
	if (embedding) memory.embedding = toNumberArray(embedding);
	if (row.similarity !== undefined && row.similarity !== null) {
		memory.similarity = Number(row.similarity);
	}
	return memory;
}

export function toGoal(row: Row): Goal {
	return {
		id: row.id as UUID,
		roomId: row.room_id as UUID,
		userId: row.user_id as UUID,
		name: row.name as string,
		status: row.status as Goal["status"],
		objectives: json(row.objectives),
	};
}

export function toRelationship(row: Row): Relationship {
	return {
		id: row.id as UUID,
		userA: row.user_a as UUID,
		userB: row.user_b as UUID,
		userId: row.user_id as UUID,
		roomId: (row.room_id as UUID | null) ?? null,
		status: row.status as string,
		createdAt: int(row.created_at),
	};
}

export function toKnowledge(row: Row, family: SqlFamily): KnowledgeItem {
	const item: KnowledgeItem = {
		id: row.id as UUID,
		agentId: row.agent_id as UUID,
		content: json(row.content),
		createdAt: int(row.created_at),
	};
	const embedding = embeddingOf(row, family);
	if (embedding) item.embedding = embedding;
	if (row.similarity !== undefined && row.similarity !== null) {
		item.similarity = Number(row.similarity);
		item.score = item.similarity;
	}
	return item;
}
