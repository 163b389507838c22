/**
 * The exact ranking of the in-memory copy (vector-columns.ts): similarities computed exactly as
 * `cosineSimilarity` does (float64 sums over the float32 values), similarity descending, ties by
 * id ascending.
 */
import { TopK } from "../../core/vector.js";

export interface Ranked {
	id: string;
	similarity: number;
}

/** The copy's rows, by slot. */
export interface SlotRows {
	dimension: number;
	ids: readonly (string | undefined)[];
	vectors: Float32Array;
	squaredNorms: Float64Array;
	/** 1 / norm, for the fast pre-check of a row's similarity (0 for a zero vector). */
	inverseNorms: Float64Array;
}

/** Far above the rounding difference of two orders of summation, far below real score gaps. */
const ROUGH_MARGIN = 1e-9;

/** The exact top `count` among the first `n` slots of `slots`, at or above `threshold`. */
export function rankSlots(
	rows: SlotRows,
	query: Float32Array,
	slots: Int32Array,
	n: number,
	count: number,
	threshold?: number,
): Ranked[] {
	const d = rows.dimension;
	const vectors = rows.vectors;
	const norms = rows.squaredNorms;
	const ids = rows.ids;
	const inverse = rows.inverseNorms;
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
		return heap.result().map(({ item, score }) => ({ id: ids[item] as string, similarity: score }));
	}
	const out: Ranked[] = [];
	for (let i = 0; i < kept; i++) {
		out.push({ id: ids[bestSlot[i] as number] as string, similarity: bestSim[i] as number });
	}
	return out;
}
