/**
 * The in-memory copy of the memories' embeddings that SQLite-family search scans: one slot per
 * row, with the columns every search filters on (type, room, agent, uniqueness) as integer codes in
 * typed arrays beside the vectors, so a room- and agent-filtered query is one tight loop over
 * Float32Arrays, never a read through SQL. Similarities are computed exactly as
 * `cosineSimilarity` does (float64 sums over the float32 values), ties broken by id.
 *
 * Each row also has a binary code (sign-codes.ts) for the approximate search: Hamming distance
 * over the codes picks candidates, which are rescored exactly. This file knows nothing of SQL;
 * sqlite-vector-cache.ts keeps it in step with the table.
 */
import { TopK } from "../../core/vector.js";
import { SignCodes } from "./sign-codes.js";

export interface ColumnFilter {
	type: string;
	room?: string;
	agent?: string;
	uniqueOnly: boolean;
}

export interface Ranked {
	id: string;
	similarity: number;
}

/** Strings as small integer codes (a filter compares integers). */
class Codes {
	readonly #codes = new Map<string, number>();
	code(s: string): number {
		let c = this.#codes.get(s);
		if (c === undefined) {
			c = this.#codes.size;
			this.#codes.set(s, c);
		}
		return c;
	}
	/** The code of `s`, or -2 (matches no row) when no row ever had it; -1 (any) for undefined. */
	find(s: string | undefined): number {
		return s === undefined ? -1 : (this.#codes.get(s) ?? -2);
	}
}

const DEAD = -1;
/** Far above the rounding difference of two orders of summation, far below real score gaps. */
const ROUGH_MARGIN = 1e-9;

export class VectorColumns {
	readonly dimension: number;
	#capacity = 0;
	/** Slots in use (live and dead); `live` of them hold a row. */
	#size = 0;
	#live = 0;
	#ids: (string | undefined)[] = [];
	readonly #slotOf = new Map<string, number>();
	readonly #typeCodes = new Codes();
	readonly #roomCodes = new Codes();
	readonly #agentCodes = new Codes();
	#types = new Int32Array(0);
	#rooms = new Int32Array(0);
	#agents = new Int32Array(0);
	#unique = new Uint8Array(0);
	#vectors = new Float32Array(0);
	#squaredNorms = new Float64Array(0);
	/** 1 / norm, for the fast pre-check of a row's similarity (0 for a zero vector). */
	#inverseNorms = new Float64Array(0);
	readonly #codes: SignCodes;
	/** Scratch: the slots passing a filter. */
	#matched = new Int32Array(0);

	constructor(dimension: number, centre?: Float32Array) {
		this.dimension = dimension;
		this.#codes = new SignCodes(dimension, centre);
	}

	get live(): number {
		return this.#live;
	}

