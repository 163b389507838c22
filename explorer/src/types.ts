/** Shapes the explorer reads from the service (the library's own types, and the explorer routes'). */
import type { AdapterStats, Memory, UUID } from "../../src/core/types.js";

export type { AdapterStats, Memory, UUID };

/** A memory together with its type (the service's calls take the type as `tableName`). */
export interface TypedMemory extends Memory {
	tableName: string;
}

export type { RoomSummary } from "../../src/core/lifecycle-types.js";

/** The map's points: metadata per point and the embeddings, row-major float32. */
export interface MapData {
	ids: string[];
	rooms: string[];
	types: string[];
	/** Who said each: the content's `name` when it has one, else the user id. */
	speakers: string[];
	texts: string[];
	createdAt: number[];
	dimension: number;
	vectors: Float32Array;
	/** True when the set was cut at the limit asked for. */
	truncated: boolean;
}
