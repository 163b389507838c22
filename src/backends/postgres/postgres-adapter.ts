/**
 * PostgreSQL backend (and Supabase, which is PostgreSQL) on node-postgres. Uses the PostgreSQL
 * family's statements and migrations, pgvector HNSW search, and core/resilience.ts for retries
 * and the circuit breaker. The pool is created and owned here, or passed in by the caller (then
 * never ended by the adapter).
 */
import type { ClientConfig } from "pg";
import {
	ClosedError,
	ConfigurationError,
	VectorExtensionUnavailableError,
} from "../../core/errors.js";
import { type CircuitState, Resilience, type ResilienceOptions } from "../../core/resilience.js";
import {
	createContext,
	SqlAdapterView,
	type SqlBackend,
	type SqlContext,
} from "../../core/sql/context.js";
import type { SettingsOptions } from "../../core/sql/migrate.js";
import { withPrelude } from "../../core/sql/session.js";
import { SqlDatabaseAdapter } from "../../core/sql/sql-adapter.js";
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../../core/types.js";
import * as v from "../../core/validation.js";
import { toPgVectorBinary } from "../../core/vector.js";
import type { PgClientConfig, PgPool, PgPoolConfig } from "./pg-types.js";
import type { PoolQueueOptions } from "./pool-queue.js";
import { postgresBackend, readPgvectorVersion } from "./postgres-backend.js";
import { postgresBulkMemories } from "./postgres-bulk.js";
import { PostgresPoolDriver } from "./postgres-driver.js";
import { postgresFailureClass } from "./postgres-errors.js";
import { postgresFamily } from "./postgres-family.js";
import { listenerConfig, PgChannelListener } from "./postgres-listener.js";
import { MEMORY_CHANNEL } from "./postgres-notify.js";
import { createPool, createSchema, extensionSchemasOffPath, SCHEMA_RE } from "./postgres-pool.js";
import { checkEfSearch, type HnswSearchOptions, hasIterativeScan } from "./postgres-vector.js";
import { type RequestClaims, requestPrelude, UserViewResources } from "./rls/as-user.js";
import { rowLevelSecurityMigrations } from "./rls/rls-migration.js";

export { POOL_DEFAULTS } from "./pg-types.js";

export interface PostgresAdapterOptions
	extends SettingsOptions,
		ResilienceOptions,
		HnswSearchOptions {
	/** `postgres://user:pass@host:5432/db`. Shorthand for `poolConfig.connectionString`. */
	connectionString?: string;
	/** node-postgres Pool settings for the pool the adapter creates and owns. */
	poolConfig?: PgPoolConfig;
	/** A Pool the caller owns: used, never ended by the adapter. */
	pool?: PgPool;
	/**
	 * The schema holding agentmem's tables (created if absent). Default: the connection's
	 * search_path (normally `public`). Set through the connection's startup options, so it needs an
	 * adapter-created pool and a server or pooler that accepts the `options` startup parameter.
	 */
	schema?: string;
	/** Errors of idle pooled connections (the pool discards those connections by itself). */
	onPoolError?: (err: Error) => void;
	/**
	 * Calls beyond the pool's size wait, in order, for a free connection: back-pressure, never a
	 * database failure (it does not open the circuit breaker). Past these limits a call fails with
	 * `PoolExhaustedError`. `connectionTimeoutMillis` then bounds only opening a new connection.
	 */
	poolQueue?: PoolQueueOptions;
	/** Install Supabase-compatible row-level security (migration 100) and enable `asUser`. Default false. */
	rowLevelSecurity?: boolean;
	/**
	 * The connection `subscribe` LISTENs on (a direct or session-mode URL when the pool goes through
	 * a transaction-mode pooler, which cannot LISTEN). Default: the pool's settings. Its errors go
	 * to `onPoolError`; it reconnects by itself.
	 */
	listenConnection?: string | PgClientConfig;
	/**
	 * Send each parameterized statement as a named prepared statement, parsed once per connection
	 * (node-postgres `{ name, text, values }`). Only for direct or session-mode pooler connections:
	 * through PgBouncer or Supavisor in transaction mode a prepared statement is gone (or belongs to
	 * another client) after each transaction. Default false.
	 */
	preparedStatements?: boolean;
}

/** What `open()` found out about the server. */
export interface PostgresServerInfo {
	pgvectorVersion: string;
	/** pgvector >= 0.8: filtered searches use iterative index scans. */
	iterativeScan: boolean;
}

/** What a PostgreSQL adapter and all its views share. */
interface PostgresState {
	readonly options: PostgresAdapterOptions;
	resilience?: Resilience;
	driver?: PostgresPoolDriver;
	server?: PostgresServerInfo;
}

/** A facade's own part: the shared state, and on an `asUser` view (and its transactions) what it owns. */
interface PostgresOwn {
	readonly state: PostgresState;
	readonly userView?: UserViewResources;
}

export class PostgresDatabaseAdapter extends SqlDatabaseAdapter {
	readonly #own: PostgresOwn;

