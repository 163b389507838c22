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
	MAX_COUNT,
	MAX_JSON_BYTES,
	MAX_JSON_DEPTH,
	optionalUuid,
	uuid,
	uuidArray,
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

	it("normalises ids to lower case", () => {
		const upper = "123E4567-E89B-12D3-A456-426614174000";
		expect(uuid(upper, "id")).toBe(upper.toLowerCase());
		expect(optionalUuid(undefined, "id")).toBeUndefined();
		expect(optionalUuid(null, "id")).toBeUndefined();
		expect(optionalUuid(upper, "id")).toBe(upper.toLowerCase());
		expect(uuidArray([upper], "ids")).toEqual([upper.toLowerCase()]);
		refused(() => uuid("NOT-A-UUID", "id"), "id");
		refused(() => optionalUuid("", "id"), "id");
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
		assertCount(MAX_COUNT, "count");
		for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "3", null, 2 ** 31, 2 ** 53])
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
		refused(() => jsonText({ big: 10n }, "content"), "content.big");
		refused(() => jsonText({ m: new Map([["k", 1]]) }, "content"), "content.m");
		refused(() => jsonText({ s: new Set([1]) }, "content"), "content.s");
		refused(() => jsonText({ v: new Float32Array(2) }, "content"), "content.v");
		refused(() => jsonText({ n: new Number(Number.NaN) }, "content"), "content.n");
		const cyclic: Record<string, unknown> = {};
		cyclic.self = { back: cyclic };
		refused(() => jsonText(cyclic, "content"), "content.self.back");
		// An invalid Date's toJSON() is null, as JSON.stringify writes it.
		expect(jsonText({ d: new Date(Number.NaN) }, "content")).toBe('{"d":null}');
	});

	it("drops what is not data exactly as JSON.stringify does", () => {
		const f = () => 1;
		class Plugin {
			name = "p";
			handler = f;
			get computed() {
				return 1;
			}
		}
		const value = {
			f,
			s: Symbol("x"),
			u: undefined,
			[Symbol("k")]: 1,
			// biome-ignore lint/suspicious/noSparseArray: holes become null.
			arr: [f, undefined, Symbol("y"), , 3],
			at: new Date(0),
			plugin: new Plugin(),
			boxed: [new String("s"), new Number(2), new Boolean(false)],
			custom: { toJSON: (key: string) => `key=${key}` },
		};
		expect(jsonText(value, "content")).toBe(JSON.stringify(value));
		// biome-ignore lint/suspicious/noSparseArray: a hole.
		expect(jsonText([1, , 3], "objectives")).toBe("[1,null,3]");
		expect(jsonObjectText({ toJSON: () => ({ a: 1 }) }, "details")).toBe('{"a":1}');
	});

	it("refuses U+0000 and lone surrogates in values and keys", () => {
		refused(() => jsonText({ text: "a\u0000" }, "content"), "content.text");
		refused(() => jsonText({ "k\u0000": 1 }, "content"));
		refused(() => jsonText({ text: "a\uD800" }, "content"), "content.text");
		refused(() => jsonText({ text: "\uDC00b" }, "content"), "content.text");
		refused(() => jsonText({ list: ["ok", "\uDBFF\uDBFF\uDC00"] }, "content"), "content.list[1]");
		refused(() => jsonText({ "\uD83D": 1 }, "content"));
		expect(jsonText({ "😀": "😀 \uD83D\uDE00" }, "c")).toBe(
			JSON.stringify({ "😀": "😀😀" }).replace("😀😀", "😀 😀"),
		);
		refused(() => assertString("x\uDFFF", "name"), "name");
	});

	it("refuses nesting past MAX_JSON_DEPTH, and accepts it up to the limit", () => {
		let deep: unknown = 1;
		for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
		expect(jsonText(deep, "c")).toBe(JSON.stringify(deep));
		refused(() => jsonText([deep], "c"));
		let veryDeep: unknown = {};
		for (let i = 0; i < 100_000; i++) veryDeep = { d: veryDeep };
		refused(() => jsonText(veryDeep, "c"));
		expect(MAX_JSON_DEPTH).toBeLessThan(1000); // SQLite JSON1 reads at most 1,000 levels
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
