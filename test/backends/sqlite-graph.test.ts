/**
 * SQLite's quantized search at scale: an HNSW graph (usearch) over the in-memory copy, built in
 * the background, chooses the candidates, which are ranked exactly. It keeps to the filters,
 * forgets removed rows, catches up with new ones, leaves narrow filters to the scans, stops
 * building when the adapter closes, and finds what the exact scan finds (recall).
 */
import { describe, expect, it, vi } from "vitest";
import { loadUsearch, SlotGraph } from "../../src/backends/sqlite/slot-graph.js";
import { type ColumnFilter, VectorColumns } from "../../src/backends/sqlite/vector-columns.js";
import type { UUID } from "../../src/core/types.js";
import { seededRng } from "../support/random.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";

const usearch = await loadUsearch();
if (!usearch) throw new Error("usearch (an optional dependency) did not load: npm ci installs it");

/** Clustered vectors: `clusters` centres, each row a centre plus noise. */
function vectors(n: number, d: number, seed: number, clusters = 20): Float32Array[] {
	const rnd = seededRng(seed);
	const centres = Array.from({ length: clusters }, () =>
		Float32Array.from({ length: d }, () => rnd() - 0.5),
	);
	return Array.from({ length: n }, (_, i) =>
		Float32Array.from(centres[i % clusters] as Float32Array, (x) => x + 0.3 * (rnd() - 0.5)),
	);
}

const OPTS = { exactBelow: 100, rescore: 40 };
const ROOMS = ["r0", "r1", "r2", "r3"];

function columnsWithGraph(rows: Float32Array[], d: number) {
	const columns = new VectorColumns(d);
	rows.forEach((v, i) => {
		columns.put(
			`id-${String(i).padStart(6, "0")}`,
			"t",
			ROOMS[i % 4] as string,
			"a",
			i % 7 !== 0,
			v,
		);
	});
	columns.attachGraph(new SlotGraph(usearch as NonNullable<typeof usearch>, d));
	while (columns.buildGraph());
	return columns;
}

function recall(columns: VectorColumns, queries: Float32Array[], f: ColumnFilter): number {
	let hits = 0;
	for (const q of queries) {
		const truth = new Set(columns.exact(q, f, 10).map((r) => r.id));
		hits += columns.approximate(q, f, 10, undefined, OPTS).filter((r) => truth.has(r.id)).length;
	}
	return hits / (10 * queries.length);
}

describe("sqlite quantized search: the HNSW graph over the copy", () => {
	const d = 32;
	const rows = vectors(6000, d, 1);
	const queries = vectors(40, d, 2);

	it("chooses the candidates once built, keeps to the filters, reports exact similarities", () => {
		const columns = columnsWithGraph(rows, d);
		const search = vi.spyOn(columns.graph as SlotGraph, "search");
		const filters: ColumnFilter[] = [
			{ type: "t", uniqueOnly: false },
			{ type: "t", room: "r1", agent: "a", uniqueOnly: false },
			{ type: "t", room: "r2", uniqueOnly: true },
		];
		for (const f of filters) {
			// The graph is built on two threads, so its links (and recall) vary a little from run to
			// run: 0.95-0.99 here. A wrong slot or filter mapping would give next to nothing.
			expect(recall(columns, queries, f)).toBeGreaterThanOrEqual(0.9);
			for (const q of queries.slice(0, 5)) {
				const exact = new Map(columns.exact(q, f, 6000).map((r) => [r.id, r.similarity]));
				for (const r of columns.approximate(q, f, 10, undefined, OPTS)) {
					// Every result passes the filter (the exact scan over it lists it) with its exact score.
					expect(exact.get(r.id)).toBe(r.similarity);
				}
			}
		}
		expect(search).toHaveBeenCalled();
	});

	it("forgets removed rows and catches up with new ones before answering", () => {
		const columns = columnsWithGraph(rows, d);
		const q = queries[0] as Float32Array;
		const f: ColumnFilter = { type: "t", uniqueOnly: false };
		const before = columns.approximate(q, f, 10, undefined, OPTS).map((r) => r.id);
		for (const id of before) columns.remove(id);
		const after = columns.approximate(q, f, 10, undefined, OPTS).map((r) => r.id);
		expect(after).toHaveLength(10);
		expect(after.filter((id) => before.includes(id))).toEqual([]);
		// A new row equal to the query is in no graph yet: the search adds it first.
		columns.put("new", "t", "r0", "a", true, q);
		expect(columns.graphLag).toBe(1);
		expect(columns.approximate(q, f, 1, undefined, OPTS)).toEqual([{ id: "new", similarity: 1 }]);
		expect(columns.graphLag).toBe(0);
	});

	it("leaves filters the graph cannot serve to the scans: narrow, unknown, zero vectors only", () => {
		const columns = columnsWithGraph(rows, d);
		for (let i = 0; i < 30; i++) {
			columns.put(`few-${i}`, "t", "tiny-room", "a", true, rows[i] as Float32Array);
			columns.put(`zero-${i}`, "z", "r0", "a", true, new Float32Array(d));
		}
		const search = vi.spyOn(columns.graph as SlotGraph, "search");
		const q = queries[3] as Float32Array;
		const narrow: ColumnFilter = { type: "t", room: "tiny-room", uniqueOnly: false };
		expect(columns.approximate(q, narrow, 10, undefined, OPTS)).toEqual(
			columns.exact(q, narrow, 10),
		);
		const unknown: ColumnFilter = { type: "t", room: "no-such-room", uniqueOnly: false };
		expect(columns.approximate(q, unknown, 10, undefined, OPTS)).toEqual([]);
		expect(search).not.toHaveBeenCalled();
		// 30 zero vectors: too few for the graph; scanned, each at similarity 0.
		const zeros = columns.approximate(q, { type: "z", uniqueOnly: false }, 5, undefined, OPTS);
		expect(zeros.map((r) => r.similarity)).toEqual([0, 0, 0, 0, 0]);
	});

	it("is dropped when the copy packs its slots, and the search stays right", () => {
		const columns = columnsWithGraph(rows, d);
		for (let i = 0; i < 4000; i++) columns.remove(`id-${String(i).padStart(6, "0")}`);
		expect(columns.graph).toBeNull();
		const f: ColumnFilter = { type: "t", uniqueOnly: false };
		const q = queries[5] as Float32Array;
		expect(columns.approximate(q, f, 10, undefined, OPTS)).toEqual(columns.exact(q, f, 10));
	});
});

