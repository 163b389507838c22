/**
 * The service answers a failed call with `{"error":{"code","message",…}}` and an HTTP status; this
 * turns that back into the typed error the same call throws in-process (same class, `code` and
 * message), so code catching `NotFoundError` works unchanged against a remote adapter. The map is
 * exhaustive over `AgentmemErrorCode`: a new code is a compile error here until it is decoded.
 */
import {
	AgentmemError,
	type AgentmemErrorCode,
	AuthError,
	CircuitOpenError,
	ClosedError,
	ConfigurationError,
	ConflictError,
	ConnectionError,
	DatabaseError,
	EmbeddingDimensionError,
	EmbeddingProviderError,
	LockedError,
	NotFoundError,
	PermissionDeniedError,
	PoolExhaustedError,
	ReadOnlyDatabaseError,
	StorageFullError,
	UnsupportedFeatureError,
	ValidationError,
	VectorExtensionUnavailableError,
} from "../core/errors.js";
import { redactSecrets } from "../core/redact.js";

/** The error body the service sends (extra members, e.g. `field`, are optional). */
export interface WireError {
	code: string;
	message: string;
	field?: string;
	expected?: number;
	actual?: number;
	retryAt?: number;
	status?: number;
}

/** What the HTTP layer knows about a failed response, beside its body. */
export interface ResponseInfo {
	status: number;
	/** `Retry-After` in milliseconds, when the service sent one. */
	retryAfterMs: number | undefined;
}

/** Added to every error decoded from a response: the HTTP status and the `Retry-After` wait. */
export interface RemoteErrorInfo {
	readonly httpStatus: number;
	readonly retryAfterMs: number | undefined;
}

type Build = (e: WireError, info: ResponseInfo) => AgentmemError;

const BUILD = {
	VALIDATION: (e) => {
		const colon = e.message.indexOf(": ");
		const field = e.field ?? (colon > 0 ? e.message.slice(0, colon) : "request");
		return new ValidationError(field, e.message);
	},
	EMBEDDING_DIMENSION: (e) => {
		const m = /has (\d+) dimensions, but this database stores (\d+)/.exec(e.message);
		return new EmbeddingDimensionError(
			e.expected ?? Number(m?.[2] ?? Number.NaN),
			e.actual ?? Number(m?.[1] ?? Number.NaN),
			"remote",
		);
	},
	NOT_FOUND: (e) => new NotFoundError(e.message),
	CONFLICT: (e) => new ConflictError(e.message),
	CONNECTION: (e) => new ConnectionError(e.message),
	CIRCUIT_OPEN: (e, info) =>
		new CircuitOpenError(e.retryAt ?? Date.now() + (info.retryAfterMs ?? 0)),
	POOL_EXHAUSTED: (e) => new PoolExhaustedError(e.message),
	VECTOR_EXTENSION_UNAVAILABLE: (e) => new VectorExtensionUnavailableError(e.message),
	UNSUPPORTED_FEATURE: (e) => new UnsupportedFeatureError(e.message),
	CONFIGURATION: (e) => new ConfigurationError(e.message),
	LOCKED: (e) => new LockedError(e.message),
	CLOSED: (e) => new ClosedError(e.message),
	DATABASE: (e) => new DatabaseError(e.message),
	EMBEDDING_PROVIDER: (e) =>
		new EmbeddingProviderError(e.message, e.status === undefined ? {} : { status: e.status }),
	UNAUTHORIZED: (e) => new AuthError(e.message),
	PERMISSION_DENIED: (e) => new PermissionDeniedError(e.message),
	READ_ONLY: (e) => new ReadOnlyDatabaseError(e.message),
	STORAGE_FULL: (e) => new StorageFullError(e.message),
} satisfies Record<AgentmemErrorCode, Build>;

function isCode(code: string): code is AgentmemErrorCode {
	return Object.hasOwn(BUILD, code);
}

/** The typed error for a failed response whose body is `{"error":{…}}` (or something else). */
export function decodeError(body: unknown, info: ResponseInfo): AgentmemError {
	const wire = wireError(body);
	let err: AgentmemError;
	if (wire === undefined) {
		err = fromStatus(info.status);
	} else if (isCode(wire.code)) {
		err = BUILD[wire.code](wire, info);
		// The constructors add their own wording; the caller sees exactly the service's message.
		err.message = redactSecrets(wire.message);
	} else {
		// A code from a newer service: still an AgentmemError carrying that code.
		err = new AgentmemError(wire.code as AgentmemErrorCode, wire.message);
	}
	const extra: RemoteErrorInfo = { httpStatus: info.status, retryAfterMs: info.retryAfterMs };
	for (const [key, value] of Object.entries(extra))
		Object.defineProperty(err, key, { value, enumerable: false });
	return err;
}

function wireError(body: unknown): WireError | undefined {
	if (body === null || typeof body !== "object") return undefined;
	const e = (body as { error?: unknown }).error;
	if (e === null || typeof e !== "object") return undefined;
	const { code, message } = e as { code?: unknown; message?: unknown };
	if (typeof code !== "string" || typeof message !== "string") return undefined;
	return e as WireError;
}

/** A response without our error body: a proxy, a load balancer or a service of another kind. */
function fromStatus(status: number): AgentmemError {
	const what = `The agentmem service answered HTTP ${status} without an agentmem error body`;
	if (status === 401) return new AuthError(`${what}: the API key or token was refused.`);
	if (status === 403) return new PermissionDeniedError(`${what}: the request was forbidden.`);
	if (status === 413) return new ValidationError("body", `${what}: the request body is too large.`);
	if (status >= 500) return new ConnectionError(`${what}; is the service up behind its proxy?`);
	return new AgentmemError("DATABASE", `${what}; is this URL an agentmem service?`);
}

/** `Retry-After` (seconds, or an HTTP date) in milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
	if (value === null || value.trim() === "") return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
