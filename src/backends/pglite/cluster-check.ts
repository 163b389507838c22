/**
 * Node only (package.json's `browser` field maps this file away, as dir-lock.ts): whether a data
 * directory holds a PostgreSQL cluster, for `migrate: false`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { NoSchemaError } from "../../core/errors.js";

/** Throws NoSchemaError when `dataDir` is absent or has no cluster (no PG_VERSION file). */
export function assertClusterDirectory(dataDir: string): void {
	if (!existsSync(join(dataDir, "PG_VERSION"))) {
		throw new NoSchemaError(
			`No database at ${dataDir}: it was opened with migrate: false, which never creates one.`,
		);
	}
}
