/**
 * Import's bulk path for memories (where the backend has one: PostgreSQL's COPY). A batch's
 * memories are written after its other records (which they may name), in one COPY and one
 * INSERT … SELECT; rows already stored with the same values are skipped, so rerunning an import
 * that stopped half-way writes only what is missing. The vector index is dropped once the import
 * has written at least as many memories as the table held (or at once into an empty table), and
 * built when the import ends, whether it succeeded or not; a crash in between leaves it to the
 * next open (postgres-backend.ts `ensureVectorIndexes`).
 */
import { ValidationError } from "../core/errors.js";
import type { BulkMemories } from "../core/sql/bulk.js";
import type { SqlSession } from "../core/sql/driver.js";
import { bulkRow } from "../core/sql/memories-bulk.js";
import type { CheckedRecord } from "./check.js";

type CheckedMemory = Extract<CheckedRecord, { kind: "memory" }>;

/** Thrown when COPY met a missing reference: the batch is redone row by row to name the record. */
export class MissingReferenceInBulk extends Error {
	/** Also when the session wrapped it (as the cause of a driver error). */
	static is(err: unknown): boolean {
		return (
			err instanceof MissingReferenceInBulk ||
			(err as Error)?.cause instanceof MissingReferenceInBulk
		);
	}
}

/** The bulk state of one import. */
export class BulkImport {
	readonly #bulk: BulkMemories;
	readonly #dimension: number;
	#written = 0;
	/** The next count of written memories at which dropping the index is considered. */
	#nextCheck = 0;
	#deferred = false;
	/** Set when a batch must go row by row (a missing reference to report). */
	disabled = false;

	constructor(bulk: BulkMemories, dimension: number) {
		this.#bulk = bulk;
		this.#dimension = dimension;
	}

	/** True when this batch's memories go through COPY (no id twice, a session that can COPY). */
	usable(session: SqlSession, memories: CheckedMemory[]): boolean {
		if (this.disabled || memories.length === 0 || !this.#bulk.available(session)) return false;
		return new Set(memories.map((m) => m.item.id)).size === memories.length;
	}

	/** Writes the batch's memories in the open transaction; returns those written (not skipped). */
	async write(
		session: SqlSession,
		memories: CheckedMemory[],
		isForeignKeyError: (err: unknown) => boolean,
	): Promise<CheckedMemory[]> {
		const incoming = this.#written + memories.length;
		if (!this.#deferred && incoming >= this.#nextCheck) {
			this.#deferred = await this.#bulk.deferIndex(session, this.#dimension, incoming);
			// A bounded count each time, at doubling sizes: O(rows) over the whole import.
			this.#nextCheck = Math.max(1000, incoming * 2);
		}
		const rows = memories.map((m) => bulkRow(m.item, m.unique));
		let result: Awaited<ReturnType<BulkMemories["upsert"]>>;
		try {
			result = await this.#bulk.upsert(session, rows, { skipIdentical: true });
		} catch (err) {
			if (isForeignKeyError(err)) throw new MissingReferenceInBulk("missing reference");
			throw err;
		}
		if (result.clash) {
			const type = memories.find((m) => m.item.id === result.clash)?.item.tableName;
			throw new ValidationError(
				"memory.id",
				`${result.clash} already belongs to a memory of another type than "${type}"`,
			);
		}
		const written = new Set(result.written);
		return memories.filter((m) => written.has(m.item.id));
	}

	/** Counts a committed batch. */
	committed(count: number): void {
		this.#written += count;
	}

	/** Builds the index if this import dropped it (run in its own transaction). */
	async finish(run: (fn: (s: SqlSession) => Promise<void>) => Promise<void>): Promise<void> {
		if (!this.#deferred) return;
		await run((s) => this.#bulk.restoreIndex(s, this.#dimension));
		this.#deferred = false;
	}
}
