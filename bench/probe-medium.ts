/**
 * Probe of the medium-selectivity gap on PostgreSQL (issue 17, target 1; bench/analysis-pg.md):
 * the bench's 4-room workload loaded by agentmem (`createMemories`, 1000-row batches, as the bench
 * does) and as raw-pgvector loads it, plus copies of `memories`, in one scratch database. Times
 * the raw room-filtered query on each table, then agentmem's statement step by step (its filters,
 * its candidate count, whole rows, migration 003's function, the adapter), each case 200 queries in
 * a row on one connection (as the bench runs them), rounds in rotated order, median of the blocks'
 * p50s; and EXPLAIN (ANALYZE, BUFFERS) medians per case. Build and run under the bench lock:
 *   npx esbuild bench/probe-medium.ts --bundle --packages=external --platform=node --format=esm \
 *     --target=node20 --outfile=.bench-tmp/bench/probe-medium.js
 *   AGENTMEM_BENCH_DIST=… flock /tmp/bench.lock node .bench-tmp/bench/probe-medium.js
 * PROBE_ROUNDS (default 3); PROBE_VACUUM=1 vacuums every table first; PROBE_KEEP=<name> keeps a
 * copy of the database under that name (drop it afterwards).
 */

import pg from "pg";
import { toPgVectorText } from "../src/core/vector.js";
import { agentmemContender } from "./contenders/agentmem.js";
import { serverUrl } from "./contenders/pg-admin.js";
import { median } from "./measure.js";
import { generateWorkload, queryVector, rowVector } from "./workload.js";

const w = generateWorkload({ n: 10_000, dim: 384, queries: 200, rooms: 4, k: 10, seed: 42 });
const BATCH = 1000;
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? 3);

/** Tables made from `memories` after agentmem's load (name → DDL). */
const COPIES: Record<string, string[]> = {
	// The same rows and columns, the HNSW graph built after the load on a fresh heap.
	mem_copy: [
		"CREATE TABLE mem_copy AS SELECT * FROM memories",
		"CREATE INDEX ON mem_copy USING hnsw (embedding vector_cosine_ops)",
	],
	// Only the columns the filter reads and the embedding.
	mem_narrow: [
		"CREATE TABLE mem_narrow AS SELECT id, type, room_id, agent_id, embedding FROM memories",
		"CREATE INDEX ON mem_narrow USING hnsw (embedding vector_cosine_ops)",
	],
	// The raw baseline's three columns, graph built after the load.
	items_after: [
		"CREATE TABLE items_after AS SELECT id, room_id, embedding FROM memories",
		"CREATE INDEX ON items_after USING hnsw (embedding vector_cosine_ops)",
	],
};

