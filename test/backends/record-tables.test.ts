/**
 * The record descriptions (src/core/sql/records.ts) and the tables migrations create agree: the
 * same columns in the same order, each of the SQL type its kind maps to in the family, nullable
 * exactly where the description says. A column added to a migration but not to the description
 * (or the other way round) fails here, on SQLite and on PGlite.
 */
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { type ColumnKind, RECORDS } from "../../src/core/sql/records.js";
import { EXTENSIONS } from "./pglite/shared-instance.js";

/** A column as both sides see it: name, the family's SQL type, nullable. */
type Described = [name: string, type: string, nullable: boolean];

const SQLITE_TYPES: Record<ColumnKind, string> = {
	uuid: "TEXT",
	text: "TEXT",
	json: "TEXT",
	integer: "INTEGER",
	timestamp: "INTEGER",
	boolean: "INTEGER",
	embedding: "BLOB",
};
const POSTGRES_TYPES: Record<ColumnKind, string> = {
	uuid: "uuid",
	text: "text",
	json: "jsonb",
	integer: "int4",
	timestamp: "int8",
	boolean: "bool",
	embedding: "vector",
};

function described(types: Record<ColumnKind, string>): Record<string, Described[]> {
	return Object.fromEntries(
		Object.values(RECORDS).map((r) => [
			r.table,
			r.columns.map((c): Described => [c.name, types[c.kind], c.nullable === true]),
		]),
	);
}

describe("record descriptions match the migrated tables", () => {
	it("SQLite", async () => {
		const db = new Database(":memory:");
		const adapter = new SqliteDatabaseAdapter({ database: db, embeddingDimension: 3 });
		await adapter.init();
		try {
			const live = Object.fromEntries(
				Object.values(RECORDS).map((r) => [
					r.table,
					(
						db.prepare(`PRAGMA table_info(${r.table})`).all() as {
							name: string;
							type: string;
							notnull: number;
						}[]
					).map((c): Described => [c.name, c.type, c.notnull === 0]),
				]),
			);
			expect(live).toEqual(described(SQLITE_TYPES));
		} finally {
			await adapter.close();
			db.close();
		}
	});

	it("PGlite (the PostgreSQL family's migrations)", async () => {
		const pglite = await PGlite.create({ extensions: EXTENSIONS });
		const adapter = new PGliteDatabaseAdapter({ pglite, embeddingDimension: 3 });
		await adapter.init();
		try {
			const { rows } = await pglite.query<{
				table_name: string;
				column_name: string;
				udt_name: string;
				is_nullable: string;
			}>(
				`SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = ANY ($1::text[])
				ORDER BY table_name, ordinal_position`,
				[Object.values(RECORDS).map((r) => r.table)],
			);
			const live: Record<string, Described[]> = {};
			for (const c of rows) {
				live[c.table_name] ??= [];
				live[c.table_name]?.push([c.column_name, c.udt_name, c.is_nullable === "YES"]);
			}
			const expected = described(POSTGRES_TYPES);
			// Knowledge ids are text in both families (migration 004 changed PostgreSQL's from uuid).
			expect(live).toEqual(expected);
		} finally {
			await adapter.close();
			await pglite.close();
		}
	});
});
