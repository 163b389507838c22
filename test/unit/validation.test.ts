import { describe, expect, it } from "vitest";
import { EmbeddingDimensionError, ValidationError } from "../../src/core/errors.js";
import {
	assertCount,
	assertGoalStatus,
	assertOptionalCount,
	assertOptionalUuid,
	assertSimilarity,
	assertString,
	assertTableName,
	assertTimestamp,
	assertUserState,
	assertUuid,
	assertUuidArray,
	checkQueryEmbedding,
	checkStoredEmbedding,
	describe as describeValue,
	jsonObjectText,
	jsonText,
	MAX_JSON_BYTES,
} from "../../src/core/validation.js";

/** The error `fn` throws (undefined when it does not). */
function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (err) {
		return err;
	}
	return undefined;
}

function refused(fn: () => unknown, field?: string): void {
	const caught = thrown(fn);
	expect(caught).toBeInstanceOf(ValidationError);
	if (field) expect((caught as ValidationError).field).toBe(field);
}

describe("ids and names", () => {
	it("accepts UUIDs of any version and case", () => {
		assertUuid("123e4567-e89b-12d3-a456-426614174000", "id");
		assertUuid("123E4567-E89B-12D3-A456-426614174000", "id");
		assertOptionalUuid(undefined, "id");
		assertOptionalUuid(null, "id");
		assertUuidArray([], "ids");
	});

	it("refuses non-UUIDs, naming the field", () => {
		for (const bad of [
			"",
			"not-a-uuid",
			"123e4567e89b12d3a456426614174000",
			"123e4567-e89b-12d3-a456-42661417400g",
			42,
			null,
			undefined,
			{},
		]) {
			refused(() => assertUuid(bad, "memory.roomId"), "memory.roomId");
		}
		refused(() => assertUuidArray(["123e4567-e89b-12d3-a456-426614174000", "x"], "ids"), "ids[1]");
		refused(() => assertUuidArray("123e4567-e89b-12d3-a456-426614174000", "ids"), "ids");
	});

	it("accepts memory types and refuses SQL, empty and over-long names", () => {
		for (const ok of [
			"messages",
			"facts",
			"documents",
			"fragments",
			"my_type-2",
			`a${"b".repeat(63)}`,
		])
			assertTableName(ok);
		for (const bad of [
			"",
			"1messages",
			"messages; DROP TABLE memories;--",
			"mem ories",
			"me'ss",
			`a${"b".repeat(64)}`,
			7,
			null,
		]) {
			refused(() => assertTableName(bad), "tableName");
		}
	});
});

describe("scalars", () => {
	it("checks strings, refusing NUL and (by default) empty", () => {
		assertString("ok ✓", "s");
		assertString("", "s", { allowEmpty: true });
		refused(() => assertString("", "s"));
		refused(() => assertString("a\u0000b", "s"));
		refused(() => assertString(3, "s"));
	});

	it("checks counts", () => {
		assertCount(0, "count");
		assertCount(10, "count", { max: 10 });
		assertOptionalCount(undefined, "count");
		for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "3", null])
			refused(() => assertCount(bad, "count"));
		refused(() => assertCount(0, "count", { min: 1 }));
		refused(() => assertCount(11, "count", { max: 10 }));
	});

	it("checks timestamps, similarities, statuses and user states", () => {
		assertTimestamp(0, "t");
		assertTimestamp(1_700_000_000_000, "t");
		for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2, "now", Number.NaN])
			refused(() => assertTimestamp(bad, "t"));
		for (const ok of [-1, 0, 0.95, 1]) assertSimilarity(ok, "match_threshold");
		for (const bad of [-1.01, 1.01, Number.NaN, "0.5"])
			refused(() => assertSimilarity(bad, "match_threshold"));
		for (const ok of ["IN_PROGRESS", "DONE", "FAILED"]) assertGoalStatus(ok, "status");
		refused(() => assertGoalStatus("in_progress", "status"));
		for (const ok of ["FOLLOWED", "MUTED", null]) assertUserState(ok, "state");
		refused(() => assertUserState("BLOCKED", "state"));
	});
});

