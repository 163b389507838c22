/**
 * Vector math and encodings shared by every backend. Similarity is always cosine, computed by
 * `cosineSimilarity` for every result: an engine's index only picks candidates, which
 * core/sql/exact-scan.ts ranks, so all backends report the same similarities. The engines' cosine
 * distance, where one is needed, converts with the two functions below.
 */

/** Cosine similarity of two equal-length vectors; 0 when either has no direction. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i] as number;
		const y = b[i] as number;
		dot += x * y;
		na += x * x;
		nb += y * y;
	}
	if (na === 0 || nb === 0) return 0;
	return dot / Math.sqrt(na * nb);
}

/** The engines' cosine distance (pgvector `<=>`, sqlite-vec `distance_metric=cosine`) as similarity. */
export function similarityFromCosineDistance(distance: number): number {
	return 1 - distance;
}

/** A similarity threshold as the engines' cosine distance bound (inclusive). */
export function cosineDistanceFromSimilarity(similarity: number): number {
	return 1 - similarity;
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
	return Math.sqrt(s);
}

/** True when every component is exactly zero (what failing ElizaOS embedders write). */
export function isZeroVector(v: ArrayLike<number>): boolean {
	for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
	return true;
}

/** float32's largest finite value. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** float32's smallest normal value: below it, products lose their precision and then their sign. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;
/** float16's largest finite value. */
export const FLOAT16_MAX = 65504;
/** A magnitude at or below this rounds to zero as a float16 (half its smallest subnormal, ties to even). */
export const FLOAT16_ROUNDS_TO_ZERO = 2 ** -25;

/**
 * True for the dimensions PostgreSQL indexes as half-precision floats (`halfvec`): pgvector's HNSW
 * takes `vector` up to 2000 dimensions, `halfvec` up to 4000 (see migration 001).
 */
export function isHalfPrecisionIndexed(dimension: number): boolean {
	return dimension > 2000 && dimension <= 4000;
}

/**
 * Numbers as a Float32Array, each component finite after float32 rounding (what every engine
 * holds). The one conversion for stored, queried and embedder-returned vectors; `bad` names the
 * offending component (`overflow`: a finite number beyond float32's range) and must throw.
 */
export function toFiniteFloat32(
	values: ArrayLike<unknown>,
	bad: (index: number, value: unknown, overflow: boolean) => never,
): Float32Array {
	const out = new Float32Array(values.length);
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		if (typeof x !== "number" || !Number.isFinite(x)) bad(i, x, false);
		out[i] = x as number;
		if (!Number.isFinite(out[i] as number)) bad(i, x, true);
	}
	return out;
}

/** The squared Euclidean length, summed in float64. */
export function squaredNorm(v: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
	return s;
}

/** Packs a vector as little-endian Float32 bytes (the BLOB layout of SQLite and sqlite-vec). */
export function toFloat32Bytes(v: ArrayLike<number>): Uint8Array {
	const f = v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
	return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

/** Reads little-endian Float32 bytes back into a Float32Array (copying, so alignment never matters). */
export function fromFloat32Bytes(bytes: Uint8Array): Float32Array {
	const copy = new Uint8Array(bytes.byteLength);
	copy.set(bytes);
	return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** pgvector's text form, `[1,2,3]`. Float32 rounding first, so every backend stores the same value. */
export function toPgVectorText(v: ArrayLike<number>): string {
	const f = v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
	return `[${Array.prototype.join.call(f, ",")}]`;
}

/** Parses pgvector's text form. */
export function fromPgVectorText(text: string): number[] {
	const inner = text.trim().slice(1, -1);
	return inner.length === 0 ? [] : inner.split(",").map(Number);
}

/**
 * pgvector's binary form (what `vector_send(embedding)` returns as bytea): int16 dimensions, int16
 * unused, then big-endian float32s. Reading it is exact and far cheaper than parsing the text form.
 */
export function fromPgVectorBinary(bytes: Uint8Array): Float32Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const dimensions = bytes.byteLength >= 4 ? view.getInt16(0) : -1;
	if (dimensions < 0 || bytes.byteLength !== 4 + 4 * dimensions) {
		throw new RangeError(`not a pgvector binary value (${bytes.byteLength} bytes)`);
	}
	const out = new Float32Array(dimensions);
	for (let i = 0; i < dimensions; i++) out[i] = view.getFloat32(4 + 4 * i);
	return out;
}

/**
 * A vector in pgvector's binary form, for a parameter the server reads with `vector_recv`:
 * node-postgres sends a Uint8Array in binary format, so nothing is formatted or parsed as text.
 */
export function toPgVectorBinary(v: ArrayLike<number>): Uint8Array {
	const bytes = new Uint8Array(4 + 4 * v.length);
	const view = new DataView(bytes.buffer);
	view.setInt16(0, v.length);
	for (let i = 0; i < v.length; i++) view.setFloat32(4 + 4 * i, v[i] as number);
	return bytes;
}

/** A Float32Array as plain numbers (how memories return their embedding). */
export function toNumberArray(v: ArrayLike<number>): number[] {
	// A plain loop: several times faster than Array.from on a typed array.
	const out = new Array<number>(v.length);
	for (let i = 0; i < v.length; i++) out[i] = v[i] as number;
	return out;
}

export interface Scored<T> {
	item: T;
	score: number;
}

/**
 * The `k` highest-scoring items, best first; ties broken by `tieKey` ascending so results are
 * deterministic. A bounded min-heap: O(n log k) time, O(k) memory.
 */
export class TopK<T> {
	readonly #k: number;
	readonly #heap: Scored<T>[] = [];
	readonly #tieKey: (item: T) => string;

	constructor(k: number, tieKey: (item: T) => string) {
		this.#k = k;
		this.#tieKey = tieKey;
	}

	/** True when `a` ranks below `b` (lower score, or equal score and larger tie key). */
	#worse(a: Scored<T>, b: Scored<T>): boolean {
		if (a.score !== b.score) return a.score < b.score;
		return this.#tieKey(a.item) > this.#tieKey(b.item);
	}

	push(item: T, score: number): void {
		if (this.#k <= 0) return;
		const entry = { item, score };
		const heap = this.#heap;
		if (heap.length < this.#k) {
			heap.push(entry);
			this.#up(heap.length - 1);
		} else if (this.#worse(heap[0] as Scored<T>, entry)) {
			heap[0] = entry;
			this.#down(0);
		}
	}

	/** The kept items, best first. */
	result(): Scored<T>[] {
		return [...this.#heap].sort((a, b) => (this.#worse(a, b) ? 1 : this.#worse(b, a) ? -1 : 0));
	}

	#up(i: number): void {
		const h = this.#heap;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (!this.#worse(h[i] as Scored<T>, h[p] as Scored<T>)) break;
			[h[i], h[p]] = [h[p] as Scored<T>, h[i] as Scored<T>];
			i = p;
		}
	}

	#down(i: number): void {
		const h = this.#heap;
		for (;;) {
			const l = 2 * i + 1;
			const r = l + 1;
			let m = i;
			if (l < h.length && this.#worse(h[l] as Scored<T>, h[m] as Scored<T>)) m = l;
			if (r < h.length && this.#worse(h[r] as Scored<T>, h[m] as Scored<T>)) m = r;
			if (m === i) return;
			[h[i], h[m]] = [h[m] as Scored<T>, h[i] as Scored<T>];
			i = m;
		}
	}
}
