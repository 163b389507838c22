/**
 * Probe of PostgreSQL search at scale (issue 17's scale-report finding; bench/analysis-pg.md):
 * PROBE_N memories (default 200,000) of 384 dimensions loaded by agentmem's `importRecords`
 * (binary COPY, the HNSW index built after), in rooms of chosen sizes (200 … 50,000 rows) plus 80
 * background rooms, then VACUUM ANALYZE. In one process, on that one table:
 * 1. Room+agent filtered searches for each room size: the plan PostgreSQL picks for migration
 *    005's statement (EXPLAIN ANALYZE), and p50/recall@10 of three forms — migration 003's function
 *    as the planner runs it, the exact form (an ORDER BY the HNSW index cannot supply) and the HNSW
 *    form (sorts disabled) — plus the adapter's search and the cost of estimating the room's size.
 * 2. Unfiltered: recall@10 and p50 against hnsw.ef_search, through the function, and the adapter.
 * 3. PROBE_EFC (e.g. "64,128"): the index rebuilt with each ef_construction (timed), each followed
 *    by the unfiltered curve.
 * PROBE_AB=1 adds, per room, interleaved rounds of 003's function at ef_search 80 and 160 and 013's
 * with and without the room count. PROBE_SIZES, PROBE_EFS (may be empty), PROBE_QUERIES choose the
 * rest. Runs behind bench/analysis-pg.md's "Search at scale": results in
 * bench/results/probe-scale-search-n200000-*.json (PROBE_OUT, copied there).
 * Build and run under the bench lock:
 *   npx esbuild bench/probe-scale-search.ts --bundle --packages=external --platform=node \
 *     --format=esm --target=node20 --outfile=.bench-tmp/bench/probe-scale-search.js
 *   flock /tmp/bench.lock node .bench-tmp/bench/probe-scale-search.js
 * Prints JSON lines; PROBE_OUT=<file> also writes the summary there.
 */

import { writeFileSync } from "node:fs";
import pg from "pg";
import { exactBelowFor } from "../src/backends/postgres/search-plan.js";
import type { UUID } from "../src/core/types.js";
import { toPgVectorText } from "../src/core/vector.js";
import { createAdapter } from "../src/index.js";
import { dropDatabase, freshDatabase } from "./contenders/pg-admin.js";
import { measureQueries, median } from "./measure.js";
import { exactTopK, generateWorkload, queryVector } from "./workload.js";
import { records } from "./workload-bulk.js";

const n = Number(process.env.PROBE_N ?? 200_000);
const QUERIES = Number(process.env.PROBE_QUERIES ?? 100);
const SIZES = (process.env.PROBE_SIZES ?? "200,500,1000,2000,5000,10000,20000,50000")
	.split(",")
	.map(Number);
const EFS = (process.env.PROBE_EFS ?? "40,80,120,160,240,320,480,640")
	.split(",")
	.filter(Boolean)
	.map(Number);
const EFC = (process.env.PROBE_EFC ?? "").split(",").filter(Boolean).map(Number);
const BACKGROUND = 80;
const K = 10;
const DB = "c_probe";

const started = performance.now();
const log = (line: string) =>
	process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
const out: Record<string, unknown> = { n, queries: QUERIES, date: new Date().toISOString() };
const emit = (key: string, value: unknown) => {
	out[key] = value;
	process.stdout.write(`${JSON.stringify({ [key]: value })}\n`);
	if (process.env.PROBE_OUT) writeFileSync(process.env.PROBE_OUT, JSON.stringify(out, null, 1));
};

const w = generateWorkload({ n, dim: 384, queries: QUERIES, rooms: 1, k: K, seed: 42 });
// Rooms of the chosen sizes first, then the rest spread over the background rooms.
const rand = (() => {
	let s = 7;
	return () => {
		s = (s * 1103515245 + 12345) % 2 ** 31;
		return s.toString(16).padStart(8, "0");
	};
})();
const uuid = () =>
	`${rand()}-${rand().slice(0, 4)}-4${rand().slice(0, 3)}-8${rand().slice(0, 3)}-${rand()}${rand().slice(0, 4)}`;
