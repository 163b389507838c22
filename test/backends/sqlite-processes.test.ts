/**
 * Other processes on the same file: a writer killed with SIGKILL mid-batch, and two writers at
 * once. The writers run from the built dist/ (npm test builds before vitest).
 */
import { copyFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { Memory } from "../../src/core/types.js";
import { makeWorld, type World } from "../conformance/fixtures.js";
import { startWriter, type WriterJob } from "./sqlite/child.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";
import { inspectFile } from "./sqlite/inspect.js";

const files = tempFiles("sqlite-processes");
const DIM = 16;
const BATCH = 50;
const openAdapter = adapterOpener({ embeddingDimension: DIM, vectorSearch: "vec0" });

/** A new file holding a world, closed, and the writer job fields that point at it. */
async function prepareFile(): Promise<{ path: string; w: World; job: Omit<WriterJob, "writer"> }> {
	const path = files.file();
	const a = await openAdapter({ path });
	const w = await makeWorld(a);
	await a.close();
	return {
		path,
		w,
		job: {
			path,
			dimension: DIM,
			agentId: w.agentId,
			userId: w.userId,
			roomId: w.roomId,
			batchSize: BATCH,
		},
	};
}

/** The room's memories grouped by `${writer}:${batch}`. */
async function batches(a: SqliteDatabaseAdapter, w: World): Promise<Map<string, Memory[]>> {
	const all = await a.getMemories({ roomId: w.roomId, tableName: "messages" });
	const groups = new Map<string, Memory[]>();
	for (const m of all) {
		const key = `${m.content.writer}:${m.content.batch}`;
		groups.set(key, [...(groups.get(key) ?? []), m]);
	}
	return groups;
}

describe("sqlite across processes", () => {
	it("keeps every acknowledged batch whole and none partial after SIGKILL mid-run", async () => {
		const { path, w, job } = await prepareFile();
		const writer = startWriter({ ...job, writer: "crash" });
		await writer.waitForAcks(15);
		writer.child.kill("SIGKILL");
		expect(await writer.exited).toBe("SIGKILL");

		const a = await openAdapter({ path });
		const groups = await batches(a, w);
		for (const batch of writer.acked) expect(groups.get(`crash:${batch}`)).toHaveLength(BATCH);
		for (const group of groups.values()) expect(group).toHaveLength(BATCH);
		// At most the batch in flight when the signal came committed without its ack being read.
		expect(groups.size - writer.acked.length).toBeLessThanOrEqual(1);
		const query = Array.from({ length: DIM }, (_, i) => Math.cos(i));
		const found = await a.searchMemoriesByEmbedding(query, { tableName: "messages", count: 25 });
		await a.close();

		const facts = inspectFile(path);
		expect(facts.integrity).toBe("ok");
		expect(facts.indexed).toBe(facts.embedded);
		expect(facts.embedded).toBe(groups.size * BATCH);
		const copy = files.file();
		copyFileSync(path, copy);
		const exact = await openAdapter({ path: copy, vectorSearch: "exact-scan" });
		const expected = await exact.searchMemoriesByEmbedding(query, {
			tableName: "messages",
			count: 25,
		});
		expect(found.map((m) => [m.id, m.similarity])).toEqual(
			expected.map((m) => [m.id, m.similarity]),
		);
	});

	it("lets two processes write one file at once: no SQLITE_BUSY escapes, nothing lost", async () => {
		const { path, w, job } = await prepareFile();
		const writers = ["alpha", "beta"].map((name) =>
			startWriter({ ...job, writer: name, batchSize: 20, durationMs: 3000 }),
		);
		const codes = await Promise.all(writers.map((x) => x.exited));
		expect(writers.map((x) => x.stderr)).toEqual(["", ""]);
		expect(codes).toEqual([0, 0]);

		const a = await openAdapter({ path });
		const groups = await batches(a, w);
		for (const [i, name] of ["alpha", "beta"].entries()) {
			const acked = writers[i]?.acked ?? [];
			expect(acked.length).toBeGreaterThan(0);
			for (const batch of acked) expect(groups.get(`${name}:${batch}`)).toHaveLength(20);
		}
		const total = writers.reduce((n, x) => n + x.acked.length, 0);
		expect(groups.size).toBe(total);
		await a.close();
		const facts = inspectFile(path);
		expect(facts).toEqual({ integrity: "ok", embedded: total * 20, indexed: total * 20 });
	});
});
