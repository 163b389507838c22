/**
 * PGlite as a `SerialConnection` (one connection, no pool), and its LISTEN as the PostgreSQL
 * family's `ChannelListener`. Types only: nothing here loads PGlite or any Node built-in.
 */
import type { PGliteInterface } from "@electric-sql/pglite";
import type { Row } from "../../core/sql/driver.js";
import type { SerialConnection, SerialDriver } from "../../core/sql/serial-driver.js";
import { type ChannelListener, NOTIFY_SQL } from "../postgres/postgres-notify.js";

/** PGlite's own class has `isInTransaction()`; other implementations (PGliteWorker) may not. */
type PGliteLike = PGliteInterface & { isInTransaction?: () => boolean };

/** May this role COPY from a server file (superusers are members of every role)? */
const COPY_ALLOWED = "SELECT pg_has_role('pg_read_server_files', 'MEMBER') AS ok";

export function pgliteConnection(pg: PGliteLike): SerialConnection {
	return {
		async all(sql, params) {
			return (await pg.query<Row>(sql, params as unknown[])).rows;
		},
		async run(sql, params) {
			return (await pg.query(sql, params as unknown[])).affectedRows ?? 0;
		},
		async exec(script) {
			await pg.exec(script);
		},
		async copyFrom(sql, chunks) {
			// PGlite reads COPY data from its `/dev/blob` device, a file to PostgreSQL: reading a
			// server file takes superuser or pg_read_server_files (else the caller writes otherwise).
			const [may] = (await pg.query<Row>(COPY_ALLOWED)).rows;
			if (may?.ok !== true) return false;
			const fromBlob = sql.replace(/ FROM STDIN /, " FROM '/dev/blob' ");
			if (fromBlob === sql) throw new Error("copyFrom: the statement must read FROM STDIN");
			await pg.query(fromBlob, [], { blob: new Blob([...chunks] as BlobPart[]) });
			return true;
		},
		async commit() {
			// COMMIT of an aborted transaction is not an error in PostgreSQL: it rolls back and
			// says so only in its command tag.
			return (await pg.query("COMMIT")).command !== "ROLLBACK";
		},
		inTransaction() {
			// PGlite answers from the backend's transaction block state (open or aborted). Without
			// it, say yes: ROLLBACK outside a transaction is only a warning in PostgreSQL.
			return typeof pg.isInTransaction === "function" ? pg.isInTransaction() : true;
		},
		async close() {
			await pg.close();
		},
	};
}

/**
 * LISTEN/NOTIFY on the one PGlite connection. LISTEN and NOTIFY go through the driver's queue, so
 * they never land inside (and share the fate of) another caller's open transaction.
 */
export function pgliteChannelListener(
	pg: PGliteInterface,
	driver: SerialDriver,
	channel: string,
): ChannelListener {
	let unlisten: (() => Promise<void>) | undefined;
	return {
		async start(onPayload) {
			unlisten = await driver.exclusive(() => pg.listen(channel, onPayload));
		},
		async notify(payload) {
			await driver.session.all(NOTIFY_SQL, [channel, payload]);
		},
		async stop() {
			const stop = unlisten;
			unlisten = undefined;
			if (stop && !pg.closed) await driver.exclusive(() => stop()).catch(() => undefined);
		},
	};
}

/** PGlite's file system layer (IndexedDB, OPFS, node): `syncToFs(false)` waits for the write. */
type WithFs = PGliteInterface & { fs?: { syncToFs(relaxedDurability?: boolean): Promise<void> } };

/**
 * Writes what PGlite holds in memory to its storage and waits for it, also under
 * `relaxedDurability` (where PGlite starts that write after a statement but does not wait).
 * An in-memory instance has nothing to write.
 */
export async function syncStorage(pg: PGliteInterface): Promise<void> {
	const fs = (pg as WithFs).fs;
	if (fs && typeof fs.syncToFs === "function") await fs.syncToFs(false);
}
