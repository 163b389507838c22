/** The shape of a bench run as saved in bench/results/*.json, and where those files live. */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ContenderKind } from "./contenders/contender.js";
import { repoRoot, resultsDir } from "./paths.js";
import type { WorkloadSpec } from "./workload.js";

export interface InsertStats {
	count: number;
	rowsPerSec: number;
	/** Rate over the first and the last tenth of the sequence (batches: first and last batch). */
	firstTenth: number | null;
	lastTenth: number | null;
	medianBatchRowsPerSec?: number;
}

export interface SearchStats {
	/** Milliseconds: medians over `runs` runs of each run's percentile. */
	p50: number;
	p95: number;
	recall: number;
	runs: number;
	/** agentmem only: median over queries of its time / the Float32Array scan's, timed back to back. */
	vsScan?: number;
}

/** What measure.ts finds out about one contender. */
export type Measured = Pick<
	ContenderResult,
	| "batchInsert"
	| "singleUnique"
	| "singlePlain"
	| "searchAll"
	| "searchRoom"
	| "efCurve"
	| "diskBytes"
	| "indexBuildMs"
>;

export interface ContenderResult {
	name: string;
	kind: ContenderKind;
	engine: string;
	status: "ok" | "unavailable" | "failed";
	reason?: string;
	exact?: boolean;
	/** The agentmem adapter's `capabilities.vectorSearch` (absent in results saved before it). */
	searchKind?: string;
	batchInsert?: InsertStats;
	singleUnique?: InsertStats;
	singlePlain?: InsertStats;
	searchAll?: SearchStats;
	searchRoom?: SearchStats;
	efCurve?: { ef: number; p50: number; recall: number }[];
	/**
	 * Background index work after the load, waited for before the searches (SQLite's HNSW graph):
	 * from the first search to the index serving, in ms.
	 */
	indexBuildMs?: number;
	diskBytes?: number | null;
	/** Peak resident set of the contender's process, and its resident set before the store opened. */
	peakRssBytes?: number;
	baseRssBytes?: number;
	seconds?: number;
	/** When this contender was measured (a run for one backend keeps the others' earlier results). */
	date?: string;
}

export interface Machine {
	cpu: string;
	cores: number;
	memoryGiB: number;
	os: string;
	node: string;
	postgres: string | null;
}

export interface RunResult {
	spec: WorkloadSpec;
	options: { runs: number; batch: number; single: number };
	command: string;
	date: string;
	machine: Machine;
	elizaInstall: string;
	contenders: ContenderResult[];
}

/** Formats a generated file as the repository's formatter wants it, so `npm run lint` stays clean. */
export function formatGenerated(file: string): void {
	spawnSync(join(repoRoot, "node_modules", ".bin", "biome"), ["format", "--write", file], {
		stdio: "ignore",
	});
}

export function resultFile(spec: WorkloadSpec): string {
	return join(resultsDir, `run-n${spec.n}-d${spec.dim}-r${spec.rooms}.json`);
}

/** Saves the run, keeping earlier results (same workload) of contenders this run did not measure. */
export function saveRun(run: RunResult): string {
	mkdirSync(resultsDir, { recursive: true });
	const file = resultFile(run.spec);
	if (existsSync(file)) {
		const earlier = JSON.parse(readFileSync(file, "utf8")) as RunResult;
		const sameWorkload = JSON.stringify(earlier.spec) === JSON.stringify(run.spec);
		const measured = new Set(run.contenders.map((c) => c.name));
		const kept = earlier.contenders.filter(
			(c) => sameWorkload && !measured.has(c.name) && c.status === "ok",
		);
		for (const c of kept) c.date ??= earlier.date;
		run.contenders.push(...kept);
	}
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
	return file;
}

/** Every saved run, ordered by dimension, then rows, then rooms. */
export function loadRuns(): RunResult[] {
	if (!existsSync(resultsDir)) return [];
	return readdirSync(resultsDir)
		.filter((f) => /^run-.*\.json$/.test(f))
		.map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as RunResult)
		.sort((a, b) => a.spec.dim - b.spec.dim || a.spec.n - b.spec.n || a.spec.rooms - b.spec.rooms);
}
