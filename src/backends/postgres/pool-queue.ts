/**
 * The queue in front of the pg Pool. node-postgres waits for a free connection and for a new
 * connection under one timeout (`connectionTimeoutMillis`), so under load a healthy server looked
 * unreachable: calls failed after 2 s and opened the circuit breaker. Here callers wait for a
 * connection slot first, in order, under their own generous limits; the pool is asked for a
 * connection only when it has one free or room to open one, so its timeout means the server did
 * not answer.
 */
import { PoolExhaustedError } from "../../core/errors.js";

export interface PoolQueueOptions {
	/**
	 * Callers that may wait for a connection at once; one more fails at once with
	 * `PoolExhaustedError`. Default 10,000.
	 */
	maxWaiting?: number;
	/**
	 * How long a caller may wait for a connection before failing with `PoolExhaustedError`, in ms;
	 * 0 waits as long as it takes. Default 60,000 (a transaction that holds a connection while it
	 * waits for another would otherwise wait forever once every connection is held that way).
	 */
	waitTimeoutMs?: number;
}

export const POOL_QUEUE_DEFAULTS = { maxWaiting: 10_000, waitTimeoutMs: 60_000 };

interface Waiter {
	grant(): void;
	timer?: ReturnType<typeof setTimeout>;
}

export class PoolQueue {
	readonly #size: number;
	readonly #maxWaiting: number;
	readonly #waitTimeoutMs: number;
	#inUse = 0;
	/** FIFO; a waiter that gave up is removed at once. */
	readonly #waiters = new Set<Waiter>();

	/** `size`: the connections callers may hold at once (the pool's `max`). */
	constructor(size: number, options: PoolQueueOptions = {}) {
		this.#size = Math.max(1, size);
		this.#maxWaiting = Math.max(0, options.maxWaiting ?? POOL_QUEUE_DEFAULTS.maxWaiting);
		this.#waitTimeoutMs = Math.max(0, options.waitTimeoutMs ?? POOL_QUEUE_DEFAULTS.waitTimeoutMs);
	}

	get inUse(): number {
		return this.#inUse;
	}

	get waiting(): number {
		return this.#waiters.size;
	}

	/** Resolves when the caller may take a connection; pair with exactly one `release()`. */
	acquire(): Promise<void> {
		if (this.#inUse < this.#size && this.#waiters.size === 0) {
			this.#inUse++;
			return Promise.resolve();
		}
		if (this.#waiters.size >= this.#maxWaiting) {
			return Promise.reject(
				new PoolExhaustedError(
					`all ${this.#size} pooled connections are busy and ${this.#waiters.size} callers are already waiting (poolQueue.maxWaiting): retry later, or raise poolConfig.max or poolQueue.maxWaiting`,
				),
			);
		}
		return new Promise((resolve, reject) => {
			const waiter: Waiter = { grant: resolve };
			if (this.#waitTimeoutMs > 0) {
				waiter.timer = setTimeout(() => {
					this.#waiters.delete(waiter);
					reject(
						new PoolExhaustedError(
							`waited ${this.#waitTimeoutMs} ms for one of ${this.#size} pooled connections, all busy (poolQueue.waitTimeoutMs): retry later, or raise poolConfig.max or poolQueue.waitTimeoutMs`,
						),
					);
				}, this.#waitTimeoutMs);
			}
			this.#waiters.add(waiter);
		});
	}

	/** Gives the slot to the longest waiter, or frees it. */
	release(): void {
		const [next] = this.#waiters;
		if (next) {
			this.#waiters.delete(next);
			if (next.timer) clearTimeout(next.timer);
			next.grant();
		} else this.#inUse = Math.max(0, this.#inUse - 1);
	}
}
