/**
 * Typed errors. Every error agentmem throws is an `AgentmemError` with a stable `code`; the driver
 * error that caused it, if any, is kept as `cause`. A raw driver error never reaches the caller.
 */
import { redactError, redactSecrets } from "./redact.js";

export type AgentmemErrorCode =
	| "VALIDATION"
	| "EMBEDDING_DIMENSION"
	| "NOT_FOUND"
	| "CONFLICT"
	| "CONNECTION"
	| "CIRCUIT_OPEN"
	| "POOL_EXHAUSTED"
	| "VECTOR_EXTENSION_UNAVAILABLE"
	| "UNSUPPORTED_FEATURE"
	| "CONFIGURATION"
	| "LOCKED"
	| "CLOSED"
	| "DATABASE"
	| "EMBEDDING_PROVIDER"
	| "UNAUTHORIZED"
	| "PERMISSION_DENIED"
	| "READ_ONLY"
	| "STORAGE_FULL";

export class AgentmemError extends Error {
	readonly code: AgentmemErrorCode;

	/** Credentials (a URL's password, `password=…`) are masked in the message and the cause chain. */
	constructor(code: AgentmemErrorCode, message: string, options?: { cause?: unknown }) {
		super(redactSecrets(message), options);
		redactError(options?.cause);
		this.code = code;
		this.name = new.target.name;
	}
}

/** Bad input: a malformed id, tableName, content, count or vector. Nothing was written. */
export class ValidationError extends AgentmemError {
	/** The parameter that was refused, e.g. `memory.roomId`. */
	readonly field: string;

	constructor(field: string, message: string, options?: { cause?: unknown }) {
		super("VALIDATION", `${field}: ${message}`, options);
		this.field = field;
	}
}

/** A vector whose length differs from the database's one dimension. */
export class EmbeddingDimensionError extends AgentmemError {
	readonly expected: number;
	readonly actual: number;

	constructor(expected: number, actual: number, context: string) {
		super(
			"EMBEDDING_DIMENSION",
			`${context}: embedding has ${actual} dimensions, but this database stores ${expected}. ` +
				"Use an embedding model of the database's dimension, or re-embed the database with the new " +
				"model (reembed(), `agentmem reembed`; see docs/lifecycle.md).",
		);
		this.expected = expected;
		this.actual = actual;
	}
}

/** A write names a room, user, agent or record that does not exist. */
export class NotFoundError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("NOT_FOUND", message, options);
	}
}

/** A write conflicts with an existing record (e.g. an id already used by another memory). */
export class ConflictError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("CONFLICT", message, options);
	}
}

/** The database cannot be reached or the connection broke. */
export class ConnectionError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("CONNECTION", message, options);
	}
}

/** The circuit breaker is open: the database failed repeatedly, calls fail fast until it recovers. */
export class CircuitOpenError extends AgentmemError {
	/** When the breaker will let one probe through (ms epoch). */
	readonly retryAt: number;

	constructor(retryAt: number, options?: { cause?: unknown }) {
		super(
			"CIRCUIT_OPEN",
			`The database failed repeatedly; calls fail fast until ${new Date(retryAt).toISOString()}, when one probe is let through.`,
			options,
		);
		this.retryAt = retryAt;
	}
}

/**
 * Every pooled connection stayed busy: more callers were already waiting than the queue holds, or
 * this one waited longer than its limit. The database is up (this never opens the circuit breaker);
 * nothing was sent. Retry later, or raise the pool size or the queue's limits.
 */
export class PoolExhaustedError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("POOL_EXHAUSTED", message, options);
	}
}

/** The vector extension (sqlite-vec, pgvector) could not be loaded or verified. */
export class VectorExtensionUnavailableError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("VECTOR_EXTENSION_UNAVAILABLE", message, options);
	}
}

/** The backend cannot do what was asked; it says so instead of returning an empty result. */
export class UnsupportedFeatureError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("UNSUPPORTED_FEATURE", message, options);
	}
}

/** The adapter's options or the database's recorded settings are inconsistent (e.g. dimension). */
export class ConfigurationError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("CONFIGURATION", message, options);
	}
}

/** Another process holds the database (PGlite data directory lock). */
export class LockedError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("LOCKED", message, options);
	}
}

/** The adapter was closed, or used before `init()`. */
export class ClosedError extends AgentmemError {
	constructor(message: string) {
		super("CLOSED", message);
	}
}

/** Any other database failure, wrapped with the statement's purpose and the driver's error. */
export class DatabaseError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("DATABASE", message, options);
	}
}

/** An embedding provider failed (HTTP error, timeout, malformed response). */
export class EmbeddingProviderError extends AgentmemError {
	/** HTTP status, when the provider answered. */
	readonly status: number | undefined;

	constructor(message: string, options?: { cause?: unknown; status?: number }) {
		super("EMBEDDING_PROVIDER", message, options);
		this.status = options?.status;
	}
}

/** A token was refused: bad signature, expired, wrong audience or issuer, or malformed claims. */
export class AuthError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("UNAUTHORIZED", message, options);
	}
}

/** The database refused a statement for the current role (row-level security, missing grant). */
export class PermissionDeniedError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("PERMISSION_DENIED", message, options);
	}
}

/**
 * The database cannot be written: its file or directory is on read-only storage or not writable by
 * this process, or the adapter was opened with `readonly: true`. Nothing was written.
 */
export class ReadOnlyDatabaseError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("READ_ONLY", message, options);
	}
}

/** The disk (or quota) is full: the write was rolled back whole, the database is intact. */
export class StorageFullError extends AgentmemError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("STORAGE_FULL", message, options);
	}
}

/**
 * The database has no agentmem schema and the adapter was opened with `migrate: false`, so none
 * was created. Nothing was written.
 */
export class NoSchemaError extends NotFoundError {}

/**
 * The database's schema is older than this agentmem and the adapter was opened with
 * `migrate: false`, so it was not migrated. Nothing was written.
 */
export class OutdatedSchemaError extends ConfigurationError {}
