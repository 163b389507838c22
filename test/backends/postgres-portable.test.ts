/**
 * Export/import through PostgreSQL (the PostgreSQL family's portable statements): SQL.js →
 * PostgreSQL → SQL.js keeps every record and gives identical search results.
 */
import { expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import { collectRecords, populateEveryKind, seededVector } from "../support/every-kind.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const DIM = 8;
const db = await setupTestDatabase("postgres export/import");

async function sqljs() {
	const a = new SqlJsDatabaseAdapter({ embeddingDimension: DIM, embeddingModel: "m" });
	await a.init();
	return a;
}

if (db) {
	it("round-trips every record SQL.js → PostgreSQL → SQL.js", async () => {
		const source = await sqljs();
		await populateEveryKind(source, DIM);
		const pg = await db.adapter({ embeddingDimension: DIM, embeddingModel: "m" });
		const summary = await pg.importRecords(source.exportRecords(), { batchSize: 200 });
		expect(summary.memory).toBe((await source.stats()).memories);
		expect(await pg.stats()).toEqual(await source.stats());
		// Record 0 describes the database: the families' schema versions differ.
		expect((await collectRecords(pg)).slice(1)).toEqual((await collectRecords(source)).slice(1));
		const back = await sqljs();
		await back.importRecords(pg.exportRecords(), { atomic: true });
		expect((await collectRecords(back)).slice(1)).toEqual((await collectRecords(source)).slice(1));
		for (const seed of [1, 42]) {
			const q = seededVector(seed, DIM);
			const params = { tableName: "messages", count: 5 };
			const expected = await source.searchMemoriesByEmbedding(q, params);
			const got = await pg.searchMemoriesByEmbedding(q, params);
			expect(got.map((m) => m.id)).toEqual(expected.map((m) => m.id));
		}
		const diag = await pg.diagnostics();
		expect(diag.vectorExtensionVersion).toMatch(/^0\.\d+\.\d+$/);
		expect(diag.indexes).toEqual(expect.arrayContaining(["memories_embedding"]));
		await Promise.all([source.close(), pg.close(), back.close()]);
	});

	it("rolls an atomic import back entirely on PostgreSQL", async () => {
		const pg = await db.adapter({ embeddingDimension: DIM });
		const before = await pg.stats();
		const room = "00000000-0000-4000-8000-000000000001";
		await expect(
			pg.importRecords(
				[
					{ kind: "room", id: room, createdAt: 1 },
					{
						kind: "participant",
						id: room.replace(/1$/, "2") as typeof room,
						userId: room.replace(/1$/, "3") as typeof room,
						roomId: room,
						userState: null,
						createdAt: 1,
					},
				],
				{ atomic: true, batchSize: 1 },
			),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		expect(await pg.stats()).toEqual(before);
		await pg.close();
	});
}
