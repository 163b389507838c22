import { describe, expect, it } from "vitest";
import {
	cosineDistanceFromSimilarity,
	cosineSimilarity,
	fromFloat32Bytes,
	fromPgVectorBinary,
	fromPgVectorText,
	isZeroVector,
	norm,
	similarityFromCosineDistance,
	TopK,
	toFiniteFloat32,
	toFloat32Bytes,
	toNumberArray,
	toPgVectorBinary,
	toPgVectorText,
} from "../../src/core/vector.js";
import { f32, randomVector, refCosine, seededRng } from "../conformance/fixtures.js";

describe("cosineSimilarity", () => {
	it("gives exact golden values", () => {
		expect(cosineSimilarity([1, 0, 0], [5, 0, 0])).toBe(1);
		expect(cosineSimilarity([1, 0, 0], [0, 2, 0])).toBe(0);
		expect(cosineSimilarity([1, 0, 0], [-3, 0, 0])).toBe(-1);
		expect(cosineSimilarity([1, 0, 0, 0], [1, 1, 1, 1])).toBe(0.5);
		expect(cosineSimilarity([1, 0], [3, 4])).toBeCloseTo(0.6, 15);
	});

	it("is 0 when either vector has no direction", () => {
		expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
		expect(cosineSimilarity([1, 2], [0, 0])).toBe(0);
	});

	it("matches the reference on random Float32 vectors, for arrays and Float32Arrays alike", () => {
		const rng = seededRng(5);
		for (let i = 0; i < 100; i++) {
			const a = f32(randomVector(rng, 32));
			const b = f32(randomVector(rng, 32));
			expect(cosineSimilarity(a, b)).toBeCloseTo(refCosine(a, b), 12);
			expect(cosineSimilarity(Float32Array.from(a), Float32Array.from(b))).toBeCloseTo(
				refCosine(a, b),
				12,
			);
		}
	});
});

describe("distance conversion", () => {
	it("maps cosine distance to similarity and back", () => {
		for (const s of [-1, -0.5, 0, 0.5, 1]) {
			expect(similarityFromCosineDistance(cosineDistanceFromSimilarity(s))).toBe(s);
		}
		expect(cosineDistanceFromSimilarity(1)).toBe(0);
		expect(cosineDistanceFromSimilarity(-1)).toBe(2);
		expect(similarityFromCosineDistance(0.25)).toBe(0.75);
	});
});

describe("norm and isZeroVector", () => {
	it("computes the Euclidean norm", () => {
		expect(norm([3, 4])).toBe(5);
		expect(norm([])).toBe(0);
	});

	it("detects all-zero vectors only", () => {
		expect(isZeroVector([0, 0, 0])).toBe(true);
		expect(isZeroVector(new Float32Array(4))).toBe(true);
		expect(isZeroVector([0, -0, 0])).toBe(true);
		expect(isZeroVector([0, 1e-30, 0])).toBe(false);
	});
});

describe("Float32 packing", () => {
	it("round-trips through little-endian bytes with Float32 rounding", () => {
		const v = [0.1, -2.5, 1e-7, 3.4e38, 0];
		const bytes = toFloat32Bytes(v);
		expect(bytes.byteLength).toBe(20);
		expect(Array.from(fromFloat32Bytes(bytes))).toEqual(f32(v));
		// Little-endian layout: 1.0f is 00 00 80 3f.
		expect(Array.from(toFloat32Bytes([1]))).toEqual([0x00, 0x00, 0x80, 0x3f]);
	});

	it("reads unaligned byte views", () => {
		const buf = new Uint8Array(13);
		buf.set(toFloat32Bytes([1.5, -2, 0.25]), 1);
		expect(Array.from(fromFloat32Bytes(buf.subarray(1)))).toEqual([1.5, -2, 0.25]);
	});

	it("packs a Float32Array view without copying its neighbours", () => {
		const whole = Float32Array.from([9, 1, 2, 9]);
		expect(Array.from(fromFloat32Bytes(toFloat32Bytes(whole.subarray(1, 3))))).toEqual([1, 2]);
	});
});

