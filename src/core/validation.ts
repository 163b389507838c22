/**
 * Every validation rule, once. Backends call these at their boundary before any SQL runs, so bad
 * input is refused with a `ValidationError` and nothing is written.
 */

import { describe } from "./describe.js";
import { ValidationError } from "./errors.js";
import type { GoalStatus, ParticipantUserState, UUID } from "./types.js";
import { isUuid } from "./uuid.js";

/** Memory types are identifiers: a letter, then letters, digits, `_` or `-`, at most 64. */
const TABLE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The largest JSON text accepted for one record (content, details, body, value). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/**
 * The deepest nesting of objects and arrays accepted in a JSON value (the outermost counts as 1).
 * SQLite's JSON1 refuses past 1,000 and PostgreSQL's parser is bounded by its stack; 100 is far
 * below both (and below PGlite's smaller WASM stack) and far above what agents store.
 */
export const MAX_JSON_DEPTH = 100;

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

/**
 * The JSON rule, for every JSON-valued field (content, account details, goal objectives, log bodies)
 * on every backend. Returns the text `JSON.stringify(value)` would write: what is not data is dropped
 * as it drops it (functions, symbols and `undefined` as members; as array elements, and array holes,
 * they become `null`; `toJSON` is honoured, so a Date is its ISO string; class instances keep their
 * own enumerable properties). Data that JSON would silently change, or that a backend cannot store,
 * is refused with a ValidationError naming the path: NaN, ±Infinity, BigInt, cycles, Map/Set/typed
 * arrays (JSON would write `{}`), lone surrogates and U+0000 in strings or keys, nesting deeper than
 * MAX_JSON_DEPTH, and more than MAX_JSON_BYTES of text. Same input, same outcome on every backend.
 */
export function jsonText(value: unknown, field: string): string {
	return writeJson(withToJson(value, "", field), field);
}

/** `jsonText` for a field that must be a JSON object (after `toJSON`): not an array, not null. */
export function jsonObjectText(value: unknown, field: string): string {
	const resolved = withToJson(value, "", field);
	if (resolved === null || typeof resolved !== "object" || Array.isArray(resolved)) {
		throw new ValidationError(field, `expected a JSON object, got ${describe(value)}`);
	}
	return writeJson(resolved, field);
}

/** Writes a value whose own `toJSON` was already applied. */
function writeJson(resolved: unknown, field: string): string {
	let text: string | undefined;
	try {
		text = new JsonWriter().resolved(resolved, field, 1);
	} catch (err) {
		if (err instanceof ValidationError) throw err;
		// A getter that throws, a proxy, a stack overflow: JSON.stringify would throw too.
		throw new ValidationError(field, "is not serialisable as JSON", { cause: err });
	}
	if (text === undefined) {
		throw new ValidationError(field, `expected a JSON value, got ${describe(resolved)}`);
	}
	if (text.length > MAX_JSON_BYTES) {
		throw new ValidationError(
			field,
			`is ${text.length} characters of JSON; the limit is ${MAX_JSON_BYTES}`,
		);
	}
	return text;
}

/** Objects JSON.stringify writes as `{}` or a bag of indices: their data would be lost. */
function lossyContainer(value: object): string | null {
	if (value instanceof Map) return "a Map (JSON writes it as {}; use Object.fromEntries)";
	if (value instanceof Set) return "a Set (JSON writes it as {}; use an array)";
	if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
		return `${describe(value)} (JSON does not keep binary data; use an array)`;
	return null;
}

/** `value.toJSON(key)` when it has one, as JSON.stringify calls it; else the value itself. */
function withToJson(value: unknown, key: string, path: string): unknown {
	if (value === null || typeof value !== "object") return value;
	const toJSON = (value as { toJSON?: unknown }).toJSON;
	if (typeof toJSON !== "function") return value;
	try {
		return toJSON.call(value, key);
	} catch (err) {
		throw new ValidationError(path, "toJSON() threw", { cause: err });
	}
}

/** One walk over the value: checks it and writes its JSON text (undefined where JSON omits it). */
class JsonWriter {
	private readonly seen = new Set<object>();

	value(input: unknown, path: string, key: string, depth: number): string | undefined {
		return this.resolved(withToJson(input, key, path), path, depth);
	}

	resolved(value: unknown, path: string, depth: number): string | undefined {
		switch (typeof value) {
			case "string":
				assertStorableText(value, path);
				return JSON.stringify(value);
			case "boolean":
				return value ? "true" : "false";
			case "number":
				if (!Number.isFinite(value))
					throw new ValidationError(path, `${value} cannot be stored as JSON`);
				return JSON.stringify(value);
			case "bigint":
				throw new ValidationError(path, `the BigInt ${value}n cannot be stored as JSON`);
			case "undefined":
			case "function":
			case "symbol":
				return undefined; // not data: JSON.stringify drops it
			default:
				return value === null ? "null" : this.container(value as object, path, depth);
		}
	}

	private container(value: object, path: string, depth: number): string {
		if (depth > MAX_JSON_DEPTH) {
			throw new ValidationError(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
		}
		if (this.seen.has(value)) throw new ValidationError(path, "contains a cycle");
		const lossy = lossyContainer(value);
		if (lossy) throw new ValidationError(path, `is ${lossy}`);
		// Boxed primitives (new String("x")) are written as their primitive, as JSON.stringify does.
		if (value instanceof Number || value instanceof String || value instanceof Boolean) {
			return this.resolved(value.valueOf(), path, depth) ?? "null";
		}
		this.seen.add(value);
		let out: string;
		if (Array.isArray(value)) {
			const items: string[] = [];
			for (let i = 0; i < value.length; i++) {
				items.push(this.value(value[i], `${path}[${i}]`, String(i), depth + 1) ?? "null");
			}
			out = `[${items.join(",")}]`;
		} else {
			const parts: string[] = [];
			for (const k of Object.keys(value)) {
				const childPath = `${path}.${k}`;
				const text = this.value((value as Record<string, unknown>)[k], childPath, k, depth + 1);
				if (text === undefined) continue;
				assertStorableText(k, `${path} key ${JSON.stringify(k)}`);
				parts.push(`${JSON.stringify(k)}:${text}`);
			}
			out = `{${parts.join(",")}}`;
		}
		this.seen.delete(value);
		return out;
	}
}

/** Text every backend stores unchanged: well-formed UTF-16 (no lone surrogate), no U+0000. */
function assertStorableText(value: string, field: string): void {
	assertNoNul(value, field);
	assertNoLoneSurrogate(value, field);
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertNoLoneSurrogate(value: string, field: string): void {
	const match = LONE_SURROGATE_RE.exec(value);
	if (match) {
		const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
		throw new ValidationError(
			field,
			`contains a lone surrogate (U+${code} at index ${match.index}), which is not Unicode text: PostgreSQL cannot store it and SQLite would keep it corrupted; no backend accepts it`,
		);
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

export { describe } from "./describe.js";
// Embeddings (embedding-check.ts) and `describe` (describe.ts), checked here as everything else.
export {
	type CheckedEmbedding,
	checkQueryEmbedding,
	checkStoredEmbedding,
} from "./embedding-check.js";
