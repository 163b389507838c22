import { describe, expect, it } from "vitest";
import { PoolQueue } from "../../src/backends/postgres/pool-queue.js";
import {
	postgresFailureClass,
	wrapPostgresError,
} from "../../src/backends/postgres/postgres-errors.js";
import { PoolExhaustedError } from "../../src/core/errors.js";

describe("PoolQueue", () => {
	it("grants up to its size at once, then in arrival order as slots are released", async () => {
		const q = new PoolQueue(2);
		const order: number[] = [];
		await q.acquire();
		await q.acquire();
		const waits = [1, 2, 3].map((n) => q.acquire().then(() => order.push(n)));
		expect(q.waiting).toBe(3);
		q.release();
		await waits[0];
		q.release();
		q.release();
		await Promise.all(waits);
		expect(order).toEqual([1, 2, 3]);
		expect(q.inUse).toBe(2);
		q.release();
		q.release();
		expect(q.inUse).toBe(0);
	});

	it("past maxWaiting a caller fails at once with PoolExhaustedError", async () => {
		const q = new PoolQueue(1, { maxWaiting: 2, waitTimeoutMs: 0 });
		await q.acquire();
		const waiting = [q.acquire(), q.acquire()];
		const err = await q.acquire().catch((e: unknown) => e);
		expect(err).toBeInstanceOf(PoolExhaustedError);
		expect((err as Error).message).toMatch(/1 pooled connections are busy and 2 callers/);
		q.release();
		q.release();
		q.release();
		await Promise.all(waiting);
	});

	it("a caller that waits past waitTimeoutMs fails with PoolExhaustedError and leaves the queue", async () => {
		const q = new PoolQueue(1, { waitTimeoutMs: 20 });
		await q.acquire();
		const err = await q.acquire().catch((e: unknown) => e);
		expect(err).toBeInstanceOf(PoolExhaustedError);
		expect((err as Error).message).toMatch(/waited 20 ms/);
		expect(q.waiting).toBe(0);
		q.release();
		expect(q.inUse).toBe(0);
	});
});

describe("pg errors: a busy pool is back-pressure, a silent server is a connection failure", () => {
	it("classifies pg-pool's queue timeout as backpressure and wraps it as PoolExhaustedError", () => {
		const busy = new Error("timeout exceeded when trying to connect");
		expect(postgresFailureClass(busy)).toBe("backpressure");
		expect(wrapPostgresError(busy, "getRoom")).toBeInstanceOf(PoolExhaustedError);
		expect(postgresFailureClass(new PoolExhaustedError("busy"))).toBe("backpressure");
		const silent = new Error("Connection terminated due to connection timeout");
		expect(postgresFailureClass(silent)).toBe("connection");
		expect(
			postgresFailureClass(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })),
		).toBe("connection");
	});
});
