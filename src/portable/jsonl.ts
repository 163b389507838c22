/**
 * The versioned JSONL export format (Node only). Line 1 is a header, then one record per line
 * (`kind` plus the record's fields, embeddings as base64 of little-endian Float32), then an end
 * line with the record count, so a file cut at a line boundary is recognised as truncated too:
 *
 *   {"format":"agentmem","version":1,"schemaVersion":1,"embeddingDimension":384,"embeddingModel":"…","createdAt":"…"}
 *   {"kind":"account","id":"…","name":"Alice",…}
 *   {"kind":"memory","id":"…","type":"messages",…,"embedding":"AACAPwAAAEA…"}
 *   {"end":true,"records":1234}
 *
 * Reading is streaming and strict: any malformed line is a `ValidationError` naming the line.
 */
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { ValidationError } from "../core/errors.js";
import type { PortableDatabase, PortableKind, PortableRecord } from "../core/portable-types.js";
import { describe } from "../core/validation.js";
import { checkPortableRecord } from "./check.js";

export const JSONL_FORMAT = "agentmem";
export const JSONL_VERSION = 1;

export interface JsonlHeader {
	format: typeof JSONL_FORMAT;
	version: typeof JSONL_VERSION;
	schemaVersion: number;
	embeddingDimension: number;
	embeddingModel: string | null;
	/** ISO 8601 time of the export. */
	createdAt: string;
}

/** Records of each kind in a file (the `database` header is not counted). */
export type JsonlCounts = Partial<Record<PortableKind, number>>;

/**
 * Writes an export: `records` must start with the `database` record (as `exportRecords()` does).
 * Honours back-pressure. Resolves to the number of records written after the header.
 */
export async function writeJsonl(
	records: AsyncIterable<PortableRecord>,
	out: Writable,
	now: Date = new Date(),
): Promise<number> {
	let count = -1;
	const write = async (value: unknown): Promise<void> => {
		if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, "drain");
	};
	for await (const record of records) {
		if (count === -1) {
			if (record.kind !== "database")
				throw new ValidationError("records", "an export starts with the database record");
			const header: JsonlHeader = {
				format: JSONL_FORMAT,
				version: JSONL_VERSION,
				schemaVersion: record.schemaVersion,
				embeddingDimension: record.embeddingDimension,
				embeddingModel: record.embeddingModel,
				createdAt: now.toISOString(),
			};
			await write(header);
		} else {
			await write(encode(record));
		}
		count++;
	}
	if (count === -1)
		throw new ValidationError("records", "an export starts with the database record");
	await write({ end: true, records: count });
	return count;
}

function encode(record: PortableRecord): unknown {
	if ((record.kind === "memory" || record.kind === "knowledge") && record.embedding) {
		const e = record.embedding;
		return {
			...record,
			embedding: Buffer.from(e.buffer, e.byteOffset, e.byteLength).toString("base64"),
		};
	}
	return record;
}

/**
 * The records of an export file: the header as a `database` record, then every record, each
 * checked for shape (kind, ids, embedding length against the header). Throws a `ValidationError`
 * naming the file and line for a malformed, truncated or foreign file.
 */
export async function* readJsonl(path: string): AsyncGenerator<PortableRecord> {
	const lines = createInterface({
		input: createReadStream(path),
		crlfDelay: Number.POSITIVE_INFINITY,
	});
	let lineNo = 0;
	let header: PortableDatabase | undefined;
	let count = 0;
	let ended = false;
	const fail = (message: string, cause?: unknown): never => {
		throw new ValidationError(`${path}:${lineNo}`, message, { cause });
	};
	for await (const line of lines) {
		lineNo++;
		if (ended) fail("there is data after the end line");
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (err) {
			fail(`not valid JSON (${(err as Error).message}); the file is corrupted or was cut off`, err);
		}
		if (value === null || typeof value !== "object" || Array.isArray(value)) {
			fail(`expected a JSON object, got ${describe(value)}`);
		}
		const obj = value as Record<string, unknown>;
		if (!header) {
			header = parseHeader(obj, fail);
			yield header;
			continue;
		}
		if (obj.end === true) {
			if (obj.records !== count)
				fail(`the end line counts ${String(obj.records)} records, but ${count} were read`);
			ended = true;
			continue;
		}
		const record = decode(obj, fail);
		try {
			checkPortableRecord(record, header.embeddingDimension, header.embeddingModel);
		} catch (err) {
			fail((err as Error).message, err);
		}
		count++;
		yield record;
	}
	if (!header) throw new ValidationError(path, "the file is empty: it is not an agentmem export");
	if (!ended) {
		throw new ValidationError(
			`${path}:${lineNo}`,
			`the file ends after line ${lineNo} without its end line: it was truncated (export it again)`,
		);
	}
}

function parseHeader(obj: Record<string, unknown>, fail: (m: string) => never): PortableDatabase {
	if (obj.format !== JSONL_FORMAT) {
		fail(
			`not an agentmem export: the first line has format ${describe(obj.format)}, expected "${JSONL_FORMAT}"`,
		);
	}
	if (obj.version !== JSONL_VERSION) {
		fail(
			`export format version ${describe(obj.version)} is not supported; this agentmem reads version ${JSONL_VERSION}`,
		);
	}
	const record = {
		kind: "database",
		schemaVersion: obj.schemaVersion,
		embeddingDimension: obj.embeddingDimension,
		embeddingModel: obj.embeddingModel ?? null,
	} as PortableDatabase;
	try {
		checkPortableRecord(record, record.embeddingDimension, record.embeddingModel);
	} catch (err) {
		fail(`bad header: ${(err as Error).message}`);
	}
	return record;
}

function decode(obj: Record<string, unknown>, fail: (m: string) => never): PortableRecord {
	if ((obj.kind === "memory" || obj.kind === "knowledge") && obj.embedding !== null) {
		if (typeof obj.embedding !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(obj.embedding)) {
			fail(`${obj.kind}.embedding: expected null or base64 text, got ${describe(obj.embedding)}`);
		}
		const bytes = Buffer.from(obj.embedding as string, "base64");
		if (bytes.byteLength % 4 !== 0)
			fail(
				`${obj.kind}.embedding: ${bytes.byteLength} bytes is not a whole number of Float32 values`,
			);
		const copy = new Uint8Array(bytes.byteLength);
		copy.set(bytes);
		return { ...obj, embedding: new Float32Array(copy.buffer) } as unknown as PortableRecord;
	}
	return obj as unknown as PortableRecord;
}

/**
 * Reads a whole export once without writing anything, so an import can refuse a bad file before
 * touching the target. Resolves to the header and the count of each kind.
 */
export async function checkJsonl(
	path: string,
): Promise<{ header: PortableDatabase; counts: JsonlCounts }> {
	const counts: JsonlCounts = {};
	let header: PortableDatabase | undefined;
	for await (const record of readJsonl(path)) {
		if (record.kind === "database") header = record;
		else counts[record.kind] = (counts[record.kind] ?? 0) + 1;
	}
	return { header: header as PortableDatabase, counts };
}
