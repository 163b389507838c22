/**
 * What a backend may add for bulk loads of memories (PostgreSQL: COPY, and the vector index built
 * after a large load instead of maintained row by row). `createMemories` and `importRecords` use
 * it when present and the session allows; otherwise the family's statements.
 */
import type { SqlSession } from "./driver.js";

/** One memory as the bulk path stores it (validated already). */
export interface BulkMemoryRow {
	id: string;
	type: string;
	roomId: string;
	agentId: string;
	userId: string;
	contentJson: string;
	vector: Float32Array | null;
	unique: boolean;
	createdAt: number;
}

/** What a bulk upsert did. */
export interface BulkResult {
	/** Ids written (inserted, or replaced with different values). */
	written: string[];
	/** The first id that belongs to a memory of another type (then nothing was written), or null. */
	clash: string | null;
}

export interface BulkMemories {
	/** True when `session` can bulk-load (e.g. it is a node-postgres transaction). */
	available(session: SqlSession): boolean;
	/**
	 * Upserts `rows` (no id twice) in the open transaction `session`. `skipIdentical` leaves rows
	 * stored with the same values untouched (a rerun of an import skips them). Throws the driver's
	 * error on a missing reference.
	 */
	upsert(
		session: SqlSession,
		rows: readonly BulkMemoryRow[],
		options: { skipIdentical: boolean },
	): Promise<BulkResult>;
	/** Drops the vector index when `incoming` rows make a rebuild cheaper; true when dropped. */
	deferIndex(session: SqlSession, dimension: number, incoming: number): Promise<boolean>;
	/** Builds the vector index when it is missing. */
	restoreIndex(session: SqlSession, dimension: number): Promise<void>;
}
