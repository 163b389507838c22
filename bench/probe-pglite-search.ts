/**
 * Probe of PGlite search against raw PGlite (issue 17, target 4 and the PGlite half of target 1;
 * bench/analysis-pg.md): one PGlite instance on disk (as the bench's), the workload loaded by
 * agentmem (`createMemories`, 1000-row batches) and as raw-pglite loads it (`items`), then each
 * case 200 queries in a row, the cases in rotated order each round, median of the blocks' p50s.
 * The cases go from the raw query to the adapter a step at a time (more columns, agentmem's
 * filters, whole rows, the session statement, PGlite's query options), plus the JavaScript steps
 * timed alone on the captured rows. Build and run under the bench lock:
 *   npx esbuild bench/probe-pglite-search.ts --bundle --packages=external --platform=node \
 *     --format=esm --target=node20 --outfile=.bench-tmp/bench/probe-pglite-search.js
 *   flock /tmp/bench.lock node .bench-tmp/bench/probe-pglite-search.js
 * PROBE_ROOMS (100, default, or 4), PROBE_ROUNDS (default 5), PROBE_CASES (comma-separated
 * case names to run; default all), PROBE_OLD (an esbuild bundle of another version's
 * src/backends/pglite/pglite-adapter.ts: the case "adapter (old)" searches through it, on the same
 * instance and tables, for an A/B in one process).
 */

import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite, type QueryOptions } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGliteDatabaseAdapter } from "../src/backends/pglite/pglite-adapter.js";
import { hexBytes } from "../src/backends/postgres/hex.js";
import { postgresFamily } from "../src/backends/postgres/postgres-family.js";
import { sessionMemorySearchSql } from "../src/backends/postgres/session-search.js";
import type { Row } from "../src/core/sql/driver.js";
import { rankCandidates } from "../src/core/sql/exact-scan.js";
import { toMemory } from "../src/core/sql/rows.js";
import type { UUID } from "../src/core/types.js";
import { toPgVectorText } from "../src/core/vector.js";
import { rowMemory } from "./contenders/contender.js";
import { median } from "./measure.js";
import { benchTmp } from "./paths.js";
import { generateWorkload, queryVector, rowVector } from "./workload.js";

const ROOMS = Number(process.env.PROBE_ROOMS ?? 100);
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? 5);
const ONLY = process.env.PROBE_CASES?.split(",");
const w = generateWorkload({ n: 10_000, dim: 384, queries: 200, rooms: ROOMS, k: 10, seed: 42 });
const BATCH = 1000;
const K = 10;
const LIMIT = K + 2; // agentmem's count + OVERFETCH
const TABLE = "messages";

type Run = (q: number, filtered: boolean) => Promise<unknown>;

