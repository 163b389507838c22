import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import {
	ConfigurationError,
	EmbeddingDimensionError,
	NotFoundError,
	ValidationError,
} from "../../src/core/errors.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import { collectRecords, fixedId, populateEveryKind, seededVector } from "../support/every-kind.js";

const DIM = 8;

async function open(options: { embeddingModel?: string; embeddingDimension?: number } = {}) {
	const a = new SqlJsDatabaseAdapter({ embeddingDimension: DIM, ...options });
	await a.init();
	return a;
}

async function toArray(a: DatabaseAdapter): Promise<PortableRecord[]> {
	const out: PortableRecord[] = [];
	for await (const r of a.exportRecords()) out.push(r);
	return out;
}

describe("exportRecords / importRecords (SQL.js)", () => {
	it("exports every kind in importable order, with all columns", async () => {
		const a = await open({ embeddingModel: "m1" });
		await populateEveryKind(a, DIM);
		const records = await toArray(a);
		const kinds = records.map((r) => r.kind);
		expect(kinds[0]).toBe("database");
		const order = [...new Set(kinds)];
		expect(order).toEqual([
			"database",
			"account",
			"room",
			"participant",
			"relationship",
			"goal",
			"log",
			"cache",
			"knowledge",
			"memory",
		]);
		const stats = await a.stats();
		expect(kinds.filter((k) => k === "memory")).toHaveLength(stats.memories);
		expect(kinds.filter((k) => k === "participant")).toHaveLength(stats.participants);
		expect(kinds.filter((k) => k === "cache")).toHaveLength(stats.cache);
		expect(records[0]).toMatchObject({ embeddingDimension: DIM, embeddingModel: "m1" });
		const dup = records.find((r) => r.kind === "memory" && r.id === fixedId(900));
		expect(dup).toMatchObject({ unique: false, createdAt: 1_800_000_000_000 });
		const missing = records.find((r) => r.kind === "memory" && r.id === fixedId(1007));
		expect(missing).toMatchObject({ embedding: null });
		const followed = records.find((r) => r.kind === "participant" && r.userState === "FOLLOWED");
		expect(followed).toMatchObject({ userId: fixedId(1), roomId: fixedId(10) });
		const alice = records.find((r) => r.kind === "account" && r.id === fixedId(1));
		expect(alice).toMatchObject({ email: "alice@example.com", details: { tz: "Europe/Paris" } });
		await a.close();
	});

	it("round-trips every record exactly and gives identical search results", async () => {
		const a = await open({ embeddingModel: "m1" });
		await populateEveryKind(a, DIM);
		const b = await open({ embeddingModel: "m1" });
		const summary = await b.importRecords(a.exportRecords(), { batchSize: 100 });
		expect(summary.memory).toBe((await a.stats()).memories);
		expect(await collectRecords(b)).toEqual(await collectRecords(a));
		expect(await b.stats()).toEqual(await a.stats());
		for (const seed of [3, 77, 500]) {
			const q = seededVector(seed, DIM);
			const params = { tableName: "messages", count: 5 };
			expect(await b.searchMemoriesByEmbedding(q, params)).toEqual(
				await a.searchMemoriesByEmbedding(q, params),
			);
		}
		// Importing again changes nothing (idempotent).
		await b.importRecords(a.exportRecords());
		expect(await collectRecords(b)).toEqual(await collectRecords(a));
		await a.close();
		await b.close();
	});

	it("refuses a bad record with a typed error and, when atomic, writes nothing", async () => {
		const a = await open();
		const good: PortableRecord[] = [
			{ kind: "room", id: fixedId(1), createdAt: 1 },
			{ kind: "room", id: fixedId(2), createdAt: 2 },
		];
		const bad = { kind: "room", id: "nope", createdAt: 3 } as unknown as PortableRecord;
		await expect(a.importRecords([...good, bad], { atomic: true, batchSize: 1 })).rejects.toThrow(
			ValidationError,
		);
		expect((await a.stats()).rooms).toBe(0);
		await expect(
			a.importRecords([{ kind: "martian" } as unknown as PortableRecord]),
		).rejects.toThrow(/record 1: record.kind/);
		await a.close();
	});

	it("maps a missing account or room to NotFoundError and rolls back an atomic import", async () => {
		const a = await open();
		const records: PortableRecord[] = [
			{ kind: "room", id: fixedId(1), createdAt: 1 },
			{
				kind: "participant",
				id: fixedId(2),
				userId: fixedId(3),
				roomId: fixedId(1),
				userState: null,
				createdAt: 1,
			},
		];
		await expect(a.importRecords(records, { atomic: true })).rejects.toThrow(NotFoundError);
		expect((await a.stats()).rooms).toBe(0);
		await a.close();
	});

	it("checks the exported dimension and model against the target", async () => {
		const a = await open({ embeddingModel: "m1" });
		const header = (dim: number, model: string | null): PortableRecord => ({
			kind: "database",
			schemaVersion: 1,
			embeddingDimension: dim,
			embeddingModel: model,
		});
		await expect(a.importRecords([header(16, "m1")])).rejects.toThrow(EmbeddingDimensionError);
		await expect(a.importRecords([header(DIM, "m2")])).rejects.toThrow(ConfigurationError);
		await expect(a.importRecords([header(DIM, null)])).resolves.toMatchObject({ memory: 0 });
		const wrongVector: PortableRecord = {
			kind: "memory",
			id: fixedId(5),
			type: "messages",
			roomId: fixedId(6),
			agentId: fixedId(7),
			userId: fixedId(7),
			content: { text: "x" },
			embedding: new Float32Array(3).fill(1),
			unique: true,
			createdAt: 1,
		};
		await expect(a.importRecords([wrongVector])).rejects.toThrow(EmbeddingDimensionError);
		await a.close();
	});

	it("delivers imported memories to subscribers after commit", async () => {
		const src = await open();
		await populateEveryKind(src, DIM, 20);
		const dst = await open();
		const seen: string[] = [];
		await dst.subscribe({ tableName: "facts" }, (e) => seen.push(e.memory.id as string));
		await dst.importRecords(src.exportRecords());
		expect(seen).toHaveLength(2);
		await src.close();
		await dst.close();
	});
});
