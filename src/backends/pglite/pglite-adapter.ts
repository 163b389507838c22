/**
 * PGlite backend: PostgreSQL compiled to WASM, in-process, in Node or a browser, with pgvector and
 * fuzzystrmatch. It runs the PostgreSQL family unchanged (statements, migrations, HNSW search,
 * LISTEN/NOTIFY subscribe); what differs is here: one connection (SerialDriver), no autovacuum
 * (postgres-statistics.ts keeps planner statistics current) and one process per data directory
 * (dir-lock.ts, imported only for directory paths so the in-memory path loads in a browser).
 */
import type { PGliteInterface, PGliteOptions } from "@electric-sql/pglite";
import { ConfigurationError, VectorExtensionUnavailableError } from "../../core/errors.js";
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
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../../core/types.js";
import { postgresBackend, readPgvectorVersion } from "../postgres/postgres-backend.js";
import { postgresBulkMemories } from "../postgres/postgres-bulk.js";
import { postgresConstraintOf, wrapPostgresError } from "../postgres/postgres-errors.js";
import { postgresFamily } from "../postgres/postgres-family.js";
import { MEMORY_CHANNEL } from "../postgres/postgres-notify.js";
import { checkEfSearch, type HnswSearchOptions } from "../postgres/postgres-vector.js";
import { pgliteChannelListener, pgliteConnection, syncStorage } from "./pglite-connection.js";

export interface PGliteAdapterOptions extends SettingsOptions, HnswSearchOptions {
	/**
	 * Where the database lives: undefined or `"memory"` for in-memory, a directory path (Node,
	 * persistent, locked to this process), or `idb://name` / `opfs-ahp://name` in a browser.
	 */
	dataDir?: string;
	/**
	 * A PGlite instance the caller owns (never closed by the adapter), created with
	 * `extensions: { vector, fuzzystrmatch }`. The adapter must be its only user of transactions.
	 */
	pglite?: PGliteInterface;
	/** More options for the PGlite instance the adapter creates (e.g. `relaxedDurability`). */
	pgliteOptions?: Omit<PGliteOptions, "dataDir" | "extensions">;
	/**
	 * The permission bits of a data directory (Node path) the adapter creates. Default 0o700 (owner
	 * only), whatever the umask. An existing directory is never changed.
	 */
	dirMode?: number;
}

interface Lock {
	release(): Promise<void>;
}

const MEMORY = /^(memory|memory:\/\/.*)$/;
/** PGlite's browser storage schemes (IndexedDB, OPFS). */
const BROWSER_STORAGE = /^(idb|opfs-ahp):\/\//;

export class PGliteDatabaseAdapter extends SqlDatabaseAdapter {
	readonly #options: PGliteAdapterOptions;

	constructor(options: PGliteAdapterOptions | SqlAdapterView<PGliteAdapterOptions> = {}) {
		if (options instanceof SqlAdapterView) {
			super(options.ctx);
			this.#options = options.own;
			return;
		}
		checkEfSearch(options.efSearch);
		if (options.pglite && options.dataDir !== undefined) {
			throw new ConfigurationError(
				"give PGliteDatabaseAdapter either `pglite` (your instance) or `dataDir`, not both",
			);
		}
		if (
			options.dataDir !== undefined &&
			(typeof options.dataDir !== "string" || !options.dataDir)
		) {
			throw new ConfigurationError(
				'dataDir must be "memory", a directory path, or idb://name in a browser',
			);
		}
		if (
			options.dirMode !== undefined &&
			!(Number.isInteger(options.dirMode) && options.dirMode >= 0 && options.dirMode <= 0o777)
		) {
			throw new ConfigurationError(
				`dirMode must be permission bits between 0 and 0o777 (e.g. 0o700), got ${JSON.stringify(options.dirMode)}`,
			);
		}
		const o = { ...options };
		super(createContext(postgresFamily, o, () => open(o)));
		this.#options = o;
	}