describe("pgvector text", () => {
	it("round-trips the Float32 values", () => {
		const v = [0.1, -2.5, 1e-7, 123456.789];
		expect(fromPgVectorText(toPgVectorText(v))).toEqual(f32(v));
		expect(toPgVectorText([1, 2, 3])).toBe("[1,2,3]");
		expect(fromPgVectorText(" [1,-2.5] ")).toEqual([1, -2.5]);
		expect(fromPgVectorText("[]")).toEqual([]);
	});

	it("turns Float32Arrays into plain arrays", () => {
		const out = toNumberArray(Float32Array.from([1, 2]));
		expect(Array.isArray(out)).toBe(true);
		expect(out).toEqual([1, 2]);
	});
});

describe("pgvector binary", () => {
	it("writes pgvector's layout: int16 dimensions, int16 zero, big-endian float32s", () => {
		const bytes = toPgVectorBinary([1, -2.5]);
		expect(Array.from(bytes)).toEqual([0, 2, 0, 0, 0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0]);
	});

	it("round-trips Float32 values exactly, also from an offset inside a larger buffer", () => {
		const v = randomVector(seededRng(3), 384);
		const bytes = toPgVectorBinary(v);
		expect(Array.from(fromPgVectorBinary(bytes))).toEqual(f32(v));
		const padded = new Uint8Array(bytes.length + 3);
		padded.set(bytes, 3);
		expect(Array.from(fromPgVectorBinary(padded.subarray(3)))).toEqual(f32(v));
		expect(fromPgVectorBinary(toPgVectorBinary([]))).toHaveLength(0);
	});

	it("refuses bytes that are not a pgvector value", () => {
		expect(() => fromPgVectorBinary(new Uint8Array([0, 2, 0, 0, 1]))).toThrow(RangeError);
		expect(() => fromPgVectorBinary(new Uint8Array([0]))).toThrow(RangeError);
	});

	it("toNumberArray copies into a plain array", () => {
		const src = Float32Array.from([0.5, -1]);
		const out = toNumberArray(src);
		expect(Array.isArray(out)).toBe(true);
		expect(out).toEqual([0.5, -1]);
	});
});

describe("TopK", () => {
	it("keeps the k best, best first, equal to a full sort", () => {
		const rng = seededRng(9);
		const items = Array.from({ length: 1000 }, (_, i) => ({
			id: `id${String(i).padStart(4, "0")}`,
			s: rng(),
		}));
		const top = new TopK<{ id: string; s: number }>(10, (x) => x.id);
		for (const it of items) top.push(it, it.s);
		const expected = [...items].sort((a, b) => b.s - a.s).slice(0, 10);
		expect(top.result().map((r) => r.item.id)).toEqual(expected.map((x) => x.id));
		expect(top.result().map((r) => r.score)).toEqual(expected.map((x) => x.s));
	});

	it("breaks ties by key ascending, whatever the insertion order", () => {
		for (const order of [
			["c", "a", "d", "b"],
			["d", "c", "b", "a"],
			["a", "b", "c", "d"],
		]) {
			const top = new TopK<string>(3, (x) => x);
			for (const k of order) top.push(k, 1);
			expect(top.result().map((r) => r.item)).toEqual(["a", "b", "c"]);
		}
	});

	it("returns fewer than k when fewer were pushed, and nothing for k = 0", () => {
		const top = new TopK<string>(5, (x) => x);
		top.push("x", 0.5);
		top.push("y", 0.9);
		expect(top.result().map((r) => r.item)).toEqual(["y", "x"]);
		const none = new TopK<string>(0, (x) => x);
		none.push("x", 1);
		expect(none.result()).toEqual([]);
	});
});

describe("toFiniteFloat32", () => {
	const reject = (i: number, x: unknown, overflow: boolean): never => {
		throw new Error(`${i}:${String(x)}:${overflow}`);
	};

	it("rounds to float32 and keeps finite components", () => {
		expect(Array.from(toFiniteFloat32([0.1, -2, 3e38], reject))).toEqual([
			Math.fround(0.1),
			-2,
			Math.fround(3e38),
		]);
	});

	it("names the first non-number or non-finite component", () => {
		expect(() => toFiniteFloat32([1, "2", 3], reject)).toThrow("1:2:false");
		expect(() => toFiniteFloat32([1, 2, Number.NaN], reject)).toThrow("2:NaN:false");
		expect(() => toFiniteFloat32([Number.POSITIVE_INFINITY], reject)).toThrow("0:Infinity:false");
	});

	it("calls a finite double beyond float32's range an overflow", () => {
		expect(() => toFiniteFloat32([0, -1e39], reject)).toThrow("1:-1e+39:true");
	});
});
