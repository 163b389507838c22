/**
 * SQLite's HNSW graph saved beside the database file (graph-file.ts): saved when a build finishes
 * and on close, loaded on reopen instead of rebuilt, caught up with what other processes wrote
 * while it was closed, and ignored (rebuilt) when it is torn, foreign, or older than the log.
 */
import {
	copyFileSync,
	existsSync,
	readFileSync,
	statSync,
	truncateSync,
	writeFileSync,
} from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { ConfigurationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { seededRng } from "../support/random.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";

// The graph from 300 memories on (50,000 in production), so a small file exercises it.
vi.mock("../../src/backends/sqlite/slot-graph.js", async (importOriginal) => {
	const real = await importOriginal<typeof import("../../src/backends/sqlite/slot-graph.js")>();
	return {
		...real,
		backgroundGraph: (...args: Parameters<typeof real.backgroundGraph>) => ({
			...real.backgroundGraph(...args),
			minRows: 300,
		}),
	};
});

const D = 8;
const N = 600;
const files = tempFiles("sqlite-graph-file");
const open = adapterOpener({ embeddingDimension: D, exactSearchBelow: 50 });
const rnd = seededRng(9);
const centres = Array.from({ length: 10 }, () => Array.from({ length: D }, () => rnd() - 0.5));
const vector = (i: number) => (centres[i % 10] as number[]).map((x) => x + 0.3 * (rnd() - 0.5));
const queries = Array.from({ length: 8 }, (_, i) => vector(i));

interface World {
	user: UUID;
	roomId: UUID;
}

const memory = (w: World, text: string, embedding: number[]) => ({
	userId: w.user,
	agentId: w.user,
	roomId: w.roomId,
	content: { text },
	embedding,
});

const search = (a: SqliteDatabaseAdapter, w: World, query: number[]) =>
	a
		.searchMemoriesByEmbedding(query, { tableName: "facts", roomId: w.roomId, count: 5 })
		.then((ms) => ms.map((m) => [m.content.text, m.similarity]));

async function expectExact(a: SqliteDatabaseAdapter, path: string, w: World) {
	const exact = await open({ path, vectorSearch: "exact-scan" });
	for (const q of queries) expect(await search(a, w, q)).toEqual(await search(exact, w, q));
	await exact.close();
}

async function untilReady(a: SqliteDatabaseAdapter, w: World) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		await search(a, w, queries[0] as number[]);
		if (a.vectorIndexStatus().graph === "ready") return;
		if (Date.now() > deadline) throw new Error("the graph was not built within 30 s");
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** An account, a room and N memories in it, written through `a`. */
async function fill(a: Awaited<ReturnType<typeof open>>): Promise<World> {
	const w = { user: crypto.randomUUID() as UUID, roomId: "" as UUID };
	await a.createAccount({ id: w.user, name: "u", username: "u" });
	w.roomId = await a.createRoom();
	await a.createMemories(
		Array.from({ length: N }, (_, i) => ({
			tableName: "facts",
			memory: memory(w, `m${i}`, vector(i)),
		})),
	);
	return w;
}

/** A file of N memories whose graph was built and saved; closed. */
async function savedFile(): Promise<{ path: string; w: World }> {
	const path = files.file();
	const a = await open({ path });
	const w = await fill(a);
	await untilReady(a, w);
	expect(a.vectorIndexStatus()).toMatchObject({ graphLoaded: false, rebuilds: 1 });
	await a.close();
	return { path, w };
}

describe("sqlite: the HNSW graph saved beside the file", () => {
	it("is saved when built (owner-only), loaded on reopen instead of rebuilt, and serves at once", async () => {
		const { path, w } = await savedFile();
		for (const f of [`${path}.agentmem-hnsw`, `${path}.agentmem-hnsw.json`]) {
			expect(statSync(f).mode & 0o777).toBe(0o600);
		}
		const b = await open({ path });
		await search(b, w, queries[0] as number[]);
		expect(b.vectorIndexStatus()).toMatchObject({
			rows: N,
			graph: "ready",
			graphLoaded: true,
			rebuilds: 1,
		});
		await expectExact(b, path, w);
	});

	it("catches up with what another process wrote while it was closed, and saves that on close", async () => {
		const { path, w } = await savedFile();
		const other = await open({ path, graphFile: false });
		const [first, second] = await other.getMemories({
			roomId: w.roomId,
			tableName: "facts",
			count: 2,
		});
		await other.removeMemory(first?.id as UUID, "facts");
		await other.updateMemoryEmbedding(second?.id as UUID, queries[1] as number[]);
		await other.createMemory(memory(w, "new", queries[2] as number[]), "facts");
		await other.close();
		const before = statSync(`${path}.agentmem-hnsw.json`).mtimeMs;
		const b = await open({ path });
		expect((await search(b, w, queries[2] as number[]))[0]?.[0]).toBe("new");
		expect((await search(b, w, queries[1] as number[]))[0]?.[0]).toBe(second?.content.text);
		await expectExact(b, path, w);
		expect(b.vectorIndexStatus()).toMatchObject({ rows: N, graphLoaded: true, rebuilds: 1 });
		await untilReady(b, w);
		await b.close();
		const saved = JSON.parse(readFileSync(`${path}.agentmem-hnsw.json`, "utf8"));
		expect(statSync(`${path}.agentmem-hnsw.json`).mtimeMs).toBeGreaterThanOrEqual(before);
		// Saved on close as caught up: the deleted memory is no slot's, the seq the log's newest.
		expect(saved.ids).not.toContain(first?.id);
		const raw = new Database(path, { readonly: true });
		expect(saved.seq).toBe(
			(raw.prepare("SELECT max(seq) AS s FROM memory_changes").get() as { s: number }).s,
		);
		raw.close();
		const c = await open({ path });
		await expectExact(c, path, w);
		expect(c.vectorIndexStatus()).toMatchObject({ graphLoaded: true, catchUps: 0 });
	});

	it("is saved anew by compact(), which cuts the log short, so it still loads after", async () => {
		const { path, w } = await savedFile();
		const b = await open({ path });
		await search(b, w, queries[0] as number[]);
		const other = await open({ path, graphFile: false });
		for (const text of ["x", "y"]) {
			await other.createMemory(memory(w, text, queries[3] as number[]), "facts");
		}
		await other.close();
		await b.compact();
		await b.close();
		const c = await open({ path });
		await expectExact(c, path, w);
		expect(c.vectorIndexStatus()).toMatchObject({ graphLoaded: true, rows: N + 2, catchUps: 0 });
	});

	const spoil: [string, (path: string) => void][] = [
		[
			"a flipped byte in the graph",
			(p) => {
				const g = `${p}.agentmem-hnsw`;
				const bytes = readFileSync(g);
				const at = Math.floor(bytes.length / 2);
				bytes[at] = (bytes[at] as number) ^ 0xff;
				writeFileSync(g, bytes);
			},
		],
		["a truncated graph", (p) => truncateSync(`${p}.agentmem-hnsw`, 100)],
		[
			"a description that is not JSON",
			(p) => writeFileSync(`${p}.agentmem-hnsw.json`, "{not json"),
		],
		[
			"another database's graph",
			(p) => {
				const raw = new Database(p);
				raw
					.prepare(
						"UPDATE agentmem_meta SET value = 'feedfeedfeedfeedfeedfeedfeedfeed' WHERE key = 'database_id'",
					)
					.run();
				raw.close();
			},
		],
		[
			"a log pruned past its seq",
			(p) => {
				const raw = new Database(p);
				raw
					.prepare("DELETE FROM memories WHERE rowid IN (SELECT rowid FROM memories LIMIT 3)")
					.run();
				raw
					.prepare("DELETE FROM memory_changes WHERE seq < (SELECT max(seq) FROM memory_changes)")
					.run();
				raw.close();
			},
		],
	];
	it.each(spoil)("ignores %s: rebuilt, right, and saved anew", async (_, harm) => {
		const { path, w } = await savedFile();
		harm(path);
		const b = await open({ path });
		await expectExact(b, path, w);
		expect(b.vectorIndexStatus().graphLoaded).toBe(false);
		await untilReady(b, w);
		await b.close();
		const c = await open({ path });
		await search(c, w, queries[0] as number[]);
		expect(c.vectorIndexStatus()).toMatchObject({ graphLoaded: true, graph: "ready" });
		await expectExact(c, path, w);
	});

	it("loads a graph only for its own file: one copied beside another database is ignored", async () => {
		const a = await savedFile();
		const b = await savedFile();
		copyFileSync(`${a.path}.agentmem-hnsw`, `${b.path}.agentmem-hnsw`);
		copyFileSync(`${a.path}.agentmem-hnsw.json`, `${b.path}.agentmem-hnsw.json`);
		const opened = await open({ path: b.path });
		await expectExact(opened, b.path, b.w);
		expect(opened.vectorIndexStatus().graphLoaded).toBe(false);
	});

	it("refuses a graphFile option that is not a boolean", () => {
		expect(
			() => new SqliteDatabaseAdapter({ path: files.file(), graphFile: "no" as never }),
		).toThrow(ConfigurationError);
	});

	it("writes no file with graphFile: false", async () => {
		const path = files.file();
		const a = await open({ path, graphFile: false });
		const w = await fill(a);
		await untilReady(a, w);
		await a.close();
		expect(existsSync(`${path}.agentmem-hnsw`)).toBe(false);
		expect(existsSync(`${path}.agentmem-hnsw.json`)).toBe(false);
	});
});
