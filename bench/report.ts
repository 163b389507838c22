/** Writes BENCHMARKS.md and the SVG charts from every saved run in bench/results/. */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChart, type Series } from "./chart.js";
import { explanations, METHOD } from "./notes.js";
import { repoRoot, resultsDir } from "./paths.js";
import { type ContenderResult, formatGenerated, loadRuns, type RunResult } from "./results.js";
import { loadScaleRuns, scaleRecallChart } from "./scale-chart.js";
import { ELIZA_PAIR, evaluateTargets, find, RAW_PAIR } from "./targets.js";
import { bigRoomChart, embeddedTargets } from "./targets-embedded.js";
import { postgresFamilyTables, postgresFamilyTargets } from "./targets-pg.js";
import { serviceSection } from "./targets-service.js";

const ms = (v: number | undefined) =>
	v === undefined ? "—" : v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1);
const int = (v: number | undefined | null) =>
	v == null ? "—" : Math.round(v).toLocaleString("en-US");
const mib = (v: number | undefined | null) => (v == null ? "—" : `${(v / 2 ** 20).toFixed(1)} MiB`);
const ratio = (a: number | undefined, b: number | undefined) =>
	a && b ? `${(a / b).toFixed(2)}x` : "—";
const KIND_ORDER = ["agentmem", "raw", "scan", "eliza"];
/** The run's measured contenders: agentmem first, then raw engines, the scan, ElizaOS. */
const ok = (run: RunResult) =>
	run.contenders
		.filter((c) => c.status === "ok")
		.sort(
			(a, b) =>
				KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name),
		);

function searchTable(run: RunResult): string[] {
	const rows = ok(run).map((c) => {
		const raw = find(run, RAW_PAIR[c.name] ?? "");
		return `| ${c.name} | ${ms(c.searchAll?.p50)} | ${ms(c.searchAll?.p95)} | ${c.searchAll?.recall.toFixed(3) ?? "—"} | ${ms(c.searchRoom?.p50)} | ${ms(c.searchRoom?.p95)} | ${c.searchRoom?.recall.toFixed(3) ?? "—"} | ${raw ? `${ratio(c.searchAll?.p50, raw.searchAll?.p50)} / ${ratio(c.searchRoom?.p50, raw.searchRoom?.p50)} (${raw.name})` : ""} |`;
	});
	return [
		`| contender | unfiltered p50 ms | p95 ms | recall@${run.spec.k} | room p50 ms | p95 ms | recall@${run.spec.k} | p50 vs raw engine (unfiltered / room) |`,
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
		...rows,
	];
}

function insertCell(s: ContenderResult["singleUnique"]): string {
	if (!s) return "—";
	return `${int(s.rowsPerSec)} (${int(s.firstTenth)} → ${int(s.lastTenth)})`;
}

function insertTable(run: RunResult): string[] {
	const rows = ok(run)
		.filter((c) => c.kind !== "scan")
		.map((c) => {
			const eliza = find(run, ELIZA_PAIR[c.name] ?? "");
			const vs = eliza
				? `${ratio(c.singleUnique?.rowsPerSec, eliza.singleUnique?.rowsPerSec)} (${eliza.name})`
				: "";
			const plain = c.kind === "eliza" ? "same path" : insertCell(c.singlePlain);
			return `| ${c.name} | ${int(c.batchInsert?.rowsPerSec)} | ${insertCell(c.singleUnique)} | ${plain} | ${vs} |`;
		});
	return [
		"| contender | createMemories (batch) rows/s | createMemory unique rows/s (first → last tenth) | createMemory rows/s (first → last tenth) | unique vs ElizaOS |",
		"| --- | ---: | ---: | ---: | --- |",
		...rows,
	];
}

function resourceTable(run: RunResult): string[] {
	const rows = ok(run).map(
		(c) =>
			`| ${c.name} | ${mib(c.peakRssBytes)} | ${mib(c.baseRssBytes)} | ${c.diskBytes == null ? "in memory" : mib(c.diskBytes)} | ${c.seconds?.toFixed(0) ?? "—"} s |`,
	);
	return [
		"| contender | peak RSS | RSS before open | on disk | wall time |",
		"| --- | ---: | ---: | ---: | ---: |",
		...rows,
	];
}

