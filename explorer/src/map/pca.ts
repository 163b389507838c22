/**
 * Principal component analysis to 2-D: block power iteration on two vectors at once, without
 * forming the covariance matrix, fitted on at most `sample` rows (evenly spaced, centred once),
 * then every row projected. O(sample·d) per iteration, O(n·d) for the projection.
 */
export function pca2(vectors: Float32Array, n: number, d: number, sample = 2_000): Float32Array {
	const step = Math.max(1, Math.floor(n / sample));
	const rows = Math.ceil(n / step);
	const mean = new Float64Array(d);
	for (let i = 0; i < n; i += step)
		for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (vectors[i * d + j] as number);
	for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / rows;
	const x = new Float32Array(rows * d);
	for (let r = 0, i = 0; i < n; r++, i += step)
		for (let j = 0; j < d; j++) x[r * d + j] = (vectors[i * d + j] as number) - (mean[j] as number);

	// A fixed start (not random) so the same data always gives the same picture.
	let a = new Float64Array(d);
	let b = new Float64Array(d);
	for (let j = 0; j < d; j++) {
		a[j] = Math.sin(j * 12.9898) + 0.01;
		b[j] = Math.cos(j * 78.233) + 0.01;
	}
	orthonormalise(a, b);
	for (let it = 0; it < 25; it++) {
		const na = new Float64Array(d);
		const nb = new Float64Array(d);
		for (let r = 0; r < rows; r++) {
			const o = r * d;
			let da = 0;
			let db = 0;
			for (let j = 0; j < d; j++) {
				const v = x[o + j] as number;
				da += v * (a[j] as number);
				db += v * (b[j] as number);
			}
			for (let j = 0; j < d; j++) {
				const v = x[o + j] as number;
				na[j] = (na[j] as number) + da * v;
				nb[j] = (nb[j] as number) + db * v;
			}
		}
		if (!orthonormalise(na, nb)) break;
		let change = 0;
		for (let j = 0; j < d; j++) change += Math.abs((na[j] as number) - (a[j] as number));
		a = na;
		b = nb;
		if (change < 1e-4) break;
	}
	const out = new Float32Array(n * 2);
	for (let i = 0; i < n; i++) {
		let pa = 0;
		let pb = 0;
		for (let j = 0; j < d; j++) {
			const v = (vectors[i * d + j] as number) - (mean[j] as number);
			pa += v * (a[j] as number);
			pb += v * (b[j] as number);
		}
		out[i * 2] = pa;
		out[i * 2 + 1] = pb;
	}
	return out;
}

/** Gram-Schmidt on two vectors in place; false when the first has no length left. */
function orthonormalise(a: Float64Array, b: Float64Array): boolean {
	if (normalise(a) === 0) return false;
	let p = 0;
	for (let j = 0; j < a.length; j++) p += (a[j] as number) * (b[j] as number);
	for (let j = 0; j < a.length; j++) b[j] = (b[j] as number) - p * (a[j] as number);
	normalise(b);
	return true;
}

function normalise(v: Float64Array): number {
	let s = 0;
	for (const x of v) s += x * x;
	const len = Math.sqrt(s);
	if (len > 0) for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / len;
	return len;
}
