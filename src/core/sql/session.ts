/**
 * Where a call's statements run: on the driver's session, in a transaction after a view's prelude,
 * or in a savepoint of the open transaction; with driver errors mapped to typed ones. Transactions
 * hand their work a context bound to the transaction (savepoints when nested).
 */
import { AgentmemError, DatabaseError, NotFoundError, ValidationError } from "../errors.js";
import type { MemoryEvent } from "../types.js";
import type { OpenTransaction, Scope, SqlBackend, SqlContext, SqlStatement } from "./context.js";
import { ready } from "./context.js";
import type { SqlSession } from "./driver.js";
import { dispatch } from "./events.js";

/** The savepoint around each call inside a transaction (one at a time, so one name). */
const CALL_SAVEPOINT = "agentmem_call";

/** A row a write refers to, for a NotFoundError's message. */
export type Ref = { field: string; table: "accounts" | "rooms"; id: string };

/** Runs `fn` on this context's session, mapping driver errors to typed ones. */
export async function op<T>(
	ctx: SqlContext,
	what: string,
	fn: (s: SqlSession, b: SqlBackend) => Promise<T>,
): Promise<T> {
	const { backend } = ready(ctx);
	try {
		if (ctx.scope) return await atomic(ctx.scope.tx, backend, (s) => fn(s, backend));
		const prelude = ctx.prelude;
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
function atomic<T>(
	tx: OpenTransaction,
	backend: SqlBackend,
	work: (s: SqlSession) => Promise<T>,
): Promise<T> {
	return inTurn(tx, async (s) => {
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
function inTurn<T>(tx: OpenTransaction, work: (s: SqlSession) => Promise<T>): Promise<T> {
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
async function restore(tx: OpenTransaction, name: string, cause: unknown): Promise<void> {
	try {
		await tx.session.exec(`ROLLBACK TO SAVEPOINT ${name}`);
		await tx.session.exec(`RELEASE SAVEPOINT ${name}`);
	} catch {
		tx.broken = endedBy(cause);
	}
}

/** Runs a write; a foreign-key violation becomes a NotFoundError naming what is missing. */
export async function write<T>(
	ctx: SqlContext,
	what: string,
	refs: Ref[],
	fn: (s: SqlSession) => Promise<T>,
): Promise<T> {
	let missing: unknown;
	try {
		return await op(ctx, what, async (s, b) => {
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
		const why = await op(ctx, what, (s) => describeMissing(ctx, refs, s));
		throw new NotFoundError(`${what}: ${why}`, { cause: missing });
	}
}

async function describeMissing(ctx: SqlContext, refs: Ref[], session: SqlSession): Promise<string> {
	const s = ctx.family.statements;
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

/**
 * A context whose every call runs in its own transaction, after `prelude` (e.g. a role and request
 * settings for row-level security); its transactions run the prelude once after BEGIN.
 */
export function withPrelude(
	ctx: SqlContext,
	prelude: readonly SqlStatement[],
	guard?: () => void,
): SqlContext {
	if (ctx.scope) throw new ValidationError("prelude", "derive the view outside a transaction");
	return { ...ctx, prelude: [...prelude], guard: guard ?? ctx.guard };
}

/**
 * Runs `fn` with a context bound to a transaction: a new one, or a savepoint of the open one. Its
 * events are dispatched after the outermost commit.
 */
export async function runTransaction<T>(
	ctx: SqlContext,
	fn: (tx: SqlContext) => Promise<T>,
): Promise<T> {
	const { backend } = ready(ctx);
	const outer = ctx.scope;
	if (!outer) {
		const pending: MemoryEvent[] = [];
		let scope: Scope | undefined;
		try {
			const result = await backend.driver.transaction(async (session) => {
				if (ctx.prelude) await runPrelude(session, ctx.prelude);
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
				const value = await fn({ ...ctx, scope });
				await tx.tail;
				if (tx.broken) throw tx.broken;
				return value;
			});
			dispatch(ctx.shared, pending);
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
	await inTurn(tx, async () => {
		await statement(`SAVEPOINT ${name}`);
		tx.levels.push(level);
	});
	// Ending the savepoint ends the call savepoints made inside it too.
	const leave = () => {
		const at = tx.levels.lastIndexOf(level);
		if (at > 0) tx.levels.splice(at, 1);
	};
	try {
		const result = await fn({ ...ctx, scope: inner });
		await inTurn(tx, async () => {
			await statement(`RELEASE SAVEPOINT ${name}`);
			leave();
		});
		return result;
	} catch (err) {
		outer.pending.length = mark;
		// Skipped (and the commit refused) when the transaction is already beyond repair.
		await inTurn(tx, async () => {
			leave();
			await restore(tx, name, err);
		}).catch(() => undefined);
		throw err;
	} finally {
		inner.done = true;
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
