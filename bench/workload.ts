/**
 * The seeded, reproducible workload: clustered Gaussian vectors (many centres, L2-normalised) so
 * that approximate search has something to get wrong, rooms that split the rows evenly, queries
 * drawn near the data, and the exact answer by brute force. Same seed, same bytes, in every process.
 */
import { seededRng } from "../test/support/random.js";

export interface WorkloadSpec {
	n: number;
	dim: number;
	queries: number;
	rooms: number;
	k: number;
	seed: number;
}

export interface Workload {
	spec: WorkloadSpec;
	/** Row i's vector is `vectors.subarray(i * dim, (i + 1) * dim)`; unit length. */
	vectors: Float32Array;
	ids: string[];
	/** Index into `roomIds` for each row. */
	roomOf: Uint16Array;
	roomIds: string[];
	agentId: string;
	userId: string;
	queryVectors: Float32Array;
	/** The room each query is filtered to (the room of the row it was drawn near). */
	queryRoom: Uint16Array;
}

function gaussian(rand: () => number): () => number {
	return () => {
		const u = 1 - rand();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
	};
}

function uuid(rand: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
	hex[12] = "4";
	hex[16] = "89ab"[Math.floor(rand() * 4)] as string;
	const h = hex.join("");
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function normalise(v: Float32Array): void {
	let s = 0;
	for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
	const inv = 1 / Math.sqrt(s);
	for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
}

/** Centre + isotropic noise, normalised. `spread` is the noise norm relative to the centre's. */
function nearPoint(centre: Float32Array, spread: number, gauss: () => number): Float32Array {
	const dim = centre.length;
	const out = new Float32Array(dim);
	const scale = spread / Math.sqrt(dim);
	for (let i = 0; i < dim; i++) out[i] = (centre[i] as number) + gauss() * scale;
	normalise(out);
	return out;
}

export function generateWorkload(spec: WorkloadSpec): Workload {
	const { n, dim, queries, rooms, seed } = spec;
	const rand = seededRng(seed);
	const gauss = gaussian(rand);
	const centres = Array.from({ length: Math.max(16, Math.round(Math.sqrt(n))) }, () => {
		const c = new Float32Array(dim);
		for (let i = 0; i < dim; i++) c[i] = gauss();
		normalise(c);
		return c;
	});
	const vectors = new Float32Array(n * dim);
	for (let r = 0; r < n; r++) {
		const centre = centres[Math.floor(rand() * centres.length)] as Float32Array;
		vectors.set(nearPoint(centre, 0.8, gauss), r * dim);
	}
	const roomIds = Array.from({ length: rooms }, () => uuid(rand));
	const roomOf = new Uint16Array(n);
	for (let r = 0; r < n; r++) roomOf[r] = Math.floor(rand() * rooms);
	const ids = Array.from({ length: n }, () => uuid(rand));
	const queryVectors = new Float32Array(queries * dim);
	const queryRoom = new Uint16Array(queries);
	for (let q = 0; q < queries; q++) {
		const row = Math.floor(rand() * n);
		queryVectors.set(nearPoint(vectors.subarray(row * dim, (row + 1) * dim), 0.5, gauss), q * dim);
		queryRoom[q] = roomOf[row] as number;
	}
	return {
		spec,
		vectors,
		ids,
		roomOf,
		roomIds,
		agentId: uuid(rand),
		userId: uuid(rand),
		queryVectors,
		queryRoom,
	};
}

export function rowVector(w: Workload, row: number): Float32Array {
	return w.vectors.subarray(row * w.spec.dim, (row + 1) * w.spec.dim);
}

export function queryVector(w: Workload, q: number): Float32Array {
	return w.queryVectors.subarray(q * w.spec.dim, (q + 1) * w.spec.dim);
}

/**
 * The k rows with the highest dot product (= cosine: every vector is unit length) among rows
 * `0..rowCount-1`, optionally only those in `room`; best first. A tight Float32Array loop: this is
 * both the ground truth and the "physical bound" baseline for exact search in this process.
 */
export function exactTopK(
	w: Workload,
	query: Float32Array,
	k: number,
	room: number | undefined,
	rowCount = w.spec.n,
): number[] {
	const { dim } = w.spec;
	const { vectors, roomOf } = w;
	const bestRow = new Int32Array(k).fill(-1);
	const bestScore = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
	for (let r = 0; r < rowCount; r++) {
		if (room !== undefined && roomOf[r] !== room) continue;
		let dot = 0;
		const base = r * dim;
		for (let i = 0; i < dim; i++) dot += (query[i] as number) * (vectors[base + i] as number);
		if (dot <= (bestScore[k - 1] as number)) continue;
		let j = k - 1;
		while (j > 0 && (bestScore[j - 1] as number) < dot) {
			bestScore[j] = bestScore[j - 1] as number;
			bestRow[j] = bestRow[j - 1] as number;
			j--;
		}
		bestScore[j] = dot;
		bestRow[j] = r;
	}
	return Array.from(bestRow).filter((r) => r >= 0);
}

/** Exact answers for every query, unfiltered and filtered to the query's room, as row ids. */
export function groundTruth(w: Workload): { all: string[][]; room: string[][] } {
	const all: string[][] = [];
	const room: string[][] = [];
	for (let q = 0; q < w.spec.queries; q++) {
		const v = queryVector(w, q);
		all.push(exactTopK(w, v, w.spec.k, undefined).map((r) => w.ids[r] as string));
		room.push(exactTopK(w, v, w.spec.k, w.queryRoom[q]).map((r) => w.ids[r] as string));
	}
	return { all, room };
}