async function main(): Promise<void> {
	const dir = join(benchTmp, "probe-pglite");
	rmSync(dir, { recursive: true, force: true });
	const pg = await PGlite.create({ dataDir: dir, extensions: { vector, fuzzystrmatch } });
	const am = new PGliteDatabaseAdapter({ pglite: pg, embeddingDimension: w.spec.dim });
	await am.init();
	for (const id of [w.agentId, w.userId])
		await am.createAccount({ id: id as UUID, name: "bench", username: id });
	for (const room of w.roomIds) await am.createRoom(room as UUID);
	const memory = (row: number) => rowMemory(w, row, Array.from(rowVector(w, row)));
	for (let i = 0; i < w.spec.n; i += BATCH) {
		const rows = Array.from({ length: Math.min(BATCH, w.spec.n - i) }, (_, j) => i + j);
		await am.createMemories(rows.map((r) => ({ memory: memory(r), tableName: TABLE })));
	}
	// raw-pglite's table, loaded as it loads it (index first, 1000-row batches).
	await pg.query(
		"CREATE TABLE items (id uuid PRIMARY KEY, room_id uuid NOT NULL, embedding vector(384) NOT NULL)",
	);
	await pg.query("CREATE INDEX items_embedding ON items USING hnsw (embedding vector_cosine_ops)");
	await pg.query("CREATE INDEX items_room ON items (room_id)");
	for (let i = 0; i < w.spec.n; i += BATCH) {
		const rows = Array.from({ length: Math.min(BATCH, w.spec.n - i) }, (_, j) => i + j);
		await pg.query("INSERT INTO items SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::vector[])", [
			rows.map((r) => w.ids[r]),
			rows.map((r) => w.roomIds[w.roomOf[r] as number]),
			`{${rows.map((r) => `"${toPgVectorText(rowVector(w, r))}"`).join(",")}}`,
		]);
	}
	const old = process.env.PROBE_OLD
		? new (
				(await import(pathToFileURL(resolve(process.env.PROBE_OLD)).href)) as {
					PGliteDatabaseAdapter: typeof PGliteDatabaseAdapter;
				}
			).PGliteDatabaseAdapter({ pglite: pg, embeddingDimension: w.spec.dim })
		: undefined;
	await old?.init();
	// The adapter's first search sets the session's HNSW settings (80, strict_order), which raw-pglite sets too.
	await am.searchMemoriesByEmbedding(queryVector(w, 0), { tableName: TABLE, count: K });
	await pg.query("SET hnsw.ef_search = 80");
	await pg.query("SET hnsw.iterative_scan = strict_order");

	const v = (q: number) => toPgVectorText(queryVector(w, q));
	const room = (q: number) => w.roomIds[w.queryRoom[q] as number];
	const rawSql = (cols: string, f: boolean) =>
		`SELECT ${cols} FROM items ${f ? "WHERE room_id = $3" : ""} ORDER BY embedding <=> $1 LIMIT $2`;
	const raw =
		(cols: string, limit: number, opts?: QueryOptions): Run =>
		(q, f) =>
			pg.query(rawSql(cols, f), f ? [v(q), limit, room(q)] : [v(q), limit], opts);
	const filter = (f: boolean) =>
		`type = $2 AND embedding IS NOT NULL${f ? " AND room_id = $4::uuid AND agent_id = $5::uuid" : ""}`;
	const memSql = (cols: string, f: boolean) =>
		`SELECT ${cols} FROM memories WHERE ${filter(f)} ORDER BY embedding <=> $1::vector FETCH FIRST ($3) ROWS WITH TIES`;
	const memParams = (q: number, f: boolean) =>
		f ? [v(q), TABLE, LIMIT, room(q), w.agentId] : [v(q), TABLE, LIMIT];
	const mem =
		(cols: string, opts?: QueryOptions): Run =>
		(q, f) =>
			pg.query(memSql(cols, f), memParams(q, f), opts);
	const META = "id, type, room_id, agent_id, user_id, content, is_unique, created_at";
	const HEX = "encode(vector_send(embedding), 'hex') AS embedding";
	const session = (f: boolean) =>
		sessionMemorySearchSql(w.spec.dim, { room: f, agent: f, uniqueOnly: false });
	const sess =
		(opts?: QueryOptions): Run =>
		(q, f) =>
			pg.query(session(f), memParams(q, f), opts);
	const SETTINGS =
		"current_setting('hnsw.ef_search', true) AS ef, current_setting('hnsw.iterative_scan', true) AS iterative";
	const lateral = (f: boolean) => `SELECT s.ef, s.iterative, c.* FROM (SELECT ${SETTINGS}) s
LEFT JOIN LATERAL (${memSql(`${META}, ${HEX}`, f)}) c ON true`;
	// One row: the settings and every candidate in one json value (one field to decode and parse).
	const agg =
		(emb: string): Run =>
		(q, f) =>
			pg.query(
				`SELECT ${SETTINGS}, (SELECT json_agg(c) FROM (${memSql(`${META}, ${emb}`, f)}) c) AS rows`,
				memParams(q, f),
			);
	const asText = (x: string) => x;
	// PGlite's parsers for what the statement returns: uuid, text are strings already; jsonb, int8, bool parsed.
	const noParse: QueryOptions = { parsers: { 3802: asText, 20: asText, 16: asText } };
	const cases: [string, Run][] = [
		["raw ids k10", raw("id", K)],
		["raw ids k12", raw("id", LIMIT)],
		["raw ids+hex k12", raw(`id, encode(vector_send(embedding), 'hex')`, LIMIT)],
		["raw ids+vector text k12", raw("id, embedding", LIMIT)],
		["mem ids k12", mem("id")],
		["mem meta k12", mem(META)],
		["mem meta+hex k12", mem(`${META}, ${HEX}`)],
		["mem ids+hex k12", mem(`id, ${HEX}`)],
		["mem meta+base64 k12", mem(`${META}, encode(vector_send(embedding), 'base64') AS e`)],
		["mem meta+bytea k12", mem(`${META}, vector_send(embedding) AS e`)],
		// Before: the settings row LEFT JOIN LATERAL the candidates, a row each.
		["lateral stmt", (q, f) => pg.query(lateral(f), memParams(q, f))],
		["settings inline", mem(`${SETTINGS}, ${META}, ${HEX}`)],
		["agg json hex", agg(HEX)],
		["agg json base64", agg("encode(vector_send(embedding), 'base64') AS embedding")],
		["session stmt", sess()],
		["session stmt rowMode array", sess({ rowMode: "array" })],
		["session stmt no parsers", sess(noParse)],
		// The same work in WASM (output functions included), one small row back.
		[
			"session stmt in WASM only",
			(q, f) =>
				pg.query(`SELECT count(*), sum(length(x::text)) FROM (${session(f)}) x`, memParams(q, f)),
		],
		[
			"adapter",
			(q, f) =>
				am.searchMemoriesByEmbedding(queryVector(w, q), {
					tableName: TABLE,
					count: K,
					...(f ? { roomId: room(q) as UUID, agentId: w.agentId as UUID } : {}),
				}),
		],
	];
	if (old) {
		cases.push([
			"adapter (old)",
			(q, f) =>
				old.searchMemoriesByEmbedding(queryVector(w, q), {
					tableName: TABLE,
					count: K,
					...(f ? { roomId: room(q) as UUID, agentId: w.agentId as UUID } : {}),
				}),
		]);
	}
	const chosen = cases.filter(([n]) => !ONLY || ONLY.includes(n));
	for (const filtered of [false, true]) {
		const times = new Map<string, number[]>(chosen.map(([n]) => [n, []]));
		for (let round = 0; round < ROUNDS; round++) {
			for (let i = 0; i < chosen.length; i++) {
				const [name, run] = chosen[(i + round) % chosen.length] as [string, Run];
				for (let q = 0; q < 20; q++) await run(q, filtered); // warm-up
				const block: number[] = [];
				for (let q = 0; q < w.spec.queries; q++) {
					const t = performance.now();
					await run(q, filtered);
					block.push(performance.now() - t);
				}
				times.get(name)?.push(median(block));
			}
		}
		const base = median(times.get("raw ids k10") ?? [1]);
		console.log(
			`\n${ROOMS} rooms, ${filtered ? "room+agent filtered" : "unfiltered"}: case | p50 ms (median of ${ROUNDS} blocks) | x raw | blocks`,
		);
		for (const [name] of chosen) {
			const ts = times.get(name) ?? [];
			console.log(
				`${name} | ${median(ts).toFixed(3)} | ${(median(ts) / base).toFixed(2)} | ${ts.map((t) => t.toFixed(2)).join(" ")}`,
			);
		}
		await jsSteps(filtered, async (q) => {
			const { rows } = await pg.query<Row>(session(filtered), memParams(q, filtered));
			return { rows: (rows[0]?.candidates ?? []) as Row[] };
		});
	}
	await old?.close();
	await am.close();
	await pg.close();
	rmSync(dir, { recursive: true, force: true });
}

