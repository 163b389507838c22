/**
 * Migration 003 (SQLite family) / 007 (PostgreSQL family) on a database an older agentmem wrote:
 * the room names the CLI kept in the cache (`room-name:<room id>` under its own agent) move into
 * rooms.name, those cache rows go, and every other cache row stays, without an expiry.
 */
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { migrations as postgresMigrations } from "../../src/backends/postgres/migrations.generated.js";
import { postgresStatements } from "../../src/backends/postgres/postgres-statements.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { migrations as sqliteMigrations } from "../../src/backends/sqlite/migrations.generated.js";
import { sqliteStatements } from "../../src/backends/sqlite/sqlite-statements.js";
import { EXTENSIONS } from "./pglite/shared-instance.js";

/** stableId("agent", "agentmem-cli") in src/cli/context.ts. */
const CLI_AGENT = "101f5ea5-a150-5302-ab21-212c9a4e599f";
const NAMED = "00000000-0000-4000-8000-00000000000a";
const UNNAMED = "00000000-0000-4000-8000-00000000000b";
const GONE = "00000000-0000-4000-8000-00000000000c";
const OTHER_AGENT = "00000000-0000-4000-8000-00000000000d";
const DIM = 3;

/** Cache rows as the CLI and an agent wrote them before: (agent, key, value). */
const OLD_CACHE: [string, string, string][] = [
	[CLI_AGENT, `room-name:${NAMED}`, "launch"],
	[CLI_AGENT, `room-name:${GONE}`, "a room removed since"],
	[CLI_AGENT, "something-else", "kept"],
	[OTHER_AGENT, `room-name:${UNNAMED}`, "not the CLI's"],
];

async function expectMigrated(adapter: SqliteDatabaseAdapter | PGliteDatabaseAdapter) {
	expect(await adapter.getRoomName(NAMED)).toBe("launch");
	expect(await adapter.getRoomName(UNNAMED)).toBeNull();
	expect(await adapter.getCache({ agentId: CLI_AGENT, key: `room-name:${NAMED}` })).toBeUndefined();
	expect(await adapter.getCache({ agentId: CLI_AGENT, key: `room-name:${GONE}` })).toBeUndefined();
	expect(await adapter.getCache({ agentId: CLI_AGENT, key: "something-else" })).toBe("kept");
	expect(await adapter.getCache({ agentId: OTHER_AGENT, key: `room-name:${UNNAMED}` })).toBe(
		"not the CLI's",
	);
	expect((await adapter.stats()).cache).toBe(2);
}

describe("room names move from the CLI's cache entries into rooms.name", () => {
	it("SQLite (migration 003)", async () => {
		const db = new Database(":memory:");
		for (const sql of sqliteStatements.bootstrap) db.exec(sql);
		for (const m of sqliteMigrations.filter((m) => m.version < 3)) {
			db.exec(m.sql.replaceAll("{{dimension}}", String(DIM)));
			db.prepare("INSERT INTO agentmem_migrations VALUES (?, ?, 1)").run(m.version, m.name);
		}
		db.prepare("INSERT INTO agentmem_meta VALUES ('embedding_dimension', ?)").run(String(DIM));
		for (const room of [NAMED, UNNAMED])
			db.prepare("INSERT INTO rooms (id, created_at) VALUES (?, 1)").run(room);
		for (const row of OLD_CACHE)
			db.prepare("INSERT INTO cache (agent_id, key, value, created_at) VALUES (?, ?, ?, 1)").run(
				...row,
			);

		const adapter = new SqliteDatabaseAdapter({ database: db, embeddingDimension: DIM });
		await adapter.init();
		try {
			await expectMigrated(adapter);
		} finally {
			await adapter.close();
			db.close();
		}
	});

	it("PGlite (the PostgreSQL family's migration 007)", async () => {
		const pglite = await PGlite.create({ extensions: EXTENSIONS });
		for (const sql of postgresStatements.bootstrap) await pglite.exec(sql);
		for (const m of postgresMigrations.filter((m) => m.version < 7)) {
			await pglite.exec(m.sql.replaceAll("{{dimension}}", String(DIM)));
			await pglite.query(postgresStatements.migrationRecord, [m.version, m.name, 1]);
		}
		await pglite.query(postgresStatements.metaSet, ["embedding_dimension", String(DIM)]);
		for (const room of [NAMED, UNNAMED])
			await pglite.query("INSERT INTO rooms (id, created_at) VALUES ($1, 1)", [room]);
		for (const row of OLD_CACHE)
			await pglite.query(
				"INSERT INTO cache (agent_id, key, value, created_at) VALUES ($1, $2, $3, 1)",
				row,
			);

		const adapter = new PGliteDatabaseAdapter({ pglite, embeddingDimension: DIM });
		await adapter.init();
		try {
			await expectMigrated(adapter);
		} finally {
			await adapter.close();
			await pglite.close();
		}
	});
});
