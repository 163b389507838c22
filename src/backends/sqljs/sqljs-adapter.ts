/**
 * SQL.js backend: SQLite compiled to WASM, in memory, in Node or a browser. Uses the SQLite
 * family's statements and migrations, and exact vector search in JavaScript over Float32 BLOBs
 * (sql.js cannot load sqlite-vec). Nothing in this module graph needs a filesystem.
 */
import type { Database, SqlJsConfig, SqlJsStatic } from "sql.js";
import { ConfigurationError } from "../../core/errors.js";
import {
	createContext,
	ready,
	refuseInTransaction,
	SqlAdapterView,
	type SqlBackend,
	type SqlContext,
} from "../../core/sql/context.js";
import type { SettingsOptions } from "../../core/sql/migrate.js";
import { SerialDriver } from "../../core/sql/serial-driver.js";
import { SqlDatabaseAdapter } from "../../core/sql/sql-adapter.js";
import { sqliteDriverOptions } from "../sqlite/sqlite-errors.js";
import { sqliteFamily } from "../sqlite/sqlite-family.js";
import { markIndexStale } from "../sqlite/sqlite-vec-index.js";
import { createCachedVectorSearch } from "../sqlite/sqlite-vector-cache.js";
import { sqlJsConnection } from "./sqljs-connection.js";

/**
 * sql.js's `Database`, `initSqlJs`'s module and its config, by the members the options need:
 * structural, so these types compile without sql.js's own type package.
 */
export interface SqlJsDatabase {
	exec(sql: string): unknown;
	export(): Uint8Array;
	close(): void;
}
export interface SqlJsModule {
	Database: new (data?: Uint8Array) => SqlJsDatabase;
}
export interface SqlJsInitConfig {
	/** Where sql.js finds its .wasm file. */
	locateFile?(file: string, prefix: string): string;
	[option: string]: unknown;
}

export interface SqlJsAdapterOptions extends SettingsOptions {
	/** A sql.js Database the caller owns (never closed by the adapter). */
	database?: SqlJsDatabase;
	/** The bytes of a database (from `export()`) to open a copy of. */
	bytes?: Uint8Array;
	/** An initialised sql.js module, or how to get one. Default: `import("sql.js")`. */
	sqlJs?: SqlJsModule | (() => Promise<SqlJsModule>);
	/** Passed to `initSqlJs` (e.g. `locateFile` to find sql-wasm-browser.wasm in a browser). */
	sqlJsConfig?: SqlJsInitConfig;
}

/** What an SQL.js adapter and its transaction views share. */
interface SqlJsState {
	readonly options: SqlJsAdapterOptions;
	db?: SqlJsDatabase;
	driver?: SerialDriver;
	reapplyPragmas?: () => void;
	dropStatements?: () => void;
	vector?: ReturnType<typeof createCachedVectorSearch>;
}

export class SqlJsDatabaseAdapter extends SqlDatabaseAdapter {
	readonly #state: SqlJsState;

	constructor(options: SqlJsAdapterOptions | SqlAdapterView<SqlJsState> = {}) {
		if (options instanceof SqlAdapterView) {
			super(options.ctx);
			this.#state = options.own;
			return;
		}
		if (options.database && options.bytes) {
			throw new ConfigurationError("give either `database` or `bytes`, not both");
		}
		const state: SqlJsState = { options: { ...options } };
		super(createContext(sqliteFamily, options, () => open(state)));
		this.#state = state;
	}

	protected override view(ctx: SqlContext): SqlJsDatabaseAdapter {
		return new SqlJsDatabaseAdapter(new SqlAdapterView(ctx, this.#state));
	}

	/**
	 * The whole database as bytes (a SQLite file image), e.g. to save to IndexedDB; open it again
	 * with `new SqlJsDatabaseAdapter({ bytes })`. Waits for open transactions to finish; on `tx`
	 * (inside the transaction it would wait for) it throws ValidationError.
	 */
	async export(): Promise<Uint8Array> {
		ready(this.ctx);
		// sql.js reopens the database to export it, which would end the open transaction.
		refuseInTransaction(
			this.ctx,
			"export",
			"export() waits for open transactions: call it on the adapter, outside transaction()",
		);
		const state = this.#state;
		const db = state.db as SqlJsDatabase;
		return (state.driver as SerialDriver).exclusive(async () => {
			// sql.js closes and reopens the database to export it, which frees prepared statements
			// and resets pragmas.
			state.dropStatements?.();
			state.vector?.invalidate();
			const bytes = db.export();
			state.reapplyPragmas?.();
			return bytes;
		});
	}
}

async function open(state: SqlJsState): Promise<SqlBackend> {
	const o = state.options;
	const owns = !o.database;
	// Typed structurally in the options, the database is sql.js's.
	const db = (o.database ?? new (await loadSqlJs(o)).Database(o.bytes)) as Database;
	const conn = sqlJsConnection(db);
	state.reapplyPragmas = () => db.exec("PRAGMA foreign_keys = ON");
	state.reapplyPragmas();
	state.db = db;
	const driver = new SerialDriver(conn, { ownsConnection: owns, ...sqliteDriverOptions });
	state.driver = driver;
	state.vector = createCachedVectorSearch(sqliteFamily);
	state.dropStatements = conn.clearStatements;
	return {
		driver,
		vector: state.vector,
		// A re-embed's switch: the in-memory copy of the vectors goes (a vec0 index from a SQLite
		// file, if any, is marked stale for the next SQLite open).
		vectorIndex: {
			drop: (s) => markIndexStale(s),
			create: async () => state.vector?.invalidate(),
			settingsChanged: () => state.vector?.invalidate(),
		},
		capabilities: () => ({
			backend: "sqljs",
			vectorSearch: "exact-scan",
			exactSearch: true,
			persistent: false,
			multipleConnections: false,
			crossProcessSubscribe: false,
			rowLevelSecurity: false,
		}),
	};
}

async function loadSqlJs(options: SqlJsAdapterOptions): Promise<SqlJsModule> {
	if (typeof options.sqlJs === "function") return options.sqlJs();
	if (options.sqlJs) return options.sqlJs;
	try {
		const mod = (await import("sql.js")) as unknown as {
			default: (c?: SqlJsConfig) => Promise<SqlJsStatic>;
		};
		return await mod.default(options.sqlJsConfig as SqlJsConfig);
	} catch (err) {
		throw new ConfigurationError(
			"sql.js could not be loaded: install it (npm install sql.js) or pass `sqlJs` (an initialised module); in a browser pass `sqlJsConfig.locateFile` so it finds sql-wasm-browser.wasm (copied from sql.js/dist/)",
			{ cause: err },
		);
	}
}
