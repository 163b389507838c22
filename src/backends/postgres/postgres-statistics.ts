/**
 * Planner statistics for the PostgreSQL family. Until a table is analysed the planner estimates
 * its rows from its size on disk, and picks a sequential scan plus sort over the HNSW index when
 * that looks small: PGlite runs no autovacuum at all (10,000 × 384: 24 ms per search before
 * ANALYZE, 2.4 ms after), and on PostgreSQL, where autovacuum comes only after its naptime and
 * thresholds, a bulk load of 1536-dimension vectors (stored out of line, so the table itself looks
 * tiny) searched in 203 ms instead of 6 ms until it did. This keeper ANALYZEs the vector tables
 * once after migrations when they were never analysed, then whenever the rows inserted since the
 * last ANALYZE exceed max(1000, 20% of the rows it counted). The ANALYZE runs behind the write that
 * crossed the line (the write does not wait for it), so the next searches see fresh statistics.
 */
import type { SqlDriver, SqlSession } from "../../core/sql/driver.js";

export type AnalysedTable = "memories" | "knowledge";
const TABLES: readonly AnalysedTable[] = ["memories", "knowledge"];
const MIN_GROWTH = 1000;
const GROWTH_FRACTION = 0.2;
/** The planner's row estimate; -1 until the table is first analysed. */
const ESTIMATE_SQL =
	"SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1::text)";

export class StatisticsKeeper {
	readonly #driver: Pick<SqlDriver, "transaction">;
	/** Rows at the last ANALYZE, and rows inserted since. */
	readonly #analysed = new Map<AnalysedTable, number>();
	readonly #inserted = new Map<AnalysedTable, number>();
	readonly #running = new Set<AnalysedTable>();

	constructor(driver: Pick<SqlDriver, "transaction">) {
		this.#driver = driver;
	}

	/**
	 * After migrations, in the caller's transaction (which holds the migrations' advisory lock, so
	 * adapters opening at once do not ANALYZE one table together: the second fails with "tuple
	 * concurrently updated"): analyses the tables never analysed, and learns the others' sizes.
	 */
	async start(s: SqlSession): Promise<void> {
		for (const table of TABLES) {
			if ((await estimate(s, table)) < 0) await analyse(s, table);
			this.#analysed.set(table, Math.max(0, await estimate(s, table)));
			this.#inserted.set(table, 0);
		}
	}

	/** Counts inserted (or replaced) rows; queues an ANALYZE when enough have accumulated. */
	inserted(table: AnalysedTable, rows: number): void {
		const count = (this.#inserted.get(table) ?? 0) + rows;
		this.#inserted.set(table, count);
		const base = this.#analysed.get(table) ?? 0;
		if (count < Math.max(MIN_GROWTH, GROWTH_FRACTION * base) || this.#running.has(table)) return;
		this.#running.add(table);
		this.#inserted.set(table, 0);
		this.#driver
			.transaction(async (s) => {
				await analyse(s, table);
				this.#analysed.set(table, Math.max(0, await estimate(s, table)));
			})
			// Best effort: a failure (closed meanwhile; on PostgreSQL, a login role that does not own
			// the table, which ANALYZE skips with a warning) leaves the old statistics in place.
			.catch(() => undefined)
			.finally(() => this.#running.delete(table));
	}
}

async function estimate(s: SqlSession, table: AnalysedTable): Promise<number> {
	const [row] = await s.all<{ n: number | null }>(ESTIMATE_SQL, [table]);
	return Number(row?.n ?? -1);
}

function analyse(s: SqlSession, table: AnalysedTable): Promise<number> {
	// `table` is one of TABLES, never caller input.
	return s.run(`ANALYZE ${table}`);
}
