/** The JSON rule (adapter.ts states it for users): one walk checks a value and writes its text. */
import { describe } from "./describe.js";
import { ValidationError } from "./errors.js";
import { assertStorableText } from "./text-check.js";

/** The largest JSON text accepted for one record (content, details, body, value). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/**
 * The deepest nesting of objects and arrays accepted in a JSON value (the outermost counts as 1).
 * SQLite's JSON1 refuses past 1,000 and PostgreSQL's parser is bounded by its stack; 100 is far
 * below both (and below PGlite's smaller WASM stack) and far above what agents store.
 */
export const MAX_JSON_DEPTH = 100;

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
