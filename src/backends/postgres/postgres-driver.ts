/**
 * A `SqlDriver` over a node-postgres Pool. Every checkout is released in `finally` (destroyed when
 * its connection broke). By default statements are unnamed parameterized queries, so PgBouncer and
 * Supavisor in transaction mode work unchanged (a named prepared statement lives on one server
 * connection, which such a pooler hands to another client after each transaction). With
 * `preparedStatements` (session-mode or direct connections only) each parameterized statement is
 * a named prepared statement (prepared-statements.ts): parsed once per connection.
 *
 * What is retried (through core/resilience.ts), and why it cannot apply a write twice:
 * - a failure to check out a connection: the statement never reached the server;
 * - an autocommit SELECT: reading twice changes nothing;
 * - an autocommit write the server rolled back (serialization failure, deadlock);
 * - a whole transaction (`fn` runs again) that failed before COMMIT was sent: the server rolls an
 *   unfinished transaction back when its connection dies.
 * Not retried: an autocommit write whose connection broke mid-flight, and a transaction whose
 * connection broke during COMMIT. Both may have been applied, and re-running them would return a
 * wrong answer (createAccount's boolean) or a spurious ConflictError (plain INSERTs of goals and
 * logs), so they fail with ConnectionError and the caller decides.
 *
 * Callers wait for a connection in a PoolQueue (pool-queue.ts) before asking the pool for one:
 * a busy pool is back-pressure, never a failure of the database.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Pool, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { AgentmemError, ConnectionError, DatabaseError } from "../../core/errors.js";
import type { FailureClass, Resilience } from "../../core/resilience.js";
import type { Row, SqlDriver, SqlSession } from "../../core/sql/driver.js";
import type { PgPool } from "./pg-types.js";
import { PoolQueue, type PoolQueueOptions } from "./pool-queue.js";
import { postgresConstraintOf, wrapPostgresError } from "./postgres-errors.js";
import { type PreparedNames, preparedNames } from "./prepared-statements.js";

export interface PostgresDriverOptions {
	/** End the pool on `close()` (false for a pool the caller passed in). */
	ownsPool: boolean;
	resilience: Resilience;
	/** Told about errors of idle pooled connections (which the pool then discards). */
	onPoolError?: (err: Error) => void;
	/** Limits of the wait for a connection. */
	poolQueue?: PoolQueueOptions;
	/** Send parameterized statements as named prepared statements (default false). */
	preparedStatements?: boolean;
}

const SELECT = /^\s*SELECT\b/i;