function runSection(run: RunResult): string[] {
	const { spec } = run;
	const down = run.contenders.filter((c) => c.status !== "ok");
	const stale = ok(run).filter((c) => c.date && c.date.slice(0, 10) !== run.date.slice(0, 10));
	return [
		`## ${spec.n.toLocaleString("en-US")} memories × ${spec.dim} dims, ${spec.rooms} room${spec.rooms > 1 ? "s" : ""}`,
		"",
		`\`${run.command}\` — ${run.date.slice(0, 16).replace("T", " ")} UTC; ${spec.queries} queries, k = ${spec.k}, seed ${spec.seed}; search figures are medians of ${run.options.runs} runs after a warm-up; one-at-a-time inserts: ${run.options.single.toLocaleString("en-US")} rows into an empty store. ${run.elizaInstall}.`,
		...(stale.length
			? [
					"",
					`Kept from an earlier run: ${stale.map((c) => `${c.name} (${c.date?.slice(0, 10)})`).join(", ")}.`,
				]
			: []),
		"",
		"### Search",
		"",
		...searchTable(run),
		"",
		"### Inserts",
		"",
		...insertTable(run),
		"",
		"### Memory and disk",
		"",
		...resourceTable(run),
		...(down.length
			? [
					"",
					"### Not measured",
					"",
					...down.map((c) => `- **${c.name}**: ${c.status} — ${(c.reason ?? "").split("\n")[0]}`),
				]
			: []),
		"",
	];
}

function charts(runs: RunResult[], dim: number): { latency: string; recall: string } {
	const latency: Series[] = [];
	for (const name of new Set(runs.flatMap((r) => ok(r).map((c) => c.name)))) {
		for (const [mode, key, dashed] of [
			["", "searchAll", false],
			[" (room)", "searchRoom", true],
		] as const) {
			const points = runs
				.filter((r) => r.spec.dim === dim && r.spec.rooms === 100)
				.flatMap((r) => {
					const c = find(r, name)?.[key];
					return c ? [{ x: r.spec.n, y: c.p50 }] : [];
				});
			if (points.length && (!dashed || name.startsWith("agentmem")))
				latency.push({ name: name + mode, points, dashed });
		}
	}
	// The largest 100-room run (every backend runs it, with HNSW curves); the single-backend
	// big-room runs (e.g. SQLite alone at 1,000,000) have their own chart.
	const largest = runs
		.filter((r) => r.spec.dim === dim)
		.sort((a, b) => b.spec.rooms - a.spec.rooms || b.spec.n - a.spec.n)[0];
	const recall: Series[] = [];
	for (const c of largest ? ok(largest) : []) {
		if (c.efCurve) {
			recall.push({
				name: `${c.name} (ef_search)`,
				points: c.efCurve.map((e) => ({ x: e.p50, y: e.recall, label: `${e.ef}` })),
			});
		} else if (c.searchAll) {
			recall.push({ name: c.name, points: [{ x: c.searchAll.p50, y: c.searchAll.recall }] });
		}
	}
	const nLabel = largest ? `${largest.spec.n.toLocaleString("en-US")} × ${dim}` : "";
	return {
		latency: lineChart({
			title: `Search p50 vs N (${dim} dims, 100 rooms)`,
			xLabel: "memories (N)",
			yLabel: "p50 latency, ms",
			xLog: true,
			yLog: true,
			series: latency,
		}),
		recall: lineChart({
			title: `Recall@k vs latency, unfiltered (${nLabel})`,
			xLabel: "p50 latency, ms (log)",
			yLabel: "recall@k",
			xLog: true,
			yRange: [0, 1],
			series: recall,
		}),
	};
}

