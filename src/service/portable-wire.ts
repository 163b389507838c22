/**
 * Export and import over HTTP, as NDJSON (`application/x-ndjson`), defined once for the server and
 * the remote client:
 *
 * - `GET /v1/export`: one `PortableRecord` per line, in `exportRecords()` order (the `database`
 *   record first), each as `agentmem export` writes it (embeddings base64 of little-endian Float32,
 *   `null` when absent), then the line `{"end":true,"records":<n>}` (records after `database`), so
 *   a client can tell a complete stream from one cut off.
 * - `POST /v1/import?batchSize=<n>&atomic=<bool>`: a body of such record lines (a `database`
 *   record is optional, as for `importRecords`; no end line), imported with those options; the
 *   answer is `{"result": ImportSummary}`. The client sends one request per batch.
 */
import { ValidationError } from "../core/errors.js";
import type { PortableRecord } from "../core/portable-types.js";
import { describe } from "../core/validation.js";
import { decodeVector, encodeVector } from "./wire.js";

export const NDJSON = "application/x-ndjson";

export interface EndLine {
	end: true;
	records: number;
}

/** One record as a line (no newline). */
export function recordLine(record: PortableRecord): string {
	if ((record.kind === "memory" || record.kind === "knowledge") && record.embedding)
		return JSON.stringify({ ...record, embedding: encodeVector(record.embedding) });
	return JSON.stringify(record);
}

export function endLine(records: number): string {
	return JSON.stringify({ end: true, records } satisfies EndLine);
}

/**
 * A parsed line: a record (embeddings decoded), or the end line. `where` names the line in
 * errors (`line 3`).
 */
export function parseLine(text: string, where: string): PortableRecord | EndLine {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		throw new ValidationError(where, `not valid JSON (${(err as Error).message})`, { cause: err });
	}
	if (value === null || typeof value !== "object" || Array.isArray(value))
		throw new ValidationError(where, `expected a JSON object, got ${describe(value)}`);
	const obj = value as Record<string, unknown>;
	if (obj.end === true) return obj as unknown as EndLine;
	if ((obj.kind === "memory" || obj.kind === "knowledge") && typeof obj.embedding === "string")
		return {
			...obj,
			embedding: decodeVector(obj.embedding, `${where}: ${obj.kind}.embedding`),
		} as unknown as PortableRecord;
	return obj as unknown as PortableRecord;
}

/** The records of an import body (no end line expected; blank lines ignored). */
export function* parseImportBody(body: string): Generator<PortableRecord> {
	let lineNo = 0;
	for (const line of body.split("\n")) {
		lineNo++;
		if (line.trim() === "") continue;
		const parsed = parseLine(line, `line ${lineNo}`);
		if ("end" in parsed) continue;
		yield parsed;
	}
}

/** The export stream's lines, each ending in a newline, end line included. */
export async function* exportLines(records: AsyncIterable<PortableRecord>): AsyncGenerator<string> {
	let count = -1;
	for await (const record of records) {
		yield `${recordLine(record)}\n`;
		count++;
	}
	yield `${endLine(Math.max(count, 0))}\n`;
}
