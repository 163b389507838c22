import { describe, expect, it } from "vitest";
import {
	codePointLength,
	levenshteinBounded,
	levenshteinBoundedSliced,
} from "../../src/core/levenshtein.js";
import { TimeSlice } from "../../src/core/time-slice.js";
import { watchEventLoop } from "../conformance/event-loop-gaps.js";
import { refLevenshtein, seededRng } from "../conformance/fixtures.js";

function randomText(rng: () => number, n: number, alphabet = "abc"): string {
	return Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join("");
}

/** The reference distance over code points: each distinct code point becomes one BMP character. */
function refByCodePoint(a: string, b: string): number {
	const names = new Map<string, string>();
	const rename = (s: string) =>
		Array.from(s, (c) => {
			if (!names.has(c)) names.set(c, String.fromCharCode(0x4e00 + names.size));
			return names.get(c);
		}).join("");
	return refLevenshtein(rename(a), rename(b));
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

	it("takes any bound, up to the largest count, with room for the texts only", () => {
		expect(levenshteinBounded("kitten", "sitting", 2 ** 31 - 1)).toBe(3);
		expect(levenshteinBounded("abc", "xyz", 2 ** 31 - 1)).toBe(3);
		expect(levenshteinBounded("abc", "", 2 ** 31 - 1)).toBe(3);
	});

	it("counts code points: pairs sharing a high or a low surrogate, common prefixes and suffixes", () => {
		// U+1F600 and U+1F601 share their high surrogate; U+1F600 and U+1FA00 share their low one.
		const alphabet = ["a", "b", "\u{1F600}", "\u{1F601}", "\u{1FA00}", "\uD83D", "\uDE00"];
		const rng = seededRng(5);
		const pick = (n: number) =>
			Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join("");
		for (let i = 0; i < 500; i++) {
			const prefix = pick(Math.floor(rng() * 4));
			const suffix = pick(Math.floor(rng() * 4));
			const a = prefix + pick(Math.floor(rng() * 8)) + suffix;
			const b = prefix + pick(Math.floor(rng() * 8)) + suffix;
			const max = Math.floor(rng() * 8);
			const exact = refByCodePoint(a, b);
			const got = levenshteinBounded(a, b, max);
			if (exact <= max) expect(got, `${JSON.stringify([a, b, max])}`).toBe(exact);
			else expect(got, `${JSON.stringify([a, b, max])}`).toBe(max + 1);
			expect(codePointLength(a)).toBe(Array.from(a).length);
		}
		expect(levenshteinBounded("\u{1F600}", "\u{1F601}", 2)).toBe(1);
		expect(levenshteinBounded("x\u{1F600}", "x\u{1FA00}", 2)).toBe(1);
		expect(levenshteinBounded("\u{1F600}\u{1F600}", "\u{1F600}", 0)).toBe(1);
	});

	it("costs O(n · max): 1 MB texts that differ at both ends and in the middle, max 2", () => {
		const rng = seededRng(17);
		const big = randomText(rng, 1 << 20, "abcdefghijklmnopqrstuvwxyz");
		const near = `X${big.slice(1, 500_000)}${big.slice(500_001)}Y`;
		const periodic = "ab".repeat(1 << 19);
		const started = performance.now();
		expect(levenshteinBounded(big, near, 2)).toBe(3);
		expect(levenshteinBounded(big, near, 3)).toBe(3);
		// No common prefix or suffix: the whole band is computed.
		expect(levenshteinBounded(periodic, `b${periodic.slice(0, -1)}`, 2)).toBe(2);
		expect(levenshteinBounded(big, randomText(rng, 1 << 20, "abcdefghij"), 2)).toBe(3);
		// The quadratic version took 23 s for 64 KB; this is a few million steps.
		expect(performance.now() - started).toBeLessThan(5_000);
	});

	it("the sliced version gives way to the event loop every few milliseconds", async () => {
		const periodic = "ab".repeat(1 << 20);
		const other = `b${periodic.slice(0, -1)}`;
		// max 40: 2 M rows, far more than one slice.
		const watched = await watchEventLoop(() =>
			levenshteinBoundedSliced(periodic, other, 40, new TimeSlice()),
		);
		expect(watched.result).toBe(2);
		expect(watched.ticks).toBeGreaterThan(2);
		expect(watched.cpuMs).toBeLessThan(50);
	});
});