w.roomIds = Array.from({ length: SIZES.length + BACKGROUND }, uuid);
{
	let row = 0;
	SIZES.forEach((size, room) => {
		for (let i = 0; i < size; i++) w.roomOf[row++] = room;
	});
	for (let r = row; r < n; r++) w.roomOf[r] = SIZES.length + (r % BACKGROUND);
}
const texts = Array.from({ length: QUERIES }, (_, q) => toPgVectorText(queryVector(w, q)));
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).slice(0, K);

/** One warm-up pass, then `runs` passes (measureQueries), rounded as the saved results are. */
async function measure(search: (q: number) => Promise<string[]>, truth: string[][], runs = 1) {
	const m = await measureQueries(search, truth, QUERIES, runs);
	return { p50: +m.p50.toFixed(3), p95: +m.p95.toFixed(3), recall: +m.recall.toFixed(4) };
}

/** Index names and node types in an EXPLAIN (FORMAT JSON) plan. */
function planNodes(plan: unknown): string[] {
	const acc: string[] = [];
	const walk = (node: Record<string, unknown>) => {
		acc.push(`${node["Node Type"]}${node["Index Name"] ? `(${node["Index Name"]})` : ""}`);
		for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
	};
	walk(plan as Record<string, unknown>);
	return acc;
}