export class PostgresPoolDriver implements SqlDriver {
	readonly #pool: Pool;
	readonly #options: PostgresDriverOptions;
	readonly #onError: (err: Error) => void;
	/** Errors raised before a statement was sent: checkout failures. */
	readonly #unsent = new WeakSet<object>();
	/** Clients whose connection died while checked out (they are destroyed on release). */
	readonly #dead = new WeakMap<PoolClient, Error>();
	readonly #guarded = new WeakSet<PoolClient>();
	/**
	 * The pool listens to a client's `error` only while it is idle; a client whose connection dies
	 * while checked out (or in the instant it is handed over) would crash the process. Every
	 * client gets a permanent listener instead, which marks it dead.
	 */
	readonly #guard = (client: PoolClient) => {
		if (this.#guarded.has(client)) return;
		this.#guarded.add(client);
		client.on("error", (err) => this.#dead.set(client, err));
	};
	readonly #queue: PoolQueue;
	readonly #names: PreparedNames | null;
	#closed = false;
	readonly session: SqlSession;
	readonly concurrentStatements = true;

	/** `pool` is a pg Pool (typed structurally, so this class's .d.ts needs no @types/pg). */
	constructor(pool: PgPool, options: PostgresDriverOptions) {
		this.#pool = pool as Pool;
		this.#options = options;
		// pg's default `max` is 10.
		this.#queue = new PoolQueue(this.#pool.options?.max ?? 10, options.poolQueue);
		this.#names = options.preparedStatements ? preparedNames() : null;
		// Without a listener an idle client's error (server restart, pg_terminate_backend) would
		// crash the process; the pool has already removed that client.
		this.#onError = (err) => options.onPoolError?.(err);
		this.#pool.on("error", this.#onError);
		this.#pool.on("connect", this.#guard);
		this.session = {
			all: async <T extends Row = Row>(sql: string, params?: readonly unknown[]) =>
				(await this.#autocommit(sql, params, SELECT.test(sql))).rows as T[],
			run: (sql, params) => this.#autocommit(sql, params, false).then((r) => r.rowCount),
			exec: (script) => this.#autocommit(script, undefined, false).then(() => undefined),
		};
	}

	get pool(): PgPool {
		return this.#pool;
	}

	/** Waits for a slot in the queue, then checks a client out; the slot is held until `#release`. */
	async #checkout(): Promise<PoolClient> {
		await this.#queue.acquire();
		try {
			return await this.#pool.connect();
		} catch (err) {
			this.#queue.release();
			if (err && typeof err === "object") this.#unsent.add(err);
			throw err;
		}
	}

	/** Runs `fn` on a checked-out client, released in `finally` (destroyed if its connection broke). */
	async #withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
		const client = await this.#checkout();
		this.#guard(client);
		let broken: Error | undefined;
		try {
			return await fn(client);
		} catch (err) {
			if (this.#options.resilience.classify(err) === "connection") broken = err as Error;
			throw err;
		} finally {
			client.release(broken ?? this.#dead.get(client));
			this.#queue.release();
		}
	}

	#retryable(read: boolean) {
		return (err: unknown, kind: FailureClass) =>
			this.#unsent.has(err as object) || kind === "contention" || read;
	}

	#autocommit(sql: string, params: readonly unknown[] | undefined, read: boolean) {
		return this.#options.resilience.run(
			() => this.#withClient((c) => query(c, sql, params, this.#names)),
			{
				retryable: this.#retryable(read),
			},
		);
	}

	transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
		const ambiguous = new WeakSet<object>();
		/** Errors `fn` threw: rethrown as they are; the driver's own (BEGIN, COMMIT) are wrapped. */
		const fromFn = new WeakSet<object>();
		const run = this.#options.resilience.run(
			() =>
				this.#withClient(async (client) => {
					await client.query("BEGIN");
					let result: T;
					try {
						result = await fn(clientSession(client, this.#names));
					} catch (err) {
						if (typeof err === "object" && err !== null) fromFn.add(err);
						await client.query("ROLLBACK").catch(() => undefined);
						throw err;
					}
					let command: string;
					try {
						command = (await client.query("COMMIT")).command;
					} catch (err) {
						if (this.#options.resilience.classify(err) !== "connection") throw err;
						const unknown = new ConnectionError(
							"commit: the connection broke while committing, so the transaction may or may not have been applied",
							{ cause: err },
						);
						ambiguous.add(unknown);
						throw unknown;
					}
					// COMMIT of a transaction aborted by an earlier (caught) error rolls back instead.
					if (command === "ROLLBACK") {
						throw new DatabaseError(
							"commit: a statement failed earlier in this transaction, so PostgreSQL rolled it back",
						);
					}
					return result;
				}),
			{ retryable: (err, kind) => !ambiguous.has(err as object) && kind !== "permanent" },
		);
		return run.catch((err) => {
			if (err instanceof AgentmemError || fromFn.has(err)) throw err;
			throw wrapPostgresError(err, "transaction");
		});
	}

	wrapError(err: unknown, what: string): Error {
		return wrapPostgresError(err, what);
	}

	constraintOf(err: unknown): "foreign_key" | "unique" | null {
		return postgresConstraintOf(err);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		// Our own pool keeps the listener: connections dying while it ends still emit `error`.
		if (this.#options.ownsPool) await this.#pool.end();
		else {
			this.#pool.off("error", this.#onError);
			this.#pool.off("connect", this.#guard);
		}
	}
}

/** One statement; named (prepared once per connection) when `names` gives it a name. */
async function query(
	client: PoolClient,
	sql: string,
	params: readonly unknown[] | undefined,
	names: PreparedNames | null,
) {
	const values = params as unknown[] | undefined;
	const name = values && names?.nameOf(sql);
	const r = name
		? await client.query<Row>({ name, text: sql, values })
		: await client.query<Row>(sql, values);
	return { rows: r.rows, rowCount: r.rowCount ?? 0 };
}

/** Statements on one checked-out client, inside its open transaction. */
function clientSession(client: PoolClient, names: PreparedNames | null): SqlSession {
	return {
		all: async <T extends Row = Row>(sql: string, params?: readonly unknown[]) =>
			(await query(client, sql, params, names)).rows as T[],
		run: async (sql, params) => (await query(client, sql, params, names)).rowCount,
		exec: async (script) => {
			await client.query(script);
		},
		copyFrom: async (sql, chunks) => {
			await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
			return true;
		},
	};
}
