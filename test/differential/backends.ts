/**
 * The backends a generated sequence runs on, each giving an empty adapter per sequence as cheaply
 * as it can: SQL.js and SQLite open a fresh in-memory database (a few milliseconds); PGlite and
 * PostgreSQL keep one migrated adapter for the whole file and empty its tables between sequences
 * (a fresh schema and migrations take ~1 s on PostgreSQL and several on PGlite).
 */
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { sharedPGlite } from "../backends/pglite/shared-instance.js";
import { setupTestDatabase } from "../backends/postgres/helpers.js";

export interface Backend {
	name: string;
	/** An empty adapter of the run's dimension (the previous one is closed or emptied). */
	fresh(): Promise<DatabaseAdapter>;
	/** Exporting after every failed call to check nothing was written costs little here. */
	cheapExport: boolean;
}

/**
 * Children first. DELETE, then VACUUM of the tables with a vector index: 5 ms on PGlite against
 * TRUNCATE's 18. Without the VACUUM the HNSW indexes fill with dead rows over hundreds of
 * sequences, and the search then misses live rows (PGlite always, PostgreSQL until autovacuum):
 * a behaviour of a long-lived database with many deletes, reported with issue 18, not one that a
 * sequence of 40 calls shows.
 */
const EMPTY = [
	"knowledge",
	"cache",
	"logs",
	"relationships",
	"goals",
	"memories",
	"participants",
	"rooms",
	"accounts",
];
const emptyAll = (schema?: string) => [
	EMPTY.map((t) => `DELETE FROM ${schema ? `${schema}.` : ""}${t}`).join("; "),
	// VACUUM cannot run inside a transaction: a statement of its own.
	...["memories", "knowledge"].map((t) => `VACUUM ${schema ? `${schema}.` : ""}${t}`),
];

/** A backend whose adapter is made anew for every sequence. */
export function reopened(name: string, make: () => DatabaseAdapter): Backend {
	let current: DatabaseAdapter | undefined;
	return {
		name,
		cheapExport: true,
		async fresh() {
			await current?.close();
			current = make();
			await current.init();
			return current;
		},
	};
}

/** A backend whose one adapter is emptied with `empty` between sequences. */
function emptied(
	name: string,
	open: () => Promise<DatabaseAdapter>,
	empty: () => Promise<unknown>,
): Backend {
	let adapter: Promise<DatabaseAdapter> | undefined;
	return {
		name,
		cheapExport: false,
		async fresh() {
			if (!adapter) {
				adapter = open();
				return adapter;
			}
			// A call through the adapter's queue first: it waits out the ANALYZE the adapter may
			// have queued behind the last write (postgres-statistics.ts), which the SQL below
			// would otherwise run inside of on PGlite's one connection.
			await (await adapter).testConnection();
			await empty();
			return adapter;
		},
	};
}

/**
 * Every backend available here. PostgreSQL is included when AGENTMEM_TEST_POSTGRES_URL reaches a
 * server (under CI=true it must: setupTestDatabase then registers a failing test).
 */
export async function backends(dim: number): Promise<Backend[]> {
	const list: Backend[] = [
		reopened("sqljs", () => new SqlJsDatabaseAdapter({ embeddingDimension: dim })),
		reopened(
			"sqlite",
			() => new SqliteDatabaseAdapter({ path: ":memory:", embeddingDimension: dim }),
		),
	];
	const pglite = sharedPGlite();
	list.push(
		emptied(
			"pglite",
			() => pglite.adapter({ embeddingDimension: dim }),
			async () => {
				const pg = await pglite.pglite();
				for (const sql of emptyAll()) await pg.exec(sql);
			},
		),
	);
	const pg = await setupTestDatabase("differential (postgres)");
	if (pg) {
		const schema = `diff_${process.pid}`;
		list.push(
			emptied(
				"postgres",
				() => pg.adapter({ embeddingDimension: dim, schema }),
				async () => {
					for (const sql of emptyAll(schema)) await pg.sql(sql);
				},
			),
		);
	}
	return list;
}
