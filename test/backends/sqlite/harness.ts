/** Temporary database files and adapters for the SQLite tests, cleaned up by the test file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";
import {
	type SqliteAdapterOptions,
	SqliteDatabaseAdapter,
} from "../../../src/backends/sqlite/index.js";

/** A fresh directory for this test file; `file()` names a new database path inside it. */
export function tempFiles(prefix: string): { dir: string; file(name?: string): string } {
	const dir = mkdtempSync(join(tmpdir(), `agentmem-${prefix}-`));
	let n = 0;
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	return { dir, file: (name) => join(dir, name ?? `db-${++n}.db`) };
}

/** Opens (and initialises) adapters with `defaults`; whatever a test leaves open is closed after it. */
export function adapterOpener(
	defaults: SqliteAdapterOptions = {},
): (options: SqliteAdapterOptions) => Promise<SqliteDatabaseAdapter> {
	const open: SqliteDatabaseAdapter[] = [];
	afterEach(async () => {
		for (const a of open.splice(0)) await a.close();
	});
	return async (options) => {
		const adapter = new SqliteDatabaseAdapter({ ...defaults, ...options });
		open.push(adapter);
		await adapter.init();
		return adapter;
	};
}
