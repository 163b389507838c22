/**
 * SQLite backend: better-sqlite3 with sqlite-vec, one file (WAL). Uses the SQLite family's
 * statements and migrations (shared with SQL.js); this file is driver glue plus the vec0 index.
 */
import type { Database } from "better-sqlite3";
import { ReadOnlyDatabaseError } from "../../core/errors.js";
import {
	createContext,
	ready,
	refuseInTransaction,
	SqlAdapterView,
	type SqlBackend,
	type SqlContext,
} from "../../core/sql/context.js";
import { type SerialConnection, SerialDriver } from "../../core/sql/serial-driver.js";
import { SqlDatabaseAdapter } from "../../core/sql/sql-adapter.js";
import { graphFile } from "./graph-file.js";
import { backgroundGraph } from "./slot-graph.js";
import { betterSqliteConnection } from "./sqlite-connection.js";
import { sqliteDriverOptions, wrapSqliteError } from "./sqlite-errors.js";
import { loadSqliteVec } from "./sqlite-extension.js";
import { sqliteFamily } from "./sqlite-family.js";
import { DEFAULT_FILE_MODE, openDatabaseFile, openError } from "./sqlite-file.js";
import {
	checkSqliteOptions,
	DEFAULT_EXACT_SEARCH_BELOW,
	QUANTIZED_RESCORE,
	type SqliteAdapterOptions,
	type VectorSearchMode,
} from "./sqlite-options.js";
import {
	createVec0Search,
	dropIndex,
	ensureIndex,
	installTriggers,
	markIndexStale,
	rebuildIndex,
} from "./sqlite-vec-index.js";
import { createCachedVectorSearch, type VectorIndexStatus } from "./sqlite-vector-cache.js";

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** All but the newest entry, which keeps the seqs going on from it. */
const PRUNE_CHANGE_LOG =
	"DELETE FROM memory_changes WHERE seq < (SELECT max(seq) FROM memory_changes)";
/** Maintenance runs alone on the one connection, so not inside a transaction that holds it. */
const OUTSIDE_TRANSACTION =
	"it needs the connection the transaction holds: call it on the adapter, outside transaction()";

/** What a SQLite adapter and its transaction views share. */
interface SqliteState {
	readonly options: SqliteAdapterOptions;
	driver?: SerialDriver;
	conn?: SerialConnection;
	cached?: ReturnType<typeof createCachedVectorSearch>;
}

export class SqliteDatabaseAdapter extends SqlDatabaseAdapter {
	readonly #state: SqliteState;

	constructor(options: SqliteAdapterOptions | SqlAdapterView<SqliteState>) {
		if (options instanceof SqlAdapterView) {
			super(options.ctx);
			this.#state = options.own;
			return;
		}
		const o = options ?? {};
		checkSqliteOptions(o);
		const state: SqliteState = { options: { ...o } };
		super(createContext(sqliteFamily, o, () => open(state)));
		this.#state = state;
	}

