/**
 * `npm run bench:scale` (issue 17, target 6): agentmem on PostgreSQL at scale (BENCH_N memories,
 * default 1,000,000, of 384 dimensions, in 100 rooms), then halfvec against vector in raw pgvector
 * on the same rows.
 * 1. agentmem: `importRecords` of a generated stream (binary COPY, the HNSW index built after the
 *    load, memory bounded), then searches through the adapter, unfiltered and room-filtered: p50/p95
 *    (one warm-up pass, then 3 runs, each query's median), recall@10 against the brute-force truth;
 *    this process's peak RSS; the database's, the memories table's and its index's sizes.
 * 2. Raw pgvector in the same database: `half` (halfvec(384)) and `full` (vector(384)) copies of
 *    `memories`, each indexed the same way (HNSW, cosine, one maintenance_work_mem large enough for
 *    the graph), timed; their sizes, and p50/p95/recall of `ORDER BY embedding <=> $1 LIMIT 10` at
 *    hnsw.ef_search 80 (agentmem's for k <= 20) and 40 (pgvector's default).
 * Saves bench/results/scale-postgres-n<N>.json after each phase (a run stopped part-way keeps what it
 * measured). Env: BENCH_N, BENCH_QUERIES (default 100).
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { UUID } from "../src/core/types.js";
import { toPgVectorText } from "../src/core/vector.js";
import { dropDatabase, freshDatabase } from "./contenders/pg-admin.js";
import { machineInfo } from "./environment.js";
import { measureQueries } from "./measure.js";
import { resultsDir } from "./paths.js";
import { formatGenerated, type Machine } from "./results.js";
import {
	generateWorkload,
	groundTruth,
	queryVector,
	type Workload,
	type WorkloadSpec,
} from "./workload.js";
import { adapterFor, records } from "./workload-bulk.js";

interface Latency {
	/** Milliseconds, over the queries, of each query's median over `runs` runs. */
	p50: number;
	p95: number;
	recall: number;
	runs: number;
}

interface Sizes {
	tableBytes: number;
	/** Table with its TOAST and every index. */
	tableTotalBytes: number;
	indexBytes: number;
}

interface RawTable {
	name: "half" | "full";
	type: string;
	/** CREATE TABLE … AS SELECT from memories. */
	copySeconds: number;
	/** CREATE INDEX … USING hnsw. */
	buildSeconds: number;
	/** What PostgreSQL said during the build (pgvector warns when the graph outgrows memory). */
	buildNotices: string[];
	sizes: Sizes;
	usesIndex: boolean;
	search: ({ efSearch: number } & Latency)[];
}

export interface ScaleRun {
	spec: WorkloadSpec;
	date: string;
	command: string;
	machine: Machine;
	generateSeconds: number;
	truthSeconds: number;
	/** This process's resident set once the workload (n × dim float32) and the truth were in memory. */
	baseRssBytes: number;
	agentmem?: {
		status: "ok" | "failed";
		reason?: string;
		loadSeconds?: number;
		rowsPerSec?: number;
		databaseBytes?: number;
		memories?: Sizes;
		/**
		 * The subscribe outbox (migration 006): its trigger keeps a snapshot of each memory written,
		 * embedding included, pruned only once more than 10 minutes old.
		 */
		events?: { rows: number; totalBytes: number } | null;
		searchAll?: Latency;
		searchRoom?: Latency;
		/** Unfiltered, through an adapter created with `efSearch: 80`. */
		searchAllEf80?: Latency;
		/** This process's peak resident set after the load and the searches. */
		peakRssBytes?: number;
	};
	halfvecVsVector?: {
		status: "ok" | "failed";
		reason?: string;
		maintenanceWorkMem?: string;
		tables?: RawTable[];
		/** The database with memories, half and full. */
		databaseBytes?: number;
		/** Set when this phase was not run again (BENCH_SCALE_RAW=0): the date of the run it is from. */
		carriedFrom?: string;
	};
	peakRssBytes?: number;
}

const n = Number(process.env.BENCH_N ?? 1_000_000);
const queries = Number(process.env.BENCH_QUERIES ?? 100);
const spec: WorkloadSpec = { n, dim: 384, queries, rooms: 100, k: 10, seed: 42 };
const RUNS = 3;
const TABLE = "messages";
const DB = "scale";

