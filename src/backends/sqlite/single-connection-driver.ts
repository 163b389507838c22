/**
 * A `SqlDriver` over one synchronous SQLite connection (better-sqlite3 or sql.js). Statements and
 * transactions are serialised across awaits: while a transaction is open, every other caller's
 * statement waits, so nothing leaks into (or out of) it. Transactions are BEGIN IMMEDIATE …
 * COMMIT on the connection itself; better-sqlite3's `db.transaction()` cannot span an `await`.
 */
import type { Row, SqlDriver, SqlSession } from "../../core/sql/driver.js";
import { sqliteConstraintOf, wrapSqliteError } from "./sqlite-errors.js";

/** The synchronous calls a SQLite binding offers. */
export interface SyncConnection {
	all(sql: string, params: readonly unknown[]): Row[];
	run(sql: string, params: readonly unknown[]): number;
	exec(script: string): void;
	/** True while a transaction is open on the connection. */
	inTransaction(): boolean;
	close(): void;
}

export class SingleConnectionDriver implements SqlDriver {
	readonly #conn: SyncConnection;
	readonly #ownsConnection: boolean;
	/** The tail of the queue of waiting work; `#queued` counts what is on it. */
	#tail: Promise<unknown> = Promise.resolve();
	#queued = 0;
	#closed = false;
	readonly session: SqlSession;

	constructor(conn: SyncConnection, options: { ownsConnection: boolean }) {
		this.#conn = conn;
		this.#ownsConnection = options.ownsConnection;
		const direct = this.#directSession();
		this.session = {
			all: (sql, params) => this.#serial(() => direct.all(sql, params)),
			run: (sql, params) => this.#serial(() => direct.run(sql, params)),
			exec: (script) => this.#serial(() => direct.exec(script)),
		};
	}

	#directSession(): SqlSession {
		const conn = this.#conn;
		return {
			all: async <T extends Row = Row>(sql: string, params: readonly unknown[] = []) =>
				conn.all(sql, params) as T[],
			run: async (sql, params = []) => conn.run(sql, params),
			exec: async (script) => conn.exec(script),
		};
	}

	/** Runs `work` now when nothing is queued, else after everything queued before it. */
	#serial<T>(work: () => Promise<T>): Promise<T> {
		if (this.#queued === 0) return work();
		return this.#enqueue(work);
	}

	#enqueue<T>(work: () => Promise<T>): Promise<T> {
		this.#queued++;
		const result = this.#tail.then(work);
		this.#tail = result.then(
			() => this.#queued--,
			() => this.#queued--,
		);
		return result;
	}

	/** Runs `work` with exclusive use of the connection (used for transactions and exports). */
	exclusive<T>(work: () => Promise<T>): Promise<T> {
		return this.#enqueue(work);
	}

	transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
		return this.#enqueue(async () => {
			this.#conn.exec("BEGIN IMMEDIATE");
			let result: T;
			try {
				result = await fn(this.#directSession());
			} catch (err) {
				if (this.#conn.inTransaction()) this.#conn.exec("ROLLBACK");
				throw err;
			}
			try {
				this.#conn.exec("COMMIT");
			} catch (err) {
				if (this.#conn.inTransaction()) this.#conn.exec("ROLLBACK");
				throw wrapSqliteError(err, "commit");
			}
			return result;
		});
	}

	wrapError(err: unknown, what: string): Error {
		return wrapSqliteError(err, what);
	}

	constraintOf(err: unknown): "foreign_key" | "unique" | null {
		return sqliteConstraintOf(err);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#tail.catch(() => undefined);
		if (this.#ownsConnection) this.#conn.close();
	}
}