/** The adapter's JavaScript after the statement, each step timed alone over the 200 queries' rows. */
async function jsSteps(filtered: boolean, fetch: (q: number) => Promise<{ rows: Row[] }>) {
	const captured: Row[][] = [];
	for (let q = 0; q < w.spec.queries; q++) captured.push((await fetch(q)).rows);
	const reps = 20;
	const per = (ms: number) => (ms / reps / w.spec.queries).toFixed(4);
	const time = (fn: (rows: Row[], q: number) => unknown) => {
		const t = performance.now();
		for (let r = 0; r < reps; r++)
			for (let q = 0; q < captured.length; q++) fn(captured[q] as Row[], q);
		return performance.now() - t;
	};
	const decoded = captured.map((rows) =>
		rows.map((r) => ({ ...r, embedding: hexBytes(r.embedding as string) })),
	);
	const hex = time((rows) => {
		for (const r of rows) hexBytes(r.embedding as string);
	});
	const rank = time((_, q) =>
		rankCandidates(postgresFamily, decoded[q] as Row[], queryVector(w, q), { count: K }, LIMIT),
	);
	const ranked = decoded.map((rows, q) =>
		rankCandidates(postgresFamily, rows, queryVector(w, q), { count: K }, LIMIT),
	);
	const map = time((_, q) => ranked[q]?.map((r) => toMemory(r, postgresFamily)));
	const encode = time((_, q) => toPgVectorText(queryVector(w, q)));
	console.log(
		`JS per query (ms), ${filtered ? "filtered" : "unfiltered"}: hexBytes ${per(hex)}, rankCandidates ${per(rank)}, toMemory ${per(map)}, query as text ${per(encode)}`,
	);
}

await main();
