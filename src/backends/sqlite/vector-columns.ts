/**
 * The in-memory copy of the memories' embeddings that SQLite-family search scans: one slot per
 * row, with the columns every search filters on (type, room, agent, uniqueness) as integer codes in
 * typed arrays beside the vectors, so a room- and agent-filtered query is one tight loop over
 * Float32Arrays, never a read through SQL. Similarities are computed exactly as
 * `cosineSimilarity` does (float64 sums over the float32 values), ties broken by id.
 *
 * Each row also has a binary code (sign-codes.ts) for the approximate search: Hamming distance
 * over the codes picks candidates, which are rescored exactly. Over many rows an HNSW graph
 * (slot-graph.ts), once built, picks them instead. This file knows nothing of SQL;
 * sqlite-vector-cache.ts keeps it in step with the table and builds the graph.
 */
import { ColumnCodes } from "./column-codes.js";
import { type Ranked, rankSlots, type SlotRows } from "./rank-slots.js";
import { SignCodes } from "./sign-codes.js";
import type { SlotGraph } from "./slot-graph.js";

export interface ColumnFilter {
	type: string;
	room?: string;
	agent?: string;
	uniqueOnly: boolean;
}

export type { Ranked };

const DEAD = -1;
/** A search first adds up to this many slots the graph lacks; further behind, the codes serve. */
const GRAPH_CATCH_UP = 64;
/** Above 250,000 rows the graph is asked for one passing candidate per this many rows. */
const GRAPH_ROWS_PER_CANDIDATE = 2500;
/** The most neighbours asked of the graph; a filter passing fewer of them is scanned instead. */
const GRAPH_MAX_K = 4096;

export class VectorColumns {
	readonly dimension: number;
	#capacity = 0;
	/** Slots in use (live and dead); `live` of them hold a row. */
	#size = 0;
	#live = 0;
	#ids: (string | undefined)[] = [];
	readonly #slotOf = new Map<string, number>();
	readonly #typeCodes = new ColumnCodes();
	readonly #roomCodes = new ColumnCodes();
	readonly #agentCodes = new ColumnCodes();
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
	#graph: SlotGraph | null = null;

	constructor(dimension: number, centre?: Float32Array) {
		this.dimension = dimension;
		this.#codes = new SignCodes(dimension, centre);
	}

	get live(): number {
		return this.#live;
	}

	/** The graph being built (or built) over the slots; null when there is none. */
	get graph(): SlotGraph | null {
		return this.#graph;
	}

	/** Slots the graph lacks (Infinity without a graph). */
	get graphLag(): number {
		return this.#graph ? this.#size - this.#graph.built : Number.POSITIVE_INFINITY;
	}

	/** Starts a graph over the slots; the caller adds them with `buildGraph`. */
	attachGraph(graph: SlotGraph): void {
		this.#graph = graph;
	}

