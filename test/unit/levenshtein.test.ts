import { describe, expect, it } from "vitest";
import { levenshteinBounded } from "../../src/core/levenshtein.js";
import { refLevenshtein, seededRng } from "../conformance/fixtures.js";

function randomText(rng: () => number, n: number, alphabet = "abc"): string {
	return Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join("");
}

describe("levenshteinBounded", () => {
	it("computes known distances", () => {
		expect(levenshteinBounded("kitten", "sitting", 10)).toBe(3);
		expect(levenshteinBounded("", "abc", 10)).toBe(3);
		expect(levenshteinBounded("abc", "", 10)).toBe(3);
		expect(levenshteinBounded("same", "same", 0)).toBe(0);
		expect(levenshteinBounded("flaw", "lawn", 10)).toBe(2);
	});

	it("returns the exact distance when within the bound, and more than the bound otherwise", () => {
		const rng = seededRng(3);
		for (let i = 0; i < 300; i++) {
			const a = randomText(rng, Math.floor(rng() * 20));
			const b = randomText(rng, Math.floor(rng() * 20));
			const max = Math.floor(rng() * 12);
			const exact = refLevenshtein(a, b);
			const got = levenshteinBounded(a, b, max);
			if (exact <= max) expect(got).toBe(exact);
			else expect(got).toBeGreaterThan(max);
		}
	});

	it("handles texts far over 255 characters", () => {
		const rng = seededRng(11);
		const a = randomText(rng, 2000, "abcdefghij");
		const b = `${a.slice(0, 700)}XY${a.slice(705, 1500)}${a.slice(1501)}Z`;
		const exact = refLevenshtein(a, b);
		expect(levenshteinBounded(a, b, exact)).toBe(exact);
		expect(levenshteinBounded(a, b, exact - 1)).toBeGreaterThan(exact - 1);
	});

	it("short-circuits on length differences over the bound", () => {
		expect(levenshteinBounded("a", "a".repeat(100), 5)).toBeGreaterThan(5);
	});
});
