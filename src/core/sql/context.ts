/**
 * The small context every topic function of the SQL adapter takes: the family's statements, the
 * state shared by an adapter and all its views (backend, settings, listeners), and what binds a view
 * (the transaction it runs in, the prelude of an `asUser` view). A transaction or a view is the same
 * facade over another context; nothing here is reached through `this`.
 */
import { ClosedError, ValidationError } from "../errors.js";
import type { AdapterCapabilities, MemoryEvent, SubscribeFilter, Unsubscribe } from "../types.js";
import type { Row, SqlDriver, SqlSession } from "./driver.js";
import type { Migration, SqlFamily, VectorSearch } from "./family.js";
import type { DatabaseSettings, SettingsOptions } from "./migrate.js";

/** Tables with a vector index, whose inserts a backend may count (for planner statistics). */
export type IndexedTable = "memories" | "knowledge";

/** What a backend's `open()` hands the shared adapter: everything the backend contributes. */
export interface SqlBackend {
	driver: SqlDriver;
	vector: VectorSearch;
	/** What the backend can do with the settings migration recorded (computed once, after it). */
	capabilities(settings: DatabaseSettings): Omit<AdapterCapabilities, "embeddingDimension">;
	/** Backend-only migrations (e.g. a vector index), applied after the family's. */
	extraMigrations?: readonly Migration[];
	/** Runs once after migrations, before the adapter is usable (e.g. to check a derived index). */
	afterMigrate?(settings: DatabaseSettings): Promise<void>;
	/** New memories delivered by the database itself (across connections); replaces in-process events. */
	memoryEvents?: MemoryEventSource;
	/** Opened read-only: settings are read, never migrated or recorded; `afterMigrate` is skipped. */
	readOnly?: boolean;
	/**
	 * Told after rows were written to a table that has a vector index (also inside transactions,
	 * before commit). Backends that maintain statistics themselves (PGlite) count them here.
	 */
	afterInsert?(table: IndexedTable, rows: number): void;
	/** The vector index across a re-embed's switch (reembed.ts); absent: nothing to do. */
	vectorIndex?: VectorIndexSwitch;
	/** Bulk loads of memories (PostgreSQL: COPY; see bulk.ts). Without it, the family's statements. */
	bulkMemories?: import("./bulk.js").BulkMemories;
	/** Waits until committed writes are in durable storage (PGlite with relaxed durability). */
	flush?(): Promise<void>;
	/** Releases what `open()` acquired beyond the driver (lock files, …), after the driver closed. */
	release?(): Promise<void>;
}

/** What a backend does to its vector index when a re-embed switches the model and dimension. */
export interface VectorIndexSwitch {
	/** Inside the switch's transaction, before the vectors change. */
	drop(session: SqlSession): Promise<void>;
	/** Inside it, after the new vectors and settings are written: the index for the new dimension. */
	create(session: SqlSession, settings: DatabaseSettings): Promise<void>;
	/** After the adapter took new settings (its own switch, or another process's seen). */
	settingsChanged?(settings: DatabaseSettings): void;
}

/** A statement with its bound parameters. */
export interface SqlStatement {
	sql: string;
	params?: readonly unknown[];
}

/** Delivers committed memories from the database (e.g. LISTEN/NOTIFY). */
export interface MemoryEventSource {
	/** Delivers each committed memory matching `filter`, read through `read` (the subscriber's view). */
	subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
		read: (sql: string, params: readonly unknown[]) => Promise<Row[]>,
	): Promise<Unsubscribe>;
	close(): Promise<void>;
}

/** What an adapter and every view of it share. */
export interface SharedState {
	readonly family: SqlFamily;
	readonly settingsOptions: SettingsOptions;
	/** Opens the database (no migrations): called once by `init()`. */
	readonly open: () => Promise<SqlBackend>;
	backend?: SqlBackend;
	settings?: DatabaseSettings;
	capabilities?: AdapterCapabilities;
	opening?: Promise<void>;
	closed: boolean;
	listeners: Set<{ filter: SubscribeFilter; listener: (event: MemoryEvent) => void }>;
}

/**
 * One open transaction, shared by its nested views. Each contract call runs in its own savepoint
 * (so a failure the caller catches undoes only that call, and PostgreSQL's transaction is not left
 * aborted); calls take turns, since savepoints on one connection cannot interleave.
 */
export interface OpenTransaction {
	session: SqlSession;
	/** The end of the queue of calls and savepoint statements. */
	tail: Promise<unknown>;
	/** Numbers nested transactions' savepoints (unique names, whatever the nesting). */
	savepoints: number;
	/**
	 * One entry per open savepoint level (the transaction, then each nested transaction): whether
	 * that level's call savepoint is established. It is left in place after a call and replaced at
	 * the next one ("RELEASE …; SAVEPOINT …" in one round trip), or merged by the enclosing
	 * RELEASE/COMMIT.
	 */
	levels: { callSavepoint: boolean }[];
	/** Why the transaction can no longer commit (a savepoint could not be restored). */
	broken?: Error;
}

/** A transaction-bound view's transaction and the events it will publish after commit. */
export interface Scope {
	tx: OpenTransaction;
	depth: number;
	pending: MemoryEvent[];
	done: boolean;
}

/** The context a facade runs its calls in. */
export interface SqlContext {
	readonly shared: SharedState;
	readonly family: SqlFamily;
	/** The transaction this view runs in (null: each call on its own). */
	readonly scope: Scope | null;
	/** Statements a `withPrelude` view runs first in each of its transactions. */
	readonly prelude: readonly SqlStatement[] | null;
	/** Throws when this view may no longer be used (e.g. a closed `asUser` view). */
	readonly guard?: () => void;
}

/** A new adapter's context. */
export function createContext(
	family: SqlFamily,
	options: SettingsOptions,
	open: () => Promise<SqlBackend>,
): SqlContext {
	const shared: SharedState = {
		family,
		settingsOptions: { ...options },
		open,
		closed: false,
		listeners: new Set(),
	};
	return { shared, family, scope: null, prelude: null };
}

/** The backend and settings, or a ClosedError saying why they are not available. */
export function ready(ctx: SqlContext): { backend: SqlBackend; settings: DatabaseSettings } {
	ctx.guard?.();
	const { backend, settings, closed } = ctx.shared;
	if (closed) throw new ClosedError("this adapter is closed");
	if (!backend || !settings) throw new ClosedError("call init() before using the adapter");
	if (ctx.scope?.done)
		throw new ClosedError(
			"this transaction has ended; use the adapter, not tx, outside transaction()",
		);
	return { backend, settings };
}

/**
 * Refuses `what` on a transaction view, with a typed error: for a backend member that needs the
 * connection the open transaction holds (it would wait for itself).
 */
export function refuseInTransaction(ctx: SqlContext, what: string, why: string): void {
	if (ctx.scope) throw new ValidationError(what, why);
}

/** Tells the backend rows were written to an indexed table. */
export function afterInsert(ctx: SqlContext, table: IndexedTable, rows: number): void {
	ctx.shared.backend?.afterInsert?.(table, rows);
}

/**
 * What a backend's facade is built from when it is a transaction or a view of an adapter: the
 * bound context, and the backend's own state shared with the adapter it came from.
 */
export class SqlAdapterView<Own> {
	constructor(
		readonly ctx: SqlContext,
		readonly own: Own,
	) {}
}
