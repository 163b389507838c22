/**
 * `npm run bench:single` (issue 17, target 5): agentmem's `createMemory(…, unique)` on PostgreSQL
 * against raw pgvector's one-row INSERT, interleaved one to one in one process so both see the same
 * machine at the same moment (on a shared, loaded machine, contenders measured minutes apart are
 * not comparable). Both tables are first filled with the same `base` rows and carry an HNSW index.
 * Saves bench/results/single-writes.json; the report reads it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { PostgresDatabaseAdapter } from "../src/backends/postgres/index.js";
import type { UUID } from "../src/core/types.js";
import { toPgVectorText } from "../src/core/vector.js";
import { rowText } from "./contenders/contender.js";
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
	agentmemPlain: number;
	/** The path before issue 17: the duplicate search, then the insert (two statements). */
	twoStatements: number;
	rawInsert: number;
}

const base = Number(process.env.BENCH_BASE ?? 5000);
const count = Number(process.env.BENCH_COUNT ?? 300);
const dim = 384;
const w = generateWorkload({ n: base + 4 * count, dim, queries: 1, rooms: 100, k: 10, seed: 42 });
const url = await freshDatabase("single");
const client = new pg.Client({ connectionString: url });
await client.connect();
const a = new PostgresDatabaseAdapter({ connectionString: url, embeddingDimension: dim });
try {
	await a.init();
	await client.query(
		`CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, embedding vector(${dim}) NOT NULL)`,
	);
	await client.query("CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)");
	for (const id of [w.agentId, w.userId] as UUID[]) {
		await a.createAccount({ id, name: "bench", username: id });
	}
	for (const room of w.roomIds) await a.createRoom(room as UUID);
	const memory = (row: number) => ({
		id: w.ids[row] as UUID,
		agentId: w.agentId as UUID,
		userId: w.userId as UUID,
		roomId: w.roomIds[w.roomOf[row] as number] as UUID,
		createdAt: 1_700_000_000_000 + row,
		content: { text: rowText(row) },
		embedding: Array.from(rowVector(w, row)),
	});
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
	const spent = { unique: 0, plain: 0, two: 0, raw: 0 };
	const time = async (key: keyof typeof spent, fn: () => Promise<unknown>) => {
		const t = performance.now();
		await fn();
		spent[key] += performance.now() - t;
	};
	process.stderr.write(
		`${count} rounds: raw INSERT, createMemory(unique), createMemory, two statements\n`,
	);
	for (let i = 0; i < count; i++) {
		const row = base + 4 * i;
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
		await time("unique", () => a.createMemory(memory(row + 1), "messages", true));
		await time("plain", () => a.createMemory(memory(row + 2), "messages"));
	}
	const run: SingleWritesRun = {
		date: new Date().toISOString(),
		dim,
		base,
		count,
		agentmemUnique: (count * 1000) / spent.unique,
		agentmemPlain: (count * 1000) / spent.plain,
		twoStatements: (count * 1000) / spent.two,
		rawInsert: (count * 1000) / spent.raw,
	};
	process.stderr.write(`${JSON.stringify(run, null, 1)}\n`);
	const file = join(resultsDir, "single-writes.json");
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
} finally {
	await a.close();
	await client.end();
	await dropDatabase("single");
}
