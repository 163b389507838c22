/**
 * Names for the `preparedStatements` option: node-postgres prepares a named statement once per
 * connection (Parse), then only binds and executes it, so the server parses and analyzes its text
 * once per connection instead of on every call. The name is a hash of the text, so two adapters
 * sharing a caller's pool give one text one name (node-postgres refuses a name reused for another
 * text). Only statements with parameters are named (a script of several statements cannot be
 * prepared). Bounded: past MAX_PREPARED texts, new ones go unnamed, so a connection never holds
 * more than that many. Texts registered with `planEveryCall` are never named: a named statement
 * may switch to a generic plan after five executions (plan_cache_mode auto), and those must be
 * planned for each call's own values.
 */
import { createHash } from "node:crypto";

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
			const name = `agentmem_${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
			names.set(sql, name);
			return name;
		},
	};
}