/** The three-line summary (also pasted into the README). */
export function summary(runs: RunResult[]): string[] {
	// The standard workload (100 rooms): the big-room and medium runs have their own sections.
	const run =
		runs.find((r) => r.spec.n === 10_000 && r.spec.dim === 384 && r.spec.rooms === 100) ??
		runs.find((r) => r.spec.n === 10_000 && r.spec.dim === 384) ??
		runs[0];
	if (!run) return ["No benchmark has been run yet."];
	const lines: string[] = [];
	for (const [name, raw] of Object.entries(RAW_PAIR)) {
		const a = find(run, name);
		const b = find(run, raw);
		const e = find(run, ELIZA_PAIR[name] ?? "");
		if (!a) continue;
		const parts = [
			`search p50 ${ms(a.searchAll?.p50)} ms (recall ${a.searchAll?.recall.toFixed(2)})`,
		];
		if (b) parts.push(`${ratio(a.searchAll?.p50, b.searchAll?.p50)} the raw engine`);
		if (a.batchInsert) parts.push(`${int(a.batchInsert.rowsPerSec)} batch inserts/s`);
		if (e)
			parts.push(
				`${ratio(a.singleUnique?.rowsPerSec, e.singleUnique?.rowsPerSec)} ElizaOS's createMemory rate`,
			);
		lines.push(`- **${name.slice(9)}**: ${parts.join(", ")}.`);
	}
	return lines.length ? lines : ["No agentmem backend has been measured yet (only baselines)."];
}

/** bench/analysis*.md: the hand-written reading of the latest numbers, included as they are. */
function analysis(name = "analysis.md"): string[] {
	const file = join(repoRoot, "bench", name);
	return existsSync(file) ? [readFileSync(file, "utf8").trim(), ""] : [];
}

export function writeReport(): string {
	const runs = loadRuns();
	const dims = [...new Set(runs.map((r) => r.spec.dim))];
	const scale = loadScaleRuns();
	const chartLinks: string[] = [];
	for (const dim of dims) {
		const { latency, recall } = charts(runs, dim);
		writeFileSync(join(resultsDir, `latency-vs-n-d${dim}.svg`), latency);
		writeFileSync(join(resultsDir, `recall-vs-latency-d${dim}.svg`), recall);
		chartLinks.push(
			`![search latency vs N, ${dim} dims](bench/results/latency-vs-n-d${dim}.svg)`,
			"",
		);
		chartLinks.push(
			`![recall vs latency, ${dim} dims](bench/results/recall-vs-latency-d${dim}.svg)`,
			"",
		);
		const bigRoom = bigRoomChart(runs, dim);
		if (bigRoom) {
			writeFileSync(join(resultsDir, `big-room-latency-vs-n-d${dim}.svg`), bigRoom);
			chartLinks.push(
				`![one big room: search latency vs N, ${dim} dims](bench/results/big-room-latency-vs-n-d${dim}.svg)`,
				"",
			);
		}
		const scaleRecall = scaleRecallChart(scale, dim);
		if (scaleRecall) {
			writeFileSync(join(resultsDir, `scale-recall-vs-latency-d${dim}.svg`), scaleRecall);
			chartLinks.push(
				`![PostgreSQL at scale: recall vs latency, ${dim} dims](bench/results/scale-recall-vs-latency-d${dim}.svg)`,
				"",
			);
		}
	}
	const machine = runs.at(-1)?.machine;
	const targets = dims.flatMap((d) => evaluateTargets(runs, d));
	const md = [
		"# Benchmarks",
		"",
		"<!-- Generated by `npm run bench` (bench/report.ts) from bench/results/*.json: edit the generator, not this file. -->",
		"",
		...summary(runs),
		"",
		...(machine
			? [
					`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.postgres ?? "no PostgreSQL"}.`,
					"",
				]
			: []),
		"## Targets (issue 7)",
		"",
		"| target | measured | verdict |",
		"| --- | --- | --- |",
		...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.verdict} |`),
		"",
		...analysis(),
		"## Targets (issue 17: the embedded backends)",
		"",
		"| target | measured | verdict |",
		"| --- | --- | --- |",
		...embeddedTargets(runs).map((t) => `| ${t.target} | ${t.measured} | ${t.verdict} |`),
		"",
		...analysis("analysis-embedded.md"),
		"## Targets (issue 17: bulk loads, PGlite, PostgreSQL single writes)",
		"",
		"| target | measured | verdict |",
		"| --- | --- | --- |",
		...postgresFamilyTargets(runs).map((t) => `| ${t.target} | ${t.measured} | ${t.verdict} |`),
		"",
		...postgresFamilyTables(),
		...analysis("analysis-pg.md"),
		...serviceSection(),
		"## Charts",
		"",
		...chartLinks,
		...METHOD,
		...explanations(runs),
		...runs.flatMap(runSection),
	];
	const file = join(repoRoot, "BENCHMARKS.md");
	writeFileSync(file, `${md.join("\n")}\n`);
	formatGenerated(file);
	return file;
}
