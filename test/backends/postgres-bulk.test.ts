/**
 * PostgreSQL bulk loads (postgres-bulk.ts): createMemories and importRecords through COPY, the
 * vector index dropped and built after a large load into a small table, bad rows refused with
 * nothing written, a rerun of an import skipping what is there, and the index rebuilt on open
 * when a crash left it missing. Also the one-statement unique insert's decision.
 */
import { expect, it } from "vitest";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import {
	ConflictError,
	EmbeddingDimensionError,
	NotFoundError,
	ValidationError,
} from "../../src/core/errors.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import type { CreateMemoryItem, UUID } from "../../src/core/types.js";
import {
	axis,
	makeWorld,
	memory,
	randomVector,
	seededRng,
	type World,
} from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres bulk loads");
const DIM = 8;
const COUNT = 1200;

function items(w: World, n: number, seed = 1): CreateMemoryItem[] {
	const rng = seededRng(seed);
	return Array.from({ length: n }, (_, i) => ({
		// A backslash, a tab and a newline in the content.
		memory: memory(w, { text: `m${i} a\\b\tc\nd`, embedding: randomVector(rng, DIM) }),
		tableName: "messages",
	}));
}

async function count(a: PostgresDatabaseAdapter, sql: string): Promise<number> {
	const { rows } = await a.pool.query(sql);
	return Number(rows[0].n);
}

const memories = (a: PostgresDatabaseAdapter) => count(a, "SELECT count(*) AS n FROM memories");
const events = (a: PostgresDatabaseAdapter) =>
	count(a, "SELECT count(*) AS n FROM agentmem_memory_events");
const indexed = (a: PostgresDatabaseAdapter) =>
	count(a, "SELECT (to_regclass('memories_embedding') IS NOT NULL)::int AS n");

