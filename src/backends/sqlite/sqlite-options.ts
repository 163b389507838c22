/** The SQLite adapter's options, and their checks (sqlite-adapter.ts opens with them). */
import { ConfigurationError } from "../../core/errors.js";
import type { SettingsOptions } from "../../core/sql/migrate.js";
import { assertCount } from "../../core/validation.js";

export type VectorSearchMode = "quantized" | "exact-scan" | "vec0";
const VECTOR_SEARCH_MODES: readonly VectorSearchMode[] = ["quantized", "exact-scan", "vec0"];
/** `quantized` mode: exact up to this many candidate rows; above, this many re-ranked exactly. */
export const DEFAULT_EXACT_SEARCH_BELOW = 10_000;
/**
 * At least this many (and 40 per result asked for): recall@10 1.000 at 20,000–100,000 clustered
 * 384-dim rows, where 1,000 cost 1.5–2x the time for the same recall (BENCHMARKS.md).
 */
export const QUANTIZED_RESCORE = 400;

/**
 * A better-sqlite3 `Database`, by the members the adapter's options need: structural, so these
 * types compile without @types/better-sqlite3.
 */
export interface BetterSqlite3Database {
	readonly name: string;
	readonly memory: boolean;
	readonly readonly: boolean;
	pragma(source: string): unknown;
	prepare(source: string): unknown;
	close(): unknown;
}

export interface SqliteAdapterOptions extends SettingsOptions {
	/** The database file (created if absent), or `:memory:`. Give this or `database`. */
	path?: string;
	/** A better-sqlite3 Database the caller owns (never closed by the adapter). */
	database?: BetterSqlite3Database;
	/**
	 * How memories are searched (see docs/sqlite.md). `quantized` (default): an in-memory copy of
	 * the embeddings, scanned exactly while at most `exactSearchBelow` rows pass the filters, and
	 * above that searched by binary codes with the best candidates re-ranked exactly (approximate).
	 * `exact-scan`: the same copy, always scanned exactly (what SQL.js does). `vec0`: sqlite-vec's
	 * index, which must load or `init()` throws VectorExtensionUnavailableError. Only `vec0`
	 * loads the extension.
	 */
	vectorSearch?: VectorSearchMode;
	/**
	 * `quantized` mode: searches whose filters leave at most this many rows are exact. Default
	 * 10,000.
	 */
	exactSearchBelow?: number;
	/**
	 * `quantized` mode: from 50,000 memories on, build an HNSW graph over the in-memory copy in the
	 * background (usearch, an optional dependency; without it, nothing changes) and let it choose
	 * the candidates once built. Default true. It is kept in step with every connection's writes
	 * through the change log in the file, and (see `graphFile`) saved beside the file (see
	 * docs/sqlite.md).
	 */
	graphIndex?: boolean;
	/**
	 * With the graph: save it beside the database file (`<path>.agentmem-hnsw` and `.json`, with
	 * the database file's permission bits) when a build finishes and on close if it changed, and
	 * load it on open instead of rebuilding it when it matches this database. Default true; never
	 * for `:memory:` or a read-only adapter.
	 */
	graphFile?: boolean;
	/** The sqlite-vec loadable library to load instead of the one the sqlite-vec package ships. */
	extensionPath?: string;
	/** How long a statement waits for another connection's write lock. Default 5000 ms. */
	busyTimeoutMs?: number;
	/**
	 * Open an existing database read-only (default: false, or true for a read-only `database`):
	 * no journal-mode switch, no migrations, searches by exact scan (the vec0 index is neither
	 * checked nor rebuilt); every write throws ReadOnlyDatabaseError. A database in WAL mode
	 * still needs a writable directory (SQLite creates its -shm file even to read it).
	 */
	readonly?: boolean;
	/**
	 * The permission bits of a database file the adapter creates; SQLite gives its -wal and -shm
	 * files the same. Default 0o600 (owner only), whatever the umask. An existing file is never
	 * changed.
	 */
	fileMode?: number;
}

/** Throws ConfigurationError for options the adapter cannot open with. */
export function checkSqliteOptions(o: SqliteAdapterOptions): void {
	if ((o.path === undefined) === (o.database === undefined)) {
		throw new ConfigurationError(
			"give exactly one of `path` (a file, or :memory:) and `database` (a better-sqlite3 Database)",
		);
	}
	if (o.path !== undefined && (typeof o.path !== "string" || o.path === "")) {
		throw new ConfigurationError("`path` must be a non-empty string");
	}
	if (o.vectorSearch !== undefined && !VECTOR_SEARCH_MODES.includes(o.vectorSearch)) {
		throw new ConfigurationError(
			`vectorSearch must be one of ${VECTOR_SEARCH_MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(o.vectorSearch)}`,
		);
	}
	if (o.exactSearchBelow !== undefined) assertCount(o.exactSearchBelow, "exactSearchBelow");
	if (o.busyTimeoutMs !== undefined) assertCount(o.busyTimeoutMs, "busyTimeoutMs");
	if (o.readonly !== undefined && typeof o.readonly !== "boolean") {
		throw new ConfigurationError(`readonly must be a boolean, got ${JSON.stringify(o.readonly)}`);
	}
	if (
		o.fileMode !== undefined &&
		!(Number.isInteger(o.fileMode) && o.fileMode >= 0 && o.fileMode <= 0o777)
	) {
		throw new ConfigurationError(
			`fileMode must be permission bits between 0 and 0o777 (e.g. 0o600), got ${JSON.stringify(o.fileMode)}`,
		);
	}
	if (o.graphFile !== undefined && typeof o.graphFile !== "boolean") {
		throw new ConfigurationError(`graphFile must be a boolean, got ${JSON.stringify(o.graphFile)}`);
	}
	if (o.graphIndex !== undefined && typeof o.graphIndex !== "boolean") {
		throw new ConfigurationError(
			`graphIndex must be a boolean, got ${JSON.stringify(o.graphIndex)}`,
		);
	}
}
