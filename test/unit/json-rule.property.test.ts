/**
 * The JSON rule (DESIGN.md "Data rules"), against generated values: jsonText either returns exactly
 * what JSON.stringify writes, or refuses with a ValidationError, and it refuses exactly when the
 * value holds something JSON would silently change or a backend cannot store. The oracle is
 * JSON.stringify's own traversal (a replacer sees every value it keeps), not our walker.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { jsonObjectText, jsonText, MAX_JSON_DEPTH } from "../../src/core/validation.js";

const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const storable = (s: string) => wellFormed(s) && !s.includes("\u0000");

/** Why JSON.stringify's output would not be `value`'s data, or null when it would be. */
function refusal(value: unknown): string | null {
	let why: string | null = null;
	try {
		JSON.stringify(value, function (this: unknown, key, v: unknown) {
			const kept = v !== undefined && typeof v !== "function" && typeof v !== "symbol";
			if (kept && !Array.isArray(this) && key !== "" && !storable(key)) why ??= "key";
			if (typeof v === "number" && !Number.isFinite(v)) why ??= "number";
			if (typeof v === "bigint") {
				why ??= "bigint";
				return 0;
			}
			if (typeof v === "string" && !storable(v)) why ??= "string";
			if (v instanceof Map || v instanceof Set || ArrayBuffer.isView(v)) why ??= "container";
			return v;
		});
	} catch {
		why ??= "cycle";
	}
	return why;
}

const text = fc.oneof(
	fc.string(),
	fc.string({ unit: "binary" }),
	fc.constantFrom("", "\uD800", "a\uDC00b", "\u0000", "😀", "\uD83D\uDE00x", "e\u0301", "\uFFFF"),
);
const primitive = fc.oneof(
	text,
	fc.double(),
	fc.integer(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.constant(() => 1),
	fc.constant(Symbol("s")),
	fc.bigInt({ min: -5n, max: 5n }),
	fc.date({ noInvalidDate: true }),
);
/** Values a runtime might hand us: JSON-like trees with what is not data mixed in. */
const value = fc.letrec((tie) => ({
	any: fc.oneof(
		{ depthSize: "small", withCrossShrink: true },
		primitive,
		tie("array"),
		tie("object"),
	),
	array: fc.sparseArray(tie("any"), { maxLength: 5 }),
	object: fc.dictionary(text, tie("any"), { maxKeys: 5 }),
})).any;

describe("the JSON rule, generated", () => {
	it("writes exactly what JSON.stringify writes, or refuses exactly what the rule refuses", () => {
		fc.assert(
			fc.property(value, (v) => {
				const why = refusal(v);
				let out: string | undefined;
				let error: unknown;
				try {
					out = jsonText(v, "content");
				} catch (err) {
					error = err;
				}
				if (why) {
					expect(error, `refused for its ${why}`).toBeInstanceOf(ValidationError);
				} else if (JSON.stringify(v) === undefined) {
					expect(error).toBeInstanceOf(ValidationError); // a bare function or undefined
				} else {
					expect(error).toBeUndefined();
					expect(out).toBe(JSON.stringify(v));
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it("round-trips what it accepts: parsing the text gives JSON.stringify's data", () => {
		fc.assert(
			fc.property(fc.dictionary(text, value, { maxKeys: 4 }), (v) => {
				fc.pre(refusal(v) === null);
				expect(JSON.parse(jsonObjectText(v, "details"))).toEqual(JSON.parse(JSON.stringify(v)));
			}),
			{ numRuns: 500 },
		);
	});

	it("refuses a cycle wherever it closes, and accepts shared (acyclic) references", () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 20 }), fc.boolean(), (depth, viaArray) => {
				const root: Record<string, unknown> = {};
				let node: Record<string, unknown> | unknown[] = root;
				for (let i = 0; i < depth; i++) {
					const next: Record<string, unknown> = {};
					if (Array.isArray(node)) node.push(next);
					else node.child = viaArray ? [next] : next;
					node = next;
				}
				(node as Record<string, unknown>).back = root;
				expect(() => jsonText(root, "c")).toThrow(ValidationError);
				const shared = { x: [1] };
				(node as Record<string, unknown>).back = { a: shared, b: [shared, shared] };
				expect(() => jsonText(root, "c")).not.toThrow();
			}),
			{ numRuns: 100 },
		);
	});

	it("accepts nesting up to MAX_JSON_DEPTH and refuses one level more", () => {
		fc.assert(
			fc.property(
				fc.array(fc.boolean(), { minLength: MAX_JSON_DEPTH, maxLength: MAX_JSON_DEPTH }),
				(kinds) => {
					let v: unknown = "leaf";
					for (const isArray of kinds) v = isArray ? [v] : { k: v };
					expect(jsonText(v, "c")).toBe(JSON.stringify(v));
					expect(() => jsonText([v], "c")).toThrow(ValidationError);
					expect(() => jsonText({ k: v }, "c")).toThrow(ValidationError);
				},
			),
			{ numRuns: 50 },
		);
	});
});
