/**
 * A transaction's `tx` and an `asUser` view are the backend's own adapter class over a bound
 * context: every public member a backend adds (persistent, export, compact, pool, circuitState,
 * serverInfo) works there too, or refuses with a typed error where it needs the connection the
 * open transaction holds. (They once were prototype children that could not reach `#private`
 * fields: `tx.persistent` on PGlite and `tx.export()` on SQL.js threw TypeError.)
 */
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { ValidationError } from "../../src/core/errors.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const DIM = 3;

/** Runs `fn` with `tx` as the adapter's own class (the test fails if it is not). */
function inTransaction<A extends DatabaseAdapter, T>(
	adapter: A,
	kind: abstract new (...args: never[]) => A,
	fn: (tx: A) => Promise<T>,
): Promise<T> {
	return adapter.transaction(async (tx) => {
		expect(tx).toBeInstanceOf(kind);
		return fn(tx as A);
	});
}

describe("transaction views are the backend's own adapter", () => {
	it("SQL.js: tx.export() refuses with ValidationError (it would end the transaction); the capabilities and writes work", async () => {
		const adapter = new SqlJsDatabaseAdapter({ embeddingDimension: DIM });
		await adapter.init();
		try {
			await inTransaction(adapter, SqlJsDatabaseAdapter, async (tx) => {
				await expect(tx.export()).rejects.toBeInstanceOf(ValidationError);
				expect(tx.capabilities.backend).toBe("sqljs");
				expect(tx.embeddingDimension).toBe(DIM);
				await tx.createRoom();
				// Nested: a savepoint view is the same class.
				await inTransaction(tx, SqlJsDatabaseAdapter, async (inner) => {
					await expect(inner.export()).rejects.toBeInstanceOf(ValidationError);
				});
			});
			const copy = new SqlJsDatabaseAdapter({ bytes: await adapter.export() });
			await copy.init();
			expect((await copy.stats()).rooms).toBe(1);
			await copy.close();
		} finally {
			await adapter.close();
		}
	});

	it("SQLite: compact and rebuildVectorIndex refuse on tx with ValidationError, work on the adapter", async () => {
		const adapter = new SqliteDatabaseAdapter({ path: ":memory:", embeddingDimension: DIM });
		await adapter.init();
		try {
			await inTransaction(adapter, SqliteDatabaseAdapter, async (tx) => {
				await expect(tx.compact()).rejects.toBeInstanceOf(ValidationError);
				await expect(tx.rebuildVectorIndex()).rejects.toBeInstanceOf(ValidationError);
				expect(tx.capabilities.vectorSearch).toBe(adapter.capabilities.vectorSearch);
				await tx.createRoom();
			});
			await adapter.rebuildVectorIndex();
			await adapter.compact();
			expect((await adapter.stats()).rooms).toBe(1);
		} finally {
			await adapter.close();
		}
	});

	it("PGlite: tx.persistent and the capabilities read as on the adapter", async () => {
		const adapter = new PGliteDatabaseAdapter({ embeddingDimension: DIM });
		await adapter.init();
		try {
			await inTransaction(adapter, PGliteDatabaseAdapter, async (tx) => {
				expect(tx.persistent).toBe(false);
				expect(tx.capabilities).toEqual(adapter.capabilities);
				await expect(tx.subscribe({}, () => {})).rejects.toBeInstanceOf(ValidationError);
				await tx.createRoom();
			});
			expect(adapter.persistent).toBe(false);
			expect((await adapter.stats()).rooms).toBe(1);
		} finally {
			await adapter.close();
		}
	});
});

const db = await setupTestDatabase("postgres transaction and asUser views");
describe.skipIf(!db)("PostgreSQL: pool, circuitState and serverInfo on tx and asUser views", () => {
	it("reads the adapter's pool, breaker state and server info on tx, on an asUser view and on its tx", async () => {
		if (!db) return;
		const adapter = await db.adapter({ rowLevelSecurity: true, embeddingDimension: DIM });
		try {
			const check = (a: PostgresDatabaseAdapter) => {
				expect(a.pool).toBe(adapter.pool);
				expect(a.circuitState).toBe("closed");
				expect(a.serverInfo).toEqual(adapter.serverInfo);
				expect(a.capabilities).toEqual(adapter.capabilities);
			};
			await inTransaction(adapter, PostgresDatabaseAdapter, async (tx) => {
				check(tx);
				// A view is derived outside a transaction only.
				expect(() => tx.asUser({ role: "service_role" })).toThrow(ValidationError);
				await tx.createRoom();
			});
			const view = adapter.asUser({ role: "service_role" });
			expect(view).toBeInstanceOf(PostgresDatabaseAdapter);
			check(view);
			await inTransaction(view, PostgresDatabaseAdapter, async (tx) => {
				check(tx);
				await tx.createRoom();
			});
			expect((await view.stats()).rooms).toBe(2);
			// Closing the view retires it (and its transactions), not the adapter.
			await view.close();
			await expect(view.stats()).rejects.toMatchObject({ code: "CLOSED" });
			expect((await adapter.stats()).rooms).toBe(2);
		} finally {
			await adapter.close();
		}
	});
});
