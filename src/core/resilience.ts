/**
 * Retry with exponential backoff and jitter, and a circuit breaker, for drivers that talk to a
 * database over a network. Backend-agnostic: a driver says how to classify its errors and which
 * attempts are safe to repeat; this file decides when to wait, when to retry and when to fail fast.
 *
 * Only `connection` failures (the database is unreachable) count against the breaker; any answer
 * from the database, even an error, proves it is up. Waiting too long for a pooled connection
 * (`backpressure`) says nothing about the database: it neither counts nor resets the count. Errors
 * that cannot succeed on retry (validation, constraint, syntax, permission) fail at once.
 */
import { backoffDelay } from "./backoff.js";
import { CircuitOpenError } from "./errors.js";

/**
 * `connection`: the database could not be reached or the connection broke (retry if safe; counts
 * against the breaker). `contention`: the server rolled the work back (serialization failure,
 * deadlock): retrying is always safe and the database is up. `backpressure`: every pooled
 * connection stayed busy past the caller's limit; nothing was sent, the database's health is
 * unknown, and the error goes to the caller at once (it already waited). `permanent`: retrying
 * cannot help.
 */
export type FailureClass = "connection" | "contention" | "backpressure" | "permanent";

const CONNECTION_CODES = new Set([
	"ECONNREFUSED",
	"ECONNRESET",
	"ECONNABORTED",
	"EPIPE",
	"ETIMEDOUT",
	"EHOSTUNREACH",
	"ENETUNREACH",
	"EAI_AGAIN",
	"57P01", // admin_shutdown (pg_terminate_backend, server stopping)
	"57P02", // crash_shutdown
	"57P03", // cannot_connect_now (starting up, shutting down)
	"53300", // too_many_connections
]);
const CONTENTION_CODES = new Set(["40001", "40P01"]);

/** The class of an errno or SQLSTATE code, or null when the code says nothing about retrying. */
export function failureClassOfCode(code: string): FailureClass | null {
	if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return "connection";
	if (CONTENTION_CODES.has(code)) return "contention";
	return null;
}

export interface RetryOptions {
	/** Attempts in all, the first included. Default 4. */
	maxAttempts?: number;
	/** The first backoff, doubled at each retry. Default 50 ms. */
	baseDelayMs?: number;
	/** The longest backoff. Default 2000 ms. */
	maxDelayMs?: number;
}

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
	/** Consecutive connection failures that open the circuit. Default 5. */
	failureThreshold?: number;
	/** How long the circuit stays open before one probe is let through. Default 5000 ms. */
	resetTimeoutMs?: number;
	/** Called on every state change. */
	onStateChange?: (state: CircuitState) => void;
}

export interface ResilienceOptions {
	/** Retry policy, or `false` to never retry. */
	retry?: RetryOptions | false;
	/** Circuit breaker settings, or `false` for none. */
	circuitBreaker?: CircuitBreakerOptions | false;
}

/**
 * closed → (failureThreshold consecutive connection failures) → open → (resetTimeoutMs) →
 * half-open: one probe runs, everything else fails fast; its success closes the circuit, its
 * failure opens it again.
 */
export class CircuitBreaker {
	readonly #threshold: number;
	readonly #resetMs: number;
	readonly #onChange: ((state: CircuitState) => void) | undefined;
	readonly #now: () => number;
	#state: CircuitState = "closed";
	#failures = 0;
	#retryAt = 0;
	#probing = false;
	#lastError: unknown;

	constructor(options: CircuitBreakerOptions = {}, now: () => number = Date.now) {
		this.#threshold = Math.max(1, options.failureThreshold ?? 5);
		this.#resetMs = Math.max(0, options.resetTimeoutMs ?? 5000);
		this.#onChange = options.onStateChange;
		this.#now = now;
	}

	get state(): CircuitState {
		return this.#state;
	}

	/** Admits one attempt, or throws CircuitOpenError. Returns whether the attempt is the probe. */
	admit(): boolean {
		if (this.#state === "closed") return false;
		if (this.#state === "open" && this.#now() >= this.#retryAt) this.#set("half-open");
		if (this.#state === "half-open" && !this.#probing) {
			this.#probing = true;
			return true;
		}
		throw new CircuitOpenError(this.#retryAt, { cause: this.#lastError });
	}

	/** The attempt reached the database (it succeeded, or failed for another reason). */
	reached(probe: boolean): void {
		if (probe) this.#probing = false;
		this.#failures = 0;
		if (this.#state !== "closed") this.#set("closed");
	}

	/** The attempt ended without telling anything about the database (it never reached it). */
	abstained(probe: boolean): void {
		if (probe) this.#probing = false;
	}

	/** The attempt could not reach the database. */
	unreachable(probe: boolean, err: unknown): void {
		if (probe) this.#probing = false;
		this.#lastError = err;
		this.#failures++;
		if (this.#state === "half-open" || this.#failures >= this.#threshold) {
			this.#retryAt = this.#now() + this.#resetMs;
			if (this.#state !== "open") this.#set("open");
		}
	}

	#set(state: CircuitState): void {
		this.#state = state;
		try {
			this.#onChange?.(state);
		} catch {
			// An observer's failure must not change the outcome of a database call.
		}
	}
}

export interface Attempt {
	/**
	 * Whether a failed attempt may run again: true only when repeating it cannot apply a write twice
	 * (a read, a transaction that never reached COMMIT, a statement the server rolled back).
	 */
	retryable(err: unknown, kind: FailureClass): boolean;
}

/** Runs database calls through the retry policy and the circuit breaker. */
export class Resilience {
	readonly breaker: CircuitBreaker | null;
	readonly #retry: Required<RetryOptions> | null;
	readonly #classify: (err: unknown) => FailureClass;
	readonly #sleep: (ms: number) => Promise<void>;

	constructor(
		options: ResilienceOptions,
		classify: (err: unknown) => FailureClass,
		sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
	) {
		this.breaker =
			options.circuitBreaker === false ? null : new CircuitBreaker(options.circuitBreaker);
		this.#retry =
			options.retry === false
				? null
				: {
						maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 4),
						baseDelayMs: Math.max(0, options.retry?.baseDelayMs ?? 50),
						maxDelayMs: Math.max(0, options.retry?.maxDelayMs ?? 2000),
					};
		this.#classify = classify;
		this.#sleep = sleep;
	}

	/** The failure class of an error, as the driver defined it. */
	classify(err: unknown): FailureClass {
		return this.#classify(err);
	}

	async run<T>(fn: () => Promise<T>, attempt: Attempt): Promise<T> {
		const max = this.#retry?.maxAttempts ?? 1;
		for (let n = 1; ; n++) {
			const probe = this.breaker?.admit() ?? false;
			try {
				const result = await fn();
				this.breaker?.reached(probe);
				return result;
			} catch (err) {
				const kind = this.#classify(err);
				if (kind === "connection") this.breaker?.unreachable(probe, err);
				else if (kind === "backpressure") this.breaker?.abstained(probe);
				else this.breaker?.reached(probe);
				if (n >= max || kind === "permanent" || kind === "backpressure") throw err;
				if (!attempt.retryable(err, kind)) throw err;
				const { baseDelayMs, maxDelayMs } = this.#retry as Required<RetryOptions>;
				// Attempt n failed: the wait before retry n (counted from 0 by backoffDelay).
				await this.#sleep(backoffDelay(n - 1, baseDelayMs, maxDelayMs));
			}
		}
	}
}