const started = performance.now();
const log = (line: string) =>
	process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
const rss = () => process.resourceUsage().maxRSS * 1024;
const seconds = (from: number) => (performance.now() - from) / 1000;
const failure = (error: unknown) => ((error as Error).stack ?? String(error)).slice(0, 600);

const file = join(resultsDir, `scale-postgres-n${n}.json`);
function save(run: ScaleRun): void {
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
}

/** One warm-up pass, then RUNS passes (measureQueries). */
const measure = (search: (q: number) => Promise<string[]>, truth: string[][]) =>
	measureQueries(search, truth, queries, RUNS);

const fmt = (l: Latency) =>
	`p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms, recall ${l.recall.toFixed(3)}`;

async function sizes(client: pg.Client, table: string, index: string): Promise<Sizes> {
	const { rows } = await client.query(
		"SELECT pg_relation_size($1::regclass) AS t, pg_total_relation_size($1::regclass) AS tt, pg_relation_size($2::regclass) AS i",
		[table, index],
	);
	const r = rows[0] as { t: string; tt: string; i: string };
	return { tableBytes: Number(r.t), tableTotalBytes: Number(r.tt), indexBytes: Number(r.i) };
}

async function databaseBytes(client: pg.Client): Promise<number> {
	const { rows } = await client.query("SELECT pg_database_size(current_database()) AS b");
	return Number((rows[0] as { b: string }).b);
}

async function agentmemPhase(
	w: Workload,
	url: string,
	truth: { all: string[][]; room: string[][] },
) {
	const out: NonNullable<ScaleRun["agentmem"]> = { status: "ok" };
	const a = await adapterFor(url, spec.dim);
	try {
		log(`agentmem-postgres: importRecords of ${n} memories (batchSize 5000)`);
		let next = Math.max(1, Math.floor(n / 10));
		const t = performance.now();
		await a.importRecords(records(w), {
			batchSize: 5000,
			onProgress: (written) => {
				if (written >= next) {
					log(`  ${written} records written`);
					next += Math.max(1, Math.floor(n / 10));
				}
			},
		});
		out.loadSeconds = seconds(t);
		out.rowsPerSec = n / out.loadSeconds;
		log(`  loaded in ${out.loadSeconds.toFixed(1)} s (${Math.round(out.rowsPerSec)} rows/s)`);
		const search = (q: number, filtered: boolean) => async () => {
			const room = w.queryRoom[q] as number;
			const found = await a.searchMemoriesByEmbedding(queryVector(w, q), {
				tableName: TABLE,
				count: spec.k,
				// As ElizaOS calls it: a room-scoped search names the agent too.
				...(filtered ? { roomId: w.roomIds[room] as UUID, agentId: w.agentId as UUID } : {}),
			});
			return found.map((m) => m.id as string);
		};
		log("  search, unfiltered");
		out.searchAll = await measure((q) => search(q, false)(), truth.all);
		log(`  ${fmt(out.searchAll)}`);
		log("  search, room-filtered");
		out.searchRoom = await measure((q) => search(q, true)(), truth.room);
		log(`  ${fmt(out.searchRoom)}`);
	} finally {
		await a.close();
	}
	const fast = await adapterFor(url, spec.dim, { efSearch: 80 });
	try {
		log("  search, unfiltered, efSearch: 80");
		out.searchAllEf80 = await measure(async (q) => {
			const found = await fast.searchMemoriesByEmbedding(queryVector(w, q), {
				tableName: TABLE,
				count: spec.k,
			});
			return found.map((m) => m.id as string);
		}, truth.all);
		log(`  ${fmt(out.searchAllEf80)}`);
	} finally {
		await fast.close();
	}
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		out.databaseBytes = await databaseBytes(client);
		out.memories = await sizes(client, "memories", "memories_embedding");
		const { rows } = await client.query(
			"SELECT to_regclass('agentmem_memory_events') IS NOT NULL AS present",
		);
		if ((rows[0] as { present: boolean }).present) {
			const e = await client.query(
				"SELECT count(*) AS n, pg_total_relation_size('agentmem_memory_events') AS b FROM agentmem_memory_events",
			);
			const r = e.rows[0] as { n: string; b: string };
			out.events = { rows: Number(r.n), totalBytes: Number(r.b) };
		} else out.events = null;
	} finally {
		await client.end();
	}
	out.peakRssBytes = rss();
	return out;
}

