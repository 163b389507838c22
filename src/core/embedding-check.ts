/**
 * Embeddings checked as every engine holds them (float32, finite, with a direction where a search
 * needs one), for storage and for queries; the typed errors the contract promises.
 */
import { describe } from "./describe.js";
import { EmbeddingDimensionError, ValidationError } from "./errors.js";
import {
	FLOAT16_MAX,
	FLOAT16_ROUNDS_TO_ZERO,
	FLOAT32_MAX,
	FLOAT32_MIN_NORMAL,
	isHalfPrecisionIndexed,
	isZeroVector,
	squaredNorm,
	toFiniteFloat32,
} from "./vector.js";

/** The outcome of checking an embedding for storage. */
export type CheckedEmbedding = { kind: "vector"; vector: Float32Array } | { kind: "missing" };

/**
 * Checks a vector for storage: right length, finite and in range as the engines hold it (see
 * `toEngineVector`). A vector without direction (all zeros, what failing embedders write, or
 * too short to keep one) is stored as missing; so is an absent or empty one.
 */
export function checkStoredEmbedding(
	value: unknown,
	dimension: number,
	field: string,
): CheckedEmbedding {
	if (value === undefined || value === null) return { kind: "missing" };
	if ((Array.isArray(value) || value instanceof Float32Array) && value.length === 0)
		return { kind: "missing" };
	const { vector, noDirection } = toEngineVector(value, dimension, field);
	return noDirection ? { kind: "missing" } : { kind: "vector", vector };
}

/** Checks a query vector: as a stored one, and it must have a direction. */
export function checkQueryEmbedding(
	value: unknown,
	dimension: number,
	field = "embedding",
): Float32Array {
	const { vector, noDirection } = toEngineVector(value, dimension, field);
	if (noDirection) {
		throw new ValidationError(
			field,
			`${noDirection}: it has no direction, so no similarity can be computed`,
		);
	}
	return vector;
}

/**
 * The vector as every engine holds it: float32 components (pgvector's `vector`, sqlite-vec, the
 * BLOBs), each finite after rounding. pgvector sums squares in float32, so the squared length must
 * be finite (else its distances are NaN) and at least float32's smallest normal (else the
 * direction is lost): below that the vector has no direction, like an all-zero one. Between 2001
 * and 4000 dimensions PostgreSQL's index holds half-precision floats: components within ±65504,
 * and a vector whose components all round to zero there has no direction. The same rules on every
 * backend, so all of them accept and refuse the same vectors.
 */
function toEngineVector(
	value: unknown,
	dimension: number,
	field: string,
): { vector: Float32Array; noDirection: string | null } {
	if (!Array.isArray(value) && !(value instanceof Float32Array)) {
		throw new ValidationError(field, `expected number[] or Float32Array, got ${describe(value)}`);
	}
	if (value.length !== dimension) throw new EmbeddingDimensionError(dimension, value.length, field);
	const half = isHalfPrecisionIndexed(dimension);
	const out = toFiniteFloat32(value, (i, x, overflow) => {
		throw new ValidationError(
			field,
			overflow
				? `component ${i} (${x}) overflows a 32-bit float`
				: `component ${i} is ${describe(x)}; every component must be a finite number`,
		);
	});
	let largest = 0;
	let halfZero = true;
	for (let i = 0; i < dimension; i++) {
		const x = value[i];
		const f = out[i] as number;
		if (half && Math.abs(f) > FLOAT16_MAX) {
			throw new ValidationError(
				field,
				`component ${i} (${x}) is beyond ±${FLOAT16_MAX}: with ${dimension} dimensions vectors are indexed as half-precision floats (PostgreSQL's halfvec)`,
			);
		}
		if (Math.abs(f) > Math.abs(out[largest] as number)) largest = i;
		if (Math.abs(f) > FLOAT16_ROUNDS_TO_ZERO) halfZero = false;
	}
	if (isZeroVector(out)) return { vector: out, noDirection: "is all zeros" };
	const squared = squaredNorm(out);
	if (squared > FLOAT32_MAX) {
		throw new ValidationError(
			field,
			`component ${largest} (${value[largest]}) makes the vector's squared length overflow a 32-bit float (PostgreSQL computes it in float32): scale the vector down (cosine similarity ignores length)`,
		);
	}
	if (squared < FLOAT32_MIN_NORMAL) {
		return {
			vector: out,
			noDirection: `is too short (squared length ${squared}, below float32's smallest normal number)`,
		};
	}
	if (half && halfZero) {
		return {
			vector: out,
			noDirection: `rounds to all zeros as half-precision floats (with ${dimension} dimensions PostgreSQL indexes vectors so)`,
		};
	}
	return { vector: out, noDirection: null };
}