	protected override view(ctx: SqlContext): PGliteDatabaseAdapter {
		return new PGliteDatabaseAdapter(new SqlAdapterView(ctx, this.#options));
	}

	/**
	 * Resolves when every write committed so far is in the browser's storage (IndexedDB, OPFS) or the
	 * data directory. Without `pgliteOptions.relaxedDurability` each statement already waits for
	 * that; with it, statements return before their storage write, and this is the checkpoint (e.g.
	 * on `visibilitychange` to hidden, or after a batch the user must not lose). `close()` flushes too.
	 */
	async flush(): Promise<void> {
		await this.init();
		await ready(this.ctx).backend.flush?.();
	}

	/** True when the data outlives the process (a directory, IndexedDB or OPFS). */
	get persistent(): boolean {
		return isPersistent(this.#options);
	}

	/**
	 * PGlite has one connection, and subscribing runs LISTEN on it, which waits for the open
	 * transaction: inside `transaction()` it would wait for itself. Refused there instead.
	 */
	override async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
	): Promise<Unsubscribe> {
		refuseInTransaction(
			this.ctx,
			"subscribe",
			"PGlite has one connection: call subscribe on the adapter, outside transaction()",
		);
		return super.subscribe(filter, listener);
	}
}

function isPersistent(o: PGliteAdapterOptions): boolean {
	const dir = o.pglite?.dataDir ?? o.dataDir;
	return dir !== undefined && !MEMORY.test(dir);
}

async function open(o: PGliteAdapterOptions): Promise<SqlBackend> {
	const dataDir = o.dataDir === undefined || MEMORY.test(o.dataDir) ? undefined : o.dataDir;
	if (o.migrate === false && dataDir && !o.pglite) await assertCluster(dataDir);
	const held = o.pglite || !dataDir ? null : await lock(dataDir, o.dirMode);
	const release = async () => {
		await held?.release();
	};
	try {
		return await connect(o, o.pglite ?? (await createPGlite(dataDir, o)), release);
	} catch (err) {
		await release();
		throw err;
	}
}

async function connect(
	o: PGliteAdapterOptions,
	pg: PGliteInterface,
	release: () => Promise<void>,
): Promise<SqlBackend> {
	const driver = new SerialDriver(pgliteConnection(pg), {
		ownsConnection: !o.pglite,
		wrapError: wrapPostgresError,
		constraintOf: postgresConstraintOf,
	});
	let version: string | null;
	try {
		version = await readPgvectorVersion(driver);
	} catch (err) {
		await driver.close();
		throw driver.wrapError(err, "opening PGlite");
	}
	if (!version) {
		await driver.close();
		throw new VectorExtensionUnavailableError(
			"pgvector is not loaded in this PGlite instance: create it with " +
				'`extensions: { vector, fuzzystrmatch }` (from "@electric-sql/pglite-pgvector" and "@electric-sql/pglite/contrib/fuzzystrmatch")',
		);
	}
	return postgresBackend({
		driver,
		pgvectorVersion: version,
		efSearch: o.efSearch,
		bulkMemories: postgresBulkMemories,
		flush: () => driver.exclusive(() => syncStorage(pg)),
		listener: pgliteChannelListener(pg, driver, MEMORY_CHANNEL),
		capabilities: {
			backend: "pglite",
			persistent: isPersistent(o),
			multipleConnections: false,
			crossProcessSubscribe: false,
			rowLevelSecurity: false,
		},
		release,
	});
}

/**
 * `migrate: false`: a Node data directory without a PostgreSQL cluster is a NoSchemaError before
 * PGlite would create one there (cluster-check.ts, Node only: the browser field maps it away).
 */
async function assertCluster(dataDir: string): Promise<void> {
	if (BROWSER_STORAGE.test(dataDir) || typeof process === "undefined" || !process.versions?.node)
		return;
	const { assertClusterDirectory } = await import("./cluster-check.js");
	assertClusterDirectory(dataDir);
}

/** The data directory's lock: a lock file in Node, a Web Lock in a browser. */
async function lock(dataDir: string, dirMode: number | undefined): Promise<Lock | null> {
	if (BROWSER_STORAGE.test(dataDir)) {
		const { lockInBrowser } = await import("./web-lock.js");
		return lockInBrowser(dataDir);
	}
	if (typeof process === "undefined" || !process.versions?.node) {
		throw new ConfigurationError(
			`dataDir ${JSON.stringify(dataDir)} is a directory path, which needs Node; in a browser use "memory" or idb://name`,
		);
	}
	const { lockDirectory } = await import("./dir-lock.js");
	return lockDirectory(dataDir, dirMode);
}

async function createPGlite(
	dataDir: string | undefined,
	o: PGliteAdapterOptions,
): Promise<PGliteInterface> {
	let modules: [
		typeof import("@electric-sql/pglite"),
		typeof import("@electric-sql/pglite-pgvector"),
		typeof import("@electric-sql/pglite/contrib/fuzzystrmatch"),
	];
	try {
		modules = await Promise.all([
			import("@electric-sql/pglite"),
			import("@electric-sql/pglite-pgvector"),
			import("@electric-sql/pglite/contrib/fuzzystrmatch"),
		]);
	} catch (err) {
		throw new ConfigurationError(
			"PGlite could not be loaded: npm install @electric-sql/pglite @electric-sql/pglite-pgvector",
			{ cause: err },
		);
	}
	const [{ PGlite }, { vector }, { fuzzystrmatch }] = modules;
	try {
		return await PGlite.create({
			...o.pgliteOptions,
			dataDir,
			extensions: { vector, fuzzystrmatch },
		});
	} catch (err) {
		throw wrapPostgresError(err, `opening PGlite${dataDir ? ` at ${dataDir}` : ""}`);
	}
}
