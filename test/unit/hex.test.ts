import { describe, expect, it } from "vitest";
import { hexBytes, hexBytesByTable } from "../../src/backends/postgres/hex.js";
import { fromPgVectorBinary, toPgVectorBinary } from "../../src/core/vector.js";

describe("hexBytes", () => {
	const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
	const lower = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

	it("decodes every byte value, lower and upper case, with Buffer and by table", () => {
		for (const decode of [hexBytes, hexBytesByTable]) {
			expect(Array.from(decode(lower))).toEqual(Array.from(bytes));
			expect(Array.from(decode(lower.toUpperCase()))).toEqual(Array.from(bytes));
			expect(decode("")).toHaveLength(0);
		}
	});

	it("gives back a pgvector binary value that decodes to the same floats", () => {
		const v = Float32Array.from([0.1, -2.5, 3e-8, 1e30, -0]);
		const hex = Array.from(toPgVectorBinary(v), (b) => b.toString(16).padStart(2, "0")).join("");
		for (const decode of [hexBytes, hexBytesByTable]) {
			expect(Array.from(fromPgVectorBinary(decode(hex)))).toEqual(Array.from(v));
		}
	});
});
