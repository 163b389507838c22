/**
 * The measurements one contender goes through, in its own process: bulk load, search latency and
 * recall (median of several runs after a warm-up), the HNSW ef_search curve, on-disk size, then
 * one-at-a-time inserts from an empty store with and without `unique`.
 */

import type { Contender } from "./contenders/contender.js";
import type { InsertStats, Measured, SearchStats } from "./results.js";
import { exactTopK, queryVector, type Workload } from "./workload.js";

export interface Truth {
	all: string[][];
	room: string[][];
}

export interface MeasureOptions {
	runs: number;
	batch: number;
	/** How many rows the one-at-a-time phases insert. */
	single: number;
	efSearch: number[];
	log: (line: string) => void;
}

const now = () => performance.now();

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i] as number;
}

export function median(values: number[]): number {
	return percentile(
		[...values].sort((a, b) => a - b),
		50,
	);
}

export function recallOf(found: string[][], truth: string[][]): number {
	let hit = 0;
	let total = 0;
	found.forEach((ids, q) => {
		const exact = new Set(truth[q]);
		total += exact.size;
		for (const id of ids) if (exact.has(id)) hit++;
	});
	return total === 0 ? 1 : hit / total;
}

/** Rows per second over consecutive tenths of the sequence, plus the whole. */
async function timeInserts(
	rows: number[],
	insert: (row: number) => Promise<void>,
): Promise<InsertStats> {
	const tenth = Math.max(1, Math.floor(rows.length / 10));
	const tenths: number[] = [];
	const start = now();
	let mark = start;
	for (let i = 0; i < rows.length; i++) {
		await insert(rows[i] as number);
		if ((i + 1) % tenth === 0 && tenths.length < 10) {
			const t = now();
			tenths.push((tenth * 1000) / (t - mark));
			mark = t;
		}
	}
	const seconds = (now() - start) / 1000;
	return {
		count: rows.length,
		rowsPerSec: rows.length / seconds,
		firstTenth: tenths[0] ?? null,
		lastTenth: tenths.at(-1) ?? null,
	};
}

async function timeBatches(c: Contender, rows: number[], batch: number): Promise<InsertStats> {
	const rates: number[] = [];
	const start = now();
	for (let i = 0; i < rows.length; i += batch) {
		const chunk = rows.slice(i, i + batch);
		const t = now();
		await c.insertBatch?.(chunk);
		rates.push((chunk.length * 1000) / (now() - t));
	}
	const seconds = (now() - start) / 1000;
	return {
		count: rows.length,
		rowsPerSec: rows.length / seconds,
		firstTenth: rates[0] ?? null,
		lastTenth: rates.at(-1) ?? null,
		medianBatchRowsPerSec: median(rates),
	};
}

/**
 * One pass over every query; per-query latencies in ms and the ids found. With `vsScan`, each
 * query's time over the Float32Array scan's for the same query, timed right after it in this
 * process, so the ratio holds while the machine's load swings. That scan streams the workload's
 * vectors (15 MB at 10,000 x 384) through the CPU caches between two queries, which made the next
 * query 0.5-0.6 ms slower (bench/probe-medium.ts's finding, bench/analysis-pg.md): so it runs in
 * its own pass, never in the timed ones, or only the contenders that report it would pay for it.
 */
async function searchPass(
	c: Contender,
	w: Workload,
	filtered: boolean,
	options: { count?: number; vsScan?: boolean } = {},
) {
	const latencies: number[] = [];
	const found: string[][] = [];
	const vsScan: number[] = [];
	for (let q = 0; q < (options.count ?? w.spec.queries); q++) {
		const v = queryVector(w, q);
		const room = filtered ? w.queryRoom[q] : undefined;
		const t = now();
		found.push(await c.search(v, w.spec.k, room));
		const took = now() - t;
		latencies.push(took);
		if (options.vsScan) {
			const s = now();
			exactTopK(w, v, w.spec.k, room);
			vsScan.push(took / (now() - s));
		}
	}
	return { latencies: latencies.sort((a, b) => a - b), found, vsScan };
}

/**
 * `queries` searches, one warm-up pass, then `runs` passes: p50/p95 over the queries of each query's
 * median time, recall@k of the first timed pass (the scale scripts, which time one search function
 * rather than a contender).
 */
