/**
 * Opening a SQLite database file: created private (0600 unless the caller says otherwise), opened
 * read-only on request, and every failure to open or set it up (read-only storage, a missing
 * file) reported as a typed error that says what to do, never a raw SqliteError.
 */
import {
	accessSync,
	closeSync,
	constants,
	existsSync,
	fchmodSync,
	openSync,
	readSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import type { Database } from "better-sqlite3";
import {
	AgentmemError,
	ConfigurationError,
	NoSchemaError,
	ReadOnlyDatabaseError,
} from "../../core/errors.js";
import { wrapSqliteError } from "./sqlite-errors.js";

/** New database files hold private conversations: owner read/write only. */
export const DEFAULT_FILE_MODE = 0o600;

export interface OpenFileOptions {
	readonly: boolean;
	/** The mode of a database file this call creates (SQLite gives -wal/-shm the same mode). */
	fileMode: number;
	/** `migrate: false`: an absent file is a NoSchemaError, never created. */
	mustExist?: boolean;
}

export async function openDatabaseFile(path: string, o: OpenFileOptions): Promise<Database> {
	let BetterSqlite: typeof import("better-sqlite3");
	try {
		BetterSqlite = (await import("better-sqlite3")).default;
	} catch (err) {
		throw new ConfigurationError(
			"better-sqlite3 could not be loaded: install it (npm install better-sqlite3); if it was built for another Node version, run npm rebuild better-sqlite3",
			{ cause: err },
		);
	}
	if (o.mustExist && path !== ":memory:" && !existsSync(path)) {
		throw new NoSchemaError(
			`No database at ${path}: it was opened with migrate: false, which never creates one.`,
		);
	}
	if (!o.readonly) createIfAbsent(path, o.fileMode);
	try {
		return new BetterSqlite(path, o.readonly ? { readonly: true, fileMustExist: true } : {});
	} catch (err) {
		throw openError(err, path, o.readonly);
	}
}

/**
 * Creates the file empty (a valid empty database) with exactly `mode`, whatever the umask. SQLite
 * would create it 0644; its -wal and -shm files take the database file's mode. An existing file is
 * left as it is; a file that cannot be created is left for SQLite's open to report.
 */
function createIfAbsent(path: string, mode: number): void {
	if (path === ":memory:" || path === "") return;
	let fd: number;
	try {
		fd = openSync(path, "wx", mode);
	} catch {
		return;
	}
	try {
		fchmodSync(fd, mode);
	} finally {
		closeSync(fd);
	}
}

/** A failure while opening or setting up the file (journal mode, first read) as a typed error. */
export function openError(err: unknown, path: string, readonly: boolean): Error {
	if (err instanceof AgentmemError) return err;
	const code = (err as { code?: unknown })?.code;
	const sqliteCode = typeof code === "string" ? code : "";
	if (readonly && !existsSync(path)) {
		return new ConfigurationError(
			`No database at ${path}: readonly: true opens an existing database and never creates one.`,
			{ cause: err },
		);
	}
	if (sqliteCode.startsWith("SQLITE_CANTOPEN") || sqliteCode.startsWith("SQLITE_READONLY")) {
		const problem = unwritable(path);
		if (problem) {
			return new ReadOnlyDatabaseError(
				`Cannot open ${path}: ${problem} (${sqliteCode}). ${advice(path, readonly)}`,
				{ cause: err },
			);
		}
	}
	return wrapSqliteError(err, `opening ${path}`);
}

/** Why the database or its directory cannot be written, or null when both can. */
function unwritable(path: string): string | null {
	const why = (target: string, what: string): string | null => {
		try {
			accessSync(target, constants.W_OK);
			return null;
		} catch (err) {
			const code = (err as NodeJS.ErrnoException).code;
			if (code === "EROFS") return `${what} is on read-only storage`;
			if (code === "EACCES" || code === "EPERM") return `${what} is not writable by this process`;
			return null;
		}
	};
	return (
		(existsSync(path) ? why(path, "the database file") : null) ??
		why(dirname(resolve(path)), "its directory")
	);
}

/** What to do about read-only storage, depending on the database's journal mode. */
function advice(path: string, readonly: boolean): string {
	if (isWal(path)) {
		return (
			"The database is in WAL mode (agentmem's default), in which SQLite needs to create files beside it " +
			"(-wal, -shm) even to read it: copy it to writable storage, or fix the permissions; to read it " +
			"from read-only storage, first switch it out of WAL on writable storage (sqlite3 <file> " +
			"'PRAGMA journal_mode=DELETE'), then open it with readonly: true."
		);
	}
	return readonly
		? "Copy it to storage this process can read, or fix the permissions."
		: "Move it to writable storage or fix the permissions; to only read it, open it with readonly: true.";
}

/** The file header's read/write format versions (bytes 18, 19) are 2 in WAL mode. */
function isWal(path: string): boolean {
	let fd: number | undefined;
	try {
		fd = openSync(path, "r");
		const header = Buffer.alloc(20);
		return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2 && header[19] === 2;
	} catch {
		return false;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
