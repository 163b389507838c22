/**
 * One PGlite instance per test file (starting one takes seconds), given to each adapter as its
 * caller-owned `pglite` with a fresh schema: the previous adapter's schema is dropped and the
 * search path moved to a new one, so every adapter starts empty. The extensions live in `public`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll } from "vitest";
import {
	type PGliteAdapterOptions,
	PGliteDatabaseAdapter,
} from "../../../src/backends/pglite/index.js";

export const EXTENSIONS = { vector, fuzzystrmatch };
const SCHEMA = "agentmem_test";

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), `agentmem-${prefix}-`));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

export interface SharedPGlite {
	/** The instance (created at the first call). */
	pglite(): Promise<PGlite>;
	/** A fresh, initialised adapter on the instance, in an empty schema. */
	adapter(
		options?: Omit<PGliteAdapterOptions, "pglite" | "dataDir">,
	): Promise<PGliteDatabaseAdapter>;
}

/** The file's shared instance: in memory, or in `dataDir`. Closed after the file's tests. */
export function sharedPGlite(dataDir?: string): SharedPGlite {
	let instance: Promise<PGlite> | undefined;
	const pglite = () => {
		instance ??= (async () => {
			const pg = await PGlite.create({ dataDir, extensions: EXTENSIONS });
			await pg.exec(
				"CREATE EXTENSION IF NOT EXISTS vector SCHEMA public; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public",
			);
			return pg;
		})();
		return instance;
	};
	afterAll(async () => {
		if (instance) await (await instance).close();
	});
	return {
		pglite,
		async adapter(options = {}) {
			const pg = await pglite();
			await pg.exec(
				`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path TO ${SCHEMA}, public`,
			);
			const adapter = new PGliteDatabaseAdapter({ ...options, pglite: pg });
			await adapter.init();
			return adapter;
		},
	};
}
