/**
 * SQLite backend: better-sqlite3 with sqlite-vec, one file (WAL). Uses the SQLite family's
 * statements and migrations (shared with SQL.js); this file is driver glue plus the vec0 index.
 */
import type { Database } from "better-sqlite3";
import { ConfigurationError } from "../../core/errors.js";
import { createExactScan } from "../../core/sql/exact-scan.js";
import type { SettingsOptions } from "../../core/sql/migrate.js";
import { type SerialConnection, SerialDriver } from "../../core/sql/serial-driver.js";
import { type SqlBackend, SqlDatabaseAdapter } from "../../core/sql/sql-adapter.js";
import { assertCount } from "../../core/validation.js";
import { betterSqliteConnection } from "./sqlite-connection.js";
import { sqliteDriverOptions, wrapSqliteError } from "./sqlite-errors.js";
import { loadSqliteVec } from "./sqlite-extension.js";
import { sqliteFamily } from "./sqlite-family.js";
import { createVec0Search, ensureIndex, markIndexStale, rebuildIndex } from "./sqlite-vec-index.js";

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteAdapterOptions extends SettingsOptions {
	/** The database file (created if absent), or `:memory:`. Give this or `database`. */
	path?: string;
	/** A better-sqlite3 Database the caller owns (never closed by the adapter). */
	database?: Database;
	/**
	 * `vec0` (default): sqlite-vec's index, which must load or `init()` throws
	 * VectorExtensionUnavailableError. `exact-scan`: the JavaScript scan SQL.js uses, no extension.
	 */
	vectorSearch?: "vec0" | "exact-scan";
	/** The sqlite-vec loadable library to load instead of the one the sqlite-vec package ships. */
	extensionPath?: string;
	/** How long a statement waits for another connection's write lock. Default 5000 ms. */
	busyTimeoutMs?: number;
}

export class SqliteDatabaseAdapter extends SqlDatabaseAdapter {
	protected readonly family = sqliteFamily;
	readonly #options: SqliteAdapterOptions;
	#driver?: SerialDriver;
	#conn?: SerialConnection;

	constructor(options: SqliteAdapterOptions) {
		super(options);
		const o = options ?? {};
		if ((o.path === undefined) === (o.database === undefined)) {
			throw new ConfigurationError(
				"give exactly one of `path` (a file, or :memory:) and `database` (a better-sqlite3 Database)",
			);
		}
		if (o.path !== undefined && (typeof o.path !== "string" || o.path === "")) {
			throw new ConfigurationError("`path` must be a non-empty string");
		}
		if (
			o.vectorSearch !== undefined &&
			o.vectorSearch !== "vec0" &&
			o.vectorSearch !== "exact-scan"
		) {
			throw new ConfigurationError(
				`vectorSearch must be "vec0" or "exact-scan", got ${JSON.stringify(o.vectorSearch)}`,
			);
		}
		if (o.busyTimeoutMs !== undefined) assertCount(o.busyTimeoutMs, "busyTimeoutMs");
		this.#options = { ...o };
	}

	protected async open(): Promise<SqlBackend> {
		const o = this.#options;
		const vec0 = (o.vectorSearch ?? "vec0") === "vec0";
		const db = o.database ?? (await openFile(o.path as string));
		try {
			if (!o.database || o.busyTimeoutMs !== undefined) {
				db.pragma(`busy_timeout = ${o.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
			}
			if (!o.database && !db.memory) {
				db.pragma("journal_mode = WAL");
				// In WAL mode NORMAL never corrupts and survives a process crash; only a power loss may
				// undo the last commits. FULL would fsync every commit (a third of batch-insert time).
				db.pragma("synchronous = NORMAL");
			}
			db.pragma("foreign_keys = ON");
			if (vec0) await loadSqliteVec(db, o.extensionPath);
		} catch (err) {
			if (!o.database) db.close();
			throw err;
		}
		this.#conn = betterSqliteConnection(db);
		this.#driver = new SerialDriver(this.#conn, {
			ownsConnection: !o.database,
			...sqliteDriverOptions,
		});
		const driver = this.#driver;
		return {
			driver,
			vector: vec0 ? createVec0Search() : createExactScan(sqliteFamily),
			afterMigrate: ({ embeddingDimension }) =>
				driver.transaction((s) => (vec0 ? ensureIndex(s, embeddingDimension) : markIndexStale(s))),
			capabilities: {
				backend: "sqlite",
				vectorSearch: vec0 ? "vec0" : "exact-scan",
				// sqlite-vec 0.1.9's vec0 KNN is a brute-force scan, and results are re-ranked exactly.
				exactSearch: true,
				persistent: !db.memory,
				multipleConnections: false,
				crossProcessSubscribe: false,
				rowLevelSecurity: false,
			},
		};
	}

	/** Recreates the vec0 index from the plain `memories` table (the source of truth). */
	async rebuildVectorIndex(): Promise<void> {
		const { backend, settings } = this.ready();
		if (backend.capabilities.vectorSearch !== "vec0") return;
		await this.#maintain("rebuildVectorIndex", () =>
			backend.driver.transaction((s) => rebuildIndex(s, settings.embeddingDimension)),
		);
	}

	/**
	 * Reclaims space: rebuilds the vec0 index (sqlite-vec's DELETE only clears a validity bit, so
	 * deleted vectors keep their space), then VACUUMs and truncates the WAL.
	 */
	async compact(): Promise<void> {
		await this.rebuildVectorIndex();
		const conn = this.#conn as SerialConnection;
		// VACUUM cannot run inside a transaction: it runs alone on the connection instead.
		await this.#maintain("compact", () =>
			(this.#driver as SerialDriver).exclusive(async () => {
				await conn.exec("VACUUM");
				await conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
			}),
		);
	}

	async #maintain(what: string, work: () => Promise<void>): Promise<void> {
		try {
			await work();
		} catch (err) {
			throw (this.#driver as SerialDriver).wrapError(err, what);
		}
	}
}

async function openFile(path: string): Promise<Database> {
	let BetterSqlite: typeof import("better-sqlite3");
	try {
		BetterSqlite = (await import("better-sqlite3")).default;
	} catch (err) {
		throw new ConfigurationError(
			"better-sqlite3 could not be loaded: install it (npm install better-sqlite3); if it was built for another Node version, run npm rebuild better-sqlite3",
			{ cause: err },
		);
	}
	try {
		return new BetterSqlite(path);
	} catch (err) {
		throw wrapSqliteError(err, `opening ${path}`);
	}
}
