/**
 * A `SqlDriver` over one connection (better-sqlite3, sql.js, PGlite). Statements and transactions
 * are serialised across awaits: while a transaction is open, every other caller's statement waits,
 * so nothing leaks into (or out of) it. Transactions are BEGIN … COMMIT on the connection itself
 * (better-sqlite3's `db.transaction()` cannot span an `await`).
 */
import { DatabaseError } from "../errors.js";
import type { Row, SqlDriver, SqlSession } from "./driver.js";

/** The calls a single-connection binding offers; synchronous bindings return plain values. */
export interface SerialConnection {
	all(sql: string, params: readonly unknown[]): Row[] | Promise<Row[]>;
	run(sql: string, params: readonly unknown[]): number | Promise<number>;
	exec(script: string): void | Promise<void>;
	/** `SqlSession.copyFrom`, where the binding has it (PGlite); offered inside transactions. */
	copyFrom?(sql: string, chunks: Iterable<string | Uint8Array>): Promise<boolean>;
	/** True while a transaction is open on the connection. */
	inTransaction(): boolean | Promise<boolean>;
	/**
	 * Runs COMMIT and says whether it committed. Needed where COMMIT can quietly roll back (PGlite
	 * answers COMMIT of an aborted transaction with ROLLBACK); without it, COMMIT either commits or
	 * throws.
	 */
	commit?(): Promise<boolean>;
	close(): void | Promise<void>;
}

export interface SerialDriverOptions {
	/** Close the connection on `close()` (false for a connection the caller passed in). */
	ownsConnection: boolean;
	/** The statement that opens a transaction. Default `BEGIN`. */
	begin?: string;
	wrapError(err: unknown, what: string): Error;
	constraintOf(err: unknown): "foreign_key" | "unique" | null;
}

export class SerialDriver implements SqlDriver {
	readonly #conn: SerialConnection;
	readonly #options: SerialDriverOptions;
	/** The tail of the queue of waiting work; `#queued` counts what is on it. */
	#tail: Promise<unknown> = Promise.resolve();
	#queued = 0;
	#closed = false;
	readonly session: SqlSession;

	constructor(conn: SerialConnection, options: SerialDriverOptions) {
		this.#conn = conn;
		this.#options = options;
		const direct = this.#directSession();
		this.session = {
			all: (sql, params) => this.#serial(() => direct.all(sql, params)),
			run: (sql, params) => this.#serial(() => direct.run(sql, params)),
			exec: (script) => this.#serial(() => direct.exec(script)),
		};
	}

	#directSession(): SqlSession {
		const conn = this.#conn;
		const session: SqlSession = {
			all: async <T extends Row = Row>(sql: string, params: readonly unknown[] = []) =>
				(await conn.all(sql, params)) as T[],
			run: async (sql, params = []) => conn.run(sql, params),
			exec: async (script) => conn.exec(script),
		};
		if (conn.copyFrom) session.copyFrom = conn.copyFrom.bind(conn);
		return session;
	}

	/** Runs `work` now when nothing is queued, else after everything queued before it. */
	#serial<T>(work: () => Promise<T>): Promise<T> {
		if (this.#queued === 0) return work();
		return this.exclusive(work);
	}

	/** Runs `work` with exclusive use of the connection (transactions, exports, maintenance). */
	exclusive<T>(work: () => Promise<T>): Promise<T> {
		this.#queued++;
		const result = this.#tail.then(work);
		this.#tail = result.then(
			() => this.#queued--,
			() => this.#queued--,
		);
		return result;
	}

	transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
		return this.exclusive(async () => {
			const conn = this.#conn;
			try {
				await conn.exec(this.#options.begin ?? "BEGIN");
			} catch (err) {
				throw this.#options.wrapError(err, "begin");
			}
			let result: T;
			try {
				result = await fn(this.#directSession());
			} catch (err) {
				if (await conn.inTransaction()) await conn.exec("ROLLBACK");
				throw err;
			}
			let committed = true;
			try {
				if (conn.commit) committed = await conn.commit();
				else await conn.exec("COMMIT");
			} catch (err) {
				if (await conn.inTransaction()) await conn.exec("ROLLBACK");
				throw this.#options.wrapError(err, "commit");
			}
			// Never report a commit that did not happen.
			if (!committed) {
				throw new DatabaseError(
					"commit: a statement failed earlier in this transaction, so it was rolled back",
				);
			}
			return result;
		});
	}

	wrapError(err: unknown, what: string): Error {
		return this.#options.wrapError(err, what);
	}

	constraintOf(err: unknown): "foreign_key" | "unique" | null {
		return this.#options.constraintOf(err);
	}

	/** True once `close()` was called. */
	get closed(): boolean {
		return this.#closed;
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#tail.catch(() => undefined);
		if (this.#options.ownsConnection) await this.#conn.close();
	}
}