	#grow(): void {
		const cap = Math.max(1024, this.#capacity * 2);
		const d = this.dimension;
		const copy = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(
			old: T,
			make: (n: number) => T,
			per: number,
		): T => {
			const next = make(cap * per);
			next.set(old.subarray(0, this.#size * per) as never);
			return next;
		};
		this.#types = copy(this.#types, (n) => new Int32Array(n), 1);
		this.#rooms = copy(this.#rooms, (n) => new Int32Array(n), 1);
		this.#agents = copy(this.#agents, (n) => new Int32Array(n), 1);
		this.#unique = copy(this.#unique, (n) => new Uint8Array(n), 1);
		this.#vectors = copy(this.#vectors, (n) => new Float32Array(n), d);
		this.#squaredNorms = copy(this.#squaredNorms, (n) => new Float64Array(n), 1);
		this.#inverseNorms = copy(this.#inverseNorms, (n) => new Float64Array(n), 1);
		this.#codes.grow(cap, this.#size);
		this.#matched = new Int32Array(cap);
		this.#capacity = cap;
	}

	/** Stores (or replaces) row `id`. A vector of another length is left out, as the scan would. */
	put(id: string, type: string, room: string, agent: string, unique: boolean, v: Float32Array) {
		this.remove(id);
		if (v.length !== this.dimension) return;
		if (this.#size === this.#capacity) this.#grow();
		const slot = this.#size++;
		this.#live++;
		this.#ids[slot] = id;
		this.#slotOf.set(id, slot);
		this.#types[slot] = this.#typeCodes.code(type);
		this.#rooms[slot] = this.#roomCodes.code(room);
		this.#agents[slot] = this.#agentCodes.code(agent);
		this.#unique[slot] = unique ? 1 : 0;
		const d = this.dimension;
		this.#vectors.set(v, slot * d);
		let sq = 0;
		for (let j = 0; j < d; j++) sq += (v[j] as number) * (v[j] as number);
		this.#squaredNorms[slot] = sq;
		this.#inverseNorms[slot] = sq === 0 ? 0 : 1 / Math.sqrt(sq);
		this.#codes.set(slot, v);
	}

	remove(id: string): void {
		const slot = this.#slotOf.get(id);
		if (slot === undefined) return;
		this.#slotOf.delete(id);
		this.#ids[slot] = undefined;
		this.#types[slot] = DEAD;
		this.#live--;
		// Many dead slots slow every scan: pack the live ones together.
		if (this.#size - this.#live > 1024 && this.#size > 2 * this.#live) this.#pack();
	}

	#pack(): void {
		const d = this.dimension;
		let to = 0;
		for (let from = 0; from < this.#size; from++) {
			const id = this.#ids[from];
			if (id === undefined) continue;
			if (to !== from) {
				this.#ids[to] = id;
				this.#slotOf.set(id, to);
				this.#types[to] = this.#types[from] as number;
				this.#rooms[to] = this.#rooms[from] as number;
				this.#agents[to] = this.#agents[from] as number;
				this.#unique[to] = this.#unique[from] as number;
				this.#squaredNorms[to] = this.#squaredNorms[from] as number;
				this.#inverseNorms[to] = this.#inverseNorms[from] as number;
				this.#vectors.copyWithin(to * d, from * d, (from + 1) * d);
				this.#codes.move(from, to);
			}
			to++;
		}
		this.#ids.length = to;
		this.#size = to;
	}

	/** The slots passing `f`, in `#matched[0..n)`; returns n. */
	#match(f: ColumnFilter): number {
		const type = this.#typeCodes.find(f.type);
		const room = this.#roomCodes.find(f.room);
		const agent = this.#agentCodes.find(f.agent);
		if (type < 0 || room === -2 || agent === -2) return 0;
		const types = this.#types;
		const rooms = this.#rooms;
		const agents = this.#agents;
		const unique = this.#unique;
		const out = this.#matched;
		let n = 0;
		for (let i = 0; i < this.#size; i++) {
			if (types[i] !== type) continue;
			if (room >= 0 && rooms[i] !== room) continue;
			if (agent >= 0 && agents[i] !== agent) continue;
			if (f.uniqueOnly && unique[i] === 0) continue;
			out[n++] = i;
		}
		return n;
	}

	/** The exact top `count` among the first `n` slots of `slots`, at or above `threshold`. */
	#rank(query: Float32Array, slots: Int32Array, n: number, count: number, threshold?: number) {
		const d = this.dimension;
		const vectors = this.#vectors;
		const norms = this.#squaredNorms;
		const ids = this.#ids;
		const inverse = this.#inverseNorms;
		let qsq = 0;
		for (let j = 0; j < d; j++) qsq += (query[j] as number) * (query[j] as number);
		const qInverse = qsq === 0 ? 0 : 1 / Math.sqrt(qsq);
		const tail = d - (d % 4);
		// Small k: a sorted array (best first) with a floor test per row; large k: the shared heap.
		const heap = count > 64 ? new TopK<number>(count, (slot) => ids[slot] as string) : null;
		const bestSim = new Float64Array(count);
		const bestSlot = new Int32Array(count);
		let kept = 0;
		for (let k = 0; k < n; k++) {
			const slot = slots[k] as number;
			const vsq = norms[slot] as number;
			let sim = 0;
			if (qsq !== 0 && vsq !== 0) {
				const o = slot * d;
				// Fast pre-check (four sums, in another order, so not bit-identical): a row clearly
				// below the current k-th, or the threshold, is skipped before the exact sum.
				if (heap === null && (kept === count || threshold !== undefined)) {
					let a0 = 0;
					let a1 = 0;
					let a2 = 0;
					let a3 = 0;
					for (let j = 0; j < tail; j += 4) {
						a0 += (query[j] as number) * (vectors[o + j] as number);
						a1 += (query[j + 1] as number) * (vectors[o + j + 1] as number);
						a2 += (query[j + 2] as number) * (vectors[o + j + 2] as number);
						a3 += (query[j + 3] as number) * (vectors[o + j + 3] as number);
					}
					for (let j = tail; j < d; j++) a0 += (query[j] as number) * (vectors[o + j] as number);
					const rough = (a0 + a1 + a2 + a3) * qInverse * (inverse[slot] as number);
					const floor = kept === count ? (bestSim[count - 1] as number) : Number.NEGATIVE_INFINITY;
					if (rough < Math.max(floor, threshold ?? Number.NEGATIVE_INFINITY) - ROUGH_MARGIN) {
						continue;
					}
				}
				// The exact similarity, summed as cosineSimilarity sums it.
				let dot = 0;
				for (let j = 0; j < d; j++) dot += (query[j] as number) * (vectors[o + j] as number);
				sim = dot / Math.sqrt(qsq * vsq);
			}
			if (threshold !== undefined && sim < threshold) continue;
			if (heap) {
				heap.push(slot, sim);
				continue;
			}
			if (kept === count && sim < (bestSim[count - 1] as number)) continue;
			// Insert at its place: similarity descending, ties by id ascending.
			const id = ids[slot] as string;
			let at = kept;
			if (kept < count) kept++;
			else if (better(sim, id, count - 1)) at = count - 1;
			else continue;
			while (at > 0 && better(sim, id, at - 1)) {
				bestSim[at] = bestSim[at - 1] as number;
				bestSlot[at] = bestSlot[at - 1] as number;
				at--;
			}
			bestSim[at] = sim;
			bestSlot[at] = slot;
		}
		function better(sim: number, id: string, at: number): boolean {
			const s = bestSim[at] as number;
			return sim > s || (sim === s && id < (ids[bestSlot[at] as number] as string));
		}
		if (heap) {
			return heap
				.result()
				.map(({ item, score }) => ({ id: ids[item] as string, similarity: score }));
		}
		const out: Ranked[] = [];
		for (let i = 0; i < kept; i++) {
			out.push({ id: ids[bestSlot[i] as number] as string, similarity: bestSim[i] as number });
		}
		return out;
	}

	/** Exact search: every row passing the filter is compared. */
	exact(query: Float32Array, f: ColumnFilter, count: number, threshold?: number): Ranked[] {
		const n = this.#match(f);
		return this.#rank(query, this.#matched, n, count, threshold);
	}

	/**
	 * Approximate search: when more than `exactBelow` rows pass the filter, the `rescore` (at least
	 * 40 per result) rows nearest by Hamming distance of their codes (and any tied with the last)
	 * are ranked exactly; otherwise the search is exact.
	 */
	approximate(
		query: Float32Array,
		f: ColumnFilter,
		count: number,
		threshold: number | undefined,
		opts: { exactBelow: number; rescore: number },
	): Ranked[] {
		const n = this.#match(f);
		// More candidates as the rows grow: 400 gave recall@10 0.90 at 1,000,000, 1,000 gave 1.00.
		const want = Math.max(opts.rescore, 40 * count, Math.ceil(n / 1000));
		if (n <= opts.exactBelow || n <= want)
			return this.#rank(query, this.#matched, n, count, threshold);
		const chosen = new Int32Array(n);
		const m = this.#codes.nearest(query, this.#matched, n, want, chosen);
		return this.#rank(query, chosen, m, count, threshold);
	}
}
