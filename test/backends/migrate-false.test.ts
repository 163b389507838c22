/**
 * `migrate: false` (issue 16): an adapter that must find agentmem's schema and never creates or
 * migrates it. On every backend a place without the schema is a NoSchemaError and stays without
 * it (no file, no cluster directory, no tables); an outdated schema is an OutdatedSchemaError; a
 * set-up database opens with its recorded dimension and model.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import { NoSchemaError, OutdatedSchemaError } from "../../src/core/errors.js";
import { createAdapter } from "../../src/create-adapter.js";
import { tempDir } from "../cli/run.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const pg = await setupTestDatabase("migrate: false on PostgreSQL");

describe("migrate: false", () => {
	it("SQLite: an absent file is refused and not created; a set-up one opens as recorded", async () => {
		const dir = tempDir();
		const path = join(dir, "typo.db");
		await expect(createAdapter(`sqlite:${path}`, { migrate: false })).rejects.toBeInstanceOf(
			NoSchemaError,
		);
		expect(existsSync(path)).toBe(false);
		const made = join(dir, "made.db");
		await (
			await createAdapter(`sqlite:${made}`, { embeddingDimension: 16, embeddingModel: "m" })
		).close();
		const db = await createAdapter(`sqlite:${made}`, { migrate: false });
		expect(db.capabilities.embeddingDimension).toBe(16);
		expect((await db.stats()).embeddingModel).toBe("m");
		await db.close();
	});

	it("SQLite: an outdated schema is refused, not migrated", async () => {
		const path = join(tempDir(), "old.db");
		const db = await createAdapter(`sqlite:${path}`, { embeddingDimension: 4 });
		await db.close();
		const { default: Sqlite } = await import("better-sqlite3");
		const raw = new Sqlite(path);
		const count = "SELECT count(*) AS n FROM agentmem_migrations";
		raw.prepare("DELETE FROM agentmem_migrations WHERE version = 1").run();
		const left = raw.prepare(count).get();
		raw.close();
		await expect(createAdapter(`sqlite:${path}`, { migrate: false })).rejects.toBeInstanceOf(
			OutdatedSchemaError,
		);
		const after = new Sqlite(path);
		expect(after.prepare(count).get()).toEqual(left);
		after.close();
	});

	it("SQL.js: a fresh in-memory database has no schema", async () => {
		const db = new SqlJsDatabaseAdapter({ migrate: false });
		await expect(db.init()).rejects.toBeInstanceOf(NoSchemaError);
	});

	it("PGlite: an absent or empty directory is refused and left as it was", async () => {
		const dir = tempDir();
		const absent = join(dir, "absent");
		await expect(createAdapter(`pglite:${absent}`, { migrate: false })).rejects.toBeInstanceOf(
			NoSchemaError,
		);
		expect(existsSync(absent)).toBe(false);
		const empty = join(dir, "empty");
		mkdirSync(empty);
		await expect(createAdapter(`pglite:${empty}`, { migrate: false })).rejects.toBeInstanceOf(
			NoSchemaError,
		);
		expect(readdirSync(empty)).toEqual([]);
		await expect(createAdapter("pglite:memory", { migrate: false })).rejects.toBeInstanceOf(
			NoSchemaError,
		);
	});

	it.runIf(pg)("PostgreSQL: an empty database is refused and gets no tables", async () => {
		if (!pg) return;
		await expect(createAdapter(pg.url, { migrate: false })).rejects.toBeInstanceOf(NoSchemaError);
		const tables = await pg.sql(
			"SELECT tablename FROM pg_tables WHERE tablename LIKE 'agentmem%' OR tablename = 'memories'",
		);
		expect(tables).toEqual([]);
		await (await createAdapter(pg.url, { embeddingDimension: 8 })).close();
		const db = await createAdapter(pg.url, { migrate: false });
		expect(db.capabilities.embeddingDimension).toBe(8);
		await db.close();
	});
});