async function main(): Promise<void> {
	const am = await agentmemContender("postgres", w, ".bench-tmp", {});
	await am.open();
	for (let i = 0; i < w.spec.n; i += BATCH) {
		await am.insertBatch?.(Array.from({ length: Math.min(BATCH, w.spec.n - i) }, (_, j) => i + j));
	}
	const url = new URL(serverUrl());
	url.pathname = "/agentmem_bench_agentmem";
	const c = new pg.Client({ connectionString: url.toString() });
	await c.connect();
	try {
		// The raw baseline's table, loaded as raw-pgvector loads it (index first, 1000-row batches).
		await c.query(
			"CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, embedding vector(384) NOT NULL)",
		);
		await c.query("CREATE INDEX items_embedding ON items USING hnsw (embedding vector_cosine_ops)");
		await c.query("CREATE INDEX items_room ON items (room_id)");
		for (let i = 0; i < w.spec.n; i += BATCH) {
			const rows = Array.from({ length: Math.min(BATCH, w.spec.n - i) }, (_, j) => i + j);
			await c.query(
				"INSERT INTO items SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::vector[])",
				[
					rows.map((r) => w.ids[r]),
					rows.map((r) => w.roomIds[w.roomOf[r] as number]),
					rows.map((r) => toPgVectorText(rowVector(w, r))),
				],
			);
		}
		for (const ddl of Object.values(COPIES)) for (const s of ddl) await c.query(s);
		const tables = ["items", "memories", ...Object.keys(COPIES)];
		// items and memories as the bench leaves them (PROBE_VACUUM=1: every table vacuumed too).
		for (const t of process.env.PROBE_VACUUM ? tables : Object.keys(COPIES)) {
			await c.query(`${process.env.PROBE_VACUUM ? "VACUUM " : ""}ANALYZE ${t}`);
		}
		await report(c, tables);
		await c.query("SET hnsw.ef_search = 80");
		await c.query("SET hnsw.iterative_scan = strict_order");
		const ids = (t: string) =>
			`SELECT id FROM ${t} WHERE room_id = $3 ORDER BY embedding <=> $1 LIMIT $2`;
		const filters = `type = 'messages' AND embedding IS NOT NULL AND room_id = $3
			AND agent_id = '${w.agentId}'`;
		// agentmem's statement (migration 005's nearest SQL for a room + agent search).
		const rows = (
			columns: string,
		) => `SELECT * FROM (SELECT ${columns}, embedding <=> $1 AS distance
			FROM memories WHERE ${filters} ORDER BY embedding <=> $1 FETCH FIRST ($2) ROWS WITH TIES) c
			ORDER BY distance, id`;
		const META = "id, type, room_id, agent_id, user_id, content, is_unique, created_at";
		const whole = rows(`${META}, vector_send(embedding) AS embedding`);
		const fn = `SELECT * FROM agentmem_search_memories($1::vector, 'messages', $2::integer, $3::uuid,
			'${w.agentId}'::uuid, false, 80, true)`;
		const cases: Case[] = [
			...tables.map((t): Case => [t, ids(t), 10]),
			["memories ids, agentmem filters k10", rows("id"), 10],
			["memories ids, agentmem filters k12", rows("id"), 12],
			["memories ids, agentmem filters k14", rows("id"), 14],
			["memories rows without embedding k14", rows(META), 14],
			["memories whole rows k10", whole, 10],
			["memories whole rows k12", whole, 12],
			["memories whole rows k14", whole, 14],
			["migration 003 function k12", fn, 12],
			["migration 003 function k14", fn, 14],
			[
				"agentmem adapter search (count 10, the build in AGENTMEM_BENCH_DIST)",
				(v: Float32Array, room: number) => am.search(v, 10, room).then(() => undefined),
				10,
			],
		];
		const times = new Map<string, number[]>(cases.map(([n]) => [n, []]));
		const exec = new Map<string, number[]>(cases.map(([n]) => [n, []]));
		const bufs = new Map<string, number[]>(cases.map(([n]) => [n, []]));
		const removed = new Map<string, number[]>(cases.map(([n]) => [n, []]));
		const run = async ([, sql, k]: Case, q: number) => {
			const vector = queryVector(w, q);
			if (typeof sql === "function") return sql(vector, w.queryRoom[q] as number);
			await c.query(sql, [toPgVectorText(vector), k, w.roomIds[w.queryRoom[q] as number]]);
		};
		// Each case runs every query in a row (as the bench does: one connection kept busy, its
		// backend hot), the cases in a rotated order each round; p50 per block, median of blocks.
		for (let round = 0; round < ROUNDS; round++) {
			for (let i = 0; i < cases.length; i++) {
				const kase = cases[(i + round) % cases.length] as Case;
				for (let q = 0; q < 20; q++) await run(kase, q); // warm-up
				const block: number[] = [];
				for (let q = 0; q < w.spec.queries; q++) {
					const t = performance.now();
					await run(kase, q);
					block.push(performance.now() - t);
				}
				times.get(kase[0])?.push(median(block));
			}
		}
		for (const [name, sql, k] of cases) {
			if (typeof sql !== "string") continue;
			for (let q = 0; q < w.spec.queries; q++) {
				const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, [
					toPgVectorText(queryVector(w, q)),
					k,
					w.roomIds[w.queryRoom[q] as number],
				]);
				const plan = (rows[0] as { "QUERY PLAN": [{ Plan: Plan; "Execution Time": number }] })[
					"QUERY PLAN"
				][0];
				exec.get(name)?.push(plan["Execution Time"]);
				bufs.get(name)?.push(plan.Plan["Shared Hit Blocks"] + plan.Plan["Shared Read Blocks"]);
				removed.get(name)?.push(sumRemoved(plan.Plan));
			}
		}
		const base = median(times.get("items") ?? []);
		console.log(
			"\ncase | client p50 ms (median of blocks) | x items | server exec p50 ms | buffers p50 | rows removed by filter p50",
		);
		for (const [name] of cases) {
			const p = median(times.get(name) ?? []);
			console.log(
				`${name} | ${p.toFixed(3)} | ${(p / base).toFixed(2)} | ${fmt(exec.get(name))} | ${fmt(bufs.get(name), 0)} | ${fmt(removed.get(name), 0)}`,
			);
		}
		const { rows: plan } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${ids("memories")}`, [
			toPgVectorText(queryVector(w, 0)),
			10,
			w.roomIds[w.queryRoom[0] as number],
		]);
		console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
	} finally {
		await c.end();
		const keep = process.env.PROBE_KEEP;
		if (keep && /^[a-z0-9_]+$/.test(keep)) {
			// A copy to look at afterwards (drop it when done).
			await am.diskBytes(); // closes the adapter's pool
			const admin = new pg.Client({ connectionString: serverUrl() });
			await admin.connect();
			await admin.query(`CREATE DATABASE ${keep} TEMPLATE agentmem_bench_agentmem`);
			await admin.end();
		}
		await am.close();
	}
}

type Case = [string, string | ((v: Float32Array, room: number) => Promise<void>), number];

interface Plan {
	"Shared Hit Blocks": number;
	"Shared Read Blocks": number;
	"Rows Removed by Filter"?: number;
	Plans?: Plan[];
}

const fmt = (xs: number[] | undefined, digits = 3) =>
	xs?.length ? median(xs).toFixed(digits) : "-";

function sumRemoved(p: Plan): number {
	return (
		(p["Rows Removed by Filter"] ?? 0) + (p.Plans ?? []).reduce((s, c) => s + sumRemoved(c), 0)
	);
}

async function report(c: pg.Client, tables: string[]): Promise<void> {
	for (const t of tables) {
		const { rows } = await c.query(
			`SELECT pg_relation_size($1::regclass) AS heap, pg_total_relation_size($1::regclass) AS total,
				(SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = $1::regclass) AS live,
				(SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = $1::regclass) AS dead,
				(SELECT relallvisible FROM pg_class WHERE oid = $1::regclass) AS allvisible,
				(SELECT relpages FROM pg_class WHERE oid = $1::regclass) AS pages,
				(SELECT avg(pg_column_size(x.*))::int FROM ${t} x) AS rowbytes`,
			[t],
		);
		console.log(t, JSON.stringify(rows[0]));
	}
	const { rows } = await c.query(
		`SELECT c.relname, pg_relation_size(c.oid) AS bytes FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		 JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'hnsw'`,
	);
	console.log("hnsw indexes", JSON.stringify(rows));
}

await main();
