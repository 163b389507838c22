/**
 * PGlite turns COMMIT of an aborted transaction into ROLLBACK without an error: the driver must
 * never report such a transaction as committed (issue 19 point 1).
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { pgliteConnection } from "../../src/backends/pglite/pglite-connection.js";
import {
	postgresConstraintOf,
	wrapPostgresError,
} from "../../src/backends/postgres/postgres-errors.js";
import { DatabaseError } from "../../src/core/errors.js";
import { SerialDriver } from "../../src/core/sql/serial-driver.js";

const pg = await PGlite.create();
await pg.exec("CREATE TABLE t (a int PRIMARY KEY)");
const driver = new SerialDriver(pgliteConnection(pg), {
	ownsConnection: true,
	wrapError: wrapPostgresError,
	constraintOf: postgresConstraintOf,
});
afterAll(() => driver.close());

it("a transaction whose COMMIT rolled back rejects with DatabaseError and keeps nothing", async () => {
	const done = driver.transaction(async (s) => {
		await s.run("INSERT INTO t VALUES (1)");
		await s.run("INSERT INTO t VALUES (1)").catch(() => undefined); // aborts the transaction
		return "ok";
	});
	await expect(done).rejects.toThrow(DatabaseError);
	await expect(done).rejects.toThrow(/rolled back/);
	expect(await driver.session.all("SELECT count(*)::int AS n FROM t")).toEqual([{ n: 0 }]);
});

it("a transaction that commits resolves to fn's result", async () => {
	await expect(
		driver.transaction((s) => s.run("INSERT INTO t VALUES (2)").then(() => "ok")),
	).resolves.toBe("ok");
	expect(await driver.session.all("SELECT a FROM t")).toEqual([{ a: 2 }]);
});
