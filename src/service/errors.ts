/**
 * Every failure as `{"error":{"code","message"}}`: a typed `AgentmemError` keeps its code and
 * message (messages are credential-free already, errors.ts), Fastify's own refusals (schema
 * validation, unparsable or oversized bodies) become `VALIDATION`, anything else is a 500 that
 * says nothing of its internals (it is logged, without the request body).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AgentmemError, type AgentmemErrorCode, CircuitOpenError } from "../core/errors.js";

/** The HTTP status of each error code (docs/service.md has the table and the reasons). */
export const STATUS_OF_CODE: Record<AgentmemErrorCode, number> = {
	VALIDATION: 400,
	UNAUTHORIZED: 401,
	PERMISSION_DENIED: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	// The database's recorded settings refuse the request (e.g. an import of another model).
	CONFIGURATION: 409,
	EMBEDDING_DIMENSION: 422,
	DATABASE: 500,
	UNSUPPORTED_FEATURE: 501,
	EMBEDDING_PROVIDER: 502,
	// The database cannot serve now; LOCKED, CIRCUIT_OPEN and POOL_EXHAUSTED say when to retry.
	CONNECTION: 503,
	CIRCUIT_OPEN: 503,
	POOL_EXHAUSTED: 503,
	LOCKED: 503,
	CLOSED: 503,
	VECTOR_EXTENSION_UNAVAILABLE: 503,
	// Read-only storage will not heal by retrying soon, but it is the server's state, not the request's.
	READ_ONLY: 503,
	STORAGE_FULL: 507,
};

/** Seconds a client should wait before retrying, for the codes that are worth a retry. */
export function retryAfterSeconds(err: AgentmemError, now = Date.now()): number | undefined {
	if (err instanceof CircuitOpenError) return Math.max(1, Math.ceil((err.retryAt - now) / 1000));
	if (err.code === "LOCKED" || err.code === "POOL_EXHAUSTED" || err.code === "CONNECTION") return 1;
	if (err.code === "CLOSED") return 1;
	return undefined;
}

export interface ErrorBody {
	error: { code: string; message: string };
}

/** Status, headers and body of any thrown value. */
export function describeError(err: unknown): {
	status: number;
	body: ErrorBody;
	retryAfter?: number;
} {
	if (err instanceof AgentmemError) {
		return {
			status: STATUS_OF_CODE[err.code] ?? 500,
			body: { error: { code: err.code, message: err.message } },
			retryAfter: retryAfterSeconds(err),
		};
	}
	const fe = err as Partial<FastifyError> | null;
	if (fe && typeof fe === "object" && typeof fe.statusCode === "number") {
		const status = fe.statusCode;
		if (fe.validation)
			return validation(400, `${fe.validationContext ?? "request"}: ${fe.message}`);
		if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE")
			return validation(413, "the request body is larger than this server accepts (bodyLimit)");
		if (status >= 400 && status < 500) return validation(status, String(fe.message));
	}
	return { status: 500, body: { error: { code: "INTERNAL", message: "internal server error" } } };
}

function validation(status: number, message: string) {
	return { status, body: { error: { code: "VALIDATION", message } } };
}

/** Fastify's error handler: the body above, `Retry-After` when useful; 5xx logged without bodies. */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
	const { status, body, retryAfter } = describeError(err);
	if (status >= 500) {
		const code = err instanceof AgentmemError ? err.code : "INTERNAL";
		request.log.error(
			{ code, err: err instanceof AgentmemError ? undefined : err },
			err instanceof AgentmemError ? err.message : "unexpected error",
		);
	}
	if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
	reply.code(status).send(body);
}
