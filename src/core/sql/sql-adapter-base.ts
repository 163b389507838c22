/**
 * The shared SQL adapter's foundation: lifecycle, migrations, the session each call runs on, typed
 * error mapping, transactions (savepoints when nested, prelude statements for `withPrelude` views)
 * and subscribe events. The contract's methods are layered on top, by topic, in
 * sql-adapter-social.ts, sql-adapter-memories.ts and sql-adapter.ts.
 */
import type { DatabaseAdapter } from "../adapter.js";
import {
	AgentmemError,
	ClosedError,
	DatabaseError,
	NotFoundError,
	ValidationError,
} from "../errors.js";
import type {
	AdapterCapabilities,
	MemoryEvent,
	SubscribeFilter,
	Unsubscribe,
	UUID,
} from "../types.js";
import * as v from "../validation.js";
import type { Row, SqlDriver, SqlSession } from "./driver.js";
import type { Migration, SqlFamily, VectorSearch } from "./family.js";
import { type DatabaseSettings, migrate, readSettings, type SettingsOptions } from "./migrate.js";

/** What a backend's `open()` hands the shared adapter. */
export interface SqlBackend {
	driver: SqlDriver;
	vector: VectorSearch;
	capabilities: Omit<AdapterCapabilities, "embeddingDimension">;
	/** Backend-only migrations (e.g. a vector index), applied after the family's. */
	extraMigrations?: readonly Migration[];
	/** Runs once after migrations, before the adapter is usable (e.g. to check a derived index). */
	afterMigrate?(settings: DatabaseSettings): Promise<void>;
	/** New memories delivered by the database itself (across connections); replaces in-process events. */
	memoryEvents?: MemoryEventSource;
	/** Opened read-only: settings are read, never migrated or recorded; `afterMigrate` is skipped. */
	readOnly?: boolean;
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

interface SharedState {
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
interface OpenTransaction {
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
interface Scope {
	tx: OpenTransaction;
	depth: number;
	pending: MemoryEvent[];
	done: boolean;
}

/** The savepoint around each call inside a transaction (one at a time, so one name). */
const CALL_SAVEPOINT = "agentmem_call";

export abstract class SqlAdapterBase {
	protected abstract readonly family: SqlFamily;
	/** Opens the database (no migrations): called once by `init()`. */
	protected abstract open(): Promise<SqlBackend>;
	/** Releases what `open()` acquired beyond the driver (lock files, …). */
	protected async release(): Promise<void> {}
	/**
	 * Told after rows were written to a table that has a vector index (also inside transactions,
	 * before commit). Backends that maintain statistics themselves (PGlite) count them here.
	 */
	protected afterInsert(_table: "memories" | "knowledge", _rows: number): void {}
	/** True on a `transaction()` view (its calls run inside the open transaction). */
	protected get inTransaction(): boolean {
		return this.scope !== null;
	}

	protected readonly settingsOptions: SettingsOptions;
	protected readonly state: SharedState = { closed: false, listeners: new Set() };
	protected readonly scope: Scope | null = null;
	/** Statements a `withPrelude` view runs first in each of its transactions. */
	private readonly prelude: readonly SqlStatement[] | null = null;

	constructor(options: SettingsOptions = {}) {
		this.settingsOptions = { ...options };
	}

	// ---- lifecycle ----

	get capabilities(): AdapterCapabilities {
		if (!this.state.capabilities) throw new ClosedError("capabilities are known after init()");
		return this.state.capabilities;
	}

	/** The recorded embedding dimension (after `init()`). */
	get embeddingDimension(): number {
		return this.ready().settings.embeddingDimension;
	}

	async init(): Promise<void> {
		if (this.state.closed) throw new ClosedError("this adapter was closed; create a new one");
		this.state.opening ??= this.openAndMigrate();
		await this.state.opening;
	}

