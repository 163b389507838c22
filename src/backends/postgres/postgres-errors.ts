/**
 * Errors of the PostgreSQL family (pg's DatabaseError, PGlite's errors, socket errors) as typed
 * errors, and which of them are worth retrying. No driver types: PGlite reuses this file.
 */
import {
	AgentmemError,
	ConflictError,
	ConnectionError,
	DatabaseError,
	NotFoundError,
	PermissionDeniedError,
	PoolExhaustedError,
} from "../../core/errors.js";
import { type FailureClass, failureClassOfCode } from "../../core/resilience.js";

/** Messages of node-postgres errors that carry no code but mean the connection is gone. */
const CONNECTION_MESSAGE =
	/Connection terminated|connection timeout|not queryable|Connection ended|Cannot use a pool after calling end|socket hang up/i;
/**
 * pg-pool's error for a caller that waited `connectionTimeoutMillis` in its queue for a busy pool
 * (a shared pool: agentmem's own callers wait in PoolQueue). A new connection that the server does
 * not answer in time fails with "Connection terminated due to connection timeout" instead.
 */
const POOL_BUSY_MESSAGE = /timeout exceeded when trying to connect/i;

function fields(err: unknown): { code: string; message: string } {
	const e = err as { code?: unknown; message?: unknown } | null;
	return {
		code: typeof e?.code === "string" ? e.code : "",
		message: typeof e?.message === "string" ? e.message : String(err),
	};
}

export function postgresConstraintOf(err: unknown): "foreign_key" | "unique" | null {
	const { code } = fields(err);
	if (code === "23503") return "foreign_key";
	if (code === "23505") return "unique";
	return null;
}

/**
 * The failure class of an error or of the first error in its `cause` chain that has one:
 * `connection` (the database is unreachable), `contention` (the server rolled the statement back:
 * serialization failure, deadlock) or `permanent` (retrying cannot help).
 */
export function postgresFailureClass(err: unknown): FailureClass {
	for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
		const { code, message } = fields(e);
		const byCode = failureClassOfCode(code);
		if (byCode) return byCode;
		if (!code && POOL_BUSY_MESSAGE.test(message)) return "backpressure";
		if (!code && CONNECTION_MESSAGE.test(message)) return "connection";
		if (e instanceof AgentmemError && e.code === "CONNECTION") return "connection";
		if (e instanceof AgentmemError && e.code === "POOL_EXHAUSTED") return "backpressure";
	}
	return "permanent";
}

export function wrapPostgresError(err: unknown, what: string): Error {
	if (err instanceof AgentmemError) return err;
	const { code, message } = fields(err);
	const constraint = postgresConstraintOf(err);
	if (constraint === "foreign_key")
		return new NotFoundError(`${what}: a referenced record does not exist`, { cause: err });
	if (constraint === "unique") return new ConflictError(`${what}: ${message}`, { cause: err });
	if (code === "42501") return new PermissionDeniedError(`${what}: ${message}`, { cause: err });
	if (!code && POOL_BUSY_MESSAGE.test(message)) {
		return new PoolExhaustedError(
			`${what}: every connection of the pool stayed busy past its connectionTimeoutMillis (a pool shared with other code): retry later, or raise the pool's max or connectionTimeoutMillis`,
			{ cause: err },
		);
	}
	if (postgresFailureClass(err) === "connection") {
		return new ConnectionError(
			`${what}: cannot reach the database (${code ? `${code}: ` : ""}${message})`,
			{ cause: err },
		);
	}
	return new DatabaseError(`${what} failed: ${code ? `${code}: ` : ""}${message}`, {
		cause: err,
	});
}
