/** sql.js's Database as a `SerialConnection`, with a cache of prepared statements. */
import type { Database, SqlValue, Statement } from "sql.js";
import type { Row } from "../../core/sql/driver.js";
import type { SerialConnection } from "../../core/sql/serial-driver.js";

export function sqlJsConnection(db: Database): SerialConnection & { clearStatements(): void } {
	const cache = new Map<string, Statement>();
	const prepared = (sql: string, params: readonly unknown[]) => {
		let stmt = cache.get(sql);
		if (!stmt) {
			stmt = db.prepare(sql);
			cache.set(sql, stmt);
		}
		stmt.bind(params as SqlValue[]);
		return stmt;
	};
	const clearStatements = () => {
		for (const stmt of cache.values()) stmt.free();
		cache.clear();
	};
	return {
		all(sql, params) {
			const stmt = prepared(sql, params);
			const out: Row[] = [];
			try {
				while (stmt.step()) out.push(stmt.getAsObject() as Row);
			} finally {
				stmt.reset();
			}
			return out;
		},
		run(sql, params) {
			const stmt = prepared(sql, params);
			try {
				stmt.step();
			} finally {
				stmt.reset();
			}
			return db.getRowsModified();
		},
		exec(script) {
			db.exec(script);
		},
		inTransaction() {
			return isOpenTransaction(db);
		},
		clearStatements,
		close() {
			clearStatements();
			db.close();
		},
	};
}

/** True while BEGIN is in effect: `BEGIN` fails inside a transaction. */
function isOpenTransaction(db: Database): boolean {
	try {
		db.exec("BEGIN");
	} catch {
		return true;
	}
	db.exec("ROLLBACK");
	return false;
}
