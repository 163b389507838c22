/**
 * Rows written before the JSON rule: array holes stored as nothing (`[1,,3]`) are read back as
 * JSON.stringify would have written them, and text that is still not JSON is a typed error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DatabaseError } from "../../src/core/errors.js";
import { fillArrayHoles } from "../../src/core/sql/legacy-json.js";
import { json } from "../../src/core/sql/rows.js";

/** The serialiser agentmem used before: `Array#map` skips holes, so `join` leaves them empty. */
function oldText(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(oldText).join(",")}]`;
	if (value !== null && typeof value === "object") {
		const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${oldText(v)}`);
		return `{${parts.join(",")}}`;
	}
	return JSON.stringify(value);
}

/** `[<hole>]` was written as `[]`: nothing is left to repair (it reads as an empty array). */
function hasLoneHole(value: unknown): boolean {
	if (Array.isArray(value)) return (value.length === 1 && !(0 in value)) || value.some(hasLoneHole);
	if (value !== null && typeof value === "object") return Object.values(value).some(hasLoneHole);
	return false;
}

/** JSON values whose arrays may have holes. */
const sparseJson = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: "small", withCrossShrink: true },
		fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
		tie("array"),
		tie("object"),
	),
	array: fc.sparseArray(tie("value"), { maxLength: 6 }),
	object: fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
}));

describe("legacy JSON with array holes", () => {
	it("reads the examples of issue 12 as JSON.stringify writes them", () => {
		expect(json("[1,,3]")).toEqual([1, null, 3]);
		expect(json('{"text":"hi","a":[1,,3]}')).toEqual({ text: "hi", a: [1, null, 3] });
		expect(json("[,1]")).toEqual([null, 1]);
		expect(json("[1,]")).toEqual([1, null]);
		expect(json("[,,]")).toEqual([null, null, null]); // n - 1 commas: three slots
		expect(json("[[],[ ],{}]")).toEqual([[], [], {}]);
		expect(json('["a,,b",,"[,]"]')).toEqual(["a,,b", null, "[,]"]);
		expect(json('["\\",,",,1]')).toEqual(['",,', null, 1]);
	});

	it("repairs whatever the old serialiser wrote to what JSON.stringify writes", () => {
		fc.assert(
			fc.property(sparseJson.value, (value) => {
				fc.pre(!hasLoneHole(value));
				expect(fillArrayHoles(oldText(value))).toBe(JSON.stringify(value));
				expect(fillArrayHoles(JSON.stringify(value))).toBe(JSON.stringify(value));
			}),
			{ numRuns: 300 },
		);
	});

	it("throws a DatabaseError, not a SyntaxError, for text that is still not JSON", () => {
		for (const bad of ["{", "[1,2", "nope", '{"a":}']) {
			expect(() => json(bad)).toThrow(DatabaseError);
		}
	});
});
