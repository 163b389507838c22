/**
 * Every validation rule, once. Backends call these at their boundary before any SQL runs, so bad
 * input is refused with a `ValidationError` and nothing is written.
 */

import { describe } from "./describe.js";
import { ValidationError } from "./errors.js";
import { assertStorableText } from "./text-check.js";
import type { GoalStatus, ParticipantUserState, UUID } from "./types.js";
import { isUuid } from "./uuid.js";

/** Memory types are identifiers: a letter, then letters, digits, `_` or `-`, at most 64. */
const TABLE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function assertUuid(value: unknown, field: string): asserts value is UUID {
	if (!isUuid(value)) {
		throw new ValidationError(field, `expected a UUID, got ${describe(value)}`);
	}
}

export function assertOptionalUuid(
	value: unknown,
	field: string,
): asserts value is UUID | undefined {
	if (value !== undefined && value !== null) assertUuid(value, field);
}

/**
 * A UUID, normalised to lower case: ids are lower case on every backend (PostgreSQL's uuid type
 * prints them so), so an upper-case id finds, and never duplicates, its lower-case twin.
 */
export function uuid(value: unknown, field: string): UUID {
	assertUuid(value, field);
	return value.toLowerCase() as UUID;
}

/** `uuid`, or undefined when the value is absent (undefined or null). */
export function optionalUuid(value: unknown, field: string): UUID | undefined {
	return value === undefined || value === null ? undefined : uuid(value, field);
}

/** An array of UUIDs, each normalised to lower case. */
export function uuidArray(value: unknown, field: string): UUID[] {
	assertUuidArray(value, field);
	return value.map((id) => id.toLowerCase() as UUID);
}

export function assertUuidArray(value: unknown, field: string): asserts value is UUID[] {
	if (!Array.isArray(value))
		throw new ValidationError(field, `expected an array of UUIDs, got ${describe(value)}`);
	value.forEach((v, i) => {
		assertUuid(v, `${field}[${i}]`);
	});
}

/** A memory type such as `messages`. Never SQL, never empty. */
export function assertTableName(value: unknown, field = "tableName"): asserts value is string {
	if (typeof value !== "string" || !TABLE_NAME_RE.test(value)) {
		throw new ValidationError(
			field,
			`expected a memory type such as "messages" (a letter, then letters, digits, "_" or "-", at most 64), got ${describe(value)}`,
		);
	}
}

export function assertString(
	value: unknown,
	field: string,
	opts: { allowEmpty?: boolean } = {},
): asserts value is string {
	if (typeof value !== "string")
		throw new ValidationError(field, `expected a string, got ${describe(value)}`);
	if (!opts.allowEmpty && value.length === 0) throw new ValidationError(field, "must not be empty");
	assertStorableText(value, field);
}

export function assertOptionalString(
	value: unknown,
	field: string,
): asserts value is string | undefined {
	if (value !== undefined && value !== null) assertString(value, field, { allowEmpty: true });
}

/**
 * The largest count or limit accepted: PostgreSQL binds them as 32-bit integers, so a larger one
 * would fail there (22003) and succeed elsewhere; every backend refuses it instead.
 */
export const MAX_COUNT = 2 ** 31 - 1;

/** A non-negative integer up to MAX_COUNT (counts, limits, thresholds in edits). */
export function assertCount(
	value: unknown,
	field: string,
	opts: { min?: number; max?: number } = {},
): asserts value is number {
	const min = opts.min ?? 0;
	const max = opts.max ?? MAX_COUNT;
	if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
		throw new ValidationError(field, `expected an integer >= ${min}, got ${describe(value)}`);
	}
	if (value > max) {
		throw new ValidationError(field, `expected an integer <= ${max}, got ${value}`);
	}
}

export function assertOptionalCount(
	value: unknown,
	field: string,
	opts: { min?: number; max?: number } = {},
): asserts value is number | undefined {
	if (value !== undefined && value !== null) assertCount(value, field, opts);
}

/** A timestamp in ms since the epoch. */
export function assertTimestamp(value: unknown, field: string): asserts value is number {
	if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
		throw new ValidationError(
			field,
			`expected milliseconds since the epoch (a non-negative integer), got ${describe(value)}`,
		);
	}
}

export function assertOptionalTimestamp(
	value: unknown,
	field: string,
): asserts value is number | undefined {
	if (value !== undefined && value !== null) assertTimestamp(value, field);
}

/** A cosine similarity threshold. */
export function assertSimilarity(value: unknown, field: string): asserts value is number {
	if (typeof value !== "number" || !Number.isFinite(value) || value < -1 || value > 1) {
		throw new ValidationError(
			field,
			`expected a cosine similarity in [-1, 1], got ${describe(value)}`,
		);
	}
}

export function assertBoolean(value: unknown, field: string): asserts value is boolean {
	if (typeof value !== "boolean")
		throw new ValidationError(field, `expected a boolean, got ${describe(value)}`);
}

export function assertOptionalBoolean(
	value: unknown,
	field: string,
): asserts value is boolean | undefined {
	if (value !== undefined && value !== null) assertBoolean(value, field);
}

const GOAL_STATUSES: readonly GoalStatus[] = ["IN_PROGRESS", "DONE", "FAILED"];
export function assertGoalStatus(value: unknown, field: string): asserts value is GoalStatus {
	if (!GOAL_STATUSES.includes(value as GoalStatus)) {
		throw new ValidationError(
			field,
			`expected one of ${GOAL_STATUSES.join(", ")}, got ${describe(value)}`,
		);
	}
}

export function assertUserState(
	value: unknown,
	field: string,
): asserts value is ParticipantUserState {
	if (value !== null && value !== "FOLLOWED" && value !== "MUTED") {
		throw new ValidationError(
			field,
			`expected "FOLLOWED", "MUTED" or null, got ${describe(value)}`,
		);
	}
}

export { describe } from "./describe.js";
// Embeddings (embedding-check.ts) and `describe` (describe.ts), checked here as everything else.
export {
	type CheckedEmbedding,
	checkQueryEmbedding,
	checkStoredEmbedding,
} from "./embedding-check.js";
// The JSON rule (json-check.ts), checked here as everything else.
export { jsonObjectText, jsonText, MAX_JSON_BYTES, MAX_JSON_DEPTH } from "./json-check.js";
