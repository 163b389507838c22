/** The map's PCA (explorer/src/map/pca.ts): the two directions of largest variance, in order. */
import { describe, expect, it } from "vitest";
import { pca2 } from "../../explorer/src/map/pca.js";

function correlation(a: number[], b: number[]): number {
	const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
	const [ma, mb] = [mean(a), mean(b)];
	let [sab, saa, sbb] = [0, 0, 0];
	for (let i = 0; i < a.length; i++) {
		const [da, db] = [(a[i] as number) - ma, (b[i] as number) - mb];
		sab += da * db;
		saa += da * da;
		sbb += db * db;
	}
	return sab / Math.sqrt(saa * sbb);
}

describe("pca2", () => {
	it("projects onto the largest and then the second-largest direction of variance", () => {
		const n = 3000;
		const d = 6;
		const big: number[] = [];
		const small: number[] = [];
		const v = new Float32Array(n * d);
		let seed = 7;
		const rand = () => {
			seed = (seed * 16807) % 2147483647;
			return seed / 2147483647 - 0.5;
		};
		for (let i = 0; i < n; i++) {
			const [s, t] = [rand() * 10, rand() * 3];
			big.push(s);
			small.push(t);
			// Largest variance along (1,1,0,0,0,0), second along (0,0,1,-1,0,0), a little noise.
			const row = [s + 5, s + 5, t, -t, rand() * 0.1, rand() * 0.1];
			v.set(row, i * d);
		}
		const out = pca2(v, n, d);
		const first = Array.from({ length: n }, (_, i) => out[i * 2] as number);
		const second = Array.from({ length: n }, (_, i) => out[i * 2 + 1] as number);
		expect(Math.abs(correlation(first, big))).toBeGreaterThan(0.999);
		expect(Math.abs(correlation(second, small))).toBeGreaterThan(0.99);
		expect(pca2(v, n, d)).toEqual(out);
	});
});
