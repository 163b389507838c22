/**
 * The binary codes of the approximate search over the in-memory copy (vector-columns.ts): one sign
 * bit per dimension, relative to a fixed centre (the mean vector), per slot. The Hamming distance
 * of two codes picks candidates, which the copy then ranks exactly.
 */

/**
 * Between these many slots, `nearest` first narrows them on part of each code. Above the upper
 * bound the codes (48 bytes each at 384 dimensions) outgrow the cache and the first pass, which
 * still pulls whole codes through it, costs more than it saves (1,000,000 rows: 45 ms with it,
 * 37 ms without; 100,000: 2.7 ms with it, 4.1 ms without).
 */
const PREFILTER_MIN = 20_000;
const PREFILTER_MAX = 300_000;
/** The first pass keeps at least this many times the wanted candidates. */
const PREFILTER_FACTOR = 20;

export class SignCodes {
	readonly #dimension: number;
	/** 32-bit words per code. */
	readonly #words: number;
	/** The centre the sign bits are taken around (fixed at construction: codes stay comparable). */
	readonly #centre: Float32Array;
	#bits = new Int32Array(0);

	constructor(dimension: number, centre?: Float32Array) {
		this.#dimension = dimension;
		this.#words = Math.ceil(dimension / 32);
		this.#centre = centre ?? new Float32Array(dimension);
	}

	/** Room for `capacity` slots, keeping the codes of the first `size`. */
	grow(capacity: number, size: number): void {
		const next = new Int32Array(capacity * this.#words);
		next.set(this.#bits.subarray(0, size * this.#words));
		this.#bits = next;
	}

	/** Stores the code of `v` in `slot`. */
	set(slot: number, v: Float32Array): void {
		this.#encode(v, this.#bits, slot * this.#words);
	}

	/** Copies the code in slot `from` to slot `to`. */
	move(from: number, to: number): void {
		const w = this.#words;
		this.#bits.copyWithin(to * w, from * w, (from + 1) * w);
	}

	#encode(v: Float32Array, out: Int32Array, at: number): void {
		const c = this.#centre;
		for (let wd = 0; wd < this.#words; wd++) {
			let b = 0;
			const base = wd * 32;
			const end = Math.min(32, this.#dimension - base);
			for (let j = 0; j < end; j++) {
				if ((v[base + j] as number) > (c[base + j] as number)) b |= 1 << j;
			}
			out[at + wd] = b;
		}
	}

	/**
	 * Of the first `n` slots of `slots`, the `want` whose codes are nearest to the code of `query`
	 * by Hamming distance, and any tied with the last: into `chosen[0..m)`; returns m. Over many
	 * slots a first pass on a third of each code keeps the nearest eighth (at least 20 x `want`),
	 * and only those are measured on the whole code.
	 */
	nearest(
		query: Float32Array,
		slots: Int32Array,
		n: number,
		want: number,
		chosen: Int32Array,
	): number {
		const w = this.#words;
		const code = new Int32Array(w);
		this.#encode(query, code, 0);
		const part = Math.ceil(w / 3);
		if (n >= PREFILTER_MIN && n <= PREFILTER_MAX && w >= 6 && n > 8 * PREFILTER_FACTOR * want) {
			const kept = Math.max(PREFILTER_FACTOR * want, Math.ceil(n / 8));
			const m = this.#nearestOn(code, part, slots, n, kept, chosen);
			// `chosen` is read while written: slot k is read before position <= k is written.
			return this.#nearestOn(code, w, chosen, m, want, chosen);
		}
		return this.#nearestOn(code, w, slots, n, want, chosen);
	}

	/** `nearest` by the distance over the first `to` words of each code. */
	#nearestOn(
		code: Int32Array,
		to: number,
		slots: Int32Array,
		n: number,
		want: number,
		chosen: Int32Array,
	): number {
		const w = this.#words;
		const bits = this.#bits;
		const distance = new Uint16Array(n);
		const histogram = new Int32Array(to * 32 + 1);
		for (let k = 0; k < n; k++) {
			const o = (slots[k] as number) * w;
			let h = 0;
			// popcount's first steps per word; their byte counts (<= 8 each) summed over up to 15
			// words before one horizontal add (a byte then holds at most 120, the sum stays a 31-bit
			// integer): ~1.4x faster than a whole popcount per word.
			for (let start = 0; start < to; start += 15) {
				let bytes = 0;
				for (let wd = start, end = Math.min(to, start + 15); wd < end; wd++) {
					let x = (bits[o + wd] as number) ^ (code[wd] as number);
					x -= (x >>> 1) & 0x55555555;
					x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
					bytes += (x + (x >>> 4)) & 0x0f0f0f0f;
				}
				const pairs = (bytes & 0x00ff00ff) + ((bytes >>> 8) & 0x00ff00ff);
				h += (pairs & 0xffff) + (pairs >>> 16);
			}
			distance[k] = h;
			histogram[h] = (histogram[h] as number) + 1;
		}
		let cut = 0;
		for (let acc = histogram[0] as number; acc < want; acc += histogram[++cut] as number);
		let m = 0;
		for (let k = 0; k < n; k++)
			if ((distance[k] as number) <= cut) chosen[m++] = slots[k] as number;
		return m;
	}
}