describe("sqlite adapter: the graph is built in the background from 50,000 memories", () => {
	const files = tempFiles("sqlite-graph");
	const open = adapterOpener({ embeddingDimension: 8 });

	it("serves searches once built with the exact scan's results, and stops building on close", async () => {
		const path = files.file();
		const a = await open({ path });
		const user = crypto.randomUUID() as UUID;
		await a.createAccount({ id: user, name: "u", username: "u" });
		const roomId = await a.createRoom();
		const rows = vectors(50_000, 8, 3, 50);
		for (let i = 0; i < rows.length; i += 5000) {
			await a.createMemories(
				rows.slice(i, i + 5000).map((v, j) => ({
					tableName: "facts",
					memory: {
						userId: user,
						agentId: user,
						roomId,
						content: { text: `m${i + j}` },
						embedding: Array.from(v),
					},
				})),
			);
		}
		const search = vi.spyOn(SlotGraph.prototype, "search");
		const step = vi.spyOn(SlotGraph.prototype, "step");
		const ask = (db: typeof a, v: Float32Array) =>
			db.searchMemoriesByEmbedding(Array.from(v), {
				tableName: "facts",
				roomId,
				agentId: user,
				count: 10,
			});
		const queries = vectors(30, 8, 4, 50);
		// The first search starts the build; searches go on meanwhile (by the codes) until it is done.
		const deadline = Date.now() + 120_000;
		while (search.mock.calls.length === 0) {
			expect(await ask(a, queries[0] as Float32Array)).toHaveLength(10);
			if (Date.now() > deadline) throw new Error("the graph was not built within 120 s");
			await new Promise((r) => setTimeout(r, 50));
		}
		const exact = await open({ path, vectorSearch: "exact-scan" });
		let hits = 0;
		for (const q of queries) {
			const truth = new Set((await ask(exact, q)).map((m) => m.id));
			hits += (await ask(a, q)).filter((m) => truth.has(m.id)).length;
		}
		expect(hits / (10 * queries.length)).toBeGreaterThanOrEqual(0.9);

		// A new adapter starts another build; closing it stops the steps.
		const b = await open({ path });
		await ask(b, queries[1] as Float32Array);
		await new Promise((r) => setTimeout(r, 300));
		await b.close();
		await new Promise((r) => setTimeout(r, 50));
		const steps = step.mock.calls.length;
		await new Promise((r) => setTimeout(r, 500));
		expect(step.mock.calls.length).toBe(steps);
	}, 240_000);
});
