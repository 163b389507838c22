/**
 * PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK, not an error: the pool
 * driver must never report such a transaction as committed (issue 19 point 1).
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresPoolDriver } from "../../src/backends/postgres/postgres-driver.js";
import { postgresFailureClass } from "../../src/backends/postgres/postgres-errors.js";
import { DatabaseError } from "../../src/core/errors.js";
import { Resilience } from "../../src/core/resilience.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres commit");

describe.runIf(db)("PostgreSQL driver: COMMIT that rolled back", () => {
	const pool = new pg.Pool({ connectionString: db?.url, max: 2 });
	const driver = new PostgresPoolDriver(pool, {
		ownsPool: true,
		resilience: new Resilience({}, postgresFailureClass),
	});
	afterAll(() => driver.close());

	it("rejects with DatabaseError and keeps nothing", async () => {
		await driver.session.exec("CREATE TABLE commit_check (a int PRIMARY KEY)");
		const done = driver.transaction(async (s) => {
			await s.run("INSERT INTO commit_check VALUES (1)");
			await s.run("INSERT INTO commit_check VALUES (1)").catch(() => undefined); // aborts it
			return "ok";
		});
		await expect(done).rejects.toThrow(DatabaseError);
		await expect(done).rejects.toThrow(/rolled it back/);
		expect(await driver.session.all("SELECT count(*)::int AS n FROM commit_check")).toEqual([
			{ n: 0 },
		]);
	});
});
