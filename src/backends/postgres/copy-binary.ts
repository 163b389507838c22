/**
 * PostgreSQL's binary COPY format for memories rows (the staging table of postgres-bulk.ts): the
 * server reads each field with its type's receive function, so 384 floats cost a memcpy instead of
 * 384 float parses from text (which was half of a 100,000-row load's COPY time). Layout: the
 * PGCOPY signature, flags and header extension; per row the field count, then each field's byte
 * length (-1 for NULL) and bytes, all big-endian; a -1 field count ends the stream.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
import type { BulkMemoryRow } from "../../core/sql/bulk.js";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** The staging table's columns, in COPY order (postgres-bulk.ts COPY_STAGING lists the same). */
const FIELDS = 9;
/** Rows per chunk handed to the stream (bounded memory). */
const CHUNK_ROWS = 500;

/** Bytes of one row: the fixed fields plus the two variable ones and the embedding. */
function rowSize(type: Buffer, content: Buffer, dims: number): number {
	// field count; 3 uuids; type; content (jsonb version byte); embedding; boolean; bigint
	return (
		2 +
		4 +
		16 +
		4 +
		type.length +
		3 * (4 + 16) +
		4 +
		1 +
		content.length +
		4 +
		(dims < 0 ? 0 : 4 + 4 * dims) +
		4 +
		1 +
		4 +
		8
	);
}

function writeUuid(buf: Buffer, at: number, uuid: string): number {
	at = buf.writeInt32BE(16, at);
	const hex = uuid.replace(/-/g, "");
	return at + buf.write(hex, at, 16, "hex");
}

function writeRow(r: BulkMemoryRow): Buffer {
	const type = Buffer.from(r.type, "utf8");
	const content = Buffer.from(r.contentJson, "utf8");
	const dims = r.vector ? r.vector.length : -1;
	const buf = Buffer.allocUnsafe(rowSize(type, content, dims));
	let at = buf.writeInt16BE(FIELDS, 0);
	at = writeUuid(buf, at, r.id);
	at = buf.writeInt32BE(type.length, at);
	at += type.copy(buf, at);
	at = writeUuid(buf, at, r.roomId);
	at = writeUuid(buf, at, r.agentId);
	at = writeUuid(buf, at, r.userId);
	// jsonb's binary form: a version byte (1), then the JSON text.
	at = buf.writeInt32BE(content.length + 1, at);
	at = buf.writeUInt8(1, at);
	at += content.copy(buf, at);
	if (r.vector) {
		// pgvector's vector_recv: dimensions (int16), an unused int16, then float4s.
		at = buf.writeInt32BE(4 + 4 * r.vector.length, at);
		at = buf.writeInt16BE(r.vector.length, at);
		at = buf.writeInt16BE(0, at);
		for (const x of r.vector) at = buf.writeFloatBE(x, at);
	} else {
		at = buf.writeInt32BE(-1, at);
	}
	at = buf.writeInt32BE(1, at);
	at = buf.writeUInt8(r.unique ? 1 : 0, at);
	at = buf.writeInt32BE(8, at);
	buf.writeBigInt64BE(BigInt(r.createdAt), at);
	return buf;
}

/** The COPY … (FORMAT binary) data for `rows`, a chunk at a time. */
export function* binaryCopyChunks(rows: readonly BulkMemoryRow[]): Generator<Buffer> {
	const header = Buffer.alloc(SIGNATURE.length + 8);
	SIGNATURE.copy(header, 0);
	yield header; // flags and header-extension length: zero
	for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
		yield Buffer.concat(rows.slice(i, i + CHUNK_ROWS).map(writeRow));
	}
	const trailer = Buffer.alloc(2);
	trailer.writeInt16BE(-1, 0);
	yield trailer;
}
