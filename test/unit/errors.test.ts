import { describe, expect, it } from "vitest";
import {
	AgentmemError,
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
	UnsupportedFeatureError,
	ValidationError,
	VectorExtensionUnavailableError,
} from "../../src/core/errors.js";

describe("errors", () => {
	const cause = new Error("driver said no");
	const cases: [AgentmemError, string, string][] = [
		[
			new ValidationError("memory.roomId", "expected a UUID", { cause }),
			"VALIDATION",
			"ValidationError",
		],
		[
			new EmbeddingDimensionError(384, 1536, "createMemory"),
			"EMBEDDING_DIMENSION",
			"EmbeddingDimensionError",
		],
		[new NotFoundError("no room", { cause }), "NOT_FOUND", "NotFoundError"],
		[new ConflictError("id taken", { cause }), "CONFLICT", "ConflictError"],
		[new ConnectionError("refused", { cause }), "CONNECTION", "ConnectionError"],
		[new CircuitOpenError(Date.UTC(2030, 0, 1), { cause }), "CIRCUIT_OPEN", "CircuitOpenError"],
		[new PoolExhaustedError("all busy", { cause }), "POOL_EXHAUSTED", "PoolExhaustedError"],
		[
			new VectorExtensionUnavailableError("no vec0", { cause }),
			"VECTOR_EXTENSION_UNAVAILABLE",
			"VectorExtensionUnavailableError",
		],
		[
			new UnsupportedFeatureError("no", { cause }),
			"UNSUPPORTED_FEATURE",
			"UnsupportedFeatureError",
		],
		[new ConfigurationError("dimension", { cause }), "CONFIGURATION", "ConfigurationError"],
		[new LockedError("held", { cause }), "LOCKED", "LockedError"],
		[new ClosedError("closed"), "CLOSED", "ClosedError"],
		[new DatabaseError("failed", { cause }), "DATABASE", "DatabaseError"],
		[
			new EmbeddingProviderError("503", { cause, status: 503 }),
			"EMBEDDING_PROVIDER",
			"EmbeddingProviderError",
		],
		[new AuthError("token expired", { cause }), "UNAUTHORIZED", "AuthError"],
		[
			new PermissionDeniedError("row-level security", { cause }),
			"PERMISSION_DENIED",
			"PermissionDeniedError",
		],
	];

	it.each(cases)("%s has a stable code and name, and is an AgentmemError", (err, code, name) => {
		expect(err).toBeInstanceOf(AgentmemError);
		expect(err).toBeInstanceOf(Error);
		expect(err.code).toBe(code);
		expect(err.name).toBe(name);
		expect(err.message.length).toBeGreaterThan(0);
	});

	it("keeps the cause", () => {
		expect(new NotFoundError("x", { cause }).cause).toBe(cause);
		expect(new DatabaseError("x", { cause }).cause).toBe(cause);
	});

	it("names the refused field and both dimensions", () => {
		const v = new ValidationError("memory.roomId", "expected a UUID");
		expect(v.field).toBe("memory.roomId");
		expect(v.message).toBe("memory.roomId: expected a UUID");
		const d = new EmbeddingDimensionError(384, 1536, "createMemory");
		expect([d.expected, d.actual]).toEqual([384, 1536]);
		expect(d.message).toContain("384");
		expect(d.message).toContain("1536");
		expect(d.message).toContain("createMemory");
	});

	it("carries extra facts", () => {
		const at = Date.UTC(2030, 0, 1);
		expect(new CircuitOpenError(at).retryAt).toBe(at);
		expect(new CircuitOpenError(at).message).toContain("2030-01-01T00:00:00.000Z");
		expect(new EmbeddingProviderError("x", { status: 429 }).status).toBe(429);
		expect(new EmbeddingProviderError("x").status).toBeUndefined();
	});
});