if (db) {
	it("createMemories of a large batch: every row stored as given, outbox written, index there", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const batch = items(w, COUNT);
			await a.createMemories(batch);
			expect(await memories(a)).toBe(COUNT);
			expect(await events(a)).toBe(COUNT);
			expect(await indexed(a)).toBe(1);
			const first = batch[0]?.memory;
			const stored = await a.getMemoryById(first?.id as UUID);
			expect(stored?.content).toEqual(first?.content);
			expect(stored?.embedding?.[3]).toBeCloseTo(first?.embedding?.[3] as number, 5);
			const [top] = await a.searchMemoriesByEmbedding(first?.embedding as number[], {
				tableName: "messages",
				count: 1,
			});
			expect(top?.id).toBe(first?.id);
			// A second large batch into a table as large: the index is rebuilt again, still there.
			await a.createMemories(items(w, COUNT, 2));
			expect(await memories(a)).toBe(2 * COUNT);
			expect(await indexed(a)).toBe(1);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("createMemories through binary COPY: every field of every row reads back exactly", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const rng = seededRng(7);
			const batch: CreateMemoryItem[] = Array.from({ length: COUNT }, (_, i) => ({
				memory: memory(w, {
					// Unicode edges, JSON escapes and nesting; every third row without an embedding.
					content: {
						text: `m${i} \u2028 \t "q" \\ é 𝄞 ${"x".repeat(i % 50)}`,
						nested: { list: [i, null, true, -0.5, 1e-7], empty: {} },
					},
					embedding: i % 3 === 0 ? undefined : randomVector(rng, DIM),
					createdAt: 1_700_000_000_000 + i,
				}),
				tableName: "messages",
			}));
			await a.createMemories(batch);
			for (const { memory: m } of batch.filter((_, i) => i % 97 === 0)) {
				const stored = await a.getMemoryById(m.id as UUID);
				expect(stored?.content).toEqual(m.content);
				expect(stored?.createdAt).toBe(m.createdAt);
				expect(stored?.roomId).toBe(w.roomId);
				if (m.embedding)
					expect(stored?.embedding).toEqual(Array.from(Float32Array.from(m.embedding)));
				else expect(stored?.embedding ?? null).toBeNull();
			}
		} finally {
			await a.close();
		}
	}, 120_000);

	it("createMemories refuses a bad batch and writes nothing (bad row, missing room, type clash)", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const bad = items(w, COUNT);
			(bad[700] as CreateMemoryItem).memory.embedding = axis(DIM + 1, 0);
			await expect(a.createMemories(bad)).rejects.toBeInstanceOf(EmbeddingDimensionError);
			const noRoom = items(w, COUNT);
			(noRoom[900] as CreateMemoryItem).memory.roomId = globalThis.crypto.randomUUID() as UUID;
			await expect(a.createMemories(noRoom)).rejects.toBeInstanceOf(NotFoundError);
			const taken = memory(w, { embedding: axis(DIM, 0) });
			await a.createMemory(taken, "documents");
			const clash = items(w, COUNT);
			(clash[500] as CreateMemoryItem).memory.id = taken.id;
			await expect(a.createMemories(clash)).rejects.toBeInstanceOf(ConflictError);
			expect(await memories(a)).toBe(1);
			expect(await indexed(a)).toBe(1);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("import: a rerun after a failure writes only what is missing; the index is built at the end", async () => {
		const source = await db.adapter({ embeddingDimension: DIM });
		const target = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(source);
			await source.createMemories(items(w, COUNT));
			const records: PortableRecord[] = [];
			for await (const r of source.exportRecords()) records.push(r);
			// Stops after 700 records: the batches before it are committed.
			async function* failing() {
				let i = 0;
				for (const r of records) {
					if (++i === 700) throw new Error("connection lost");
					yield r;
				}
			}
			await expect(target.importRecords(failing(), { batchSize: 200 })).rejects.toThrow(
				"connection lost",
			);
			const partial = await memories(target);
			expect(partial).toBeGreaterThan(0);
			expect(partial).toBeLessThan(COUNT);
			expect(await indexed(target)).toBe(1);
			const before = await events(target);
			const summary = await target.importRecords(records, { batchSize: 200 });
			expect(summary.memory).toBe(COUNT);
			expect(await memories(target)).toBe(COUNT);
			// Only the missing memories were written (one outbox event each).
			expect((await events(target)) - before).toBe(COUNT - partial);
			expect(await indexed(target)).toBe(1);
			// A bad record: refused with its number, the memories before it in that batch not written.
			const lastMemory = records.findLastIndex((r) => r.kind === "memory");
			const withGhost = records.map((r, i) =>
				i === lastMemory ? { ...r, roomId: globalThis.crypto.randomUUID() } : r,
			) as PortableRecord[];
			await expect(target.importRecords(withGhost, { batchSize: 200 })).rejects.toThrow(
				/record \d+ \(memory\) names an account or room that does not exist/,
			);
		} finally {
			await source.close();
			await target.close();
		}
	}, 120_000);

	it("import refuses a memory whose id has another type, writing none of its batch", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const taken = memory(w, { embedding: axis(DIM, 0) });
			await a.createMemory(taken, "documents");
			const records: PortableRecord[] = items(w, 10).map(({ memory: m }, i) => ({
				kind: "memory",
				type: "messages",
				...m,
				embedding: Float32Array.from(m.embedding as number[]),
				id: i === 5 ? taken.id : (m.id as UUID),
				createdAt: 1_700_000_000_000,
				unique: true,
			})) as PortableRecord[];
			await expect(a.importRecords(records)).rejects.toBeInstanceOf(ValidationError);
			expect(await memories(a)).toBe(1);
		} finally {
			await a.close();
		}
	});

	it("a crash between dropping and building the index: the next open builds it", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		const schema = (await a.pool.query("SELECT current_schema() AS s")).rows[0].s as string;
		const def = (await a.pool.query("SELECT pg_get_indexdef('memories_embedding'::regclass) AS d"))
			.rows[0].d as string;
		// What a bulk import that died after committing its DROP leaves behind.
		await a.pool.query("DROP INDEX memories_embedding");
		await a.close();
		const b = new PostgresDatabaseAdapter({ connectionString: db.url, schema });
		try {
			await b.init();
			const after = (
				await b.pool.query("SELECT pg_get_indexdef('memories_embedding'::regclass) AS d")
			).rows[0].d as string;
			expect(after).toBe(def);
		} finally {
			await b.close();
		}
	});

	it("createMemory(unique): the one-statement check flags a near-duplicate, not a distinct memory", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const rng = seededRng(7);
			const base = randomVector(rng, DIM);
			const first = memory(w, { embedding: base });
			await a.createMemory(first, "messages", true);
			const near = memory(w, { embedding: base.map((x) => x * 1.001) });
			await a.createMemory(near, "messages", true);
			const far = memory(w, { embedding: randomVector(rng, DIM) });
			await a.createMemory(far, "messages", true);
			// Writing the first again: itself does not count as its duplicate... but `near` does.
			await a.createMemory(first, "messages", true);
			const unique = async (id: UUID) => (await a.getMemoryById(id))?.unique;
			expect(await unique(first.id)).toBe(false);
			expect(await unique(near.id)).toBe(false);
			expect(await unique(far.id)).toBe(true);
			await expect(a.createMemory(first, "documents", true)).rejects.toBeInstanceOf(ConflictError);
			expect(await events(a)).toBe(4);
		} finally {
			await a.close();
		}
	});
}
