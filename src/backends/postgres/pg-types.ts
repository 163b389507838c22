/**
 * node-postgres's Pool and its configuration, by the members agentmem's options and `pool` getter
 * use: structural, so agentmem/postgres's types compile without @types/pg. A real `pg.Pool`,
 * `PoolConfig` or `ClientConfig` is accepted as is. Values agentmem only passes on to pg are
 * `unknown` here: pg's own types (when installed) say what they take.
 */

/** The seed's pool defaults; every one can be overridden through `poolConfig`. */
export const POOL_DEFAULTS = { max: 20, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 2_000 };

/** pg's `ClientConfig`: where and how to connect. */
export interface PgClientConfig {
	user?: string | undefined;
	database?: string | undefined;
	password?: string | (() => string | Promise<string>) | undefined;
	port?: number | undefined;
	host?: string | undefined;
	connectionString?: string | undefined;
	keepAlive?: boolean | undefined;
	stream?: unknown;
	statement_timeout?: false | number | undefined;
	ssl?: unknown;
	enableChannelBinding?: boolean | undefined;
	sslnegotiation?: "postgres" | "direct" | undefined;
	query_timeout?: number | undefined;
	lock_timeout?: number | undefined;
	keepAliveInitialDelayMillis?: number | undefined;
	idle_in_transaction_session_timeout?: number | undefined;
	application_name?: string | undefined;
	fallback_application_name?: string | undefined;
	connectionTimeoutMillis?: number | undefined;
	types?: unknown;
	/** Startup options, e.g. `-c search_path=…`. */
	options?: string | undefined;
	client_encoding?: string | undefined;
	pipeline?: boolean | undefined;
}

/** pg's `PoolConfig`: a client's settings plus the pool's own. */
export interface PgPoolConfig extends PgClientConfig {
	max?: number | undefined;
	min?: number | undefined;
	idleTimeoutMillis?: number | undefined | null;
	log?: unknown;
	Promise?: unknown;
	allowExitOnIdle?: boolean | undefined;
	maxUses?: number | undefined;
	maxLifetimeSeconds?: number | undefined;
	Client?: unknown;
	onConnect?: unknown;
	verify?: unknown;
}

/** A query's result, as pg gives it (rows typed loosely, as pg's own default). */
export interface PgQueryResult {
	// biome-ignore lint/suspicious/noExplicitAny: pg's own default row type; callers name columns.
	rows: any[];
	rowCount: number | null;
}

/** A connection checked out of the pool: query, then release. */
export interface PgPoolClient {
	query(text: string, values?: unknown[]): Promise<PgQueryResult>;
	release(err?: Error | boolean): void;
}

/** pg's `Pool`: what the adapter calls on the caller's pool, and what `adapter.pool` offers. */
export interface PgPool {
	readonly totalCount: number;
	readonly idleCount: number;
	readonly waitingCount: number;
	readonly ended: boolean;
	readonly options: object;
	query(text: string, values?: unknown[]): Promise<PgQueryResult>;
	connect(): Promise<PgPoolClient>;
	end(): Promise<void>;
}
