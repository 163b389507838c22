/**
 * The `schema` option with several schemas in one database (issue 19 point 4). Migration 001's
 * `CREATE EXTENSION IF NOT EXISTS vector` used to put pgvector (and fuzzystrmatch) in the first
 * adapter's own schema, where a second schema's adapter cannot see the `vector` type: its init()
 * failed with `type "vector" does not exist`. Each case starts from a database without the
 * extensions installed (the test helper installs them in `public`; these databases are the test's own).
 */
import { expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { account, newId, vec } from "../conformance/fixtures.js";
import { setupTestDatabase, type TestDatabase } from "./postgres/helpers.js";

const fresh = await setupTestDatabase("postgres schemas (fresh database)");
const old = await setupTestDatabase("postgres schemas (extensions in a schema)");
const DIM = 4;

async function withoutExtensions(db: TestDatabase): Promise<void> {
	await db.sql("DROP EXTENSION IF EXISTS vector; DROP EXTENSION IF EXISTS fuzzystrmatch");
}

async function extensionSchemas(db: TestDatabase): Promise<Record<string, string>> {
	const rows = await db.sql<{ extname: string; nspname: string }>(
		`SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname IN ('vector', 'fuzzystrmatch')`,
	);
	return Object.fromEntries(rows.map((r) => [r.extname, r.nspname]));
}

/** Writes and finds a memory, and uses fuzzystrmatch (getCachedEmbeddings' levenshtein). */
async function works(a: PostgresDatabaseAdapter): Promise<void> {
	const agentId = newId();
	const roomId = newId();
	await a.createAccount(account({ id: agentId }));
	await a.createRoom(roomId);
	const id = newId();
	await a.createMemory(
		{ id, agentId, userId: agentId, roomId, content: { text: "hello" }, embedding: vec(DIM, 1, 2) },
		"messages",
	);
	const found = await a.searchMemoriesByEmbedding(vec(DIM, 1, 2), {
		tableName: "messages",
		roomId,
		count: 1,
	});
	expect(found.map((m) => m.id)).toEqual([id]);
	const cached = await a.getCachedEmbeddings({
		query_table_name: "messages",
		query_threshold: 2,
		query_input: "hallo",
		query_field_name: "content",
		query_field_sub_name: "text",
		query_match_count: 5,
	});
	expect(cached).toHaveLength(1);
}

it.runIf(fresh)(
	"two adapters on two schemas of a fresh database both initialise and work",
	async () => {
		const db = fresh as TestDatabase;
		await withoutExtensions(db);
		const a = await db.adapter({ embeddingDimension: DIM, schema: "tenant_a" });
		const b = await db.adapter({ embeddingDimension: DIM, schema: "tenant_b" });
		try {
			await works(a);
			await works(b);
			// Installed where every schema finds them, not in the first tenant's schema.
			const where = await extensionSchemas(db);
			expect(where.vector).toBe("public");
			expect(where.fuzzystrmatch).toBe("public");
		} finally {
			await a.close();
			await b.close();
		}
	},
	120_000,
);

it.runIf(old)(
	"a database whose extensions an older version put in one schema still opens, for that schema and another",
	async () => {
		const db = old as TestDatabase;
		await withoutExtensions(db);
		// What migration 001 did on an adapter with `schema: "legacy"`, before this fix.
		await db.sql(
			"CREATE SCHEMA legacy; CREATE EXTENSION vector SCHEMA legacy; CREATE EXTENSION fuzzystrmatch SCHEMA legacy",
		);
		const legacy = await db.adapter({ embeddingDimension: DIM, schema: "legacy" });
		const other = await db.adapter({ embeddingDimension: DIM, schema: "tenant_c" });
		try {
			await works(legacy);
			await works(other);
			// Respected where it is: nothing moved or installed twice.
			expect(await extensionSchemas(db)).toEqual({ vector: "legacy", fuzzystrmatch: "legacy" });
			const tables = await db.sql<{ n: number }>(
				"SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'tenant_c' AND tablename = 'memories'",
			);
			expect(tables[0]?.n).toBe(1);
		} finally {
			await legacy.close();
			await other.close();
		}
	},
	120_000,
);
