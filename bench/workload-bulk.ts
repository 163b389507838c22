/**
 * Bulk loads (issue 17, target 3): `n` memories into an empty store, end to end including the
 * vector index, each phase in its own process (its peak RSS is its own):
 * - `raw-pgvector-copy`: the engine's bound, COPY into a plain table then CREATE INDEX (hnsw);
 * - `agentmem-postgres-createMemories`: one `createMemories` call of all n;
 * - `agentmem-postgres-import`: `importRecords` of a generated stream (what `agentmem import` and
 *   `agentmem copy` do), memory bounded;
 * - `agentmem-sqlite-import`, `agentmem-sqlite-createMemories`: the same on SQLite.
 * `npm run bench -- --bulk --n 100000` runs them; results go to bench/results/bulk-*.json.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_HEADER, COPY_TRAILER, RowWriter } from "../src/backends/postgres/copy-binary.js";
import type { DatabaseAdapter } from "../src/core/adapter.js";
import type { PortableRecord } from "../src/core/portable-types.js";
import type { UUID } from "../src/core/types.js";
import { rowMemory, rowText } from "./contenders/contender.js";
import { dropDatabase, freshDatabase } from "./contenders/pg-admin.js";
import { removeSqliteFiles, sqliteFileBytes } from "./contenders/raw-sqlite.js";
import { benchTmp, distDir, resultsDir } from "./paths.js";
import { formatGenerated, type Machine } from "./results.js";
import { generateWorkload, rowVector, type Workload, type WorkloadSpec } from "./workload.js";

export const BULK_PHASES = [
	"raw-pgvector-copy",
	"agentmem-postgres-createMemories",
	"agentmem-postgres-import",
	"agentmem-sqlite-createMemories",
	"agentmem-sqlite-import",
] as const;
export type BulkPhase = (typeof BULK_PHASES)[number];

export interface BulkResult {
	phase: BulkPhase;
	status: "ok" | "failed";
	reason?: string;
	rows?: number;
	/** Whole load, index included. */
	seconds?: number;
	/** Of which building the index afterwards (raw baseline only: agentmem's is inside). */
	indexSeconds?: number;
	rowsPerSec?: number;
	peakRssBytes?: number;
	diskBytes?: number | null;
}

export interface BulkRun {
	spec: WorkloadSpec;
	date: string;
	command: string;
	machine: Machine;
	phases: BulkResult[];
}

const TABLE = "messages";

export async function adapterFor(
	url: string,
	dim: number,
	options: object = {},
): Promise<DatabaseAdapter> {
	const index = (await import(pathToFileURL(join(distDir, "index.js")).href)) as {
		createAdapter: (url: string, o: object) => Promise<DatabaseAdapter>;
	};
	return index.createAdapter(url, { embeddingDimension: dim, ...options });
}

const memoryOf = (w: Workload, row: number) => rowMemory(w, row, rowVector(w, row));

/** What `agentmem export` writes for the workload, generated as it is read (memory bounded). */
export async function* records(w: Workload): AsyncGenerator<PortableRecord> {
	for (const id of [w.agentId, w.userId] as UUID[]) {
		yield {
			kind: "account",
			id,
			name: "bench",
			username: id,
			email: null,
			avatarUrl: null,
			details: {},
			createdAt: 1,
		};
	}
	for (const id of w.roomIds as UUID[]) yield { kind: "room", id, createdAt: 1 } as PortableRecord;
	for (let row = 0; row < w.spec.n; row++) {
		const m = memoryOf(w, row);
		yield { kind: "memory", type: TABLE, ...m, unique: true } as PortableRecord;
	}
}

async function agentmemLoad(w: Workload, url: string, how: "createMemories" | "import") {
	const a = await adapterFor(url, w.spec.dim);
	try {
		const start = performance.now();
		if (how === "import") {
			await a.importRecords(records(w), { batchSize: 5000 });
		} else {
			for (const id of [w.agentId, w.userId] as UUID[]) {
				await a.createAccount({ id, name: "bench", username: id });
			}
			for (const room of w.roomIds) await a.createRoom(room as UUID);
			// As callers pass them: number[] embeddings.
			const items = Array.from({ length: w.spec.n }, (_, row) => ({
				memory: { ...memoryOf(w, row), embedding: Array.from(rowVector(w, row)) },
				tableName: TABLE,
			}));
			await a.createMemories(items);
		}
		return { seconds: (performance.now() - start) / 1000 };
	} finally {
		await a.close();
	}
}

/** One `items` row in COPY's binary format: id, room_id (uuid), content (jsonb), embedding. */
function binaryItem(w: Workload, r: number): Uint8Array {
	const content = new TextEncoder().encode(JSON.stringify({ text: rowText(r) }));
	const v = rowVector(w, r);
	const out = new RowWriter(2 + 2 * 20 + 4 + 1 + content.length + 4 + 4 + 4 * v.length);
	out.int16(4);
	out.uuid(w.ids[r] as string);
	out.uuid(w.roomIds[w.roomOf[r] as number] as string);
	out.int32(content.length + 1);
	out.byte(1);
	out.raw(content);
	out.int32(4 + 4 * v.length);
	out.int16(v.length);
	out.int16(0);
	for (const x of v) out.float32(x);
	return out.bytes;
}

