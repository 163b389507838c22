/**
 * The map's projection, off the main thread: PCA first (fast, so the map draws at once), then,
 * for sets small enough, UMAP (umap-js) refining the layout epoch by epoch.
 */
import { UMAP } from "umap-js";
import { pca2 } from "./pca.js";

export interface ProjectRequest {
	job: number;
	vectors: Float32Array;
	n: number;
	dimension: number;
	/** UMAP only up to this many points; PCA alone above. */
	umapLimit: number;
}

export type ProjectReply =
	| {
			job: number;
			kind: "positions";
			method: "pca" | "umap";
			positions: Float32Array;
			done: boolean;
			progress: number;
	  }
	| { job: number; kind: "error"; message: string };

let current = 0;

self.onmessage = (e: MessageEvent<ProjectRequest>) => {
	const req = e.data;
	current = req.job;
	run(req).catch((err: unknown) =>
		post({
			job: req.job,
			kind: "error",
			message: err instanceof Error ? err.message : String(err),
		}),
	);
};

/**
 * Centres the layout and scales it into [-1, 1]: PCA and UMAP (and UMAP's successive epochs) then
 * share one frame, so the view set on the first drawing stays right.
 */
function normalise(p: Float32Array): Float32Array {
	const n = p.length / 2;
	let [cx, cy] = [0, 0];
	for (let i = 0; i < n; i++) {
		cx += p[i * 2] as number;
		cy += p[i * 2 + 1] as number;
	}
	cx /= n || 1;
	cy /= n || 1;
	let max = 0;
	for (let i = 0; i < n; i++) {
		max = Math.max(
			max,
			Math.abs((p[i * 2] as number) - cx),
			Math.abs((p[i * 2 + 1] as number) - cy),
		);
	}
	const k = max > 0 ? 1 / max : 1;
	for (let i = 0; i < n; i++) {
		p[i * 2] = ((p[i * 2] as number) - cx) * k;
		p[i * 2 + 1] = ((p[i * 2 + 1] as number) - cy) * k;
	}
	return p;
}

function post(reply: ProjectReply) {
	if (reply.kind === "positions") normalise(reply.positions);
	const transfer = reply.kind === "positions" ? [reply.positions.buffer] : [];
	(self as unknown as Worker).postMessage(reply, transfer as Transferable[]);
}

async function run(req: ProjectRequest) {
	const { vectors, n, dimension } = req;
	const useUmap = n >= 16 && n <= req.umapLimit;
	post({
		job: req.job,
		kind: "positions",
		method: "pca",
		positions: pca2(vectors, n, dimension),
		done: !useUmap,
		progress: 0,
	});
	if (!useUmap) return;
	// Chromium hands a worker's messages over when it yields: yield, so the PCA map draws now.
	await new Promise((r) => setTimeout(r, 0));

	const rows: number[][] = [];
	for (let i = 0; i < n; i++)
		rows.push(Array.from(vectors.subarray(i * dimension, (i + 1) * dimension)));
	let seed = 42;
	const random = () => {
		// A seeded generator (mulberry32): the same room draws the same map each time.
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random });
	const epochs = umap.initializeFit(rows);
	let last = performance.now();
	for (let i = 0; i < epochs; i++) {
		if (req.job !== current) return;
		umap.step();
		const now = performance.now();
		if (now - last > 250 || i === epochs - 1) {
			last = now;
			post({
				job: req.job,
				kind: "positions",
				method: "umap",
				positions: flat(umap.getEmbedding()),
				done: i === epochs - 1,
				progress: (i + 1) / epochs,
			});
			// Let a newer job's message in.
			await new Promise((r) => setTimeout(r, 0));
		}
	}
}

function flat(points: number[][]): Float32Array {
	const out = new Float32Array(points.length * 2);
	points.forEach((p, i) => {
		out[i * 2] = p[0] ?? 0;
		out[i * 2 + 1] = p[1] ?? 0;
	});
	return out;
}