/** Fills `out` as it goes; `saved` is called after each table. */
async function rawPhase(
	w: Workload,
	url: string,
	truth: string[][],
	out: NonNullable<ScaleRun["halfvecVsVector"]>,
	saved: () => void,
) {
	out.tables = [];
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const notices: string[] = [];
	client.on("notice", (msg) => notices.push(msg.message ?? String(msg)));
	try {
		// Room for the whole graph in memory (about dim × 4 + 1 KiB a row for vector; halfvec needs
		// less), the same for both builds; a notice says if it did not fit.
		const mb = Math.min(8192, 64 + Math.ceil((n * (spec.dim * 4 + 1024)) / 2 ** 20));
		out.maintenanceWorkMem = `${mb}MB`;
		const texts = Array.from({ length: queries }, (_, q) => toPgVectorText(queryVector(w, q)));
		const kinds = [
			{ name: "half", type: `halfvec(${spec.dim})`, ops: "halfvec_cosine_ops" },
			{ name: "full", type: `vector(${spec.dim})`, ops: "vector_cosine_ops" },
		] as const;
		for (const kind of kinds) {
			log(`raw pgvector: "${kind.name}" (${kind.type})`);
			let t = performance.now();
			await client.query(
				`CREATE TABLE "${kind.name}" AS SELECT id, room_id, embedding::${kind.type} AS embedding FROM memories`,
			);
			const copySeconds = seconds(t);
			// Hint bits and statistics now, so the build below measures the build only.
			await client.query(`VACUUM ANALYZE "${kind.name}"`);
			await client.query(`SET maintenance_work_mem = '${mb}MB'`);
			notices.length = 0;
			t = performance.now();
			await client.query(
				`CREATE INDEX "${kind.name}_embedding" ON "${kind.name}" USING hnsw (embedding ${kind.ops})`,
			);
			const buildSeconds = seconds(t);
			await client.query("RESET maintenance_work_mem");
			log(`  copy ${copySeconds.toFixed(1)} s, index built in ${buildSeconds.toFixed(1)} s`);
			const sql = `SELECT id FROM "${kind.name}" ORDER BY embedding <=> $1::${kind.type} LIMIT ${spec.k}`;
			const plan = await client.query(`EXPLAIN ${sql}`, [texts[0]]);
			const usesIndex = plan.rows.some((r) =>
				String(r["QUERY PLAN"]).includes(`${kind.name}_embedding`),
			);
			const table: RawTable = {
				name: kind.name,
				type: kind.type,
				copySeconds,
				buildSeconds,
				buildNotices: [...notices],
				sizes: await sizes(client, kind.name, `${kind.name}_embedding`),
				usesIndex,
				search: [],
			};
			out.tables?.push(table);
			for (const ef of [80, 40]) {
				await client.query(`SET hnsw.ef_search = ${ef}`);
				const l = await measure(async (q) => {
					const { rows } = await client.query(sql, [texts[q]]);
					return rows.map((r) => r.id as string);
				}, truth);
				table.search.push({ efSearch: ef, ...l });
				log(`  ef_search ${ef}: ${fmt(l)}`);
			}
			await client.query("RESET hnsw.ef_search");
			saved();
		}
		out.databaseBytes = await databaseBytes(client);
	} finally {
		await client.end();
	}
}

const mib = (b: number | undefined) => (b === undefined ? "?" : `${(b / 2 ** 20).toFixed(0)} MiB`);