	/** Adds the graph's next slots; false once every slot is in it. */
	buildGraph(): boolean {
		const g = this.#graph;
		if (!g || g.built >= this.#size) return false;
		g.step(this.#vectors, this.#size, this.#inGraph);
		return g.built < this.#size;
	}

	/** Zero vectors stay out of the graph (cosine has no direction for them): scans find them. */
	readonly #inGraph = (slot: number) =>
		this.#types[slot] !== DEAD && (this.#squaredNorms[slot] as number) !== 0;

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
		this.#types[slot] = this.#count(this.#typeCodes, this.#typeCodes.code(type), 1);
		this.#rooms[slot] = this.#count(this.#roomCodes, this.#roomCodes.code(room), 1);
		this.#agents[slot] = this.#count(this.#agentCodes, this.#agentCodes.code(agent), 1);
		this.#unique[slot] = unique ? 1 : 0;
		const d = this.dimension;
		this.#vectors.set(v, slot * d);
		let sq = 0;
		for (let j = 0; j < d; j++) sq += (v[j] as number) * (v[j] as number);
		this.#squaredNorms[slot] = sq;
		this.#inverseNorms[slot] = sq === 0 ? 0 : 1 / Math.sqrt(sq);
		this.#codes.set(slot, v);
	}

	/**
	 * Appends an empty (dead) slot: a loaded graph's slot whose row is gone, so the rows after it
	 * keep the slots the graph knows them by.
	 */
	appendDead(): void {
		if (this.#size === this.#capacity) this.#grow();
		const slot = this.#size++;
		this.#ids[slot] = undefined;
		this.#types[slot] = DEAD;
	}

	/** The id in each slot (null when dead), for saving the graph keyed by slot. */
	slotIds(): (string | null)[] {
		return Array.from({ length: this.#size }, (_, slot) => this.#ids[slot] ?? null);
	}

	remove(id: string): void {
		const slot = this.#slotOf.get(id);
		if (slot === undefined) return;
		this.#slotOf.delete(id);
		this.#ids[slot] = undefined;
		this.#count(this.#typeCodes, this.#types[slot] as number, -1);
		this.#count(this.#roomCodes, this.#rooms[slot] as number, -1);
		this.#count(this.#agentCodes, this.#agents[slot] as number, -1);
		this.#types[slot] = DEAD;
		this.#live--;
		this.#graph?.remove(slot);
		// Many dead slots slow every scan: pack the live ones together (the graph, keyed by slot,
		// goes with them; the cache builds another).
		if (this.#size - this.#live > 1024 && this.#size > 2 * this.#live) {
			this.#graph = null;
			this.#pack();
		}
	}

	#count(codes: ColumnCodes, code: number, delta: 1 | -1): number {
		codes.count(code, delta);
		return code;
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
		const rows: SlotRows = {
			dimension: this.dimension,
			ids: this.#ids,
			vectors: this.#vectors,
			squaredNorms: this.#squaredNorms,
			inverseNorms: this.#inverseNorms,
		};
		return rankSlots(rows, query, slots, n, count, threshold);
	}

	/** Exact search: every row passing the filter is compared. */
	exact(query: Float32Array, f: ColumnFilter, count: number, threshold?: number): Ranked[] {
		const n = this.#match(f);
		return this.#rank(query, this.#matched, n, count, threshold);
	}

	/**
	 * Approximate search: when more than `exactBelow` rows pass the filter, candidates are chosen
	 * and ranked exactly: by the graph once it holds (nearly) every slot, else the `rescore` (at
	 * least 40 per result) rows nearest by Hamming distance of their codes (and any tied with the
	 * last). Otherwise the search is exact.
	 */
	approximate(
		query: Float32Array,
		f: ColumnFilter,
		count: number,
		threshold: number | undefined,
		opts: { exactBelow: number; rescore: number },
	): Ranked[] {
		const viaGraph = this.#graphCandidates(query, f, count, opts.exactBelow);
		if (viaGraph) return this.#rank(query, viaGraph, viaGraph.length, count, threshold);
		const n = this.#match(f);
		// More candidates as the rows grow: 400 gave recall@10 0.90 at 1,000,000, 1,000 gave 1.00.
		const want = Math.max(opts.rescore, 40 * count, Math.ceil(n / 1000));
		if (n <= opts.exactBelow || n <= want)
			return this.#rank(query, this.#matched, n, count, threshold);
		const chosen = new Int32Array(n);
		const m = this.#codes.nearest(query, this.#matched, n, want, chosen);
		return this.#rank(query, chosen, m, count, threshold);
	}

	/**
	 * The graph's candidates passing `f` (at least 4 per result and 40), or null when the graph
	 * cannot serve: none, still far behind the slots, or a filter too narrow for it (at most
	 * `exactBelow` rows can pass, or too few of its nearest pass: the scans are exact or cheaper).
	 */
	#graphCandidates(
		query: Float32Array,
		f: ColumnFilter,
		count: number,
		exactBelow: number,
	): Int32Array | null {
		const g = this.#graph;
		if (!g || this.#size - g.built > GRAPH_CATCH_UP) return null;
		const type = this.#typeCodes.find(f.type);
		const room = this.#roomCodes.find(f.room);
		const agent = this.#agentCodes.find(f.agent);
		// At most this many rows pass (the fewest holding one of the filter's values).
		const passing = Math.min(
			this.#typeCodes.liveWith(type, this.#live),
			this.#roomCodes.liveWith(room, this.#live),
			this.#agentCodes.liveWith(agent, this.#live),
		);
		// More as the graph grows: 100 gave recall@10 1.00 at 100,000 rows but 0.91 at 1,000,000.
		const wanted = Math.max(100, 10 * count, Math.ceil(this.#live / GRAPH_ROWS_PER_CANDIDATE));
		// Enough neighbours that `wanted` of them pass if the filter's rows are spread evenly.
		const first = Math.ceil((wanted * this.#live) / passing);
		if (passing <= exactBelow || passing <= wanted || first > GRAPH_MAX_K) return null;
		while (this.buildGraph());
		const out = new Int32Array(GRAPH_MAX_K);
		for (let k = first; ; k *= 4) {
			const slots = g.search(query, Math.min(k, GRAPH_MAX_K));
			let m = 0;
			for (const slot of slots) {
				if (this.#types[slot] !== type) continue;
				if (room >= 0 && this.#rooms[slot] !== room) continue;
				if (agent >= 0 && this.#agents[slot] !== agent) continue;
				if (f.uniqueOnly && this.#unique[slot] === 0) continue;
				out[m++] = slot;
			}
			if (m >= wanted) return out.subarray(0, m);
			if (k >= GRAPH_MAX_K || k >= this.#live) return null;
		}
	}
}
