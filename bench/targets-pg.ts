/**
 * Issue 17's targets for the PostgreSQL family (3: bulk loads, 4: PGlite, 5: single writes),
 * checked against saved runs, and the bulk-load and browser tables for BENCHMARKS.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserRun } from "./browser-pglite.js";
import { resultsDir } from "./paths.js";
import type { RunResult } from "./results.js";
import type { SingleWritesRun } from "./single-writes.js";
import { check, find, type Verdict } from "./targets.js";
import { type BulkPhase, type BulkRun, loadBulkRuns } from "./workload-bulk.js";

const rate = (v: number) => `${Math.round(v).toLocaleString("en-US")}/s`;
const secs = (v: number) => `${v.toFixed(1)} s`;
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

export function loadBrowserRun(): BrowserRun | undefined {
	const file = join(resultsDir, "browser-pglite.json");
	return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BrowserRun) : undefined;
}

export function loadSingleWrites(): SingleWritesRun | undefined {
	const file = join(resultsDir, "single-writes.json");
	return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SingleWritesRun) : undefined;
}

/** The largest bulk run at 384 dimensions (the issue's 100,000 × 384 when it was run). */
function bulkRun(runs: BulkRun[]): BulkRun | undefined {
	return runs.filter((r) => r.spec.dim === 384).sort((a, b) => b.spec.n - a.spec.n)[0];
}

function phaseRate(run: BulkRun | undefined, phase: BulkPhase): number | undefined {
	const p = run?.phases.find((x) => x.phase === phase && x.status === "ok");
	return p?.rowsPerSec;
}

export function postgresFamilyTargets(runs: RunResult[]): Verdict[] {
	const out: Verdict[] = [];
	const bulk = bulkRun(loadBulkRuns());
	const size = bulk ? `${bulk.spec.n.toLocaleString("en-US")} x ${bulk.spec.dim}` : "100k x 384";
	for (const [phase, limit] of [
		["agentmem-postgres-createMemories", 5_000],
		["agentmem-postgres-import", 5_000],
		["agentmem-sqlite-createMemories", 10_000],
		["agentmem-sqlite-import", 10_000],
	] as const) {
		out.push(
			check(
				`${phase} >= ${limit.toLocaleString("en-US")}/s end to end, index included (${size})`,
				phaseRate(bulk, phase),
				limit,
				true,
				rate,
			),
		);
	}
	// Interleaved one to one (single-writes.ts) when measured; else the main run's two contenders.
	const single = loadSingleWrites();
	const run = runs.find((r) => r.spec.n === 10_000 && r.spec.dim === 384 && r.spec.rooms === 100);
	const ours = single?.agentmemUnique ?? find(run, "agentmem-postgres")?.singleUnique?.rowsPerSec;
	const theirs = single?.rawInsert ?? find(run, "raw-pgvector")?.singlePlain?.rowsPerSec;
	const where = single
		? `interleaved, next to ${single.base.toLocaleString("en-US")} rows`
		: "10k x 384, contenders run one after the other";
	out.push(
		check(
			`agentmem-postgres createMemory(unique) >= 90% of raw pgvector's one-row INSERT (${where})`,
			ours && theirs ? ours / theirs : undefined,
			0.9,
			true,
			pct,
		),
	);
	const browser = loadBrowserRun();
	const perSingle = browser ? 200 / browser.singles : 1;
	out.push(
		check(
			"PGlite on IndexedDB (Chromium): 200 createMemory(unique) < 5 s, relaxedDurability + flush()",
			browser ? (browser.relaxedSeconds + browser.flushSeconds) * perSingle : undefined,
			5,
			false,
			secs,
		),
	);
	out.push(
		check(
			"PGlite on IndexedDB (Chromium): createMemories of 10,000 < 30 s (flushed)",
			browser && browser.batch === 10_000 ? browser.batchSeconds : undefined,
			30,
			false,
			secs,
		),
	);
	return out;
}

/** The bulk-load and browser tables (empty when nothing was measured). */
export function postgresFamilyTables(): string[] {
	const lines: string[] = [];
	for (const run of loadBulkRuns()) {
		lines.push(
			`### Bulk loads: ${run.spec.n.toLocaleString("en-US")} x ${run.spec.dim} into an empty store (${run.date.slice(0, 10)})`,
			"",
			"| phase | rows/s | seconds (index build) | peak RSS | on disk |",
			"| --- | ---: | ---: | ---: | ---: |",
			...run.phases.map((p) =>
				p.status === "ok"
					? `| ${p.phase} | ${rate(p.rowsPerSec ?? 0)} | ${p.seconds?.toFixed(1)}${p.indexSeconds ? ` (${p.indexSeconds.toFixed(1)})` : ""} | ${((p.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB | ${p.diskBytes ? `${(p.diskBytes / 2 ** 20).toFixed(0)} MiB` : "—"} |`
					: `| ${p.phase} | ${p.status}: ${(p.reason ?? "").split("\n")[0]} | | | |`,
			),
			"",
		);
	}
	const single = loadSingleWrites();
	if (single) {
		lines.push(
			`### Single writes on PostgreSQL, interleaved (${single.date.slice(0, 10)}, ${single.dim} dims, ${single.count} of each next to ${single.base.toLocaleString("en-US")} rows)`,
			"",
			"| write | rows/s | vs raw INSERT |",
			"| --- | ---: | ---: |",
			`| raw pgvector one-row INSERT | ${rate(single.rawInsert)} | 100% |`,
			`| agentmem createMemory(unique) | ${rate(single.agentmemUnique)} | ${pct(single.agentmemUnique / single.rawInsert)} |`,
			...(single.agentmemUniquePrepared
				? [
						`| agentmem createMemory(unique), \`preparedStatements: true\` | ${rate(single.agentmemUniquePrepared)} | ${pct(single.agentmemUniquePrepared / single.rawInsert)} |`,
					]
				: []),
			`| agentmem createMemory (no duplicate check) | ${rate(single.agentmemPlain)} | ${pct(single.agentmemPlain / single.rawInsert)} |`,
			...(single.twoStatements
				? [
						`| before: the duplicate search, then the insert (two statements) | ${rate(single.twoStatements)} | ${pct(single.twoStatements / single.rawInsert)} |`,
					]
				: []),
			"",
		);
	}
	const b = loadBrowserRun();
	if (b) {
		lines.push(
			`### PGlite on IndexedDB in Chromium (${b.date.slice(0, 10)}, 384 dims)`,
			"",
			"| what | seconds |",
			"| --- | ---: |",
			`| ${b.singles} createMemory(unique), default durability | ${b.strictSeconds.toFixed(1)} |`,
			`| ${b.singles} createMemory(unique), relaxedDurability | ${b.relaxedSeconds.toFixed(1)} |`,
			`| then flush() | ${b.flushSeconds.toFixed(2)} |`,
			`| createMemories of ${b.batch.toLocaleString("en-US")} (relaxedDurability, flushed) | ${b.batchSeconds.toFixed(1)} |`,
			"",
		);
	}
	return lines;
}