	private async openAndMigrate(): Promise<void> {
		try {
			const backend = await this.open();
			try {
				const settings = await (backend.readOnly ? readSettings : migrate)(
					backend.driver,
					this.family,
					this.settingsOptions,
					backend.extraMigrations,
				);
				if (!backend.readOnly) await backend.afterMigrate?.(settings);
				this.state.backend = backend;
				this.state.settings = settings;
				this.state.capabilities = Object.freeze({
					...backend.capabilities,
					embeddingDimension: settings.embeddingDimension,
				});
			} catch (err) {
				await backend.driver.close();
				await this.release();
				throw err instanceof AgentmemError
					? err
					: backend.driver.wrapError(err, "applying migrations");
			}
		} catch (err) {
			this.state.opening = undefined;
			throw err;
		}
	}

	async close(): Promise<void> {
		if (this.scope) throw new ValidationError("close", "cannot close from inside a transaction");
		if (this.state.closed) return;
		this.state.closed = true;
		this.state.listeners.clear();
		const opening = this.state.opening;
		if (!opening) return;
		await opening.catch(() => undefined);
		if (this.state.backend) {
			await this.state.backend.memoryEvents?.close();
			await this.state.backend.driver.close();
			await this.release();
		}
	}

	async testConnection(): Promise<boolean> {
		await this.op("testConnection", (s) => s.all("SELECT 1 AS ok"));
		return true;
	}

	/** The backend and settings, or a ClosedError saying why they are not available. */
	protected ready(): { backend: SqlBackend; settings: DatabaseSettings } {
		const { backend, settings, closed } = this.state;
		if (closed) throw new ClosedError("this adapter is closed");
		if (!backend || !settings) throw new ClosedError("call init() before using the adapter");
		if (this.scope?.done)
			throw new ClosedError(
				"this transaction has ended; use the adapter, not tx, outside transaction()",
			);
		return { backend, settings };
	}

	/** Runs `fn` on this view's session, mapping driver errors to typed ones. */
	protected async op<T>(
		what: string,
		fn: (s: SqlSession, b: SqlBackend) => Promise<T>,
	): Promise<T> {
		const { backend } = this.ready();
		try {
			if (this.scope) return await this.atomic(this.scope.tx, backend, (s) => fn(s, backend));
			const prelude = this.prelude;
			if (!prelude) return await fn(backend.driver.session, backend);
			return await backend.driver.transaction(async (s) => {
				await runPrelude(s, prelude);
				return fn(s, backend);
			});
		} catch (err) {
			if (err instanceof AgentmemError) throw err;
			throw backend.driver.wrapError(err, what);
		}
	}

	/**
	 * Runs one call's statements inside the open transaction, in a savepoint: released when they
	 * succeed, rolled back to when they fail, so the failure undoes this call only.
	 */
	private atomic<T>(
		tx: OpenTransaction,
		backend: SqlBackend,
		work: (s: SqlSession) => Promise<T>,
	): Promise<T> {
		return this.inTurn(tx, async (s) => {
			const level = tx.levels[tx.levels.length - 1] ?? { callSavepoint: false };
			try {
				// Releasing the previous call's savepoint keeps its writes (merged into the level).
				await s.exec(
					level.callSavepoint
						? `RELEASE SAVEPOINT ${CALL_SAVEPOINT}; SAVEPOINT ${CALL_SAVEPOINT}`
						: `SAVEPOINT ${CALL_SAVEPOINT}`,
				);
			} catch (err) {
				tx.broken = backend.driver.wrapError(err, "transaction");
				throw tx.broken;
			}
			level.callSavepoint = true;
			try {
				return await work(s);
			} catch (err) {
				try {
					// The savepoint stays, empty, for the next call to replace.
					await s.exec(`ROLLBACK TO SAVEPOINT ${CALL_SAVEPOINT}`);
				} catch {
					// E.g. SQLite ended the whole transaction on a full disk: nothing may run after it
					// (it would commit on its own), and the transaction must not report a commit.
					tx.broken = endedBy(err);
				}
				throw err;
			}
		});
	}

	/**
	 * Runs `work` on the transaction's session after the calls queued before it. Its errors pass
	 * unchanged (the caller names the operation when wrapping them).
	 */
	private inTurn<T>(tx: OpenTransaction, work: (s: SqlSession) => Promise<T>): Promise<T> {
		const run = async () => {
			if (tx.broken) {
				throw new DatabaseError(`transaction: cannot continue: ${tx.broken.message}`, {
					cause: tx.broken,
				});
			}
			return work(tx.session);
		};
		const result = tx.tail.then(run, run);
		tx.tail = result.catch(() => undefined);
		return result;
	}

