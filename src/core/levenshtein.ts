/**
 * Levenshtein distance with an upper bound, the semantics of PostgreSQL's
 * `levenshtein_less_equal(a, b, max)`: the exact distance when it is <= max, else max + 1.
 * Counts Unicode code points, as PostgreSQL and SQLite's `length()` do, so every backend ranks
 * `getCachedEmbeddings` identically, for text of any length (PostgreSQL's own function stops at 255).
 *
 * Cost O(n · max) time at worst and O(n) memory: the common prefix and suffix are skipped (they
 * never change the distance), then only the diagonals |i - j| <= max are followed, one edit at a
 * time (Landau–Vishkin), so near-identical texts cost about one comparison per character. A 1 MB
 * text against a near-identical one is a few million steps; `levenshteinBoundedSliced` runs them
 * in slices so the event loop keeps turning.
 */
import type { TimeSlice } from "./time-slice.js";

/** Steps (characters compared or converted) between two pauses of the generator. */
const CHUNK = 1 << 16;
/** A diagonal not reached yet: far below any row, and still far from overflow after + 1. */
const UNREACHED = -(2 ** 30);

export function levenshteinBounded(a: string, b: string, max: number): number {
	const steps = distanceSteps(a, b, max);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/** `levenshteinBounded`, giving way to the event loop whenever `slice` has used its time. */
export async function levenshteinBoundedSliced(
	a: string,
	b: string,
	max: number,
	slice: TimeSlice,
): Promise<number> {
	const steps = distanceSteps(a, b, max);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
		if (slice.due) await slice.giveWay();
	}
}

/** The number of Unicode code points of `s` (what `Array.from(s).length` says, without the array). */
export function codePointLength(s: string): number {
	if (!SURROGATE.test(s)) return s.length;
	let pairs = 0;
	for (let i = 0; i < s.length - 1; i++) {
		if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
			pairs++;
			i++;
		}
	}
	return s.length - pairs;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The distance as a generator that pauses after every CHUNK steps, so a caller can give way. The
 * loops themselves live in plain functions: V8 optimises a long loop inside a running function
 * (on-stack replacement) but not inside a generator, where it stayed ~10x slower.
 */
function* distanceSteps(a: string, b: string, max: number): Generator<void, number, void> {
	if (a === b) return 0;
	const over = max + 1;
	// Common prefix and suffix, in code units, cut only between code points (never inside a pair).
	const shorter = Math.min(a.length, b.length);
	let start = 0;
	for (;;) {
		const to = Math.min(shorter, start + CHUNK);
		start = samePrefix(a, b, start, to);
		if (start < to || to === shorter) break;
		yield;
	}
	if (start > 0 && isHigh(a.charCodeAt(start - 1))) start--;
	let common = 0; // length of the common suffix
	const most = shorter - start;
	for (;;) {
		const to = Math.min(most, common + CHUNK);
		common = sameSuffix(a, b, common, to);
		if (common < to || to === most) break;
		yield;
	}
	let endA = a.length - common;
	let endB = b.length - common;
	if (common > 0 && isLow(a.charCodeAt(endA))) {
		endA++;
		endB++;
	}
	// Code unit counts bound code point counts from above and (halved) from below.
	if (Math.ceil((endA - start) / 2) > endB - start + max) return over;
	if (Math.ceil((endB - start) / 2) > endA - start + max) return over;
	const x = yield* codePoints(a, start, endA);
	const y = yield* codePoints(b, start, endB);
	const n = x.length;
	const m = y.length;
	if (Math.abs(n - m) > max) return over;
	if (n === 0 || m === 0) return Math.max(n, m);

	// Landau–Vishkin: reach[d] is the furthest row i on diagonal d (column i + d) with distance
	// D[i][i + d] <= e; each round e extends every diagonal by one edit, then slides along equal
	// characters. Rounds 0..max over diagonals -max..max: O((n + m) · max) at worst, and for
	// near-identical texts little more than one pass over them.
	// The distance never exceeds the longer length: a larger bound needs no more rounds or room.
	const k = Math.min(max, Math.max(n, m));
	const off = k + 1;
	let prev = new Int32Array(2 * k + 3).fill(UNREACHED);
	let curr = new Int32Array(2 * k + 3).fill(UNREACHED);
	let work = 0;
	for (let e = 0; e <= k; e++) {
		const dLo = Math.max(-e, -n);
		const dHi = Math.min(e, m);
		for (let d = dLo; d <= dHi; d++) {
			let row = 0;
			if (e > 0) {
				row = (prev[d + off] as number) + 1; // substitution
				const insertion = prev[d - 1 + off] as number;
				if (insertion > row) row = insertion;
				const deletion = (prev[d + 1 + off] as number) + 1;
				if (deletion > row) row = deletion;
			}
			// Clipping at the edge is exact: neighbouring cells differ by at most 1.
			const limit = Math.min(n, m - d);
			if (row > limit) row = limit;
			for (;;) {
				const to = Math.min(limit, row + CHUNK - work);
				const reached = slide(x, y, d, row, to);
				work += reached - row + 1;
				row = reached;
				if (row < to || to === limit) break;
				work = 0;
				yield;
			}
			curr[d + off] = row;
			if (row === n && d === m - n) return e;
		}
		[prev, curr] = [curr, prev];
		if (work >= CHUNK) {
			work = 0;
			yield;
		}
	}
	return over;
}

/** The first index in [from, to) where a and b differ, or `to`. */
function samePrefix(a: string, b: string, from: number, to: number): number {
	let i = from;
	while (i < to && a.charCodeAt(i) === b.charCodeAt(i)) i++;
	return i;
}

/** How many last code units a and b share, counting on from `from` up to `to`. */
function sameSuffix(a: string, b: string, from: number, to: number): number {
	let k = from;
	const la = a.length - 1;
	const lb = b.length - 1;
	while (k < to && a.charCodeAt(la - k) === b.charCodeAt(lb - k)) k++;
	return k;
}

/** Follows diagonal d (x[i] against y[i + d]) from row `from` while equal, up to row `to`. */
function slide(x: Uint32Array, y: Uint32Array, d: number, from: number, to: number): number {
	let i = from;
	while (i < to && x[i] === y[i + d]) i++;
	return i;
}

/** The code points of s[from, to), converted CHUNK code units at a time. */
function* codePoints(s: string, from: number, to: number): Generator<void, Uint32Array, void> {
	const out = new Uint32Array(to - from);
	let n = 0;
	for (let i = from; i < to; ) {
		const end = Math.min(to, i + CHUNK);
		[i, n] = convert(s, i, end, to, out, n);
		if (i < to) yield;
	}
	return out.subarray(0, n);
}

/** Converts s[from, end) (a pair may run one past `end`, never past `to`) into out[n...]. */
function convert(
	s: string,
	from: number,
	end: number,
	to: number,
	out: Uint32Array,
	n: number,
): [number, number] {
	let i = from;
	while (i < end) {
		const c = s.charCodeAt(i);
		if (isHigh(c) && i + 1 < to && isLow(s.charCodeAt(i + 1))) {
			out[n++] = (c - 0xd800) * 0x400 + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000;
			i += 2;
		} else {
			out[n++] = c;
			i++;
		}
	}
	return [i, n];
}
