/**
 * `npm run bench:single` (issue 17, target 5): agentmem's `createMemory(…, unique)` on PostgreSQL
 * against raw pgvector's one-row INSERT, interleaved one to one in one process so both see the same
 * machine at the same moment (on a shared, loaded machine, contenders measured minutes apart are
 * not comparable). Both tables are first filled with the same `base` rows and carry an HNSW index.
 * createMemory(unique) runs twice per round: on the default adapter, and on a second adapter over
 * the same database with `preparedStatements: true` (named statements, parsed once per
 * connection). Saves bench/results/single-writes.json; the report reads it. Env: BENCH_BASE (5000),
 * BENCH_COUNT (300), BENCH_DIM (384; another dimension saves single-writes-d<dim>.json instead, which
 * the report does not read).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { PostgresDatabaseAdapter } from "../src/backends/postgres/index.js";
import type { UUID } from "../src/core/types.js";
import { toPgVectorText } from "../src/core/vector.js";
import { rowMemory } from "./contenders/contender.js";
import { dropDatabase, freshDatabase } from "./contenders/pg-admin.js";
import { resultsDir } from "./paths.js";
import { formatGenerated } from "./results.js";
import { generateWorkload, rowVector } from "./workload.js";

export interface SingleWritesRun {
	date: string;
	dim: number;
	base: number;
	count: number;
	/** Rows per second over the interleaved inserts. */
	agentmemUnique: number;
	/** createMemory(unique) with the `preparedStatements` option. */
	agentmemUniquePrepared?: number;
	agentmemPlain: number;
	/** The path before issue 17: the duplicate search, then the insert (two statements). */
	twoStatements: number;
	rawInsert: number;
	/** Median milliseconds of one write, by the keys above. */
	medianMs?: Record<string, number>;
}

const base = Number(process.env.BENCH_BASE ?? 5000);
const count = Number(process.env.BENCH_COUNT ?? 300);
const dim = Number(process.env.BENCH_DIM ?? 384);
const w = generateWorkload({ n: base + 5 * count, dim, queries: 1, rooms: 100, k: 10, seed: 42 });
const url = await freshDatabase("single");
const client = new pg.Client({ connectionString: url });
await client.connect();
const a = new PostgresDatabaseAdapter({ connectionString: url, embeddingDimension: dim });
// createMemory(unique) runs on two adapters of their own, set up alike (a connection that did the
// fill and the other writes answered faster than a fresh one, by 0.16 ms at the median, when both
// adapters had the default options): only `preparedStatements` differs between them.
const unique = new PostgresDatabaseAdapter({ connectionString: url, embeddingDimension: dim });
const prepared = new PostgresDatabaseAdapter({
	connectionString: url,
	embeddingDimension: dim,
	// BENCH_PREPARED=0: the same adapter twice (how much of a difference the arrangement makes).
	preparedStatements: process.env.BENCH_PREPARED !== "0",
});
try {
	await a.init();
	await unique.init();
	await prepared.init();
	await client.query(
		`CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, embedding vector(${dim}) NOT NULL)`,
	);
	await client.query("CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)");
	for (const id of [w.agentId, w.userId] as UUID[]) {
		await a.createAccount({ id, name: "bench", username: id });
	}
	for (const room of w.roomIds) await a.createRoom(room as UUID);
	const memory = (row: number) => rowMemory(w, row, Array.from(rowVector(w, row)));
	const raw = (row: number) =>
		client.query("INSERT INTO items (id, room_id, embedding) VALUES ($1, $2, $3)", [
			w.ids[row],
			w.roomIds[w.roomOf[row] as number],
			toPgVectorText(rowVector(w, row)),
		]);
	process.stderr.write(`filling both tables with ${base} rows\n`);
	for (let r = 0; r < base; r += 1000) {
		const rows = Array.from({ length: Math.min(1000, base - r) }, (_, i) => r + i);
		await a.createMemories(rows.map((row) => ({ memory: memory(row), tableName: "messages" })));
		await client.query(
			"INSERT INTO items (id, room_id, embedding) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::vector[])",
			[
				rows.map((row) => w.ids[row]),
				rows.map((row) => w.roomIds[w.roomOf[row] as number]),
				rows.map((row) => toPgVectorText(rowVector(w, row))),
			],
		);
	}
	await client.query("ANALYZE items");
	const spent = { unique: 0, uniquePrepared: 0, plain: 0, two: 0, raw: 0 };
	const times: Record<keyof typeof spent, number[]> = {
		unique: [],
		uniquePrepared: [],
		plain: [],
		two: [],
		raw: [],
	};
	const time = async (key: keyof typeof spent, fn: () => Promise<unknown>) => {
		const t = performance.now();
		await fn();
		const ms = performance.now() - t;
		spent[key] += ms;
		times[key].push(ms);
	};
	const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
	process.stderr.write(
		`${count} rounds: raw INSERT, two statements, createMemory(unique), the same prepared, createMemory\n`,
	);
	for (let i = 0; i < count; i++) {
		const row = base + 5 * i;
		await time("raw", () => raw(row));
		const m = memory(row + 3);
		await time("two", async () => {
			// What createMemory(unique) did before: the check (the same search), then the insert.
			await a.searchMemoriesByEmbedding(m.embedding, {
				tableName: "messages",
				roomId: m.roomId,
				agentId: m.agentId,
				count: 2,
				match_threshold: 0.95,
			});
			await a.createMemory(m, "messages");
		});
		// The two createMemory(unique) take turns going first (a write right after another may wait
		// for the previous one's WAL flush).
		const byDefault = () =>
			time("unique", () => unique.createMemory(memory(row + 1), "messages", true));
		const byPrepared = () =>
			time("uniquePrepared", () => prepared.createMemory(memory(row + 4), "messages", true));
		if (i % 2 === 0) {
			await byDefault();
			await byPrepared();
		} else {
			await byPrepared();
			await byDefault();
		}
		await time("plain", () => a.createMemory(memory(row + 2), "messages"));
	}
	const run: SingleWritesRun = {
		date: new Date().toISOString(),
		dim,
		base,
		count,
		agentmemUnique: (count * 1000) / spent.unique,
		agentmemUniquePrepared: (count * 1000) / spent.uniquePrepared,
		agentmemPlain: (count * 1000) / spent.plain,
		twoStatements: (count * 1000) / spent.two,
		rawInsert: (count * 1000) / spent.raw,
		medianMs: {
			agentmemUnique: median(times.unique),
			agentmemUniquePrepared: median(times.uniquePrepared),
			agentmemPlain: median(times.plain),
			twoStatements: median(times.two),
			rawInsert: median(times.raw),
		},
	};
	process.stderr.write(`${JSON.stringify(run, null, 1)}\n`);
	const file = join(resultsDir, dim === 384 ? "single-writes.json" : `single-writes-d${dim}.json`);
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
} finally {
	await a.close();
	await unique.close();
	await prepared.close();
	await client.end();
	await dropDatabase("single");
}
