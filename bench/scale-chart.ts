/**
 * The scale runs (`npm run bench:scale`, bench/results/scale-postgres-n*.json) in the charts: the
 * largest run's recall against latency, agentmem's searches (ef_search by table size, `efSearch:
 * 80`, the room-filtered exact read) beside raw pgvector's halfvec and vector at ef_search 40/80.
 * (Not in the latency-vs-N chart: its legend is full, and these runs load and measure differently.)
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, type Series } from "./chart.js";
import { resultsDir } from "./paths.js";
import type { ScaleRun } from "./scale-postgres.js";

export function loadScaleRuns(): ScaleRun[] {
	if (!existsSync(resultsDir)) return [];
	return readdirSync(resultsDir)
		.filter((f) => /^scale-postgres-n\d+\.json$/.test(f))
		.map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as ScaleRun)
		.sort((a, b) => a.spec.n - b.spec.n);
}

/** Recall@k against p50 at the largest scale run of `dim`; null when there is none. */
export function scaleRecallChart(runs: ScaleRun[], dim: number): string | null {
	const run = runs.filter((r) => r.spec.dim === dim && r.agentmem?.status === "ok").at(-1);
	const a = run?.agentmem;
	if (!run || !a) return null;
	const series: Series[] = [];
	const point = (label: string, l: { p50: number; recall: number } | undefined) =>
		l ? [{ x: l.p50, y: l.recall, label }] : [];
	series.push({
		name: "agentmem-postgres",
		points: [...point("ef by table size", a.searchAll), ...point("efSearch 80", a.searchAllEf80)],
	});
	series.push({ name: "agentmem-postgres (room)", points: point("exact read", a.searchRoom) });
	for (const t of run.halfvecVsVector?.tables ?? []) {
		series.push({
			name: `raw ${t.type}`,
			points: t.search
				.map((s) => ({ x: s.p50, y: s.recall, label: `${s.efSearch}` }))
				.sort((p, q) => p.x - q.x),
			dashed: true,
		});
	}
	return lineChart({
		title: `PostgreSQL at ${run.spec.n.toLocaleString("en-US")} × ${dim}: recall@${run.spec.k} vs p50`,
		xLabel: "p50 latency, ms (log)",
		yLabel: `recall@${run.spec.k}`,
		xLog: true,
		yRange: [0, 1],
		series: series.filter((s) => s.points.length > 0),
	});
}
