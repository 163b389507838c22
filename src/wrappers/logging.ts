/**
 * `createLoggingDatabaseAdapter`: one wrapper for every backend. Logs each call's method, duration,
 * outcome and sizes (counts of items, never their content or embeddings), and warns on slow calls.
 * Failures are logged by error name and code, never message, so no text (content, credentials)
 * reaches the log; `checkHealth` reports messages with credentials masked.
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import { AgentmemError } from "../core/errors.js";
import { redactSecrets } from "../core/redact.js";

export interface AdapterLogger {
	debug(message: string, fields: Record<string, unknown>): void;
	warn(message: string, fields: Record<string, unknown>): void;
	error(message: string, fields: Record<string, unknown>): void;
}

export interface LoggingOptions {
	/** Where entries go. Default: `console`. */
	logger?: AdapterLogger;
	/** Calls slower than this are logged with `warn`. Default 200 ms. */
	slowMs?: number;
}

/** The size of a value without looking inside it: array length, or 1 for a present value. */
function sizeOf(value: unknown): number {
	if (Array.isArray(value)) return value.length;
	if (value instanceof Float32Array) return 1;
	return value === undefined || value === null ? 0 : 1;
}

export function createLoggingDatabaseAdapter<T extends DatabaseAdapter>(
	adapter: T,
	options: LoggingOptions = {},
): T {
	const logger = options.logger ?? (console as unknown as AdapterLogger);
	const slowMs = options.slowMs ?? 200;
	const wrap = (target: DatabaseAdapter): DatabaseAdapter =>
		new Proxy(target, {
			get(obj, prop, receiver) {
				const value = Reflect.get(obj, prop, receiver);
				if (typeof value !== "function" || typeof prop !== "string" || prop === "constructor")
					return value;
				return (...args: unknown[]) => {
					const started = performance.now();
					const callArgs =
						prop === "transaction" && typeof args[0] === "function"
							? [(tx: DatabaseAdapter) => (args[0] as (tx: DatabaseAdapter) => unknown)(wrap(tx))]
							: args;
					const fields = (extra: Record<string, unknown>) => ({
						method: prop,
						durationMs: Math.round((performance.now() - started) * 100) / 100,
						argSizes: args.map(sizeOf),
						...extra,
					});
					let result: unknown;
					try {
						result = value.apply(obj, callArgs);
					} catch (err) {
						logger.error("agentmem call failed", fields(failure(err)));
						throw err;
					}
					if (!(result instanceof Promise)) return result;
					return result.then(
						(resolved) => {
							const f = fields({ outcome: "ok", resultSize: sizeOf(resolved) });
							if ((f.durationMs as number) >= slowMs) logger.warn("agentmem slow call", f);
							else logger.debug("agentmem call", f);
							return resolved;
						},
						(err) => {
							logger.error("agentmem call failed", fields(failure(err)));
							throw err;
						},
					);
				};
			},
		});
	return wrap(adapter) as T;
}

function failure(err: unknown): Record<string, unknown> {
	return {
		outcome: "error",
		errorName: err instanceof Error ? err.name : typeof err,
		errorCode: err instanceof AgentmemError ? err.code : undefined,
	};
}

export interface HealthReport {
	ok: boolean;
	latencyMs: number;
	/** The typed error's code and message when not ok. */
	error?: { code: string; message: string };
}

/** The health check: `testConnection()` with its latency, never throwing. */
export async function checkHealth(adapter: DatabaseAdapter): Promise<HealthReport> {
	const started = performance.now();
	try {
		await adapter.testConnection();
		return { ok: true, latencyMs: performance.now() - started };
	} catch (err) {
		return {
			ok: false,
			latencyMs: performance.now() - started,
			error: {
				code: err instanceof AgentmemError ? err.code : "UNKNOWN",
				// A third-party adapter's raw error may echo its connection URL.
				message: redactSecrets(err instanceof Error ? err.message : String(err)),
			},
		};
	}
}
