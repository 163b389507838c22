/** SQLite-only behaviour: persistence, settings on reopen, the extension, the vec0 index's upkeep. */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { ConfigurationError, VectorExtensionUnavailableError } from "../../src/core/errors.js";
import type { Memory, UUID } from "../../src/core/types.js";
import {
	expectError,
	makeWorld,
	memory,
	randomVector,
	seededRng,
	type World,
} from "../conformance/fixtures.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";
import { indexedVector, inspectFile } from "./sqlite/inspect.js";

const files = tempFiles("sqlite-storage");
const DIM = 16;
const openAdapter = adapterOpener({ embeddingDimension: DIM, vectorSearch: "vec0" });

/** `n` memories with seeded random vectors, alternating between the world's two rooms. */
function memories(w: World, n: number, seed: number): (Memory & { id: UUID })[] {
	const rng = seededRng(seed);
	return Array.from({ length: n }, (_, i) =>
		memory(w, {
			roomId: i % 2 ? w.otherRoomId : w.roomId,
			createdAt: 1_700_000_000_000 + i,
			embedding: i % 10 === 9 ? undefined : randomVector(rng, DIM),
		}),
	);
}

/** Everything a reader sees of the world: rows, vectors, search results and counts. */
async function snapshot(a: SqliteDatabaseAdapter, w: World, queries: number[][]) {
	const rooms = [w.roomId, w.otherRoomId];
	return {
		rows: await Promise.all(
			rooms.map((roomId) => a.getMemories({ roomId, tableName: "messages" })),
		),
		searches: await Promise.all(
			queries.flatMap((q) => [
				a.searchMemoriesByEmbedding(q, { tableName: "messages", count: 7 }),
				a.searchMemoriesByEmbedding(q, { tableName: "messages", roomId: w.otherRoomId, count: 5 }),
			]),
		),
		stats: await a.stats(),
	};
}

describe("sqlite storage", () => {
	it("reads back identical records, vectors and search results after close and reopen", async () => {
		const path = files.file();
		const a = await openAdapter({ path });
		const w = await makeWorld(a);
		const written = memories(w, 120, 1);
		await a.createMemories(written.map((m) => ({ memory: m, tableName: "messages" })));
		const queries = [randomVector(seededRng(2), DIM), randomVector(seededRng(3), DIM)];
		const before = await snapshot(a, w, queries);
		expect(before.rows.flat()).toHaveLength(120);
		expect(before.searches[0]).toHaveLength(7);
		await a.close();

		const b = await openAdapter({ path });
		expect(b.capabilities).toMatchObject({
			backend: "sqlite",
			vectorSearch: "vec0",
			persistent: true,
		});
		expect(await snapshot(b, w, queries)).toEqual(before);
		const stored = await b.getMemoryById(written[0]?.id as UUID);
		expect(stored?.embedding).toEqual(Array.from(Float32Array.from(written[0]?.embedding ?? [])));
		const facts = inspectFile(path);
		expect(facts).toEqual({ integrity: "ok", embedded: 108, indexed: 108 });
	});

	it("refuses to reopen a file at another embedding dimension, and keeps the recorded one", async () => {
		const path = files.file();
		await (await openAdapter({ path })).close();
		const wrong = new SqliteDatabaseAdapter({ path, embeddingDimension: DIM * 2 });
		const err = await expectError(() => wrong.init(), ConfigurationError);
		expect(err.message).toContain(`${DIM}-dimensional`);
		const reopened = await openAdapter({ path, embeddingDimension: undefined });
		expect(reopened.embeddingDimension).toBe(DIM);
	});

	it("throws VectorExtensionUnavailableError naming what to install when sqlite-vec cannot load", async () => {
		const path = files.file();
		const missing = `${files.dir}/no-such-vec0.so`;
		const adapter = new SqliteDatabaseAdapter({
			path,
			extensionPath: missing,
			vectorSearch: "vec0",
		});
		const err = await expectError(() => adapter.init(), VectorExtensionUnavailableError);
		expect(err.message).toContain(missing);
		expect(err.message).toContain("npm install sqlite-vec");
		expect(err.message).toContain('vectorSearch: "exact-scan"');
		// The opt-in exact scan never loads the extension, so the same setting works there.
		const exact = await openAdapter({ path, extensionPath: missing, vectorSearch: "exact-scan" });
		expect(exact.capabilities).toMatchObject({ vectorSearch: "exact-scan", exactSearch: true });
		await exact.close();
		// So does the default (quantized) mode.
		const byDefault = new SqliteDatabaseAdapter({ path, extensionPath: missing });
		await byDefault.init();
		expect(byDefault.capabilities).toMatchObject({ vectorSearch: "quantized", exactSearch: false });
		await byDefault.close();
	});

	it("rejects contradictory options", () => {
		expect(() => new SqliteDatabaseAdapter({})).toThrow(ConfigurationError);
		const database = new Database(":memory:");
		expect(() => new SqliteDatabaseAdapter({ path: files.file(), database })).toThrow(
			ConfigurationError,
		);
		expect(
			() => new SqliteDatabaseAdapter({ path: files.file(), vectorSearch: "hnsw" as "vec0" }),
		).toThrow(ConfigurationError);
		database.close();
	});

	it("leaves a caller's Database open after close()", async () => {
		const database = new Database(files.file());
		const a = await openAdapter({ database });
		await makeWorld(a);
		await a.close();
		expect(database.open).toBe(true);
		expect(database.prepare("SELECT count(*) AS n FROM rooms").get()).toEqual({ n: 2 });
		database.close();
	});

	it("upserting the same id twice leaves one row with the new vector, in the table and in vec0", async () => {
		const path = files.file();
		const a = await openAdapter({ path });
		const w = await makeWorld(a);
		const [first, second] = [randomVector(seededRng(5), DIM), randomVector(seededRng(6), DIM)];
		const m = memory(w, { embedding: first });
		await a.createMemory(m, "messages", false);
		await a.createMemory({ ...m, embedding: second }, "messages", false);
		expect(await a.getMemories({ roomId: w.roomId, tableName: "messages" })).toHaveLength(1);
		const [hit] = await a.searchMemoriesByEmbedding(second, { tableName: "messages", count: 5 });
		expect(hit?.id).toBe(m.id);
		expect(hit?.similarity).toBeCloseTo(1, 6);
		await a.close();
		expect(indexedVector(path, m.id)).toEqual(Array.from(Float32Array.from(second)));
		expect(inspectFile(path)).toMatchObject({ embedded: 1, indexed: 1 });
	});
});
