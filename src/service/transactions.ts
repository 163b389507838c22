/**
 * Interactive transactions over HTTP. `transaction(fn)` cannot send `fn` to the service, so the
 * service holds a real database transaction open while the client runs `fn`:
 *
 *   POST /v1/transactions                 → {"result":{"id"}}   BEGIN (a savepoint when the request
 *                                                                itself carries a transaction header)
 *   any call with `agentmem-transaction: <id>`                  runs on that transaction's `tx`
 *   POST /v1/transactions/:id/commit      → 204                 COMMIT (or the typed error)
 *   POST /v1/transactions/:id/rollback    → 204                 ROLLBACK
 *
 * Each is `adapter.transaction(tx => …)` whose callback waits for the commit or rollback request,
 * so every rule of the contract holds as in process (savepoint per call, nested transactions,
 * events after commit only). A transaction nobody touches for `idleTimeoutMs` is rolled back (a
 * client that died must not hold the database: SQLite has one writer), and so is every open one on
 * `closeAll()` (shutdown). A transaction belongs to the principal that began it; another gets
 * NOT_FOUND, as for an id that never existed.
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import { NotFoundError, ValidationError } from "../core/errors.js";

/** The request header naming the transaction a call runs in. */
export const TRANSACTION_HEADER = "agentmem-transaction";

export const TRANSACTION_ROUTES = {
	begin: { verb: "POST", path: "/v1/transactions" },
	commit: { verb: "POST", path: "/v1/transactions/:id/commit" },
	rollback: { verb: "POST", path: "/v1/transactions/:id/rollback" },
} as const;

export interface TransactionOptions {
	/** Rolled back after this long without a request (default 30 000 ms). */
	idleTimeoutMs?: number;
	/** At most this many open at once (default 256); more is a VALIDATION error. */
	maxOpen?: number;
}

interface Open {
	owner: string;
	tx: DatabaseAdapter;
	finish(commit: boolean): void;
	done: Promise<void>;
	timer: ReturnType<typeof setTimeout>;
	/** Requests running on it now: the idle timer does not fire under them. */
	busy: number;
}

const ROLLBACK = Symbol("rollback requested");

export class TransactionRegistry {
	private readonly open = new Map<string, Open>();
	private readonly idleTimeoutMs: number;
	private readonly maxOpen: number;

	constructor(options: TransactionOptions = {}) {
		this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
		this.maxOpen = options.maxOpen ?? 256;
	}

	get size(): number {
		return this.open.size;
	}

	/**
	 * Begins a transaction on `adapter` (itself a `tx` for a nested one); resolves to its id.
	 * `onEnd` runs once it has committed or rolled back (e.g. to close a user's view).
	 */
	async begin(adapter: DatabaseAdapter, owner: string, onEnd?: () => void): Promise<string> {
		if (this.open.size >= this.maxOpen)
			throw new ValidationError(
				"transaction",
				`${this.open.size} transactions are open, the most this service holds; commit or roll back one first`,
			);
		const id = globalThis.crypto.randomUUID();
		let started!: (tx: DatabaseAdapter) => void;
		const ready = new Promise<DatabaseAdapter>((resolve) => {
			started = resolve;
		});
		let finish!: (commit: boolean) => void;
		const done = adapter.transaction(
			(tx) =>
				new Promise<void>((resolve, reject) => {
					finish = (commit) => (commit ? resolve() : reject(ROLLBACK));
					started(tx);
				}),
		);
		const settled = done.then(
			() => undefined,
			(err: unknown) => {
				if (err !== ROLLBACK) throw err;
			},
		);
		// BEGIN itself may fail (closed adapter, database down): then `ready` never resolves.
		let tx: DatabaseAdapter;
		try {
			tx = await Promise.race([ready, settled.then(() => never())]);
		} catch (err) {
			onEnd?.();
			throw err;
		}
		const entry: Open = { owner, tx, finish, done: settled, timer: this.timer(id), busy: 0 };
		this.open.set(id, entry);
		settled.catch(() => undefined).finally(() => onEnd?.());
		return id;
	}

	/**
	 * The transaction's `tx` for one request; unknown, finished or foreign ids are NOT_FOUND. The
	 * idle timer is paused until `release(id)` (the request's end).
	 */
	acquire(id: string, owner: string): DatabaseAdapter {
		const entry = this.entry(id, owner);
		clearTimeout(entry.timer);
		entry.busy++;
		return entry.tx;
	}

	release(id: string): void {
		const entry = this.open.get(id);
		if (!entry) return;
		entry.busy = Math.max(0, entry.busy - 1);
		if (entry.busy === 0) {
			clearTimeout(entry.timer);
			entry.timer = this.timer(id);
		}
	}

	/** Commits; rejects with the database's error when it rolled back instead. */
	async commit(id: string, owner: string): Promise<void> {
		await this.end(this.entry(id, owner), id, true);
	}

	async rollback(id: string, owner: string): Promise<void> {
		await this.end(this.entry(id, owner), id, false);
	}

	/** Rolls back every open transaction (shutdown). */
	async closeAll(): Promise<void> {
		await Promise.all(
			[...this.open.entries()].map(([id, e]) => this.end(e, id, false).catch(() => undefined)),
		);
	}

	private entry(id: string, owner: string): Open {
		const entry = this.open.get(id);
		if (!entry || entry.owner !== owner)
			throw new NotFoundError(
				`transaction ${JSON.stringify(id)} is not open (it was committed, rolled back, or idle for more than ${this.idleTimeoutMs} ms)`,
			);
		return entry;
	}

	private async end(entry: Open, id: string, commit: boolean): Promise<void> {
		clearTimeout(entry.timer);
		this.open.delete(id);
		entry.finish(commit);
		await entry.done;
	}

	private timer(id: string): ReturnType<typeof setTimeout> {
		const t = setTimeout(() => {
			const entry = this.open.get(id);
			if (entry && entry.busy === 0) void this.end(entry, id, false).catch(() => undefined);
		}, this.idleTimeoutMs);
		t.unref?.();
		return t;
	}
}

function never(): never {
	throw new Error("the transaction ended before it began");
}