async function rawCopy(w: Workload, url: string) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query("CREATE EXTENSION IF NOT EXISTS vector");
		await client.query(
			`CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, content jsonb NOT NULL, embedding vector(${w.spec.dim}) NOT NULL)`,
		);
		const start = performance.now();
		// Binary COPY, as agentmem's bulk path sends it (postgres/copy-binary.ts).
		const stream = client.query(
			copyFrom("COPY items (id, room_id, content, embedding) FROM STDIN (FORMAT binary)"),
		);
		stream.write(COPY_HEADER);
		for (let row = 0; row < w.spec.n; row += 1000) {
			const rows: Uint8Array[] = [];
			for (let r = row; r < Math.min(w.spec.n, row + 1000); r++) rows.push(binaryItem(w, r));
			if (!stream.write(Buffer.concat(rows))) await new Promise((ok) => stream.once("drain", ok));
		}
		stream.write(COPY_TRAILER);
		await new Promise<void>((ok, fail) => {
			stream.on("finish", ok);
			stream.on("error", fail);
			stream.end();
		});
		const loaded = performance.now();
		// The same sizing agentmem's rebuild uses (postgres-bulk.ts).
		const mb = Math.min(
			2048,
			Math.max(64, Math.ceil((w.spec.n * (w.spec.dim * 4 + 512)) / 2 ** 20)),
		);
		await client.query(`SET maintenance_work_mem = '${mb}MB'`);
		await client.query("CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)");
		const end = performance.now();
		return { seconds: (end - start) / 1000, indexSeconds: (end - loaded) / 1000 };
	} finally {
		await client.end();
	}
}

/** One phase, in this process. */
export async function runBulkPhase(phase: BulkPhase, spec: WorkloadSpec): Promise<BulkResult> {
	const w = generateWorkload(spec);
	try {
		let timing: { seconds: number; indexSeconds?: number };
		let diskBytes: number | null = null;
		if (phase.includes("postgres") || phase.startsWith("raw-")) {
			const url = await freshDatabase("bulk");
			try {
				timing =
					phase === "raw-pgvector-copy"
						? await rawCopy(w, url)
						: await agentmemLoad(w, url, phase.endsWith("import") ? "import" : "createMemories");
				const c = new pg.Client({ connectionString: url });
				await c.connect();
				diskBytes = Number(
					(await c.query("SELECT pg_database_size(current_database()) AS b")).rows[0].b,
				);
				await c.end();
			} finally {
				await dropDatabase("bulk");
			}
		} else {
			const dir = join(benchTmp, "bulk");
			mkdirSync(dir, { recursive: true });
			const path = join(dir, "bulk.db");
			removeSqliteFiles(path);
			timing = await agentmemLoad(
				w,
				`sqlite:${path}`,
				phase.endsWith("import") ? "import" : "createMemories",
			);
			diskBytes = sqliteFileBytes(path);
			removeSqliteFiles(path);
		}
		return {
			phase,
			status: "ok",
			rows: spec.n,
			...timing,
			rowsPerSec: spec.n / timing.seconds,
			peakRssBytes: process.resourceUsage().maxRSS * 1024,
			diskBytes,
		};
	} catch (error) {
		return {
			phase,
			status: "failed",
			reason: ((error as Error).stack ?? String(error)).slice(0, 600),
		};
	}
}

/** Runs every phase in a child process (`node run.js --bulk-phase <json>`) and saves the run. */
export function runBulk(
	spec: WorkloadSpec,
	machine: Machine,
	phases: readonly BulkPhase[],
): string {
	const out = join(benchTmp, "bulk-phase.json");
	const results: BulkResult[] = [];
	for (const phase of phases) {
		process.stderr.write(`-- bulk ${phase}: ${spec.n} x ${spec.dim}\n`);
		rmSync(out, { force: true });
		spawnSync(
			process.execPath,
			[process.argv[1] as string, "--bulk-phase", JSON.stringify({ phase, spec, out })],
			{
				stdio: ["ignore", "ignore", "inherit"],
			},
		);
		let r: BulkResult;
		try {
			r = JSON.parse(readFileSync(out, "utf8")) as BulkResult;
		} catch {
			r = { phase, status: "failed", reason: "the phase's process died" };
		}
		process.stderr.write(
			`   ${r.status}${r.rowsPerSec ? `: ${Math.round(r.rowsPerSec)} rows/s, ${r.seconds?.toFixed(1)} s` : ""}${r.reason ? ` ${r.reason}` : ""}\n`,
		);
		results.push(r);
		// Saved after each phase: a long run stopped part-way keeps what it measured.
		saveBulkRun({
			spec,
			date: new Date().toISOString(),
			command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
			machine,
			phases: results,
		});
	}
	return bulkFile(spec);
}

const bulkFile = (spec: WorkloadSpec) => join(resultsDir, `bulk-n${spec.n}-d${spec.dim}.json`);

export function saveBulkRun(run: BulkRun): void {
	mkdirSync(resultsDir, { recursive: true });
	const file = bulkFile(run.spec);
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
}

/** The child's side of runBulk. */
export async function bulkPhaseMain(arg: string): Promise<void> {
	const job = JSON.parse(arg) as { phase: BulkPhase; spec: WorkloadSpec; out: string };
	const result = await runBulkPhase(job.phase, job.spec);
	writeFileSync(job.out, JSON.stringify(result));
}

/** Every saved bulk run, smallest first. */
export function loadBulkRuns(): BulkRun[] {
	if (!existsSync(resultsDir)) return [];
	return readdirSync(resultsDir)
		.filter((f) => /^bulk-.*\.json$/.test(f))
		.map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as BulkRun)
		.sort((a, b) => a.spec.dim - b.spec.dim || a.spec.n - b.spec.n);
}