	protected override view(ctx: SqlContext): SqliteDatabaseAdapter {
		return new SqliteDatabaseAdapter(new SqlAdapterView(ctx, this.#state));
	}

	/**
	 * The in-memory search's state (`quantized` and `exact-scan` modes): memories in the copy and
	 * whether its HNSW graph is absent, being built in the background, or serving searches.
	 */
	vectorIndexStatus(): VectorIndexStatus {
		return (
			this.#state.cached?.status() ?? {
				rows: 0,
				graph: "none",
				rebuilds: 0,
				catchUps: 0,
				graphLoaded: false,
			}
		);
	}

	/**
	 * Recreates the vec0 index from the plain `memories` table (the source of truth). On `tx` it
	 * throws ValidationError (it runs alone on the connection the transaction holds), as `compact` does.
	 */
	async rebuildVectorIndex(): Promise<void> {
		const { backend, settings } = ready(this.ctx);
		refuseInTransaction(this.ctx, "rebuildVectorIndex", OUTSIDE_TRANSACTION);
		if (this.capabilities.vectorSearch !== "vec0") return;
		await maintain(backend, "rebuildVectorIndex", () =>
			backend.driver.transaction((s) => rebuildIndex(s, settings.embeddingDimension)),
		);
	}

	/**
	 * Reclaims space: rebuilds the vec0 index (sqlite-vec's DELETE only clears a validity bit, so
	 * deleted vectors keep their space), empties the change log but for its newest entry (this
	 * adapter's copy and saved graph are brought up to it first; other processes' copies behind it
	 * reread the table), then VACUUMs and truncates the WAL.
	 */
	async compact(): Promise<void> {
		ready(this.ctx);
		refuseInTransaction(this.ctx, "compact", OUTSIDE_TRANSACTION);
		await this.rebuildVectorIndex();
		const { backend } = ready(this.ctx);
		const cached = this.#state.cached;
		await maintain(backend, "compact", () =>
			backend.driver.transaction(async (s) => {
				await cached?.catchUp(s);
				await s.run(PRUNE_CHANGE_LOG);
			}),
		);
		cached?.persist(true);
		const conn = this.#state.conn as SerialConnection;
		const driver = this.#state.driver as SerialDriver;
		// VACUUM cannot run inside a transaction: it runs alone on the connection instead.
		await maintain(backend, "compact", () =>
			driver.exclusive(async () => {
				await conn.exec("VACUUM");
				await conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
			}),
		);
	}
}

async function maintain(
	backend: SqlBackend,
	what: string,
	work: () => Promise<void>,
): Promise<void> {
	try {
		await work();
	} catch (err) {
		throw backend.driver.wrapError(err, what);
	}
}

async function open(state: SqliteState): Promise<SqlBackend> {
	const o = state.options;
	const readonly = o.readonly ?? o.database?.readonly ?? false;
	// Read-only: the vec0 index cannot be checked or rebuilt; the exact scan gives the same results.
	const mode: VectorSearchMode = readonly
		? "exact-scan"
		: o.vectorSearch === "vec0" || o.vectorSearch === "exact-scan"
			? o.vectorSearch
			: "quantized";
	const vec0 = mode === "vec0";
	// The caller's Database, typed structurally in the options, is a better-sqlite3 Database.
	const db =
		(o.database as Database | undefined) ??
		(await openDatabaseFile(o.path as string, {
			readonly,
			fileMode: o.fileMode ?? DEFAULT_FILE_MODE,
			mustExist: o.migrate === false,
		}));
	try {
		if (!o.database || o.busyTimeoutMs !== undefined) {
			db.pragma(`busy_timeout = ${o.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
		}
		if (!o.database && !db.memory && !readonly) {
			db.pragma("journal_mode = WAL");
			// In WAL mode NORMAL never corrupts and survives a process crash; only a power loss may
			// undo the last commits. FULL would fsync every commit (a third of batch-insert time).
			db.pragma("synchronous = NORMAL");
		}
		db.pragma("foreign_keys = ON");
		// The first read: on read-only storage a WAL database fails here (it cannot create -shm).
		if (readonly) db.prepare("SELECT count(*) FROM sqlite_master").get();
		if (vec0) await loadSqliteVec(db, o.extensionPath);
	} catch (err) {
		if (!o.database) db.close();
		throw o.database
			? wrapSqliteError(err, "opening the database")
			: openError(err, db.name, readonly);
	}
	state.conn = betterSqliteConnection(db);
	state.driver = new SerialDriver(state.conn, {
		ownsConnection: !o.database,
		...sqliteDriverOptions,
		wrapError: readonly ? readOnlyWrites : wrapSqliteError,
	});
	const driver = state.driver;
	// The graph is saved beside a database file (not in memory, nor read-only: nothing is written).
	const store =
		o.graphFile !== false && !db.memory && db.name !== "" && !readonly
			? graphFile(db.name, o.fileMode ?? DEFAULT_FILE_MODE)
			: undefined;
	const cached = vec0
		? undefined
		: createCachedVectorSearch(sqliteFamily, {
				approximate:
					mode === "quantized"
						? {
								exactBelow: o.exactSearchBelow ?? DEFAULT_EXACT_SEARCH_BELOW,
								rescore: QUANTIZED_RESCORE,
							}
						: undefined,
				graph:
					mode === "quantized" && o.graphIndex !== false
						? backgroundGraph(() => !driver.closed, store)
						: undefined,
			});
	state.cached = cached;
	return {
		driver,
		readOnly: readonly,
		vector: cached ?? createVec0Search(),
		afterMigrate: ({ embeddingDimension }) =>
			driver.transaction((s) => (vec0 ? ensureIndex(s, embeddingDimension) : markIndexStale(s))),
		// A re-embed's switch: vec0 is recreated for the new dimension; without it, marked stale.
		vectorIndex: {
			drop: (s) => (vec0 ? dropIndex(s) : markIndexStale(s)),
			create: async (s, { embeddingDimension }) => {
				if (!vec0) return;
				await rebuildIndex(s, embeddingDimension);
				await installTriggers(s);
			},
		},
		// The graph changed since it was saved (caught up with writes): saved for the next open.
		release: async () => cached?.persist(),
		capabilities: () => ({
			backend: "sqlite",
			vectorSearch: mode,
			// sqlite-vec 0.1.9's vec0 KNN is a brute-force scan, and results are re-ranked exactly.
			exactSearch: mode !== "quantized",
			persistent: !db.memory,
			multipleConnections: false,
			crossProcessSubscribe: false,
			rowLevelSecurity: false,
		}),
	};
}

/** On a read-only adapter, a write is refused by SQLite: say why in the caller's terms. */
function readOnlyWrites(err: unknown, what: string): Error {
	const wrapped = wrapSqliteError(err, what);
	if (!(wrapped instanceof ReadOnlyDatabaseError)) return wrapped;
	return new ReadOnlyDatabaseError(
		`${what}: this adapter was opened with readonly: true, so nothing can be written; open another without readonly to write.`,
		{ cause: err },
	);
}
