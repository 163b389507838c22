/**
 * Levenshtein distance with an upper bound, the semantics of PostgreSQL's
 * `levenshtein_less_equal(a, b, max)`: the exact distance when it is <= max, else max + 1.
 * Counts Unicode code points, as PostgreSQL and SQLite's `length()` do, so every backend ranks
 * `getCachedEmbeddings` identically, for text of any length (PostgreSQL's own function stops at 255).
 * Only the diagonal band |i - j| <= max is computed: O(n · max) time, O(n) memory.
 */
export function levenshteinBounded(a: string, b: string, max: number): number {
	if (a === b) return 0;
	const x = codePoints(a);
	const y = codePoints(b);
	const n = x.length;
	const m = y.length;
	if (Math.abs(n - m) > max) return max + 1;
	if (n === 0 || m === 0) return Math.max(n, m);
	const over = max + 1;
	let prev = new Array<number>(m + 1).fill(over);
	let curr = new Array<number>(m + 1).fill(over);
	for (let j = 0; j <= Math.min(m, max); j++) prev[j] = j;
	for (let i = 1; i <= n; i++) {
		const lo = Math.max(1, i - max);
		const hi = Math.min(m, i + max);
		curr.fill(over);
		curr[0] = i <= max ? i : over;
		let rowMin = curr[0] as number;
		const xi = x[i - 1];
		for (let j = lo; j <= hi; j++) {
			const cost = xi === y[j - 1] ? 0 : 1;
			const d = Math.min(
				(prev[j] as number) + 1,
				(curr[j - 1] as number) + 1,
				(prev[j - 1] as number) + cost,
			);
			curr[j] = Math.min(d, over);
			if (d < rowMin) rowMin = d;
		}
		if (rowMin > max) return over;
		[prev, curr] = [curr, prev];
	}
	const result = prev[m] as number;
	return result > max ? over : result;
}

/** Code points as numbers; plain char codes when the string has no surrogate pairs. */
function codePoints(s: string): number[] {
	const out: number[] = [];
	for (const ch of s) out.push(ch.codePointAt(0) as number);
	return out;
}
