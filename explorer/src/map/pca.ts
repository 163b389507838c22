/**
 * Principal component analysis to 2-D by power iteration, without forming the covariance matrix:
 * fitted on at most `sample` rows (evenly spaced), then every row projected. O(n·d) per iteration.
 */
export function pca2(vectors: Float32Array, n: number, d: number, sample = 5_000): Float32Array {
	const step = Math.max(1, Math.floor(n / sample));
	const rows: number[] = [];
	for (let i = 0; i < n; i += step) rows.push(i);
	const mean = new Float64Array(d);
	for (const i of rows)
		for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (vectors[i * d + j] as number);
	for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / rows.length;

	const components: Float64Array[] = [];
	for (let c = 0; c < 2; c++) {
		let v = new Float64Array(d);
		// A fixed start (not random) so the same data always gives the same picture.
		for (let j = 0; j < d; j++) v[j] = Math.sin(j * 12.9898 + c * 78.233) + 0.01;
		normalise(v);
		for (let it = 0; it < 30; it++) {
			const next = new Float64Array(d);
			for (const i of rows) {
				let dot = 0;
				for (let j = 0; j < d; j++)
					dot += ((vectors[i * d + j] as number) - (mean[j] as number)) * (v[j] as number);
				for (let j = 0; j < d; j++)
					next[j] =
						(next[j] as number) + dot * ((vectors[i * d + j] as number) - (mean[j] as number));
			}
			// Deflation: keep the second component orthogonal to the first.
			for (const prev of components) {
				let p = 0;
				for (let j = 0; j < d; j++) p += (next[j] as number) * (prev[j] as number);
				for (let j = 0; j < d; j++) next[j] = (next[j] as number) - p * (prev[j] as number);
			}
			if (normalise(next) === 0) break;
			let change = 0;
			for (let j = 0; j < d; j++) change += Math.abs((next[j] as number) - (v[j] as number));
			v = next;
			if (change < 1e-4) break;
		}
		components.push(v);
	}
	const out = new Float32Array(n * 2);
	for (let i = 0; i < n; i++) {
		for (let c = 0; c < 2; c++) {
			const comp = components[c] as Float64Array;
			let dot = 0;
			for (let j = 0; j < d; j++)
				dot += ((vectors[i * d + j] as number) - (mean[j] as number)) * (comp[j] as number);
			out[i * 2 + c] = dot;
		}
	}
	return out;
}

function normalise(v: Float64Array): number {
	let s = 0;
	for (const x of v) s += x * x;
	const len = Math.sqrt(s);
	if (len > 0) for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / len;
	return len;
}
