/**
 * `exportRecords` / `importRecords` of the remote adapter, over the service's portable endpoints
 * (src/service/portable-routes.ts). Export reads the NDJSON stream line by line as the service
 * writes it, so memory stays flat; an error the service hit mid-stream arrives as a last
 * `{"error":…}` line and is thrown as its typed error. Import sends one request per batch of
 * `batchSize` records (each committed on its own, as in process); with `atomic`, all of them
 * inside one remote transaction. Errors name the record's position in the whole import.
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import { ValidationError } from "../core/errors.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../core/portable-types.js";
import { DEDICATED_ROUTES } from "../service/api-table.js";
import { recordFromWire, recordToWire } from "../service/portable-wire.js";
import { decodeError } from "./decode-error.js";
import type { HttpClient } from "./http.js";
import { assertJsonFaithful } from "./json-safe.js";

const DEFAULT_BATCH_SIZE = 500;

export async function* exportOverHttp(
	http: HttpClient,
	headers: Record<string, string>,
): AsyncGenerator<PortableRecord> {
	const controller = new AbortController();
	const res = await http.send({
		method: "GET",
		path: DEDICATED_ROUTES.export.path,
		headers: { ...headers, accept: "application/x-ndjson" },
		timeoutMs: 0,
		signal: controller.signal,
	});
	let index = 0;
	try {
		for await (const line of lines(res)) {
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch (err) {
				throw new ValidationError(`export line ${index + 1}`, "not valid JSON", { cause: err });
			}
			if (value !== null && typeof value === "object" && "error" in value)
				throw decodeError(value, { status: 500, retryAfterMs: undefined });
			yield recordFromWire(value, index++);
		}
	} finally {
		controller.abort(); // the caller stopped early, or it failed: release the connection
	}
}

/** The lines of a streamed text body. */
async function* lines(res: Response): AsyncGenerator<string> {
	if (!res.body) return;
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffered = "";
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			buffered += value;
			let nl = buffered.indexOf("\n");
			while (nl >= 0) {
				const line = buffered.slice(0, nl);
				buffered = buffered.slice(nl + 1);
				if (line.trim() !== "") yield line;
				nl = buffered.indexOf("\n");
			}
		}
	} finally {
		reader.releaseLock();
	}
	if (buffered.trim() !== "") yield buffered;
}

interface RemoteTx extends DatabaseAdapter {
	headers(): Record<string, string>;
}

export async function importOverHttp(
	http: HttpClient,
	adapter: RemoteTx,
	records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
	options: ImportOptions,
): Promise<ImportSummary> {
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	if (!Number.isSafeInteger(batchSize) || batchSize < 1)
		throw new ValidationError("batchSize", `expected an integer of at least 1, got ${batchSize}`);
	if (options.atomic)
		return adapter.transaction((tx) =>
			sendBatches(http, (tx as RemoteTx).headers(), records, batchSize, options),
		);
	return sendBatches(http, adapter.headers(), records, batchSize, options);
}

async function sendBatches(
	http: HttpClient,
	headers: Record<string, string>,
	records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
	batchSize: number,
	options: ImportOptions,
): Promise<ImportSummary> {
	const summary: ImportSummary = {
		account: 0,
		room: 0,
		participant: 0,
		relationship: 0,
		goal: 0,
		log: 0,
		cache: 0,
		knowledge: 0,
		memory: 0,
	};
	let batch: unknown[] = [];
	let position = 0;
	let written = 0;
	const flush = async (): Promise<void> => {
		const first = position - batch.length;
		const records = batch;
		const size = batch.length;
		batch = [];
		let result: { result: ImportSummary };
		try {
			result = await http.json<{ result: ImportSummary }>({
				method: "POST",
				path: DEDICATED_ROUTES.import.path,
				body: { records, batchSize: size },
				headers,
			});
		} catch (err) {
			// The service numbers records within the request; the caller counts from the first.
			if (err instanceof Error)
				err.message = err.message.replace(
					/^record (\d+): /,
					(_m, n) => `record ${first + Number(n)}: `,
				);
			throw err;
		}
		for (const [kind, n] of Object.entries(result.result))
			summary[kind as keyof ImportSummary] += n;
		written += size;
		options.onProgress?.(written);
	};
	for await (const record of records) {
		position++;
		batch.push(toWire(record, position));
		if (batch.length >= batchSize) await flush();
	}
	if (batch.length > 0) await flush();
	return summary;
}

function toWire(record: PortableRecord, position: number): unknown {
	const path = `record ${position}`;
	if (record === null || typeof record !== "object")
		throw new ValidationError(path, "expected a record object");
	const { embedding, ...rest } = record as { embedding?: unknown };
	assertJsonFaithful(rest, path);
	if (embedding !== undefined && !(embedding instanceof Float32Array) && embedding !== null)
		assertJsonFaithful(embedding, `${path}.embedding`);
	return recordToWire(record);
}
