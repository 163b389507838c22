/**
 * A portable record as it travels over HTTP (export lines, import batches): its embedding (memory,
 * knowledge) as base64 Float32 (wire.ts). Free of Node imports: the remote client uses it too.
 */
import type { PortableRecord } from "../core/portable-types.js";
import { decodeVector, encodeVector } from "./wire.js";

/** A record as it travels: its embedding (memory, knowledge) as base64 text. */
export function recordToWire(record: PortableRecord): unknown {
	const e = (record as { embedding?: Float32Array | null }).embedding;
	return e instanceof Float32Array ? { ...record, embedding: encodeVector(e) } : record;
}

export function recordFromWire(value: unknown, index: number): PortableRecord {
	const r = value as { kind?: unknown; embedding?: unknown };
	if ((r?.kind === "memory" || r?.kind === "knowledge") && typeof r.embedding === "string")
		return {
			...r,
			embedding: decodeVector(r.embedding, `records[${index}].embedding`),
		} as PortableRecord;
	return value as PortableRecord;
}
