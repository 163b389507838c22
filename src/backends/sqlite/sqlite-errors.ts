/** Driver errors of the SQLite family (better-sqlite3's SqliteError, sql.js's Error) as typed errors. */
import {
	ConflictError,
	ConnectionError,
	DatabaseError,
	NotFoundError,
	ReadOnlyDatabaseError,
	StorageFullError,
} from "../../core/errors.js";

function text(err: unknown): { code: string; message: string } {
	const e = err as { code?: unknown; message?: unknown } | null;
	return {
		code: typeof e?.code === "string" ? e.code : "",
		message: typeof e?.message === "string" ? e.message : String(err),
	};
}

export function sqliteConstraintOf(err: unknown): "foreign_key" | "unique" | null {
	const { code, message } = text(err);
	if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" || /FOREIGN KEY constraint failed/i.test(message))
		return "foreign_key";
	if (
		code === "SQLITE_CONSTRAINT_UNIQUE" ||
		code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
		/UNIQUE constraint failed/i.test(message)
	)
		return "unique";
	return null;
}

export function wrapSqliteError(err: unknown, what: string): Error {
	const { code, message } = text(err);
	const constraint = sqliteConstraintOf(err);
	if (constraint === "foreign_key")
		return new NotFoundError(`${what}: a referenced record does not exist`, { cause: err });
	if (constraint === "unique") return new ConflictError(`${what}: ${message}`, { cause: err });
	if (
		code.startsWith("SQLITE_BUSY") ||
		code.startsWith("SQLITE_LOCKED") ||
		/database is locked/i.test(message)
	) {
		return new ConnectionError(
			`${what}: the database file stayed locked by another connection (${message})`,
			{ cause: err },
		);
	}
	if (code.startsWith("SQLITE_READONLY") || /attempt to write a readonly database/i.test(message)) {
		return new ReadOnlyDatabaseError(
			`${what}: the database cannot be written (${code || "SQLITE_READONLY"}: ${message}). Its file or directory is on read-only storage or not writable by this process: move it to writable storage or fix the permissions, or open it with readonly: true to read it.`,
			{ cause: err },
		);
	}
	if (code.startsWith("SQLITE_FULL") || /database or disk is full/i.test(message)) {
		return new StorageFullError(
			`${what}: the disk is full (${message}); the statement was rolled back and the database is intact. Free space, then retry.`,
			{ cause: err },
		);
	}
	if (
		code.startsWith("SQLITE_CANTOPEN") ||
		code.startsWith("SQLITE_NOTADB") ||
		code.startsWith("SQLITE_CORRUPT")
	) {
		return new ConnectionError(`${what}: cannot use the database file (${code}: ${message})`, {
			cause: err,
		});
	}
	return new DatabaseError(`${what} failed: ${message}`, { cause: err });
}

/** What a SerialDriver over a SQLite-family connection needs to know about its errors. */
export const sqliteDriverOptions = {
	/** IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read. */
	begin: "BEGIN IMMEDIATE",
	wrapError: wrapSqliteError,
	constraintOf: sqliteConstraintOf,
};
