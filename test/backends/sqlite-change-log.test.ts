/**
 * SQLite's in-memory copy (and its HNSW graph) catches up from the change log in the file
 * (migration 005) after another connection's writes, instead of rereading the table: results stay
 * those of a fresh exact scan, the copy is not rebuilt, a pruned log or a rolled-back transaction
 * is handled, and the log stays bounded.
 */
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import type { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { UUID } from "../../src/core/types.js";
import { seededRng } from "../support/random.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";

// The graph from 300 memories on (50,000 in production), so a small file exercises it.
vi.mock("../../src/backends/sqlite/slot-graph.js", async (importOriginal) => {
	const real = await importOriginal<typeof import("../../src/backends/sqlite/slot-graph.js")>();
	return {
		...real,
		backgroundGraph: (alive: () => boolean) => ({ ...real.backgroundGraph(alive), minRows: 300 }),
	};
});

const D = 8;
const files = tempFiles("sqlite-change-log");
const open = adapterOpener({ embeddingDimension: D });
const rnd = seededRng(5);
const centres = Array.from({ length: 10 }, () => Array.from({ length: D }, () => rnd() - 0.5));
const vector = (i: number) => (centres[i % 10] as number[]).map((x) => x + 0.3 * (rnd() - 0.5));

async function world(a: SqliteDatabaseAdapter) {
	const user = crypto.randomUUID() as UUID;
	await a.createAccount({ id: user, name: "u", username: "u" });
	return { user, roomId: await a.createRoom() };
}

type World = Awaited<ReturnType<typeof world>>;

const memory = (w: World, text: string, embedding: number[]) => ({
	userId: w.user,
	agentId: w.user,
	roomId: w.roomId,
	content: { text },
	embedding,
});

async function fill(a: SqliteDatabaseAdapter, w: World, n: number, from = 0) {
	await a.createMemories(
		Array.from({ length: n }, (_, i) => ({
			tableName: "facts",
			memory: memory(w, `m${from + i}`, vector(from + i)),
		})),
	);
}

const search = (a: SqliteDatabaseAdapter, w: World, query: number[]) =>
	a
		.searchMemoriesByEmbedding(query, { tableName: "facts", roomId: w.roomId, count: 5 })
		.then((ms) => ms.map((m) => [m.content.text, m.similarity]));

/** What a fresh exact scan of the file finds (a new adapter reads the table whole). */
async function truth(path: string, w: World, query: number[]) {
	const fresh = await open({ path, vectorSearch: "exact-scan" });
	try {
		return await search(fresh, w, query);
	} finally {
		await fresh.close();
	}
}

const logSeqs = (path: string) => {
	const db = new Database(path, { readonly: true });
	try {
		return db.prepare("SELECT min(seq) AS first, max(seq) AS last FROM memory_changes").get() as {
			first: number | null;
			last: number | null;
		};
	} finally {
		db.close();
	}
};

describe.each(["exact-scan", "quantized"] as const)("sqlite %s: the change log", (mode) => {
	it("catches up with another connection's inserts, updates, deletes and VACUUM without rereading the table", async () => {
		const path = files.file();
		const a = await open({ path, vectorSearch: mode, exactSearchBelow: 50 });
		const w = await world(a);
		await fill(a, w, 400);
		const q = vector(3);
		expect(await search(a, w, q)).toEqual(await truth(path, w, q));
		expect(a.vectorIndexStatus()).toMatchObject({ rows: 400, rebuilds: 1 });
		if (mode === "quantized") {
			const deadline = Date.now() + 30_000;
			while (a.vectorIndexStatus().graph !== "ready") {
				if (Date.now() > deadline) throw new Error("the graph was not built within 30 s");
				await new Promise((r) => setTimeout(r, 20));
				await search(a, w, q);
			}
		}
		const b = await open({ path, vectorSearch: mode });
		const writes: [string, () => Promise<unknown>][] = [
			["insert", () => b.createMemory(memory(w, "new", q), "facts")],
			["batch", () => fill(b, w, 50, 400)],
			[
				"update",
				async () => {
					const [first] = await b.getMemories({ roomId: w.roomId, tableName: "facts", count: 1 });
					await b.updateMemoryEmbedding(
						first?.id as UUID,
						q.map((x) => x * 2),
					);
				},
			],
			[
				"delete",
				async () => {
					const [hit] = await b.searchMemoriesByEmbedding(q, {
						tableName: "facts",
						roomId: w.roomId,
						count: 1,
					});
					await b.removeMemory(hit?.id as UUID, "facts");
				},
			],
			["compact (VACUUM)", () => b.compact()],
			["insert after VACUUM", () => b.createMemory(memory(w, "late", q), "facts")],
		];
		for (const [what, write] of writes) {
			await write();
			expect(await search(a, w, q), what).toEqual(await truth(path, w, q));
		}
		const status = a.vectorIndexStatus();
		expect(status.rebuilds).toBe(1);
		expect(status.catchUps).toBeGreaterThanOrEqual(5);
		expect(status.rows).toBe(400 + 1 + 50 - 1 + 1);
		if (mode === "quantized") expect(status.graph).not.toBe("none");
	});

	it("rereads the table when the entries it needs were pruned from the log, and stays right", async () => {
		const path = files.file();
		const a = await open({ path, vectorSearch: mode });
		const w = await world(a);
		await fill(a, w, 20);
		const q = vector(4);
		await search(a, w, q);
		const b = await open({ path, vectorSearch: mode });
		await fill(b, w, 10, 20);
		await b.createMemory(memory(w, "exact", q), "facts");
		// As the prune trigger would, had 100,000 more entries followed: only the newest is kept.
		const raw = new Database(path);
		raw
			.prepare("DELETE FROM memory_changes WHERE seq < (SELECT max(seq) FROM memory_changes)")
			.run();
		raw.close();
		const found = await search(a, w, q);
		expect(found[0]?.[0]).toBe("exact");
		expect(found).toEqual(await truth(path, w, q));
		expect(a.vectorIndexStatus()).toMatchObject({ rows: 31, rebuilds: 2 });
	});

	it("compact() keeps only the log's newest entry: the compacting adapter's copy is kept, one behind rereads", async () => {
		const path = files.file();
		const a = await open({ path, vectorSearch: mode });
		const w = await world(a);
		await fill(a, w, 20);
		const q = vector(2);
		await search(a, w, q);
		const b = await open({ path, vectorSearch: mode });
		await search(b, w, q);
		await b.createMemory(memory(w, "before compact", q), "facts");
		await b.createMemory(memory(w, "another", vector(3)), "facts");
		await b.compact();
		const seqs = logSeqs(path);
		expect(seqs.first).toBe(seqs.last);
		expect(b.vectorIndexStatus()).toMatchObject({ rebuilds: 1, rows: 22 });
		expect(await search(b, w, q)).toEqual(await truth(path, w, q));
		expect(b.vectorIndexStatus().rebuilds).toBe(1);
		// `a` last saw the log before b's two inserts; the first one's entry is gone now.
		const found = await search(a, w, q);
		expect(found[0]?.[0]).toBe("before compact");
		expect(found).toEqual(await truth(path, w, q));
		expect(a.vectorIndexStatus()).toMatchObject({ rebuilds: 2, rows: 22 });
	});

	it("leaves no trace of a rolled-back transaction, even one that searched inside", async () => {
		const path = files.file();
		const a = await open({ path, vectorSearch: mode });
		const w = await world(a);
		await fill(a, w, 20);
		const q = vector(6);
		const before = await search(a, w, q);
		const seqs = logSeqs(path);
		await expect(
			a.transaction(async (tx) => {
				await tx.createMemory(memory(w, "ghost", q), "facts");
				const inside = await tx.searchMemoriesByEmbedding(q, {
					tableName: "facts",
					roomId: w.roomId,
					count: 1,
				});
				expect(inside[0]?.content.text).toBe("ghost");
				throw new Error("roll back");
			}),
		).rejects.toThrow("roll back");
		expect(logSeqs(path)).toEqual(seqs);
		expect(await search(a, w, q)).toEqual(before);
		// The seqs the rolled-back entries had are reused by the next writes: still right.
		const b = await open({ path, vectorSearch: mode });
		await b.createMemory(memory(w, "real", q), "facts");
		const after = await search(a, w, q);
		expect(after[0]?.[0]).toBe("real");
		expect(after.map((r) => r[0])).not.toContain("ghost");
		expect(after).toEqual(await truth(path, w, q));
	});
});

describe("sqlite: the change log in the file", () => {
	it("stays bounded: pruned in batches of 1,024, never its newest entries, seqs contiguous", async () => {
		const path = files.file();
		const a = await open({ path });
		await a.close();
		const raw = new Database(path);
		try {
			raw
				.prepare(
					"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000) INSERT INTO memory_changes (memory_id) SELECT 'x' || i FROM n",
				)
				.run();
			const { first, last, count } = raw
				.prepare(
					"SELECT min(seq) AS first, max(seq) AS last, count(*) AS count FROM memory_changes",
				)
				.get() as { first: number; last: number; count: number };
			expect(last).toBe(250_000);
			expect(count).toBe(last - first + 1);
			expect(count).toBeGreaterThanOrEqual(100_000);
			expect(count).toBeLessThanOrEqual(100_000 + 1024);
		} finally {
			raw.close();
		}
	});

	it("names the database with a random id, kept across reopening", async () => {
		const ids: string[] = [];
		for (const path of [files.file(), files.file()]) {
			await (await open({ path })).close();
			await (await open({ path })).close();
			const raw = new Database(path, { readonly: true });
			const rows = raw.prepare("SELECT value FROM agentmem_meta WHERE key = 'database_id'").all();
			raw.close();
			expect(rows).toHaveLength(1);
			ids.push((rows[0] as { value: string }).value);
		}
		expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
		expect(ids[1]).not.toBe(ids[0]);
	});
});
