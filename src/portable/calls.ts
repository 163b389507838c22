/** The contract's export, import and diagnostics (export.ts, import.ts) over the SQL adapter's context. */
import type { ImportOptions, ImportSummary, PortableRecord } from "../core/portable-types.js";
import { afterInsert, ready, type SqlContext } from "../core/sql/context.js";
import { publish } from "../core/sql/events.js";
import { op, runTransaction } from "../core/sql/session.js";
import type { PortableContext } from "./context.js";
import { type Diagnostics, exportRecords as exportFrom, readDiagnostics } from "./export.js";
import { importRecords as importInto } from "./import.js";

export function exportRecords(ctx: SqlContext): AsyncIterable<PortableRecord> {
	return exportFrom(portableContext(ctx));
}

export async function importRecords(
	ctx: SqlContext,
	records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
	options: ImportOptions = {},
): Promise<ImportSummary> {
	if (options.atomic && !ctx.scope) {
		// One outer transaction; each batch becomes a savepoint inside it.
		return runTransaction(ctx, (tx) => importRecords(tx, records, options));
	}
	const summary = await importInto(portableContext(ctx), records, options);
	afterInsert(ctx, "memories", summary.memory);
	afterInsert(ctx, "knowledge", summary.knowledge);
	return summary;
}

/** Schema version, index names and vector extension version (for `agentmem doctor`). */
export async function diagnostics(ctx: SqlContext): Promise<Diagnostics> {
	return readDiagnostics(portableContext(ctx));
}

function portableContext(ctx: SqlContext): PortableContext {
	const { backend, settings } = ready(ctx);
	return {
		family: ctx.family,
		settings,
		read: (fn) => op(ctx, "exportRecords", (s) => fn(s)),
		write: (fn) =>
			runTransaction(ctx, (tx) =>
				op(tx, "importRecords", (s) => fn(s, (event) => publish(tx, event))),
			),
		isForeignKeyError: (err) => backend.driver.constraintOf(err) === "foreign_key",
		// Not in an `asUser` view: its role may not own the tables or create the staging table.
		...(backend.bulkMemories && !ctx.prelude ? { bulk: backend.bulkMemories } : {}),
	};
}
