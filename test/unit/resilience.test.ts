import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/core/backoff.js";
import { CircuitOpenError } from "../../src/core/errors.js";
import {
	CircuitBreaker,
	type CircuitState,
	failureClassOfCode,
	Resilience,
} from "../../src/core/resilience.js";

const coded = (code: string) => Object.assign(new Error(code), { code });
const classify = (err: unknown) =>
	failureClassOfCode((err as { code?: string }).code ?? "") ?? "permanent";
const noSleep = async () => undefined;

describe("failureClassOfCode", () => {
	it("classifies connection, contention and other codes", () => {
		for (const c of ["ECONNREFUSED", "ECONNRESET", "57P01", "57P03", "08006", "08001"])
			expect(failureClassOfCode(c)).toBe("connection");
		for (const c of ["40001", "40P01"]) expect(failureClassOfCode(c)).toBe("contention");
		for (const c of ["23505", "23503", "42601", "42501", "22P02", ""])
			expect(failureClassOfCode(c)).toBeNull();
	});
});

describe("backoffDelay", () => {
	it("doubles up to the cap, with jitter in the upper half", () => {
		// Retry n of the database policy waits backoffDelay(n - 1, baseDelayMs, maxDelayMs).
		expect(backoffDelay(0, 100, 500, () => 0)).toBe(50);
		expect(backoffDelay(0, 100, 500, () => 1)).toBe(100);
		expect(backoffDelay(1, 100, 500, () => 1)).toBe(200);
		expect(backoffDelay(4, 100, 500, () => 1)).toBe(500);
		expect(backoffDelay(4, 100, 500, () => 0)).toBe(250);
	});
});

describe("Resilience.run", () => {
	it("retries a retryable transient failure and returns the result", async () => {
		const r = new Resilience({}, classify, noSleep);
		let calls = 0;
		const result = await r.run(
			async () => {
				if (++calls < 3) throw coded("ECONNRESET");
				return "ok";
			},
			{ retryable: () => true },
		);
		expect(result).toBe("ok");
		expect(calls).toBe(3);
	});

	it("gives up after maxAttempts with the last error", async () => {
		const r = new Resilience({ retry: { maxAttempts: 3 } }, classify, noSleep);
		let calls = 0;
		await expect(
			r.run(
				async () => {
					calls++;
					throw coded("40001");
				},
				{ retryable: () => true },
			),
		).rejects.toMatchObject({ code: "40001" });
		expect(calls).toBe(3);
	});

	it("never retries permanent errors, nor what the caller says is unsafe", async () => {
		const r = new Resilience({}, classify, noSleep);
		let calls = 0;
		const failWith = (code: string) => () => {
			calls++;
			return Promise.reject(coded(code));
		};
		await expect(r.run(failWith("23505"), { retryable: () => true })).rejects.toThrow("23505");
		expect(calls).toBe(1);
		await expect(r.run(failWith("ECONNRESET"), { retryable: () => false })).rejects.toThrow();
		expect(calls).toBe(2);
	});

	it("waits between retries with growing delays", async () => {
		const waits: number[] = [];
		const r = new Resilience(
			{ retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 1000 }, circuitBreaker: false },
			classify,
			async (ms) => {
				waits.push(ms);
			},
		);
		await expect(
			r.run(() => Promise.reject(coded("ECONNREFUSED")), { retryable: () => true }),
		).rejects.toThrow();
		expect(waits).toHaveLength(3);
		expect(waits[0]).toBeLessThanOrEqual(10);
		expect(waits[2]).toBeGreaterThanOrEqual(20);
	});
});

