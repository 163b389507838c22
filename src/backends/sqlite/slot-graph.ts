/**
 * An HNSW graph over the in-memory copy's slots (vector-columns.ts), for the SQLite adapter's
 * `quantized` search at scale: usearch (a maintained native library with prebuilt binaries, an
 * optional dependency) walks it in a fraction of a millisecond where the binary codes' linear scan
 * takes 3 ms at 100,000 rows and 35 ms at 1,000,000 (BENCHMARKS.md, "SQLite at scale").
 *
 * The graph is derived, like the copy: built from it in the background, in small steps, after the
 * copy is (re)built, and kept in step with it. It may be saved beside the database file and loaded
 * instead of rebuilt (graph-file.ts checks it belongs there). It keeps its own half-precision copy
 * of each vector; candidates it finds are ranked exactly from the float32 copy.
 */

import type { GraphStore } from "./graph-file.js";

/** The members of usearch's `Index` this file uses. */
interface UsearchIndex {
	add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
	search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array };
	remove(keys: bigint): number | number[];
	size(): number;
	dimensions(): number;
	save(path: string): void;
	load(path: string): void;
}
interface UsearchModule {
	Index: new (config: {
		dimensions: number;
		metric: string;
		quantization: string;
		connectivity: number;
		expansion_add: number;
		expansion_search: number;
		multi: boolean;
	}) => UsearchIndex;
}

let loading: Promise<UsearchModule | null> | undefined;

/** usearch, or null when it is not installed or has no binary for this platform. */
export function loadUsearch(): Promise<UsearchModule | null> {
	loading ??= import("usearch").then(
		(m) => (m as unknown as { default: UsearchModule }).default,
		() => null,
	);
	return loading;
}

/**
 * From this many rows on the graph is built. Below, the codes' scan takes under 2 ms
 * (BENCHMARKS.md) and a graph would cost its build for little.
 */
export const GRAPH_MIN_ROWS = 50_000;

/**
 * The cached search's `graph` option (sqlite-vector-cache.ts), building while `alive()`; with
 * `store`, saved to and loaded from there (graph-file.ts).
 */
export function backgroundGraph(alive: () => boolean, store?: GraphStore) {
	return {
		minRows: GRAPH_MIN_ROWS,
		alive,
		store,
		async create(dimension: number): Promise<SlotGraph | null> {
			const usearch = await loadUsearch();
			return usearch ? new SlotGraph(usearch, dimension) : null;
		},
	};
}

/**
 * Slots added per step: the event loop waits while a step runs, 15–40 ms for 128 at 384
 * dimensions here (idle to loaded); larger steps built no faster (3,400–3,700 rows/s under load).
 */
const STEP = 128;

export class SlotGraph {
	readonly #index: UsearchIndex;
	readonly #dimension: number;
	/** Every slot below this has been added (or was dead when its turn came). */
	#built = 0;
	readonly #keys = new BigUint64Array(STEP);
	readonly #batch: Float32Array;
	/** Bumped by every add and remove: a save records it, so an unchanged graph is not saved again. */
	#changes = 0;
	/** It came from a saved file (graph-file.ts). */
	loaded = false;

	constructor(usearch: UsearchModule, dimension: number) {
		this.#dimension = dimension;
		this.#batch = new Float32Array(STEP * dimension);
		this.#index = new usearch.Index({
			dimensions: dimension,
			metric: "cos",
			// Half precision: the graph only chooses candidates, ranked exactly afterwards.
			quantization: "f16",
			connectivity: 16,
			// 128 for both: 64 left recall@10 among 100 candidates at 0.90-0.92 on low-dimensional
			// clustered data (test/backends/sqlite-graph.test.ts), 128 gives 0.97-0.99.
			expansion_add: 128,
			expansion_search: 128,
			multi: false,
		});
	}

	get built(): number {
		return this.#built;
	}

	get changes(): number {
		return this.#changes;
	}

	/** Writes the graph to `path` (usearch's format; graph-file.ts makes it crash-safe). */
	save(path: string): void {
		this.#index.save(path);
	}

	/**
	 * Replaces the graph by the one saved at `path`, in which every slot below `built` was added
	 * (or dead); false when it cannot be read or is for another dimension.
	 */
	load(path: string, built: number): boolean {
		try {
			this.#index.load(path);
		} catch {
			return false;
		}
		if (this.#index.dimensions() !== this.#dimension) return false;
		this.#built = built;
		this.loaded = true;
		return true;
	}

	/** Adds the next slots, up to `upTo` and at most `STEP` of them; `live(slot)` skips dead ones. */
	step(vectors: Float32Array, upTo: number, live: (slot: number) => boolean): void {
		const d = this.#dimension;
		let n = 0;
		const end = Math.min(upTo, this.#built + STEP);
		for (let slot = this.#built; slot < end; slot++) {
			if (!live(slot)) continue;
			this.#keys[n] = BigInt(slot);
			this.#batch.set(vectors.subarray(slot * d, (slot + 1) * d), n * d);
			n++;
		}
		if (n > 0) this.#index.add(this.#keys.subarray(0, n), this.#batch.subarray(0, n * d), 2);
		this.#built = end;
		this.#changes++;
	}

	/** Forgets a slot that was added (a removed or replaced row). */
	remove(slot: number): void {
		if (slot < this.#built) {
			this.#index.remove(BigInt(slot));
			this.#changes++;
		}
	}

	/** The slots of the `k` nearest vectors the graph finds (fewer when it holds fewer). */
	search(query: Float32Array, k: number): Int32Array {
		const { keys } = this.#index.search(query, Math.min(k, Math.max(1, this.#index.size())), 1);
		return Int32Array.from(keys, Number);
	}
}
