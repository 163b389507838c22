/**
 * The memory description (RECORDS.memories, MEMORY_FIELDS in src/core/sql/records.ts) and what
 * the contract hands back agree: a memory written with every column set (one by one, and through
 * the bulk insert on the PostgreSQL family) reads back through rows.toMemory and exportRecords
 * with exactly the fields MEMORY_FIELDS places each column in. A column described but not carried
 * by the mapper or the export (or carried but not described) fails here.
 */
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { MEMORY_FIELDS, RECORDS } from "../../src/core/sql/records.js";
import type { Memory, UUID } from "../../src/core/types.js";

const DIM = 3;
const USER = "00000000-0000-4000-8000-000000000001" as UUID;
const ROOM = "00000000-0000-4000-8000-000000000002" as UUID;

const memoryFields = Object.values(MEMORY_FIELDS)
	.map((f) => f.memory)
	.filter((f) => f !== null)
	.sort();
const portableFields = ["kind", ...Object.values(MEMORY_FIELDS).map((f) => f.portable)].sort();

const idOf = (n: number) => `00000000-0000-4000-8000-00000000010${n}` as UUID;

function memory(n: number): Memory {
	return {
		id: idOf(n),
		userId: USER,
		agentId: USER,
		roomId: ROOM,
		createdAt: 1700000000000 + n,
		content: { text: `memory ${n}` },
		embedding: [1, n, 0.5],
	};
}

async function checkFields(adapter: DatabaseAdapter): Promise<void> {
	await adapter.init();
	try {
		await adapter.createAccount({ id: USER, name: "u", username: "u", details: {} });
		await adapter.createRoom(ROOM);
		await adapter.createMemory(memory(1), "messages");
		await adapter.createMemories([
			{ memory: memory(2), tableName: "messages" },
			{ memory: memory(3), tableName: "messages" },
		]);
		for (const n of [1, 2, 3]) {
			const read = await adapter.getMemoryById(idOf(n));
			expect(Object.keys(read ?? {}).sort()).toEqual(memoryFields);
		}
		const exported = [];
		for await (const r of adapter.exportRecords()) if (r.kind === "memory") exported.push(r);
		expect(exported).toHaveLength(3);
		for (const r of exported) expect(Object.keys(r).sort()).toEqual(portableFields);
	} finally {
		await adapter.close();
	}
}

describe("memory fields follow the description", () => {
	it("MEMORY_FIELDS places every column of RECORDS.memories", () => {
		expect(Object.keys(MEMORY_FIELDS)).toEqual(RECORDS.memories.columns.map((c) => c.name));
	});

	it("SQL.js (SQLite family)", async () => {
		await checkFields(new SqlJsDatabaseAdapter({ embeddingDimension: DIM }));
	});

	it("PGlite (PostgreSQL family, bulk insert)", async () => {
		await checkFields(new PGliteDatabaseAdapter({ embeddingDimension: DIM }));
	});
});
