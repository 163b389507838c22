/**
 * The map's points and their 2-D positions: fetches a scope's embeddings, then projects them in
 * the worker (worker.ts: PCA at once, then UMAP for sets up to UMAP_LIMIT), each new layout
 * replacing the last. A new scope or limit starts over (the old worker is terminated).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import type { MapData } from "../types.js";
import type { ProjectReply, ProjectRequest } from "./worker.js";

const UMAP_LIMIT = 20_000;

/** What the tests (and the curious) can read: how long from data arrival to the first drawing. */
declare global {
	interface Window {
		__explorerMap?: { points: number; arrivedToDrawnMs: number; method: string; done: boolean };
	}
}

/** A layout from the worker; `fit` on the first of a scope (the view is fitted to it). */
export interface Positions {
	p: Float32Array;
	method: string;
	progress: number;
	fit: boolean;
}

export function useProjection(roomId: string | undefined, limit: number) {
	const [data, setData] = useState<MapData | null>(null);
	const [positions, setPositions] = useState<Positions | null>(null);
	const [error, setError] = useState<unknown>(null);
	/** When the data arrived (performance.now()). */
	const arrived = useRef(0);

	useEffect(() => {
		setData(null);
		setPositions(null);
		setError(null);
		window.__explorerMap = undefined;
		const worker = new Worker(new URL("./map-worker.js", location.href), { type: "module" });
		let job = 0;
		let cancelled = false;
		worker.onmessage = (e: MessageEvent<ProjectReply>) => {
			const r = e.data;
			if (r.kind === "error") return setError(new Error(`Projection failed: ${r.message}`));
			setPositions((old) => ({
				p: r.positions,
				method: r.method,
				progress: r.progress,
				fit: old === null,
			}));
			if (window.__explorerMap) {
				window.__explorerMap.method = r.method;
				window.__explorerMap.done = r.done;
			}
		};
		worker.onerror = (e) => setError(new Error(`Projection worker: ${e.message}`));
		api
			.mapData({ limit, ...(roomId ? { roomId } : {}) })
			.then((d) => {
				if (cancelled) return;
				arrived.current = performance.now();
				setData(d);
				const request: ProjectRequest = {
					job: ++job,
					vectors: d.vectors,
					n: d.ids.length,
					dimension: d.dimension,
					umapLimit: UMAP_LIMIT,
				};
				worker.postMessage(request);
			})
			.catch((e) => !cancelled && setError(e));
		return () => {
			cancelled = true;
			worker.terminate();
		};
	}, [roomId, limit]);

	return { data, positions, error, arrived };
}
