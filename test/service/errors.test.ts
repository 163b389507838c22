/** The status of every error code, Retry-After where a retry helps, and nothing internal in a 500. */
import { describe, expect, it } from "vitest";
import {
	AgentmemError,
	type AgentmemErrorCode,
	CircuitOpenError,
	LockedError,
	StorageFullError,
	ValidationError,
} from "../../src/core/errors.js";
import { describeError, STATUS_OF_CODE } from "../../src/service/errors.js";

describe("error mapping", () => {
	it.each(Object.entries(STATUS_OF_CODE))(
		"%s → %i with the same code and message",
		(code, status) => {
			const err = new AgentmemError(code as AgentmemErrorCode, `a ${code} message`);
			expect(describeError(err)).toMatchObject({
				status,
				body: { error: { code, message: `a ${code} message` } },
			});
		},
	);

	it("gives the issue's statuses to the issue's codes", () => {
		expect(STATUS_OF_CODE).toMatchObject({
			VALIDATION: 400,
			NOT_FOUND: 404,
			CONFLICT: 409,
			EMBEDDING_DIMENSION: 422,
			PERMISSION_DENIED: 403,
			LOCKED: 503,
			CIRCUIT_OPEN: 503,
		});
		expect(describeError(new StorageFullError("disk full")).status).toBe(507);
	});

	it("says when to retry: the breaker's probe time, 1 s for a lock, nothing for bad input", () => {
		const now = Date.now();
		expect(describeError(new CircuitOpenError(now + 4_200)).retryAfter).toBeGreaterThanOrEqual(4);
		expect(describeError(new LockedError("held")).retryAfter).toBe(1);
		expect(describeError(new ValidationError("x", "bad")).retryAfter).toBeUndefined();
	});

	it("answers an untyped error with 500 INTERNAL and none of its message", () => {
		const out = describeError(new Error("password=hunter2 at /srv/secret"));
		expect(out).toEqual({
			status: 500,
			body: { error: { code: "INTERNAL", message: "internal server error" } },
		});
	});
});
