/**
 * `reembed(adapter, options)`: re-embedding on a model switch as a function over any of agentmem's
 * own adapters (all four backends). It runs where the adapter's database is, not through a
 * wrapper or a remote client: the embedder is a function, and the work is the backend's.
 */
import type { DatabaseAdapter } from "./core/adapter.js";
import { UnsupportedFeatureError } from "./core/errors.js";
import type { ReembedOptions, ReembedResult, ReembedStatus } from "./core/sql/reembed.js";
import { SqlDatabaseAdapter } from "./core/sql/sql-adapter.js";

export type { ReembedProgress, ReembedTable } from "./core/sql/reembed.js";
export { DEFAULT_REEMBED_BATCH_SIZE } from "./core/sql/reembed.js";
export type { ReembedOptions, ReembedResult, ReembedStatus };

function own(adapter: DatabaseAdapter, what: string): SqlDatabaseAdapter {
	if (adapter instanceof SqlDatabaseAdapter) return adapter;
	throw new UnsupportedFeatureError(
		`${what} needs one of agentmem's own adapters (createAdapter, or a backend's class), not a wrapper or a remote client`,
	);
}

/** Re-embeds every memory and knowledge vector with `options.embedder`; see docs/lifecycle.md. */
export function reembed(adapter: DatabaseAdapter, options: ReembedOptions): Promise<ReembedResult> {
	return own(adapter, "reembed").reembed(options);
}

/** The recorded model and dimension, and the re-embed in progress (target, rows done of total). */
export function reembedStatus(adapter: DatabaseAdapter): Promise<ReembedStatus> {
	return own(adapter, "reembedStatus").reembedStatus();
}

/** Abandons a re-embed in progress: its next vectors are dropped, search goes on unchanged. */
export function abortReembed(adapter: DatabaseAdapter): Promise<boolean> {
	return own(adapter, "abortReembed").abortReembed();
}
