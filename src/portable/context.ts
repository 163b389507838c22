/** What the SQL adapter lends export and import: its family, settings and sessions. */
import { UnsupportedFeatureError } from "../core/errors.js";
import type { BulkMemories } from "../core/sql/bulk.js";
import type { SqlSession } from "../core/sql/driver.js";
import type { PortableStatements, SqlFamily } from "../core/sql/family.js";
import type { DatabaseSettings } from "../core/sql/migrate.js";
import type { MemoryEvent } from "../core/types.js";

export interface PortableContext {
	family: SqlFamily;
	settings: DatabaseSettings;
	/** Runs `fn` on the adapter's (or transaction's) session. */
	read<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
	/** Runs `fn` in a transaction; events passed to `publish` are dispatched after commit. */
	write<T>(fn: (s: SqlSession, publish: (event: MemoryEvent) => void) => Promise<T>): Promise<T>;
	isForeignKeyError(err: unknown): boolean;
	/** The backend's bulk path for memories (PostgreSQL's COPY), when this context may use it. */
	bulk?: BulkMemories;
}

export function statementsOf(family: SqlFamily): PortableStatements {
	if (!family.portable) {
		throw new UnsupportedFeatureError(`the ${family.name} family has no export/import statements`);
	}
	return family.portable;
}