const url = await freshDatabase(DB);
try {
	const a = await createAdapter(url, { embeddingDimension: 384 });
	let t = performance.now();
	await a.importRecords(records(w), { batchSize: 5000 });
	emit("loadSeconds", +((performance.now() - t) / 1000).toFixed(1));
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		await c.query("VACUUM ANALYZE memories");
		const truthAll = texts.map((_, q) =>
			exactTopK(w, queryVector(w, q), K, undefined).map((r) => w.ids[r] as string),
		);
		const fn = (ef: number, room: boolean) =>
			`SELECT id FROM agentmem_search_memories($1::vector, 'messages', 12, ${room ? "$2::uuid, $3::uuid" : "NULL, NULL"}, false, ${ef}, true)`;
		const adapterSearch = (q: number, room?: number) =>
			a
				.searchMemoriesByEmbedding(queryVector(w, q), {
					tableName: "messages",
					count: K,
					...(room === undefined
						? {}
						: { roomId: w.roomIds[room] as UUID, agentId: w.agentId as UUID }),
				})
				.then((m) => m.map((x) => x.id as string));

		// 1. Room-filtered.
		const inner = (
			await c.query("SELECT agentmem_memory_search_sql(384, true, true, false) AS sql")
		).rows[0].sql as string;
		await c.query("SET hnsw.ef_search = 80");
		await c.query("SET hnsw.iterative_scan = strict_order");
		const exactSql = `SELECT id FROM memories WHERE type = 'messages' AND embedding IS NOT NULL AND room_id = $2 AND agent_id = $3 ORDER BY (embedding <=> $1::vector) + 0 LIMIT 12`;
		const hnswSql = `SELECT id FROM memories WHERE type = 'messages' AND embedding IS NOT NULL AND room_id = $2 AND agent_id = $3 ORDER BY embedding <=> $1::vector LIMIT 12`;
		const rooms: unknown[] = [];
		for (const [room, size] of SIZES.entries()) {
			const roomId = w.roomIds[room] as string;
			const truth = texts.map((_, q) =>
				exactTopK(w, queryVector(w, q), K, room).map((r) => w.ids[r] as string),
			);
			const params = (q: number) => [texts[q], roomId, w.agentId];
			const explain = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${inner}`, [
				texts[0],
				"messages",
				12,
				roomId,
				w.agentId,
			]);
			const plan = explain.rows[0]["QUERY PLAN"][0];
			const est = await c.query(
				"EXPLAIN (FORMAT JSON) SELECT 1 FROM memories WHERE type = 'messages' AND room_id = $1",
				[roomId],
			);
			const planner = await measure(
				async (q) => ids((await c.query(fn(80, true), params(q))).rows),
				truth,
			);
			const exact = await measure(
				async (q) => ids((await c.query(exactSql, params(q))).rows),
				truth,
			);
			const exactPlan = planNodes(
				(await c.query(`EXPLAIN (FORMAT JSON) ${exactSql}`, params(0))).rows[0]["QUERY PLAN"][0]
					.Plan,
			);
			await c.query("SET enable_sort = off");
			const hnswPlan = planNodes(
				(await c.query(`EXPLAIN (FORMAT JSON) ${hnswSql}`, params(0))).rows[0]["QUERY PLAN"][0]
					.Plan,
			);
			const hnsw = await measure(async (q) => ids((await c.query(hnswSql, params(q))).rows), truth);
			await c.query("RESET enable_sort");
			const adapter = await measure((q) => adapterSearch(q, room), truth);
			const cap = 5001;
			const countTimes: number[] = [];
			for (let i = 0; i < 20; i++) {
				t = performance.now();
				await c.query(
					"SELECT count(*) FROM (SELECT 1 FROM memories WHERE type = 'messages' AND room_id = $1 LIMIT $2) s",
					[roomId, cap],
				);
				countTimes.push(performance.now() - t);
			}
			// What the adapter's HNSW path adds, interleaved (PROBE_AB=1): 003's function at ef 80 and
			// 160, 013's with no count (exact_below 0) and with the count.
			const ab: Record<string, number[]> = {};
			if (process.env.PROBE_AB) {
				const below = exactBelowFor(n);
				const forms: Record<string, string> = {
					fn80: fn(80, true),
					fn160: fn(160, true),
					fn013NoCount: `SELECT id FROM agentmem_search_memories($1::vector, 'messages', 12, $2::uuid, $3::uuid, false, 160, true, 0)`,
					fn013Count: `SELECT id FROM agentmem_search_memories($1::vector, 'messages', 12, $2::uuid, $3::uuid, false, 160, true, ${below})`,
				};
				const names = Object.keys(forms);
				for (let round = 0; round < 3; round++) {
					for (const name of [
						...names.slice(round % names.length),
						...names.slice(0, round % names.length),
					]) {
						const m = await measure(
							async (q) => ids((await c.query(forms[name] as string, params(q))).rows),
							truth,
						);
						ab[name] = [...(ab[name] ?? []), m.p50];
					}
				}
			}
			const r = {
				size,
				ab: Object.fromEntries(Object.entries(ab).map(([k, v]) => [k, median(v)])),
				plannerPlan: planNodes(plan.Plan),
				plannerMs: +plan["Execution Time"].toFixed(2),
				plannerRoomRows: est.rows[0]["QUERY PLAN"][0].Plan["Plan Rows"],
				function: planner,
				exact,
				exactPlan,
				hnsw,
				hnswPlan,
				adapter,
				cappedCountMs: +median(countTimes).toFixed(3),
			};
			rooms.push(r);
			log(JSON.stringify(r));
		}
		emit("rooms", rooms);
		await c.query("RESET hnsw.ef_search");

		// 2. Unfiltered ef_search curve.
		const curve = async () => {
			const points: unknown[] = [];
			for (const ef of EFS) {
				const m = await measure(
					async (q) => ids((await c.query(fn(ef, false), [texts[q]])).rows),
					truthAll,
				);
				points.push({ ef, ...m });
				log(`ef ${ef}: ${JSON.stringify(m)}`);
			}
			return points;
		};
		emit("unfiltered", await curve());
		emit("adapterUnfiltered", await measure((q) => adapterSearch(q), truthAll));
		for (const efc of EFC) {
			await c.query("DROP INDEX memories_embedding");
			await c.query("SET maintenance_work_mem = '1GB'");
			t = performance.now();
			await c.query(
				`CREATE INDEX memories_embedding ON memories USING hnsw (embedding vector_cosine_ops) WITH (ef_construction = ${efc})`,
			);
			const buildSeconds = +((performance.now() - t) / 1000).toFixed(1);
			log(`ef_construction ${efc}: built in ${buildSeconds} s`);
			emit(`efc${efc}`, { buildSeconds, curve: await curve() });
		}
	} finally {
		await c.end();
		await a.close();
	}
} finally {
	if (!process.env.PROBE_KEEP) await dropDatabase(DB);
}
log("done");
