/** FNV-1a, 32-bit, over UTF-8 bytes: tiny, fast, and identical on every platform and run. */
const encoder = new TextEncoder();
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(text: string): number {
	let hash = FNV_OFFSET;
	for (const byte of encoder.encode(text)) {
		hash ^= byte;
		hash = Math.imul(hash, FNV_PRIME);
	}
	return hash >>> 0;
}