function summary(run: ScaleRun): string {
	const lines = [`scale-postgres: ${n} x ${spec.dim}, ${queries} queries, k ${spec.k}`];
	const a = run.agentmem;
	if (a?.status === "ok" && a.loadSeconds !== undefined) {
		lines.push(
			`agentmem-postgres importRecords: ${a.loadSeconds.toFixed(1)} s, ${Math.round(a.rowsPerSec ?? 0)} rows/s`,
			`  search unfiltered: ${a.searchAll ? fmt(a.searchAll) : "?"}`,
			`  search room+agent: ${a.searchRoom ? fmt(a.searchRoom) : "?"}`,
			`  search unfiltered, efSearch 80: ${a.searchAllEf80 ? fmt(a.searchAllEf80) : "?"}`,
			`  database ${mib(a.databaseBytes)}; memories ${mib(a.memories?.tableBytes)} (with indexes ${mib(a.memories?.tableTotalBytes)}), memories_embedding ${mib(a.memories?.indexBytes)}`,
			`  subscribe outbox (agentmem_memory_events): ${a.events ? `${a.events.rows} rows, ${mib(a.events.totalBytes)}` : "absent"}`,
			`  node peak RSS ${mib(a.peakRssBytes)} (workload and truth alone ${mib(run.baseRssBytes)})`,
		);
	} else if (a) lines.push(`agentmem-postgres failed: ${a.reason}`);
	const h = run.halfvecVsVector;
	for (const t of h?.tables ?? []) {
		lines.push(
			`${t.name} ${t.type}: table ${mib(t.sizes.tableBytes)}, index ${mib(t.sizes.indexBytes)}, build ${t.buildSeconds.toFixed(1)} s${t.buildNotices.length ? ` (${t.buildNotices.join("; ")})` : ""}${t.usesIndex ? "" : " NOT USING THE INDEX"}`,
			...t.search.map((s) => `  ef_search ${s.efSearch}: ${fmt(s)}`),
		);
	}
	if (h?.status === "failed") lines.push(`halfvec vs vector failed: ${h.reason}`);
	if (h?.carriedFrom)
		lines.push(`(halfvec vs vector: not run again, from the run of ${h.carriedFrom})`);
	return lines.join("\n");
}

/** Phase 2 of the previous run in `file`, marked with its date (BENCH_SCALE_RAW=0). */
function carriedRaw(): ScaleRun["halfvecVsVector"] {
	if (!existsSync(file)) throw new Error(`BENCH_SCALE_RAW=0: no previous run in ${file}`);
	const previous = JSON.parse(readFileSync(file, "utf8")) as ScaleRun;
	const raw = previous.halfvecVsVector;
	if (raw?.status !== "ok") throw new Error(`BENCH_SCALE_RAW=0: ${file} has no raw phase`);
	return { ...raw, carriedFrom: raw.carriedFrom ?? previous.date };
}

// Read before this run's first save overwrites the file.
const previousRaw = process.env.BENCH_SCALE_RAW === "0" ? carriedRaw() : undefined;
log(`workload: ${n} x ${spec.dim}, ${queries} queries`);
let t = performance.now();
const w = generateWorkload(spec);
const generateSeconds = seconds(t);
log(`  generated in ${generateSeconds.toFixed(1)} s; ground truth (brute force)`);
t = performance.now();
const truth = groundTruth(w);
const truthSeconds = seconds(t);
log(`  truth in ${truthSeconds.toFixed(1)} s`);
const run: ScaleRun = {
	spec,
	date: new Date().toISOString(),
	command: `BENCH_N=${n} BENCH_QUERIES=${queries}${previousRaw ? " BENCH_SCALE_RAW=0" : ""} npm run bench:scale`,
	machine: await machineInfo(),
	generateSeconds,
	truthSeconds,
	baseRssBytes: process.memoryUsage().rss,
};
const url = await freshDatabase(DB);
try {
	try {
		run.agentmem = await agentmemPhase(w, url, truth);
	} catch (error) {
		run.agentmem = { status: "failed", reason: failure(error) };
	}
	run.peakRssBytes = rss();
	save(run);
	if (previousRaw) {
		run.halfvecVsVector = previousRaw;
		save(run);
	} else if (run.agentmem.status === "ok") {
		const raw: NonNullable<ScaleRun["halfvecVsVector"]> = { status: "ok" };
		run.halfvecVsVector = raw;
		try {
			await rawPhase(w, url, truth.all, raw, () => save(run));
		} catch (error) {
			raw.status = "failed";
			raw.reason = failure(error);
		}
		run.peakRssBytes = rss();
		save(run);
	}
} finally {
	await dropDatabase(DB);
}
process.stdout.write(`${summary(run)}\nsaved ${file}\n`);
