/** better-sqlite3's Database as a `SerialConnection`, with a cache of prepared statements. */
import type { Database, Statement } from "better-sqlite3";
import type { Row } from "../../core/sql/driver.js";
import type { SerialConnection } from "../../core/sql/serial-driver.js";

/**
 * The family's numbered parameters (`?1`) are named "1", "2"… to better-sqlite3, which binds them
 * from an object (so a statement must use every number up to its highest). It binds Buffer as a
 * BLOB but rejects a plain Uint8Array (what the family encodes).
 */
function bindable(params: readonly unknown[]): unknown[] {
	if (params.length === 0) return [];
	const named: Record<string, unknown> = {};
	params.forEach((p, i) => {
		named[i + 1] =
			p instanceof Uint8Array && !Buffer.isBuffer(p)
				? Buffer.from(p.buffer, p.byteOffset, p.byteLength)
				: p;
	});
	return [named];
}

export function betterSqliteConnection(db: Database): SerialConnection {
	const cache = new Map<string, Statement>();
	const prepared = (sql: string) => {
		let stmt = cache.get(sql);
		if (!stmt) {
			stmt = db.prepare(sql);
			cache.set(sql, stmt);
		}
		return stmt;
	};
	return {
		all(sql, params) {
			const stmt = prepared(sql);
			if (!stmt.reader) {
				stmt.run(...bindable(params));
				return [];
			}
			return stmt.all(...bindable(params)) as Row[];
		},
		run(sql, params) {
			return prepared(sql).run(...bindable(params)).changes;
		},
		exec(script) {
			db.exec(script);
		},
		inTransaction() {
			return db.inTransaction;
		},
		close() {
			cache.clear();
			db.close();
		},
	};
}