describe("JSON", () => {
	it("returns the JSON text of a plain object, dropping undefined properties like JSON does", () => {
		const value = {
			text: "héllo 👋",
			n: [1, 2.5, null, true],
			nested: { a: { b: "c" } },
			gone: undefined,
		};
		const text = jsonObjectText(value, "content");
		expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
		expect(text).toBe(JSON.stringify(value));
	});

	it("refuses what is not a plain JSON object", () => {
		for (const bad of [null, "text", 3, ["a"], new Date(0), new Map()])
			refused(() => jsonObjectText(bad, "content"), "content");
	});

	it("refuses values JSON would change silently, naming the path", () => {
		refused(() => jsonText({ a: { b: Number.NaN } }, "content"), "content.a.b");
		refused(() => jsonText({ a: [1, Number.POSITIVE_INFINITY] }, "content"), "content.a[1]");
		refused(() => jsonText({ f: () => 1 }, "content"), "content.f");
		refused(() => jsonText({ a: [undefined] }, "content"), "content.a[0]");
		refused(() => jsonText({ big: 10n }, "content"), "content.big");
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		refused(() => jsonText(cyclic, "content"));
	});

	it("refuses U+0000 in values and keys", () => {
		refused(() => jsonText({ text: "a\u0000" }, "content"), "content.text");
		refused(() => jsonText({ "k\u0000": 1 }, "content"));
	});

	it("allows shared (non-cyclic) references", () => {
		const shared = { x: 1 };
		expect(JSON.parse(jsonText({ a: shared, b: shared }, "c"))).toEqual({
			a: { x: 1 },
			b: { x: 1 },
		});
	});

	it("has a size limit well above 1 MB", () => {
		expect(MAX_JSON_BYTES).toBeGreaterThanOrEqual(2 * 1024 * 1024);
		expect(jsonText({ text: "x".repeat(1024 * 1024) }, "content").length).toBeGreaterThan(
			1024 * 1024,
		);
	});
});

describe("embeddings", () => {
	it("stores absent, empty and all-zero vectors as missing", () => {
		expect(checkStoredEmbedding(undefined, 3, "e")).toEqual({ kind: "missing" });
		expect(checkStoredEmbedding(null, 3, "e")).toEqual({ kind: "missing" });
		expect(checkStoredEmbedding([], 3, "e")).toEqual({ kind: "missing" });
		expect(checkStoredEmbedding([0, 0, 0], 3, "e")).toEqual({ kind: "missing" });
		expect(checkStoredEmbedding(new Float32Array(3), 3, "e")).toEqual({ kind: "missing" });
	});

	it("returns a Float32Array of the vector", () => {
		const out = checkStoredEmbedding([0.1, 2, -3], 3, "e");
		expect(out.kind).toBe("vector");
		if (out.kind === "vector") expect(out.vector).toEqual(Float32Array.from([0.1, 2, -3]));
	});

	it("refuses wrong lengths with both numbers", () => {
		for (const check of [
			() => checkStoredEmbedding([1, 2], 3, "e"),
			() => checkQueryEmbedding([1, 2, 3, 4], 3),
		]) {
			const caught = thrown(check);
			expect(caught).toBeInstanceOf(EmbeddingDimensionError);
			const e = caught as EmbeddingDimensionError;
			expect(e.expected).toBe(3);
			expect(e.message).toContain(String(e.actual));
		}
	});

	it("refuses non-finite components, Float32 overflow and non-vectors", () => {
		for (const bad of [
			[1, Number.NaN, 0],
			[Number.POSITIVE_INFINITY, 0, 0],
			[1e39, 0, 0],
			[1, "2", 3],
			"1,2,3",
			{ length: 3 },
		]) {
			refused(() => checkStoredEmbedding(bad, 3, "memory.embedding"), "memory.embedding");
			refused(() => checkQueryEmbedding(bad, 3), "embedding");
		}
	});

	it("refuses an all-zero query", () => {
		refused(() => checkQueryEmbedding([0, 0, 0], 3), "embedding");
		expect(checkQueryEmbedding(Float32Array.from([0, 1, 0]), 3)).toEqual(
			Float32Array.from([0, 1, 0]),
		);
	});
});

describe("describe", () => {
	it("summarises values without dumping them", () => {
		expect(describeValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(40)}…`));
		expect(describeValue([1, 2])).toBe("an array of 2");
		expect(describeValue(new Float32Array(4))).toBe("a Float32Array of 4");
		expect(describeValue(null)).toBe("null");
		expect(describeValue(new Date(0))).toBe("a Date object");
	});
});
