/**
 * Which HNSW index the migration builds for a dimension (001_initial.sql); above 4000 dimensions
 * there is none and searches are exact scans.
 */

/** pgvector's HNSW limits: `vector` up to 2000 dimensions, `halfvec` up to 4000. */
export const VECTOR_INDEX_MAX_DIMENSION = 2000;
export const HALFVEC_INDEX_MAX_DIMENSION = 4000;
export type VectorIndexKind = "vector" | "halfvec" | "none";

/** Which index the migration built for this dimension (see 001_initial.sql). */
export function vectorIndexKind(dimension: number): VectorIndexKind {
	if (dimension <= VECTOR_INDEX_MAX_DIMENSION) return "vector";
	if (dimension <= HALFVEC_INDEX_MAX_DIMENSION) return "halfvec";
	return "none";
}
