/**
 * PostgreSQL's binary COPY format for memories rows (the staging table of postgres-bulk.ts): the
 * server reads each field with its type's receive function, so 384 floats cost a memcpy instead of
 * 384 float parses from text (which was half of a 100,000-row load's COPY time). Layout: the
 * PGCOPY signature, flags and header extension; per row the field count, then each field's byte
 * length (-1 for NULL) and bytes, all big-endian; a -1 field count ends the stream.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 * Plain Uint8Array and DataView, no Buffer: this module is part of the PGlite bundle for browsers.
 */
import type { BulkMemoryRow } from "../../core/sql/bulk.js";
import { hexBytes } from "./hex.js";

/** "PGCOPY\n\xff\r\n\0", then the flags and header-extension length (zero). */
export const COPY_HEADER = Uint8Array.from([
	0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** A field count of -1. */
export const COPY_TRAILER = Uint8Array.from([0xff, 0xff]);
/** The staging table's columns, in COPY order (postgres-bulk.ts COPY_STAGING lists the same). */
const FIELDS = 9;
/** Rows per chunk handed to the stream (bounded memory). */
const CHUNK_ROWS = 500;
const utf8 = new TextEncoder();

/** Bytes of one row. */
function rowSize(type: Uint8Array, content: Uint8Array, dims: number): number {
	const uuids = 4 * (4 + 16);
	const vector = 4 + (dims < 0 ? 0 : 4 + 4 * dims);
	// field count, uuids, type, content (jsonb's version byte), embedding, boolean, bigint
	return 2 + uuids + 4 + type.length + 4 + 1 + content.length + vector + 4 + 1 + 4 + 8;
}

/** Writes big-endian fields into one row's bytes (browser-safe: no Buffer). */
export class RowWriter {
	readonly bytes: Uint8Array;
	readonly #view: DataView;
	#at = 0;
	constructor(size: number) {
		this.bytes = new Uint8Array(size);
		this.#view = new DataView(this.bytes.buffer);
	}
	int16(v: number): void {
		this.#view.setInt16(this.#at, v);
		this.#at += 2;
	}
	int32(v: number): void {
		this.#view.setInt32(this.#at, v);
		this.#at += 4;
	}
	uuid(id: string): void {
		this.int32(16);
		this.raw(hexBytes(id.replace(/-/g, "")));
	}
	raw(b: Uint8Array): void {
		this.bytes.set(b, this.#at);
		this.#at += b.length;
	}
	byte(v: number): void {
		this.bytes[this.#at++] = v;
	}
	float32(v: number): void {
		this.#view.setFloat32(this.#at, v);
		this.#at += 4;
	}
	int64(v: number): void {
		this.#view.setBigInt64(this.#at, BigInt(v));
		this.#at += 8;
	}
}

function writeRow(r: BulkMemoryRow): Uint8Array {
	const type = utf8.encode(r.type);
	const content = utf8.encode(r.contentJson);
	const w = new RowWriter(rowSize(type, content, r.vector ? r.vector.length : -1));
	w.int16(FIELDS);
	w.uuid(r.id);
	w.int32(type.length);
	w.raw(type);
	w.uuid(r.roomId);
	w.uuid(r.agentId);
	w.uuid(r.userId);
	// jsonb's binary form: a version byte (1), then the JSON text.
	w.int32(content.length + 1);
	w.byte(1);
	w.raw(content);
	if (r.vector) {
		// pgvector's vector_recv: dimensions (int16), an unused int16, then float4s.
		w.int32(4 + 4 * r.vector.length);
		w.int16(r.vector.length);
		w.int16(0);
		for (const x of r.vector) w.float32(x);
	} else {
		w.int32(-1);
	}
	w.int32(1);
	w.byte(r.unique ? 1 : 0);
	w.int32(8);
	w.int64(r.createdAt);
	return w.bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** The COPY … (FORMAT binary) data for `rows`, a chunk at a time. */
export function* binaryCopyChunks(rows: readonly BulkMemoryRow[]): Generator<Uint8Array> {
	yield COPY_HEADER;
	for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
		yield concat(rows.slice(i, i + CHUNK_ROWS).map(writeRow));
	}
	yield COPY_TRAILER;
}
