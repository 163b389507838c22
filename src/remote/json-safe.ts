/**
 * What JSON would silently change on the way to the service must be refused before it leaves:
 * `JSON.stringify` writes NaN and ±Infinity as `null` and a Map, a Set or a typed array as `{}`,
 * and throws on a BigInt or a cycle. In process, the adapter refuses such data with a
 * `ValidationError` naming its path (the JSON rule in src/core/adapter.ts); the service would only
 * see the `null` or `{}`. So the client walks each request first and throws the same class, naming
 * the path from the argument's name (`memory.content.n`). Everything else (strings with lone
 * surrogates or U+0000, nesting depth, sizes) survives JSON intact, and the service's adapter
 * judges it exactly as in process.
 */
import { describe } from "../core/describe.js";
import { ValidationError } from "../core/errors.js";

/** Throws a `ValidationError` at the first value JSON cannot carry faithfully. */
export function assertJsonFaithful(value: unknown, path: string): void {
	walk(value, path, "", new Set());
}

function walk(input: unknown, path: string, key: string, ancestors: Set<object>): void {
	const value = withToJson(input, key, path);
	switch (typeof value) {
		case "number":
			if (!Number.isFinite(value))
				throw new ValidationError(path, `${value} cannot be sent as JSON`);
			return;
		case "bigint":
			throw new ValidationError(path, `the BigInt ${value}n cannot be sent as JSON`);
		case "object":
			break;
		default:
			return; // strings, booleans; functions, symbols and undefined are dropped as JSON does
	}
	if (value === null) return;
	if (ancestors.has(value)) throw new ValidationError(path, "contains a cycle");
	if (value instanceof Map || value instanceof Set || value instanceof ArrayBuffer)
		throw new ValidationError(path, `is ${describe(value)}, which JSON writes as {}`);
	if (ArrayBuffer.isView(value))
		throw new ValidationError(path, `is ${describe(value)}; JSON does not keep binary data`);
	if (value instanceof Number || value instanceof String || value instanceof Boolean) {
		walk(value.valueOf(), path, key, ancestors);
		return;
	}
	ancestors.add(value);
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, String(i), ancestors);
	} else {
		for (const k of Object.keys(value))
			walk((value as Record<string, unknown>)[k], `${path}.${k}`, k, ancestors);
	}
	ancestors.delete(value);
}

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