	/** Rolls back to a savepoint and drops it; when that fails, the transaction cannot commit. */
	private async restore(tx: OpenTransaction, name: string, cause: unknown): Promise<void> {
		try {
			await tx.session.exec(`ROLLBACK TO SAVEPOINT ${name}`);
			await tx.session.exec(`RELEASE SAVEPOINT ${name}`);
		} catch {
			tx.broken = endedBy(cause);
		}
	}

	/** Runs a write; a foreign-key violation becomes a NotFoundError naming what is missing. */
	protected async write<T>(
		what: string,
		refs: { field: string; table: "accounts" | "rooms"; id: string }[],
		fn: (s: SqlSession) => Promise<T>,
	): Promise<T> {
		let missing: unknown;
		try {
			return await this.op(what, async (s, b) => {
				try {
					return await fn(s);
				} catch (err) {
					if (b.driver.constraintOf(err) === "foreign_key") missing = err;
					throw err;
				}
			});
		} catch (err) {
			if (missing === undefined) throw err;
			// Looked up after the failed statement was undone (in a transaction, its savepoint).
			const why = await this.op(what, (s) => this.describeMissing(refs, s));
			throw new NotFoundError(`${what}: ${why}`, { cause: missing });
		}
	}

	protected async describeMissing(
		refs: { field: string; table: "accounts" | "rooms"; id: string }[],
		session: SqlSession,
	): Promise<string> {
		const s = this.family.statements;
		const missing: string[] = [];
		try {
			for (const r of refs) {
				const found = await session.all(r.table === "rooms" ? s.roomGet : s.accountGet, [r.id]);
				if (found.length === 0) missing.push(`${r.field} ${r.id} does not exist`);
			}
		} catch {
			// The diagnosis is best effort; the generic message below still names the candidates.
		}
		if (missing.length > 0) return `${missing.join("; ")}; create it first`;
		return `one of ${refs.map((r) => `${r.field} ${r.id}`).join(", ")} does not exist; create it first`;
	}

	/** A view of this adapter bound to a transaction's session (shares state, not scope). */
	/** This adapter as the contract: every concrete subclass (SqlDatabaseAdapter) implements it. */
	protected asAdapter(): DatabaseAdapter {
		return this as unknown as DatabaseAdapter;
	}

	private bind(scope: Scope): this {
		const view = Object.create(this) as this;
		Object.defineProperty(view, "scope", { value: scope });
		return view;
	}

	/**
	 * A view whose every call runs in its own transaction, after `prelude` (e.g. a role and request
	 * settings for row-level security); its `transaction()` runs the prelude once after BEGIN.
	 */
	protected withPrelude(prelude: readonly SqlStatement[]): this {
		if (this.scope) throw new ValidationError("prelude", "derive the view outside a transaction");
		const view = Object.create(this) as this;
		Object.defineProperty(view, "prelude", { value: [...prelude] });
		return view;
	}

	// ---- transactions and events ----