describe("CircuitBreaker", () => {
	function setup(threshold = 3, resetMs = 1000) {
		let now = 0;
		const states: CircuitState[] = [];
		const b = new CircuitBreaker(
			{
				failureThreshold: threshold,
				resetTimeoutMs: resetMs,
				onStateChange: (s) => states.push(s),
			},
			() => now,
		);
		return { b, states, advance: (ms: number) => (now += ms) };
	}

	it("opens after consecutive failures, fails fast, half-opens one probe and closes on success", () => {
		const { b, states, advance } = setup();
		for (let i = 0; i < 3; i++) b.unreachable(b.admit(), new Error("down"));
		expect(b.state).toBe("open");
		expect(() => b.admit()).toThrow(CircuitOpenError);
		advance(999);
		expect(() => b.admit()).toThrow(CircuitOpenError);
		advance(1);
		expect(b.admit()).toBe(true); // the probe
		expect(b.state).toBe("half-open");
		expect(() => b.admit()).toThrow(CircuitOpenError); // one probe at a time
		b.reached(true);
		expect(b.state).toBe("closed");
		expect(b.admit()).toBe(false);
		expect(states).toEqual(["open", "half-open", "closed"]);
	});

	it("a failed probe opens it again for another reset period", () => {
		const { b, advance } = setup(1, 100);
		b.unreachable(b.admit(), new Error("down"));
		advance(100);
		const probe = b.admit();
		b.unreachable(probe, new Error("still down"));
		expect(b.state).toBe("open");
		advance(50);
		expect(() => b.admit()).toThrow(CircuitOpenError);
		advance(50);
		expect(b.admit()).toBe(true);
	});

	it("an answer from the database resets the failure count", () => {
		const { b } = setup(3);
		b.unreachable(b.admit(), new Error());
		b.unreachable(b.admit(), new Error());
		b.reached(b.admit());
		b.unreachable(b.admit(), new Error());
		b.unreachable(b.admit(), new Error());
		expect(b.state).toBe("closed");
	});

	it("CircuitOpenError says when the probe comes and keeps the cause", () => {
		const { b } = setup(1, 1000);
		const cause = new Error("ECONNREFUSED");
		b.unreachable(b.admit(), cause);
		try {
			b.admit();
			expect.unreachable();
		} catch (err) {
			expect(err).toBeInstanceOf(CircuitOpenError);
			expect((err as CircuitOpenError).retryAt).toBe(1000);
			expect((err as CircuitOpenError).cause).toBe(cause);
			expect((err as CircuitOpenError).code).toBe("CIRCUIT_OPEN");
		}
	});
});

describe("Resilience with a breaker", () => {
	it("permanent errors never count against the breaker; connection failures do", async () => {
		const r = new Resilience(
			{ retry: false, circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 } },
			classify,
			noSleep,
		);
		const fail = (code: string) =>
			r.run(() => Promise.reject(coded(code)), { retryable: () => true });
		for (let i = 0; i < 5; i++) await expect(fail("23505")).rejects.toThrow("23505");
		expect(r.breaker?.state).toBe("closed");
		await expect(fail("ECONNREFUSED")).rejects.toThrow();
		await expect(fail("ECONNREFUSED")).rejects.toThrow();
		expect(r.breaker?.state).toBe("open");
		let ran = false;
		await expect(
			r.run(
				async () => {
					ran = true;
				},
				{ retryable: () => true },
			),
		).rejects.toBeInstanceOf(CircuitOpenError);
		expect(ran).toBe(false);
	});
});

describe("Resilience and back-pressure", () => {
	const classifyPressure = (err: unknown) =>
		(err as { code?: string }).code === "BUSY" ? "backpressure" : classify(err);

	it("a busy pool neither counts against the breaker nor resets its count, and is not retried", async () => {
		const r = new Resilience(
			{ circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 60_000 } },
			classifyPressure,
			noSleep,
		);
		let calls = 0;
		const fail = (code: string) =>
			r.run(
				() => {
					calls++;
					return Promise.reject(coded(code));
				},
				{ retryable: () => true },
			);
		for (let i = 0; i < 20; i++) await expect(fail("BUSY")).rejects.toThrow("BUSY");
		expect(calls).toBe(20); // one attempt each: the caller already waited
		expect(r.breaker?.state).toBe("closed");
		const r2 = new Resilience(
			{ retry: false, circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 } },
			classifyPressure,
			noSleep,
		);
		const fail2 = (code: string) =>
			r2.run(() => Promise.reject(coded(code)), { retryable: () => true });
		await expect(fail2("ECONNREFUSED")).rejects.toThrow();
		await expect(fail2("BUSY")).rejects.toThrow(); // does not reset the count
		await expect(fail2("ECONNREFUSED")).rejects.toThrow();
		expect(r2.breaker?.state).toBe("open");
	});

	it("a half-open probe that meets a busy pool lets the next probe through", () => {
		let now = 0;
		const b = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 10 }, () => now);
		b.unreachable(b.admit(), new Error("down"));
		now = 10;
		const probe = b.admit();
		expect(probe).toBe(true);
		b.abstained(probe);
		expect(b.state).toBe("half-open");
		expect(b.admit()).toBe(true);
	});
});
