/**
 * Knowledge ids. Besides UUIDs, ElizaOS 0.1.9's RAG stores a file's chunks as `<file uuid>-chunk-<n>`
 * (`RAGKnowledgeManager.processFile`) and removes a changed file's chunks with
 * `removeKnowledge("<file uuid>-chunk-*")`. Both shapes are parsed here, strictly: the wildcard is
 * only ever a whole `-chunk-*` suffix, so no caller's text reaches SQL as a pattern.
 */
import { ValidationError } from "./errors.js";
import type { UUID } from "./types.js";
import { UUID_SOURCE as UUID_SRC } from "./uuid.js";
import { describe } from "./validation.js";

// n as ElizaOS writes it (`${index}`): decimal without leading zeros, and within a 32-bit column.
const KNOWLEDGE_ID_RE = new RegExp(`^${UUID_SRC}(?:-chunk-(?:0|[1-9][0-9]{0,8}))?$`, "i");
const CHUNKS_OF_RE = new RegExp(`^(${UUID_SRC})-chunk-\\*$`, "i");

/** The id of a stored knowledge item (a UUID or `<uuid>-chunk-<n>`), lower-cased. */
export function knowledgeId(value: unknown, field: string): UUID {
	if (typeof value !== "string" || !KNOWLEDGE_ID_RE.test(value)) {
		throw new ValidationError(
			field,
			`expected a UUID or an ElizaOS chunk id "<uuid>-chunk-<n>", got ${describe(value)}`,
		);
	}
	return value.toLowerCase() as UUID;
}

/** What `removeKnowledge` was asked to remove: one item, or every chunk of one file. */
export type KnowledgeRemoval = { kind: "item"; id: UUID } | { kind: "chunksOf"; fileId: UUID };

export function knowledgeRemoval(value: unknown, field: string): KnowledgeRemoval {
	const chunksOf = typeof value === "string" ? CHUNKS_OF_RE.exec(value) : null;
	if (chunksOf?.[1]) return { kind: "chunksOf", fileId: chunksOf[1].toLowerCase() as UUID };
	if (typeof value !== "string" || !KNOWLEDGE_ID_RE.test(value)) {
		throw new ValidationError(
			field,
			`expected a UUID, a chunk id "<uuid>-chunk-<n>" or a file's chunks "<uuid>-chunk-*", got ${describe(value)}`,
		);
	}
	return { kind: "item", id: value.toLowerCase() as UUID };
}

/** Whether a (valid) knowledge id is a plain UUID rather than a chunk id. */
export function isPlainUuid(id: string): boolean {
	return id.length === 36;
}

/**
 * The half-open range `[low, high)` of ids holding exactly `fileId`'s chunks under byte-wise
 * ordering ('.' follows '-'): an indexed range scan instead of a LIKE pattern.
 */
export function chunkIdRange(fileId: UUID): [low: string, high: string] {
	return [`${fileId}-chunk-`, `${fileId}-chunk.`];
}
