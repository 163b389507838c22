/** Bytes from lower-case hex text (`encode(…, 'hex')`, stored uuids), without Buffer (PGlite runs in browsers too). */
export function hexBytes(hex: string): Uint8Array {
	const out = new Uint8Array(hex.length >> 1);
	for (let i = 0, j = 0; i < out.length; i++, j += 2) {
		out[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
	}
	return out;
}

function nibble(c: number): number {
	// '0'-'9' (48-57), 'a'-'f' (97-102): encode() and agentmem's ids are lower case.
	return c <= 57 ? c - 48 : c - 87;
}
