/**
 * The prose of BENCHMARKS.md: how the numbers are made, and why each contender is as fast or as
 * slow as it is (read from the engines' and ElizaOS's code, not inferred from the numbers).
 */

import type { RunResult } from "./results.js";

export const METHOD = [
	"## Method",
	"",
	"- **Workload** (bench/workload.ts, seeded): N unit vectors drawn around √N random centres (Gaussian noise, then L2-normalised), spread uniformly over the rooms; each query is a stored vector plus noise, and its room-filtered twin is restricted to that vector's room (with 100 rooms, ~1% of the rows). The exact top-k comes from a Float32Array brute force, computed once per run.",
	"- **Isolation**: every contender runs in its own Node process on the same data (peak RSS is that process's; PostgreSQL's server memory is not in it). PostgreSQL contenders get their own scratch database (`agentmem_bench_*`, dropped afterwards).",
	"- **Search**: a warm-up pass over every query (since 2026-12-01 10:45 UTC; 20 queries before, which left a PGlite process loaded by COPY colder than one loaded row by row), then several passes over every query; p50/p95 are the medians over the passes, recall@k is measured on the first pass (ids returned ∩ exact ids / k). The Float32Array scan behind `vsScan` runs in its own pass after the timed ones.",
	"- **Inserts**: `createMemories` in batches into an empty store with its indexes in place (rows/s over the whole load); then `createMemory` one at a time from an empty store, with `unique` and without, timed per tenth so growth shows (first → last tenth).",
	"- **Other runs** (each saves its own JSON in bench/results/, read by this report): `npm run bench -- --bulk` (100,000-row bulk loads), `npm run bench:single` (PostgreSQL single writes interleaved with raw pgvector's INSERT; `BENCH_DIM`), `npm run bench:scale` (PostgreSQL at `BENCH_N`, default 1,000,000, with halfvec against vector; `BENCH_SCALE_RAW=0` keeps the previous run's raw phase), `npm run bench:browser` (PGlite on IndexedDB in Chromium), `npm run bench:service` (the memory service against the same search in process); probes (bench/probe-*.ts) are one-off measurements the analysis cites.",
	"- **On disk**: SQLite file + WAL; PostgreSQL and PGlite: `pg_total_relation_size` of the user tables (tables, indexes, TOAST).",
	"- **Baselines**, same data, same run: `raw-pgvector` and `raw-pglite` (hand-written `ORDER BY embedding <=> $1 LIMIT k` on a table with an HNSW cosine index and a btree on the room, `hnsw.iterative_scan = strict_order`, and `hnsw.ef_search = 80`: the value agentmem uses for k <= 20, so both sides search at the same accuracy; the `ef_search` curve shows the others), `raw-sqlite-vec` (a `vec0` KNN in the layout agentmem's SQLite backend uses: room partition key, `chunk_size=8`) and `raw-sqlite-vec-flat` (room as a metadata column, default chunks), `float32-scan` (the exact scan in this process: the physical bound for exact search), and ElizaOS 0.1.9's `@elizaos/adapter-sqlite` / `@elizaos/adapter-postgres`, installed into `.bench-tmp/eliza` at bench time and driven through their own `createMemory` / `searchMemoriesByEmbedding`.",
	"",
];

/** Why a contender behaves as it does; shown when the contender appears in a run. */
const WHY: Record<string, string> = {
	"eliza-sqlite":
		"**ElizaOS adapter-sqlite** stores vectors in a plain BLOB column and searches with `vec_distance_L2` over every row of the agent (a full scan), then sorts by distance *descending*: it returns the farthest memories, hence its recall near 0. `createMemory` ignores its `unique` argument and always runs that scan first, so inserts slow down as the table grows.",
	"eliza-postgres":
		"**ElizaOS adapter-postgres** orders by L2 distance (`<->`) while its HNSW index is built for cosine (`vector_cosine_ops`), so the index is never used: every search and every `createMemory` (which always runs a dedup search) is a sequential scan. Its vector column is fixed by its schema: `vector(384)`, or 1536/1024/768 through `USE_OPENAI_EMBEDDING`-style settings; other dimensions cannot run.",
	"raw-pgvector":
		"**pgvector HNSW** maintains the graph on every insert: on 2 cores that costs about a millisecond per 384-dim row, so even the raw batch insert stays at 400–800 rows/s here with the index in place. Loading first and building the index afterwards (`CREATE INDEX` with a large `maintenance_work_mem`) is the way past it. Filtered queries use the iterative index scan (pgvector 0.8), which can miss a few rows of a small room.",
	"raw-pglite":
		"**PGlite** is PostgreSQL compiled to WebAssembly, single-threaded, in this process: the same SQL as PostgreSQL without a network hop, but pgvector's distance loop runs as WASM without native SIMD and the WASM heap shows in the process's RSS.",
	"raw-sqlite-vec":
		"**sqlite-vec 0.1.9** `vec0` is a brute-force scan (exact, recall 1.0) whose cost grows linearly with N. With the room as a partition key a room-filtered query reads only that room's chunks (fast), while an unfiltered one walks every partition's small chunks; the flat layout is the opposite trade.",
	"agentmem-sqljs":
		"**SQL.js** has no vector extension: vectors are Float32 BLOBs decoded and compared in JavaScript, row by row, after SQLite (WASM) hands them over; `float32-scan` is the bound for that approach.",
};

export function explanations(runs: RunResult[]): string[] {
	const present = new Set(
		runs.flatMap((r) => r.contenders.filter((c) => c.status === "ok").map((c) => c.name)),
	);
	const lines = Object.entries(WHY)
		.filter(([name]) => present.has(name))
		.map(([, text]) => `- ${text}`);
	return lines.length ? ["## Why each engine is as fast as it is", "", ...lines, ""] : [];
}
