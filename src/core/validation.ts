/**
 * Every validation rule, once. Backends call these at their boundary before any SQL runs, so bad
 * input is refused with a `ValidationError` and nothing is written.
 */
import { EmbeddingDimensionError, ValidationError } from "./errors.js";
import type { GoalStatus, ParticipantUserState, UUID } from "./types.js";
import { isZeroVector } from "./vector.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Memory types are identifiers: a letter, then letters, digits, `_` or `-`, at most 64. */
const TABLE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The largest JSON text accepted for one record (content, details, body, value). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

export function assertUuid(value: unknown, field: string): asserts value is UUID {
	if (typeof value !== "string" || !UUID_RE.test(value)) {
		throw new ValidationError(field, `expected a UUID, got ${describe(value)}`);
	}
}

export function assertOptionalUuid(
	value: unknown,
	field: string,
): asserts value is UUID | undefined {
	if (value !== undefined && value !== null) assertUuid(value, field);
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
	assertNoNul(value, field);
}

export function assertOptionalString(
	value: unknown,
	field: string,
): asserts value is string | undefined {
	if (value !== undefined && value !== null) assertString(value, field, { allowEmpty: true });
}

/** A non-negative integer (counts, limits, thresholds in edits). */
export function assertCount(
	value: unknown,
	field: string,
	opts: { min?: number; max?: number } = {},
): asserts value is number {
	const min = opts.min ?? 0;
	if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
		throw new ValidationError(field, `expected an integer >= ${min}, got ${describe(value)}`);
	}
	if (opts.max !== undefined && value > opts.max) {
		throw new ValidationError(field, `expected an integer <= ${opts.max}, got ${value}`);
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

/**
 * A plain JSON object (not an array, not null) that survives a JSON round trip unchanged and holds
 * no U+0000 (PostgreSQL cannot store it, so no backend accepts it). Returns its JSON text.
 */
export function jsonObjectText(value: unknown, field: string): string {
	if (value === null || typeof value !== "object" || Array.isArray(value)) {
		throw new ValidationError(field, `expected a JSON object, got ${describe(value)}`);
	}
	return jsonText(value, field);
}

/** Any JSON value, checked as `jsonObjectText` checks objects. Returns its JSON text. */
export function jsonText(value: unknown, field: string): string {
	let text: string;
	try {
		text = checkJson(value, field, new Set());
	} catch (err) {
		if (err instanceof ValidationError) throw err;
		throw new ValidationError(field, "is not serialisable as JSON", { cause: err });
	}
	if (text.length > MAX_JSON_BYTES) {
		throw new ValidationError(
			field,
			`is ${text.length} characters of JSON; the limit is ${MAX_JSON_BYTES}`,
		);
	}
	return text;
}

/** Walks the value once: rejects what JSON would silently change (undefined in arrays, NaN, functions, cycles). */
function checkJson(value: unknown, path: string, seen: Set<object>): string {
	switch (typeof value) {
		case "string":
			assertNoNul(value, path);
			return JSON.stringify(value);
		case "boolean":
			return JSON.stringify(value);
		case "number":
			if (!Number.isFinite(value))
				throw new ValidationError(path, `${value} cannot be stored as JSON`);
			return JSON.stringify(value);
		case "object": {
			if (value === null) return "null";
			if (seen.has(value)) throw new ValidationError(path, "contains a cycle");
			seen.add(value);
			let out: string;
			if (Array.isArray(value)) {
				out = `[${value.map((v, i) => checkJson(v, `${path}[${i}]`, seen)).join(",")}]`;
			} else {
				const proto = Object.getPrototypeOf(value);
				if (proto !== Object.prototype && proto !== null) {
					throw new ValidationError(path, `expected plain JSON, got ${describe(value)}`);
				}
				const parts: string[] = [];
				for (const [k, v] of Object.entries(value)) {
					if (v === undefined) continue; // JSON drops undefined properties; so do we
					assertNoNul(k, `${path} key`);
					parts.push(`${JSON.stringify(k)}:${checkJson(v, `${path}.${k}`, seen)}`);
				}
				out = `{${parts.join(",")}}`;
			}
			seen.delete(value);
			return out;
		}
		default:
			throw new ValidationError(path, `${describe(value)} cannot be stored as JSON`);
	}
}

function assertNoNul(value: string, field: string): void {
	if (value.includes("\u0000")) {
		throw new ValidationError(
			field,
			"contains U+0000 (NUL), which PostgreSQL cannot store; no backend accepts it",
		);
	}
}

/** The outcome of checking an embedding for storage. */
export type CheckedEmbedding = { kind: "vector"; vector: Float32Array } | { kind: "missing" };

/**
 * Checks a vector for storage: right length, finite. An all-zero vector (what failing embedders
 * write) has no direction and is stored as missing; so is an absent or empty one.
 */
export function checkStoredEmbedding(
	value: unknown,
	dimension: number,
	field: string,
): CheckedEmbedding {
	if (value === undefined || value === null) return { kind: "missing" };
	if ((Array.isArray(value) || value instanceof Float32Array) && value.length === 0)
		return { kind: "missing" };
	const vector = toFiniteFloat32(value, dimension, field);
	return isZeroVector(vector) ? { kind: "missing" } : { kind: "vector", vector };
}

/** Checks a query vector: right length, finite, not all zeros (a zero vector has no direction). */
export function checkQueryEmbedding(
	value: unknown,
	dimension: number,
	field = "embedding",
): Float32Array {
	const vector = toFiniteFloat32(value, dimension, field);
	if (isZeroVector(vector)) {
		throw new ValidationError(
			field,
			"is all zeros: it has no direction, so no similarity can be computed",
		);
	}
	return vector;
}

function toFiniteFloat32(value: unknown, dimension: number, field: string): Float32Array {
	if (!Array.isArray(value) && !(value instanceof Float32Array)) {
		throw new ValidationError(field, `expected number[] or Float32Array, got ${describe(value)}`);
	}
	if (value.length !== dimension) throw new EmbeddingDimensionError(dimension, value.length, field);
	const out = new Float32Array(dimension);
	for (let i = 0; i < dimension; i++) {
		const x = value[i];
		if (typeof x !== "number" || !Number.isFinite(x)) {
			throw new ValidationError(
				field,
				`component ${i} is ${describe(x)}; every component must be a finite number`,
			);
		}
		out[i] = x;
		if (!Number.isFinite(out[i])) {
			throw new ValidationError(field, `component ${i} (${x}) overflows a 32-bit float`);
		}
	}
	return out;
}

/** A short, safe description of a value for error messages (never the whole value). */
export function describe(value: unknown): string {
	if (value === null) return "null";
	if (value === undefined) return "undefined";
	if (typeof value === "string") {
		const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
		return JSON.stringify(shown);
	}
	if (typeof value === "number") return String(value);
	if (Array.isArray(value)) return `an array of ${value.length}`;
	if (value instanceof Float32Array) return `a Float32Array of ${value.length}`;
	if (typeof value === "object") return `a ${value.constructor?.name ?? "null-prototype"} object`;
	return typeof value;
}
