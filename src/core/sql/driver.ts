/**
 * The seam between the shared SQL adapter and one database driver. A driver file implements these
 * two interfaces and nothing else; every statement it runs comes from its family's statements.
 */

/** A result row, keyed by column name. */
export type Row = Record<string, unknown>;

/** Somewhere statements run: the autocommit pool/connection, or one open transaction. */
export interface SqlSession {
	/** Runs a statement and returns its rows. Values are bound parameters, never spliced into SQL. */
	all<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
	/** Runs a statement and returns how many rows it changed. */
	run(sql: string, params?: readonly unknown[]): Promise<number>;
	/** Runs a script of several statements without parameters (migrations). */
	exec(script: string): Promise<void>;
	/**
	 * Optional (node-postgres and PGlite, inside a transaction): `COPY … FROM STDIN` fed with
	 * `chunks` (in the format the statement names). False when this session may not COPY now
	 * (nothing was read): the caller writes the rows another way.
	 */
	copyFrom?(sql: string, chunks: Iterable<string | Uint8Array>): Promise<boolean>;
}

export interface SqlDriver {
	/** Statements outside any transaction. On single-connection drivers these wait for open transactions. */
	readonly session: SqlSession;
	/**
	 * Runs `fn` inside BEGIN … COMMIT on one connection, rolling back and rethrowing when it throws.
	 * Resolves only when COMMIT committed: a COMMIT the database turned into a rollback (an aborted
	 * PostgreSQL transaction) rejects with DatabaseError. Single-connection drivers serialise
	 * transactions (and autocommit statements) across awaits.
	 */
	transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
	/**
	 * True when callers' statements run at once on separate connections under READ COMMITTED (a
	 * pool): each statement sees its own snapshot, so a transaction would not keep a read and a later
	 * write together, and wrapping them costs two round trips for nothing.
	 */
	readonly concurrentStatements?: boolean;
	/** Maps a driver error to a typed AgentmemError (or returns it unchanged when already typed). */
	wrapError(err: unknown, what: string): Error;
	/** The kind of constraint a driver error violated, if any. */
	constraintOf(err: unknown): "foreign_key" | "unique" | null;
	/** Releases what the driver opened (never what the caller passed in). Idempotent. */
	close(): Promise<void>;
}