	constructor(options: PostgresAdapterOptions | string | SqlAdapterView<PostgresOwn>) {
		if (options instanceof SqlAdapterView) {
			super(options.ctx);
			this.#own = options.own;
			return;
		}
		const opts = typeof options === "string" ? { connectionString: options } : { ...options };
		const configured = Boolean(opts.connectionString || opts.poolConfig);
		if (Boolean(opts.pool) === configured) {
			throw new ConfigurationError(
				"give PostgresDatabaseAdapter either `pool` (yours) or `connectionString`/`poolConfig` (for a pool it creates)",
			);
		}
		if (opts.schema !== undefined && !SCHEMA_RE.test(opts.schema)) {
			throw new ConfigurationError(
				`schema must be a lowercase identifier (letters, digits, _), got ${JSON.stringify(opts.schema)}`,
			);
		}
		if (opts.schema !== undefined && opts.pool) {
			throw new ConfigurationError(
				"`schema` needs an adapter-created pool; with your own `pool`, set search_path in its config (options: '-c search_path=...')",
			);
		}
		checkEfSearch(opts.efSearch);
		if (opts.preparedStatements !== undefined && typeof opts.preparedStatements !== "boolean") {
			throw new ConfigurationError(
				`preparedStatements must be true or false, got ${v.describe(opts.preparedStatements)}`,
			);
		}
		const state: PostgresState = { options: opts };
		super(createContext(postgresFamily, opts, () => open(state)));
		this.#own = { state };
	}

	protected override view(ctx: SqlContext): PostgresDatabaseAdapter {
		return new PostgresDatabaseAdapter(new SqlAdapterView(ctx, this.#own));
	}

	/** The pool statements run on (the caller's, or the adapter's own). */
	get pool(): PgPool {
		const driver = this.#own.state.driver;
		if (!driver) throw new ConfigurationError("the pool exists after init()");
		return driver.pool;
	}

	/** The circuit breaker's state: `open` while the database is considered down. */
	get circuitState(): CircuitState {
		return this.#own.state.resilience?.breaker?.state ?? "closed";
	}

	/** pgvector's version and what it enables (after `init()`). */
	get serverInfo(): PostgresServerInfo {
		const server = this.#own.state.server;
		if (!server) throw new ConfigurationError("server info is known after init()");
		return server;
	}

	/**
	 * A view whose every call runs as Supabase's API runs a request: in its own transaction, as
	 * `claims.role` (`authenticated` by default, `anon`, `service_role`) with the claims in
	 * `request.jwt.claims`, so the row-level security policies apply. Verify tokens with `verifyJwt`.
	 */
	asUser(claims: RequestClaims): PostgresDatabaseAdapter {
		if (!this.capabilities.rowLevelSecurity) {
			throw new ConfigurationError(
				"asUser needs row-level security: create the adapter with rowLevelSecurity: true",
			);
		}
		const userView = new UserViewResources();
		const ctx = withPrelude(this.ctx, requestPrelude(claims), () => {
			if (userView.closed) throw new ClosedError("this asUser view is closed");
		});
		return new PostgresDatabaseAdapter(new SqlAdapterView(ctx, { ...this.#own, userView }));
	}

	/**
	 * On an `asUser` view: ends the subscriptions made through the view and retires it (its calls
	 * then throw ClosedError); the adapter, its pool and other views stay open. On the adapter:
	 * closes everything.
	 */
	override async close(): Promise<void> {
		const view = this.#own.userView;
		if (view && this.ctx.scope === null) return view.close();
		return super.close();
	}

	override async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
	): Promise<Unsubscribe> {
		const view = this.#own.userView;
		if (!view) return super.subscribe(filter, listener);
		if (view.closed) throw new ClosedError("this asUser view is closed");
		return view.track(await super.subscribe(filter, listener));
	}
}

async function open(state: PostgresState): Promise<SqlBackend> {
	const o = state.options;
	const resilience = new Resilience(o, postgresFailureClass);
	const connect = (pool: PgPool) =>
		new PostgresPoolDriver(pool, {
			ownsPool: !o.pool,
			resilience,
			onPoolError: o.onPoolError,
			poolQueue: o.poolQueue,
			preparedStatements: o.preparedStatements === true,
		});
	let driver = connect(o.pool ?? (await createPool(o)));
	state.resilience = resilience;
	try {
		const version = await readPgvectorVersion(driver);
		if (!version) {
			throw new VectorExtensionUnavailableError(
				"pgvector is not installed on this PostgreSQL server: install it (Debian/Ubuntu: postgresql-<major>-pgvector, or scripts/provision-postgres.sh; Supabase: enable the `vector` extension)",
			);
		}
		state.server = { pgvectorVersion: version, iterativeScan: hasIterativeScan(version) };
		if (o.schema) {
			// The extensions' schemas must be on the search path; an installation outside it (an
			// older version put them in the first adapter's own schema) joins it: a new pool.
			const extra = await extensionSchemasOffPath(driver, o.schema);
			if (extra.length > 0) {
				const previous = driver;
				driver = connect(await createPool(o, extra));
				await previous.close();
			}
			await createSchema(driver, o.schema);
		}
	} catch (err) {
		await driver.close();
		throw driver.wrapError(err, "connecting to PostgreSQL");
	}
	state.driver = driver;
	return postgresBackend({
		driver,
		pgvectorVersion: state.server.pgvectorVersion,
		encodeQuery: toPgVectorBinary,
		efSearch: o.efSearch,
		bulkMemories: postgresBulkMemories,
		listener: new PgChannelListener({
			config: listenerConfig(o.listenConnection as string | ClientConfig | undefined, driver.pool),
			channel: MEMORY_CHANNEL,
			onError: o.onPoolError,
		}),
		capabilities: {
			backend: "postgres",
			persistent: true,
			multipleConnections: true,
			crossProcessSubscribe: true,
			rowLevelSecurity: o.rowLevelSecurity === true,
		},
		extraMigrations: o.rowLevelSecurity ? rowLevelSecurityMigrations : [],
	});
}
