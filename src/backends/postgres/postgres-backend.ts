/**
 * The PostgreSQL family as a backend value: what postgres/ (node-postgres) and pglite/ (PGlite)
 * share once their driver is open. pgvector HNSW search (an exact scan above 4000 dimensions, known
 * after migration), LISTEN/NOTIFY subscribe with the outbox, and planner statistics kept current
 * after bulk inserts.
 */
import type { BulkMemories } from "../../core/sql/bulk.js";
import type { SqlBackend } from "../../core/sql/context.js";
import type { SqlDriver, SqlSession } from "../../core/sql/driver.js";
import type { Migration } from "../../core/sql/family.js";
import type { AdapterCapabilities } from "../../core/types.js";
import { vectorIndexSql } from "./postgres-bulk.js";
import { type ChannelListener, memoryLocator, NotifiedMemoryEvents } from "./postgres-notify.js";
import { MIGRATION_LOCK_SQL } from "./postgres-statements.js";
import { StatisticsKeeper } from "./postgres-statistics.js";
import {
	createPostgresVectorSearch,
	hasIterativeScan,
	PGVECTOR_VERSION_SQL,
	type PostgresVectorOptions,
	postgresVectorIndexSwitch,
} from "./postgres-vector.js";
import { vectorIndexKind } from "./vector-index.js";

/** What a PostgreSQL-family driver brings; everything else is the family's. */
export interface PostgresBackendParts {
	driver: SqlDriver;
	/** pgvector's installed version (the caller checked it is there, and says how to install it). */
	pgvectorVersion: string;
	/** Where `subscribe` listens for the family's notifications. */
	listener: ChannelListener;
	/** The driver's capabilities; the vector search's are the family's (known after migration). */
	capabilities: Omit<AdapterCapabilities, "embeddingDimension" | "vectorSearch" | "exactSearch">;
	encodeQuery?: PostgresVectorOptions["encodeQuery"];
	/** The adapter's `efSearch` option. */
	efSearch?: number;
	extraMigrations?: readonly Migration[];
	/** Bulk loads of memories (postgres-bulk.ts). */
	bulkMemories?: BulkMemories;
	/** Waits for durable storage (PGlite with relaxed durability). */
	flush?: () => Promise<void>;
	release?: () => Promise<void>;
}

/** pgvector's installed version, or null when it is not installed. */
export async function readPgvectorVersion(driver: SqlDriver): Promise<string | null> {
	const [row] = await driver.session.all<{ version: string | null }>(PGVECTOR_VERSION_SQL);
	return row?.version ?? null;
}

export function postgresBackend(parts: PostgresBackendParts): SqlBackend {
	const { driver } = parts;
	const statistics = new StatisticsKeeper(driver);
	return {
		driver,
		vector: createPostgresVectorSearch({
			iterativeScan: hasIterativeScan(parts.pgvectorVersion),
			encodeQuery: parts.encodeQuery,
			efSearch: parts.efSearch,
			// PGlite (one connection): searches keep the HNSW settings on it.
			singleConnection: !driver.concurrentStatements,
		}),
		// Above 4000 dimensions pgvector has no index: the search is an exact scan.
		capabilities: ({ embeddingDimension }) => {
			const exact = vectorIndexKind(embeddingDimension) === "none";
			return {
				...parts.capabilities,
				vectorSearch: exact ? "exact-scan" : "hnsw",
				exactSearch: exact,
			};
		},
		extraMigrations: parts.extraMigrations,
		vectorIndex: postgresVectorIndexSwitch,
		memoryEvents: new NotifiedMemoryEvents(parts.listener, memoryLocator(driver.session)),
		afterMigrate: async (settings) => {
			// Under the migrations' lock: concurrent opens would otherwise race to create the same
			// index or ANALYZE the same table. A bulk import that crashed between dropping and
			// building the index left it missing.
			await driver.transaction(async (s) => {
				await s.all(MIGRATION_LOCK_SQL);
				await ensureVectorIndexes(s, settings.embeddingDimension);
				await statistics.start(s);
			});
		},
		bulkMemories: parts.bulkMemories,
		flush: parts.flush,
		afterInsert: (table, rows) => statistics.inserted(table, rows),
		release: parts.release,
	};
}

/**
 * Creates the migration's HNSW indexes when they are missing (a bulk load drops `memories`' and
 * builds it afterwards; a crash in between leaves it missing). Only checks when both are there, so
 * a role that does not own the tables opens as before.
 */
export async function ensureVectorIndexes(session: SqlSession, dimension: number): Promise<void> {
	for (const table of ["memories", "knowledge"] as const) {
		const create = vectorIndexSql(table, dimension);
		if (!create) continue;
		const [row] = await session.all<{ present: boolean }>(
			"SELECT to_regclass($1::text) IS NOT NULL AS present",
			[`${table}_embedding`],
		);
		if (!row?.present) await session.run(create);
	}
}
