import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "../../../src/embed/retry.js";

describe("Retry-After parsing", () => {
	const now = Date.parse("2026-01-01T00:00:00Z");

	it("reads delta-seconds", () => {
		expect(parseRetryAfter("0", now)).toBe(0);
		expect(parseRetryAfter("3", now)).toBe(3000);
		expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
	});

	it("reads an HTTP date, a past date meaning now", () => {
		expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
		expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
	});

	it("ignores absent or unparsable headers", () => {
		expect(parseRetryAfter(null, now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter("soon", now)).toBeUndefined();
		expect(parseRetryAfter("-5", now)).toBeUndefined();
	});
});

describe("exponential backoff with jitter", () => {
	it("doubles per attempt, jitters within half of the step, and is capped", () => {
		expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
		expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
		expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
		expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(400);
		expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
		expect(backoffDelay(20, 100, 10_000, () => 0)).toBe(5_000);
	});
});