export async function measureQueries(
	search: (q: number) => Promise<string[]>,
	truth: string[][],
	queries: number,
	runs: number,
): Promise<{ p50: number; p95: number; recall: number; runs: number }> {
	for (let q = 0; q < queries; q++) await search(q);
	const times: number[][] = Array.from({ length: queries }, () => []);
	const found: string[][] = [];
	for (let r = 0; r < runs; r++) {
		for (let q = 0; q < queries; q++) {
			const t = performance.now();
			const ids = await search(q);
			times[q]?.push(performance.now() - t);
			if (r === 0) found.push(ids);
		}
	}
	const perQuery = times.map(median).sort((a, b) => a - b);
	return {
		p50: percentile(perQuery, 50),
		p95: percentile(perQuery, 95),
		recall: recallOf(found, truth),
		runs,
	};
}

export async function measureSearch(
	c: Contender,
	w: Workload,
	truth: string[][],
	filtered: boolean,
	runs: number,
): Promise<SearchStats> {
	// A warm-up pass of every query, the same for every contender. 20 queries were not enough for
	// PGlite: its WASM search code keeps getting faster for hundreds of queries after a load (V8
	// tiers it up as it runs), and raw-pglite's load (row inserts, each walking the HNSW graph)
	// warms that code where agentmem's (COPY, then one index build) does not, so agentmem's first
	// timed runs were measured colder (bench/probe-pglite-contenders.ts, bench/analysis.md).
	await searchPass(c, w, filtered);
	const p50: number[] = [];
	const p95: number[] = [];
	let recall = Number.NaN;
	for (let r = 0; r < runs; r++) {
		const pass = await searchPass(c, w, filtered);
		if (r === 0) recall = recallOf(pass.found, truth);
		p50.push(percentile(pass.latencies, 50));
		p95.push(percentile(pass.latencies, 95));
	}
	// agentmem only, after the timed runs.
	const vsScan =
		c.kind === "agentmem" ? (await searchPass(c, w, filtered, { vsScan: true })).vsScan : [];
	return {
		p50: median(p50),
		p95: median(p95),
		recall,
		runs,
		...(vsScan.length ? { vsScan: median(vsScan) } : {}),
	};
}

export async function measureContender(
	c: Contender,
	w: Workload,
	truth: Truth,
	opts: MeasureOptions,
): Promise<Measured> {
	const all = Array.from({ length: w.spec.n }, (_, i) => i);
	const out: Measured = {};
	await c.open();
	if (c.insertBatch) {
		opts.log(`load ${w.spec.n} rows in batches of ${opts.batch}`);
		out.batchInsert = await timeBatches(c, all, opts.batch);
	} else {
		opts.log(`load ${w.spec.n} rows one at a time (no batch path)`);
		out.singleUnique = await timeInserts(all, (row) => c.insertOne?.(row, true) as Promise<void>);
	}
	// An index built in the background after the load serves the searches once built: measure
	// those, and how long the build took.
	const built = await c.settle?.();
	if (built != null) {
		out.indexBuildMs = built;
		opts.log(`background index built in ${(built / 1000).toFixed(1)} s`);
	}
	// One big room (ElizaOS's one-to-one agent) is searched by room only: measure that first, as
	// an unfiltered search first could warm what a room-scoped one alone would not.
	const roomFirst = w.spec.rooms === 1;
	if (roomFirst) {
		opts.log("search, room-filtered");
		out.searchRoom = await measureSearch(c, w, truth.room, true, opts.runs);
	}
	opts.log("search, unfiltered");
	out.searchAll = await measureSearch(c, w, truth.all, false, opts.runs);
	if (!roomFirst) {
		opts.log("search, room-filtered");
		out.searchRoom = await measureSearch(c, w, truth.room, true, opts.runs);
	}
	if (c.setEfSearch) {
		out.efCurve = [];
		for (const ef of opts.efSearch) {
			await c.setEfSearch(ef);
			const s = await measureSearch(c, w, truth.all, false, Math.max(1, Math.ceil(opts.runs / 2)));
			out.efCurve.push({ ef, p50: s.p50, recall: s.recall });
			opts.log(`ef_search=${ef}: p50 ${s.p50.toFixed(3)} ms, recall ${s.recall.toFixed(3)}`);
		}
	}
	out.diskBytes = await c.diskBytes();
	await c.close();
	if (c.insertBatch && c.insertOne) {
		const rows = all.slice(0, Math.min(opts.single, w.spec.n));
		// Only agentmem has a `unique` check; the raw engines store one way.
		for (const unique of c.kind === "agentmem" ? [true, false] : [false]) {
			opts.log(`insert ${rows.length} rows one at a time, unique=${unique}`);
			await c.open();
			const stats = await timeInserts(rows, (row) => c.insertOne?.(row, unique) as Promise<void>);
			if (unique) out.singleUnique = stats;
			else out.singlePlain = stats;
			await c.close();
		}
	}
	return out;
}