	async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
		if (typeof fn !== "function") throw new ValidationError("fn", "expected a function");
		const { backend } = this.ready();
		const outer = this.scope;
		if (!outer) {
			const pending: MemoryEvent[] = [];
			let scope: Scope | undefined;
			try {
				const result = await backend.driver.transaction(async (session) => {
					if (this.prelude) await runPrelude(session, this.prelude);
					// A driver may run this again after a transient failure before COMMIT (the first
					// attempt was rolled back): drop its events and retire its view.
					if (scope) scope.done = true;
					pending.length = 0;
					const tx: OpenTransaction = {
						session,
						tail: Promise.resolve(),
						savepoints: 0,
						levels: [{ callSavepoint: false }],
					};
					scope = { tx, depth: 1, pending, done: false };
					const value = await fn(this.bind(scope).asAdapter());
					await tx.tail;
					if (tx.broken) throw tx.broken;
					return value;
				});
				this.dispatch(pending);
				return result;
			} finally {
				if (scope) scope.done = true;
			}
		}
		// A savepoint, by the same rule as a call: a failure fn catches leaves the rest of fn's
		// writes; fn throwing undoes all of them and nothing outside.
		const tx = outer.tx;
		const name = `agentmem_sp${++tx.savepoints}`;
		const mark = outer.pending.length;
		const inner: Scope = { ...outer, depth: outer.depth + 1 };
		const level = { callSavepoint: false };
		const statement = (sql: string) =>
			tx.session.exec(sql).catch((err: unknown) => {
				throw backend.driver.wrapError(err, "transaction");
			});
		await this.inTurn(tx, async () => {
			await statement(`SAVEPOINT ${name}`);
			tx.levels.push(level);
		});
		// Ending the savepoint ends the call savepoints made inside it too.
		const leave = () => {
			const at = tx.levels.lastIndexOf(level);
			if (at > 0) tx.levels.splice(at, 1);
		};
		try {
			const result = await fn(this.bind(inner).asAdapter());
			await this.inTurn(tx, async () => {
				await statement(`RELEASE SAVEPOINT ${name}`);
				leave();
			});
			return result;
		} catch (err) {
			outer.pending.length = mark;
			// Skipped (and the commit refused) when the transaction is already beyond repair.
			await this.inTurn(tx, async () => {
				leave();
				await this.restore(tx, name, err);
			}).catch(() => undefined);
			throw err;
		} finally {
			inner.done = true;
		}
	}

	/** Queues an event until commit (in a transaction) or dispatches it now. */
	protected publish(event: MemoryEvent): void {
		if (this.state.backend?.memoryEvents) return; // the database delivers it
		if (this.scope) this.scope.pending.push(event);
		else this.dispatch([event]);
	}

	private dispatch(events: MemoryEvent[]): void {
		// One event per memory per transaction: a later write of the same id (a batch repeating it)
		// gives its content to the first one's event, in that place, as PostgreSQL's outbox does.
		const latest = new Map<UUID | MemoryEvent, MemoryEvent>();
		for (const event of events) latest.set(event.memory.id ?? event, event);
		for (const event of latest.values()) {
			for (const { filter, listener } of this.state.listeners) {
				if (filter.tableName !== undefined && filter.tableName !== event.tableName) continue;
				if (filter.roomId !== undefined && filter.roomId !== event.memory.roomId) continue;
				try {
					listener(event);
				} catch {
					// A listener's failure must not undo or fail a committed write.
				}
			}
		}
	}

	async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
	): Promise<Unsubscribe> {
		this.ready();
		if (filter === null || typeof filter !== "object")
			throw new ValidationError("filter", "expected an object");
		if (filter.tableName !== undefined) v.assertTableName(filter.tableName, "filter.tableName");
		const roomId = v.optionalUuid(filter.roomId, "filter.roomId");
		if (typeof listener !== "function")
			throw new ValidationError("listener", "expected a function");
		// Stored room ids are lower case: so is the filter that is compared with them.
		const checked: SubscribeFilter = roomId ? { ...filter, roomId } : { ...filter };
		const source = this.ready().backend.memoryEvents;
		if (source)
			return source.subscribe(checked, listener, (sql, params) =>
				this.op("subscribe", (s) => s.all(sql, params)),
			);
		const entry = { filter: checked, listener };
		this.state.listeners.add(entry);
		return async () => {
			this.state.listeners.delete(entry);
		};
	}
}

/** The failure a transaction ended with when a failed call could not be undone on its own. */
function endedBy(cause: unknown): DatabaseError {
	const why = cause instanceof Error ? cause.message : String(cause);
	return new DatabaseError(
		`transaction rolled back: a call failed (${why}) and could not be undone on its own, so the database ended the whole transaction and nothing in it was written`,
		{ cause },
	);
}

async function runPrelude(session: SqlSession, prelude: readonly SqlStatement[]): Promise<void> {
	for (const statement of prelude) await session.all(statement.sql, statement.params);
}
