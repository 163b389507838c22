/**
 * The `preparedStatements` option (prepared-statements.ts): parameterized statements become named
 * prepared statements on the connection (pg_prepared_statements shows them), with the same results
 * as the default unnamed statements, through the row-level security views too; the inline halfvec
 * check is never named (planned for each call); anything but a boolean is a ConfigurationError.
 * The conformance suite runs on an adapter with the option too.
 */
import { expect, it } from "vitest";
import {
	type PostgresAdapterOptions,
	PostgresDatabaseAdapter,
} from "../../src/backends/postgres/index.js";
import { ConfigurationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { account, newId } from "../conformance/fixtures.js";
import { registerConformanceSuite } from "../conformance/index.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import { A, id, mem, populate, ROOM_A, ROOM_B, VEC_A } from "./postgres/rls-world.js";

const db = await setupTestDatabase("postgres preparedStatements");
const DIM = 8;

/** The named statements on the adapter's one connection (poolConfig max 1). */
async function preparedTexts(a: PostgresDatabaseAdapter): Promise<string[]> {
	const { rows } = await a.pool.query(
		"SELECT statement FROM pg_prepared_statements WHERE name LIKE 'agentmem\\_%' ORDER BY statement",
	);
	return rows.map((r: { statement: string }) => r.statement);
}

const axis = (i: number, dim = DIM, tilt = 0) =>
	Array.from({ length: dim }, (_, j) => (j === i ? 1 : j === (i + 1) % dim ? tilt : 0));

/** The same writes on `a`; what they stored, by id order. */
async function scenario(a: PostgresDatabaseAdapter, dim = DIM) {
	const agent = account();
	await a.createAccount(agent);
	const roomId = newId();
	await a.createRoom(roomId);
	const ids = [newId(), newId(), newId(), newId()].sort() as UUID[];
	const m = (i: number, embedding: number[]) => ({
		id: ids[i] as UUID,
		agentId: agent.id,
		userId: agent.id,
		roomId,
		content: { text: `m${i}` },
		embedding,
	});
	await a.createMemory(m(0, axis(0, dim)), "messages", true);
	// Similarity 1/sqrt(1.01) ≈ 0.995: a near duplicate of m0.
	await a.createMemory(m(1, axis(0, dim, 0.1)), "messages", true);
	await a.createMemory(m(2, axis(3, dim)), "messages", true);
	await a.createMemory(m(3, axis(3, dim)), "messages");
	const stored = await Promise.all(ids.map((i) => a.getMemoryById(i)));
	return stored.map((s) => ({ text: s?.content.text, unique: s?.unique }));
}

it("refuses a preparedStatements that is not a boolean (ConfigurationError, before connecting)", () => {
	for (const bad of ["yes", 1, null, {}]) {
		expect(
			() =>
				new PostgresDatabaseAdapter({
					connectionString: "postgres://nobody@127.0.0.1:1/none",
					preparedStatements: bad,
				} as unknown as PostgresAdapterOptions),
		).toThrow(ConfigurationError);
	}
});

if (db) {
	// Every call behaves as on the default adapter (test/backends/postgres.test.ts).
	registerConformanceSuite("postgres (preparedStatements)", {
		makeAdapter: ({ embeddingDimension }) =>
			db.adapter({ embeddingDimension, preparedStatements: true }),
	});

	it("prepares the unique insert and the other statements on the connection; the results are the default path's", async () => {
		const prepared = await db.adapter({
			embeddingDimension: DIM,
			preparedStatements: true,
			poolConfig: { max: 1 },
		});
		const plain = await db.adapter({ embeddingDimension: DIM, poolConfig: { max: 1 } });
		try {
			const got = await scenario(prepared);
			expect(got).toEqual(await scenario(plain));
			expect(got.map((g) => g.unique)).toEqual([true, false, true, true]);
			const texts = await preparedTexts(prepared);
			expect(texts.some((t) => t.includes("agentmem_insert_unique_memory("))).toBe(true);
			expect(texts.some((t) => t.startsWith("INSERT INTO memories"))).toBe(true);
			expect(texts.some((t) => t.startsWith("INSERT INTO accounts"))).toBe(true);
			// The default adapter names none.
			expect(await preparedTexts(plain)).toEqual([]);
		} finally {
			await prepared.close();
			await plain.close();
		}
	}, 120_000);

	it("never names the inline halfvec check (2001–4000 dimensions), which is planned for each call", async () => {
		const dim = 3000;
		const a = await db.adapter({
			embeddingDimension: dim,
			preparedStatements: true,
			poolConfig: { max: 1 },
		});
		try {
			expect((await scenario(a, dim)).map((g) => g.unique)).toEqual([true, false, true, true]);
			const texts = await preparedTexts(a);
			expect(texts.some((t) => t.startsWith("INSERT INTO memories"))).toBe(true);
			expect(texts.some((t) => t.includes(`halfvec(${dim})`))).toBe(false);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("works through asUser (row-level security): own room written, the other refused", async () => {
		const owner = await db.adapter({
			rowLevelSecurity: true,
			embeddingDimension: 4,
			preparedStatements: true,
			poolConfig: { max: 1 },
		});
		try {
			await populate(owner);
			const asA = owner.asUser({ sub: A, role: "authenticated" });
			const mine = id();
			await asA.createMemory(mem(mine, ROOM_A, A, "A writes", [0, 0, 1, 0]), "messages", true);
			const again = id();
			await asA.createMemory(mem(again, ROOM_A, A, "again", [0, 0, 1, 0]), "messages", true);
			expect((await owner.getMemoryById(mine))?.unique).toBe(true);
			expect((await owner.getMemoryById(again))?.unique).toBe(false);
			await expect(
				asA.createMemory(mem(id(), ROOM_B, A, "intrusion", VEC_A), "messages", true),
			).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
			const texts = await preparedTexts(owner);
			expect(texts.some((t) => t.includes("agentmem_insert_unique_memory("))).toBe(true);
		} finally {
			await owner.close();
		}
	}, 120_000);
}
