/** What the bench drives: agentmem backends, raw engine queries, the in-process scan, ElizaOS. */

import type { UUID } from "../../src/core/types.js";
import type { Workload } from "../workload.js";

export type ContenderKind = "agentmem" | "raw" | "scan" | "eliza";

export interface Contender {
	/** Stable id used in results and tables, e.g. `agentmem-sqlite`, `raw-pgvector`. */
	readonly name: string;
	readonly kind: ContenderKind;
	/** The engine it runs on: `sqlite`, `sqljs`, `pglite`, `postgres`, `memory`. */
	readonly engine: string;
	/** True when search is exact (brute force), so recall must be exactly 1. */
	readonly exact: boolean;
	/** How an approximate search finds candidates ("hnsw", "quantized"); reported beside recall. */
	readonly searchKind?: string;
	/** Opens a fresh, empty store (dropping what an earlier phase left). */
	open(): Promise<void>;
	/** Stores one row through the one-at-a-time path; absent when there is none. */
	insertOne?(row: number, unique: boolean): Promise<void>;
	/** Stores these rows through the contender's bulk path; absent when there is none. */
	insertBatch?(rows: number[]): Promise<void>;
	/** Ids of the k nearest rows, best first, among all rows or those of room `room`. */
	search(query: Float32Array, k: number, room: number | undefined): Promise<string[]>;
	/** Bytes the stored data takes (tables + indexes, or files); null when it lives in memory. */
	diskBytes(): Promise<number | null>;
	/**
	 * Waits for index work the store does in the background after a load; resolves to the ms it
	 * took from the first search, or null when there was none.
	 */
	settle?(): Promise<number | null>;
	/** HNSW only: sets `hnsw.ef_search` for the following searches. */
	setEfSearch?(ef: number): Promise<void>;
	close(): Promise<void>;
}

/** Builds a contender for a workload, or throws `Unavailable` saying why it cannot run here. */
export type ContenderFactory = (w: Workload, scratchDir: string) => Promise<Contender>;

/** The contender cannot run on this machine (missing backend, unreachable server, failed install). */
export class Unavailable extends Error {
	override readonly name = "Unavailable";
}

/** The text stored with row `row` (memories carry content; a few bytes, as chat messages do). */
export function rowText(row: number): string {
	return `benchmark memory number ${row}`;
}

/**
 * Row `row` as the memory agentmem stores for it, with `embedding` in the form the caller measures
 * (a number[] as ElizaOS passes it, or the workload's Float32Array for streamed bulk loads).
 */
export function rowMemory<E extends number[] | Float32Array>(
	w: Workload,
	row: number,
	embedding: E,
) {
	return {
		id: w.ids[row] as UUID,
		agentId: w.agentId as UUID,
		userId: w.userId as UUID,
		roomId: w.roomIds[w.roomOf[row] as number] as UUID,
		createdAt: 1_700_000_000_000 + row,
		content: { text: rowText(row) },
		embedding,
	};
}
