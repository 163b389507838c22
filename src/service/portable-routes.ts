/**
 * Export and import over HTTP, for `agentmem copy --to http://…` and backups through the service.
 * Both carry portable records (src/core/portable-types.ts) as JSON with embeddings as base64
 * Float32 (wire.ts), the `database` record first:
 * - `GET /v1/export`: NDJSON, one record a line, read page by page (memory stays flat).
 * - `POST /v1/import`: `{"records":[…],"atomic"?:bool,"batchSize"?:int}`, resolves to the
 *   ImportSummary. A large import is several requests (bodies are capped), each a batch starting
 *   with the `database` record, so each is checked against this database's dimension and model.
 */
import { once } from "node:events";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DatabaseAdapter } from "../core/adapter.js";
import { DEDICATED_ROUTES } from "./api-table.js";
import { describeError } from "./errors.js";
import { recordFromWire, recordToWire } from "./portable-wire.js";
import { BOOLEAN, ERROR_OUT, MAX_ITEMS, NUMBER, object } from "./schemas.js";

export function registerPortableRoutes(
	app: FastifyInstance,
	targetOf: (req: FastifyRequest) => DatabaseAdapter,
): void {
	app.get(
		DEDICATED_ROUTES.export.path,
		{
			schema: {
				summary: "Every record of the database as NDJSON (the database record first).",
				tags: ["portable"],
				operationId: "exportRecords",
			},
		},
		async (req, reply) => {
			const target = targetOf(req);
			const records = target.exportRecords()[Symbol.asyncIterator]();
			// The first record before the head, so an error is still a JSON error response.
			const first = await records.next();
			reply.hijack();
			const out = reply.raw;
			out.writeHead(200, { "content-type": "application/x-ndjson" });
			try {
				for (let r = first; !r.done; r = await records.next()) {
					if (out.destroyed) break;
					if (!out.write(`${JSON.stringify(recordToWire(r.value))}\n`)) await once(out, "drain");
				}
			} catch (err) {
				// Headers are gone: the error is the last line, so a reader never takes a cut export for whole.
				out.write(`${JSON.stringify(describeError(err).body)}\n`);
			} finally {
				await records.return?.();
				out.end();
			}
		},
	);
	app.post(
		DEDICATED_ROUTES.import.path,
		{
			schema: {
				summary: "Writes portable records (a batch starting with the database record).",
				tags: ["portable"],
				operationId: "importRecords",
				body: object(
					{
						records: { type: "array", items: { type: "object" }, maxItems: MAX_ITEMS },
						atomic: BOOLEAN,
						batchSize: NUMBER,
					},
					["records"],
				),
				response: {
					200: object({ result: { type: "object", additionalProperties: NUMBER } }),
					"4xx": ERROR_OUT,
					"5xx": ERROR_OUT,
				},
			},
		},
		async (req) => {
			const body = req.body as { records: unknown[]; atomic?: boolean; batchSize?: number };
			const records = body.records.map(recordFromWire);
			const options = {
				...(body.atomic !== undefined ? { atomic: body.atomic } : {}),
				...(body.batchSize !== undefined ? { batchSize: body.batchSize } : {}),
			};
			return { result: await targetOf(req).importRecords(records, options) };
		},
	);
}
