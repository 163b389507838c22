/**
 * Names for the `preparedStatements` option: node-postgres prepares a named statement once per
 * connection (Parse), then only binds and executes it, so the server parses and analyzes its text
 * once per connection instead of on every call. The name is a hash of the text, so two adapters
 * sharing a caller's pool give one text one name (node-postgres refuses a name reused for another
 * text). Only statements with parameters are named (a script of several statements cannot be
 * prepared). Bounded: past MAX_PREPARED texts, new ones go unnamed, so a connection never holds
 * more than that many. Texts registered with `planEveryCall` are never named: a named statement
 * may switch to a generic plan after five executions (plan_cache_mode auto), and those must be
 * planned for each call's own values. The hash is FNV-1a over 64 bits, written here rather than
 * node:crypto's so the PGlite entry (which shares this family's code) still bundles for the
 * browser; a collision among a connection's ≤ 500 texts has odds of about 1 in 10^14, and would
 * surface as node-postgres's "Prepared statements must be unique" error, not as a wrong result.
 */

export const MAX_PREPARED = 500;

const everyCall = new Set<string>();

/** Keeps `sql` an unnamed statement under `preparedStatements` (planned for each call's values). */
export function planEveryCall(sql: string): string {
	everyCall.add(sql);
	return sql;
}

export interface PreparedNames {
	/** The name to prepare `sql` under, or undefined to send it unnamed. */
	nameOf(sql: string): string | undefined;
}

export function preparedNames(): PreparedNames {
	const names = new Map<string, string>();
	return {
		nameOf(sql) {
			const known = names.get(sql);
			if (known !== undefined || everyCall.has(sql) || names.size >= MAX_PREPARED) return known;
			const name = `agentmem_${fnv1a64(sql)}`;
			names.set(sql, name);
			return name;
		},
	};
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/** FNV-1a, 64 bits, of `text`'s UTF-8 bytes, as 16 hex digits. */
export function fnv1a64(text: string): string {
	let h = FNV_OFFSET;
	for (const byte of utf8.encode(text)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
	return h.toString(16).padStart(16, "0");
}
