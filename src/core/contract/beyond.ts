import type { DatabaseAdapter } from "../adapter.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../portable-types.js";
import type { AdapterStats, MemoryEvent, SubscribeFilter, Unsubscribe } from "../types.js";

/** What the contract adds to ElizaOS 0.1: transactions, subscriptions, statistics, export and import. */
export interface BeyondElizaCalls {
	// ---- beyond ElizaOS 0.1 ----

	/**
	 * Runs `fn` in one real transaction (BEGIN/COMMIT, savepoints when nested) with an adapter bound
	 * to it, and resolves to `fn`'s result. If `fn` throws, every write is rolled back and `fn`'s
	 * error is rethrown. Use only `tx` inside `fn`.
	 *
	 * Each call on `tx` is atomic on its own, on every backend: a call that fails (NOT_FOUND,
	 * CONFLICT, VALIDATION, a database error) has written nothing, and when `fn` catches its error
	 * the transaction goes on and commits everything else `fn` did. A nested `tx.transaction(fn2)`
	 * follows the same rule as one call: `fn2` throwing undoes all of `fn2`'s writes and nothing
	 * outside; `fn2` catching a failure keeps the rest. (This is a savepoint around each call inside
	 * a transaction; calls on one `tx` run one after another.) The promise never resolves unless
	 * the transaction committed: a transaction the database rolled back instead fails with
	 * `DatabaseError`.
	 *
	 * `tx` is an adapter of the same class (e.g. a `PGliteDatabaseAdapter`), so a backend's own
	 * members work on it too (`persistent`, `pool`, `circuitState`); the few that need the connection
	 * the transaction holds (SQL.js `export()`, SQLite `compact()` / `rebuildVectorIndex()`) throw
	 * ValidationError on `tx` instead of waiting for the transaction they run in.
	 */
	transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T>;
	/**
	 * Calls `listener` for each memory written by a transaction that commits after this call (a call
	 * outside `transaction()` is a transaction of its own) and matches the filter: after the commit,
	 * once, with the memory as that transaction committed it (content, room, embedding), whether or
	 * not it still exists when the listener runs (a memory removed at once, even inside the same
	 * transaction, is still delivered). Nothing is delivered for work that rolled back (a
	 * transaction, or a call or nested transaction undone inside one). A memory written more than
	 * once in one transaction (a `createMemories` batch repeating an id, two `createMemory` calls on
	 * one `tx`) is one event, in the place of its first write, with its last content; another
	 * transaction writing it again is another event. `updateMemoryEmbedding` delivers nothing.
	 * Events arrive in commit order. Resolves to a function that stops the subscription. The filter
	 * applies to the memory as committed (its real table and room) and as this adapter (or `asUser`
	 * view) may read it, never to what a database notification claims (PostgreSQL: docs/postgres.md).
	 */
	subscribe(filter: SubscribeFilter, listener: (event: MemoryEvent) => void): Promise<Unsubscribe>;
	/** Counts of every record kind, and the recorded embedding dimension and model. */
	stats(): Promise<AdapterStats>;
	/**
	 * Every record of the database with all its columns (ids, timestamps, unique flags, user
	 * states, embeddings): first one `database` record (schema version, dimension, model), then
	 * accounts, rooms, participants, relationships, goals, logs, cache entries, knowledge items and
	 * memories, in that order, read page by page so memory use stays flat. Records written while an
	 * export runs may or may not appear; call it on a transaction's `tx` for a consistent snapshot.
	 */
	exportRecords(): AsyncIterable<PortableRecord>;
	/**
	 * Writes records as `exportRecords` yields them, keeping every id, timestamp, unique flag and
	 * state (existing ids are replaced, so importing twice changes nothing). Each record is validated
	 * first; a `database` record whose dimension differs from this database's throws
	 * `EmbeddingDimensionError`, one whose model differs throws `ConfigurationError`. Records are
	 * written in transactions of `batchSize`, or all in one with `atomic`.
	 */
	importRecords(
		records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
		options?: ImportOptions,
	): Promise<ImportSummary>;
}
