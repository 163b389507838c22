/**
 * The wire form of vectors, defined once for both directions (server and remote client).
 *
 * - Requests accept either a JSON array of numbers or a string: base64 of the vector's bytes as
 *   little-endian Float32, exactly as `agentmem export` writes embeddings (src/portable/jsonl.ts).
 * - Responses always carry vectors as that base64 string (compact, and exact: it is what the
 *   database stores). `fromWire` turns them back into the contract's types: `number[]` for
 *   `Memory.embedding` and `CachedEmbedding.embedding`, `Float32Array` for `KnowledgeItem.embedding`.
 *
 * Where vectors sit in a payload is read from the route's JSON Schemas: a schema node that is one
 * of the `VECTOR_*` objects below (by identity) is a vector. `toWire`/`fromWire` walk a value along
 * its schema and convert only those nodes, so no route lists its vector paths by hand.
 */
import { ValidationError } from "../core/errors.js";

/** JSON Schema of an object (loosely typed: these are plain JSON Schema documents). */
export type Schema = { readonly [keyword: string]: unknown };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const base64String = {
	type: "string",
	contentEncoding: "base64",
	pattern: "^[A-Za-z0-9+/]*={0,2}$",
} as const;
const numberArray = { type: "array", items: { type: "number" } } as const;
const IN_DOC =
	"A vector: a JSON array of numbers, or base64 of its little-endian Float32 bytes (the export format).";
const OUT_DOC = "A vector: base64 of its little-endian Float32 bytes (the export format).";

// The string branch comes first: a query-string coercing validator must never turn it into an array.
/** A request vector the contract takes as `number[]` (`Memory.embedding`). */
export const VECTOR_IN_ARRAY: Schema = { anyOf: [base64String, numberArray], description: IN_DOC };
/** A request vector the contract takes as `Float32Array` (`KnowledgeItem.embedding`). */
export const VECTOR_IN_F32: Schema = { anyOf: [base64String, numberArray], description: IN_DOC };
/** A request vector the contract takes as `EmbeddingInput` (either form: base64 decodes to Float32Array). */
export const VECTOR_IN: Schema = { anyOf: [base64String, numberArray], description: IN_DOC };
/** A response vector the contract returns as `number[]`. */
export const VECTOR_OUT_ARRAY: Schema = { ...base64String, description: OUT_DOC };
/** A response vector the contract returns as `Float32Array`. */
export const VECTOR_OUT_F32: Schema = { ...base64String, description: OUT_DOC };

/** Base64 of the vector as little-endian Float32 (every platform Node runs on is little-endian). */
export function encodeVector(vector: ArrayLike<number>): string {
	const f32 = vector instanceof Float32Array ? vector : Float32Array.from(vector);
	return toBase64(new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength));
}

/** Node's Buffer when there is one (fast); else the browser's btoa/atob (the remote adapter in a page). */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

function toBase64(bytes: Uint8Array): string {
	if (NodeBuffer)
		return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
	let binary = "";
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
	if (NodeBuffer) return NodeBuffer.from(text, "base64");
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** Decodes base64 Float32 text; a malformed string is a `ValidationError` naming `field`. */
export function decodeVector(text: string, field: string): Float32Array {
	if (!BASE64.test(text) || text.length % 4 !== 0)
		throw new ValidationError(field, "expected a number array or base64 of Float32 values");
	const bytes = fromBase64(text);
	if (bytes.byteLength % 4 !== 0)
		throw new ValidationError(
			field,
			`${bytes.byteLength} bytes of base64 is not a whole number of Float32 values`,
		);
	const copy = new Uint8Array(bytes.byteLength);
	copy.set(bytes);
	return new Float32Array(copy.buffer);
}

type Direction = "toWire" | "fromWire";

/** Converts the vectors of `value` (shaped by `schema`) to their wire form: base64 strings. */
export function toWire(schema: Schema | null | undefined, value: unknown): unknown {
	return walk(schema, value, "toWire", "value");
}

/** Converts the vectors of a wire value (shaped by `schema`) to the contract's types. */
export function fromWire(
	schema: Schema | null | undefined,
	value: unknown,
	field = "value",
): unknown {
	return walk(schema, value, "fromWire", field);
}

function walk(
	schema: Schema | null | undefined,
	value: unknown,
	dir: Direction,
	at: string,
): unknown {
	if (!schema || value === null || value === undefined) return value;
	const vector = convertVector(schema, value, dir, at);
	if (vector !== NOT_A_VECTOR) return vector;
	if (Array.isArray(value)) {
		const items = schema.items as Schema | undefined;
		return items ? value.map((v, i) => walk(items, v, dir, `${at}[${i}]`)) : value;
	}
	if (typeof value === "object" && !(value instanceof Float32Array)) {
		const branch = objectBranch(schema);
		const props = branch?.properties as Record<string, Schema> | undefined;
		if (!props || !hasVector(branch as Schema)) return value;
		const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
		for (const [key, sub] of Object.entries(props))
			if (key in out) out[key] = walk(sub, out[key], dir, `${at}.${key}`);
		return out;
	}
	return value;
}

const NOT_A_VECTOR = Symbol("not a vector");

function convertVector(schema: Schema, value: unknown, dir: Direction, at: string): unknown {
	const inArray = schema === VECTOR_IN_ARRAY;
	const inF32 = schema === VECTOR_IN_F32;
	const inAny = schema === VECTOR_IN;
	const outArray = schema === VECTOR_OUT_ARRAY;
	const outF32 = schema === VECTOR_OUT_F32;
	if (!(inArray || inF32 || inAny || outArray || outF32)) return NOT_A_VECTOR;
	if (dir === "toWire") {
		if (typeof value === "string") return value;
		if (value instanceof Float32Array || Array.isArray(value)) {
			// A number[] request vector travels as numbers: the adapter then checks it as given
			// (range, NaN via null) exactly as it would in process.
			if (Array.isArray(value) && !(outArray || outF32)) return value;
			return encodeVector(value as ArrayLike<number>);
		}
		return value; // not a vector: the server refuses it with the adapter's own message
	}
	if (typeof value !== "string") {
		if (inF32 && Array.isArray(value) && value.every((x) => typeof x === "number"))
			return Float32Array.from(value);
		return value;
	}
	const f32 = decodeVector(value, at);
	return inArray || outArray ? Array.from(f32) : f32;
}

/** The object branch of a schema that may be `anyOf: [object, null]`. */
function objectBranch(schema: Schema): Schema | undefined {
	if (schema.properties) return schema;
	const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
	return anyOf?.find((s) => s.properties !== undefined);
}

const vectorCache = new WeakMap<Schema, boolean>();

/** Whether a vector schema occurs anywhere under `schema` (cached: schemas are static). */
export function hasVector(schema: Schema): boolean {
	const known = vectorCache.get(schema);
	if (known !== undefined) return known;
	const isVector = [VECTOR_IN_ARRAY, VECTOR_IN_F32, VECTOR_IN, VECTOR_OUT_ARRAY, VECTOR_OUT_F32];
	let found = isVector.includes(schema);
	if (!found) {
		const children: Schema[] = [];
		if (schema.items) children.push(schema.items as Schema);
		if (schema.properties)
			children.push(...Object.values(schema.properties as Record<string, Schema>));
		for (const k of ["anyOf", "oneOf"]) if (schema[k]) children.push(...(schema[k] as Schema[]));
		found = children.some(hasVector);
	}
	vectorCache.set(schema, found);
	return found;
}
