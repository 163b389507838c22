/**
 * The HTTP API, declared once: every `DatabaseAdapter` call (src/core/contract/*.ts plus
 * `testConnection`) mapped to a route. The Fastify server (server.ts) and the remote client
 * (src/remote/) both derive from this table, through the codec in codec.ts:
 *
 *   client: encodeCall(method, args)  → { verb, path, query, body }   (or `{ local }`: no request)
 *   server: decodeCall(method, req)   → the positional args, then `adapter[method](...args)`
 *   server: encodeResult(method, v)   → 200 `{"result": …}` (`{}` for `undefined`), or 204 for void
 *   client: decodeResult(method, body) → the contract's value (vectors back to number[]/Float32Array)
 *
 * Each route says, per positional argument (`args`, one entry per parameter, optional ones too):
 * - `{ in: "path", name }`: a string argument as the path segment `:name` (URI-encoded). When it is
 *   missing (undefined or null) the client resolves to `absent.result` without a request if the
 *   route has `absent` (lookups: `getMemoryById(undefined)` is `null`); otherwise it throws
 *   `ValidationError` (an empty string too: it cannot be a path segment).
 * - `{ in: "query", name, schema }`: a scalar (string, number or boolean) as `?name=`; omitted when
 *   undefined. The client throws `ValidationError` for a value of another JSON type.
 * - `{ in: "body", name, schema }`: the argument as `body[name]` (a JSON object body).
 * - `{ in: "body" | "query", spread: schema, pathKeys? }`: an object argument whose keys listed in
 *   `pathKeys` fill those path segments and whose other keys become the body's (or the query's)
 *   own keys. At most one `spread` per route, and it may share the body with `name`d arguments.
 *
 * Vectors inside arguments and results are found through the schemas (see wire.ts): requests take
 * number arrays or base64 Float32, responses always carry base64 Float32.
 *
 * Errors: every failure is `{"error":{"code","message"}}` with the `AgentmemError` code and message
 * (errors.ts has the status of each code); the client rethrows the matching typed error.
 *
 * Not in the table (dedicated endpoints, see DEDICATED_ROUTES): `capabilities` (a property),
 * `subscribe` (SSE), `exportRecords`/`importRecords` (NDJSON streams); `init`/`close`/`transaction`
 * are not remote calls. A new contract method without an entry here fails to compile.
 */
import type { ApiMethod, Route } from "./api-route.js";
import { KNOWLEDGE_ROUTES } from "./api-routes-knowledge.js";
import { MEMORY_ROUTES } from "./api-routes-memories.js";
import { SOCIAL_ROUTES } from "./api-routes-social.js";

export type { ApiMethod, ArgSpec, HttpVerb, Route } from "./api-route.js";
export { LIFECYCLE_METHODS } from "./api-route.js";

/** Every route, by method: a contract method without one is a compile error here. */
export const API_TABLE = {
	...SOCIAL_ROUTES,
	...MEMORY_ROUTES,
	...KNOWLEDGE_ROUTES,
} as const satisfies { readonly [K in ApiMethod]: Route<K> };

/** The route of a method, typed as the common `Route` (for generic code). */
export function routeOf(method: ApiMethod): Route {
	return (API_TABLE as Record<ApiMethod, unknown>)[method] as Route;
}

export const API_METHODS = Object.keys(API_TABLE) as ApiMethod[];

/**
 * Endpoints outside the table (the server's own; the remote client calls them directly).
 * - capabilities: `{"result": AdapterCapabilities}`; what the remote adapter reports after init.
 * - events: Server-Sent Events, one `event: memory` per committed memory, `data` a MemoryEvent
 *   with the memory's embedding in base64 (MEMORY_OUT); filter `?tableName=&roomId=`.
 * - export: NDJSON, the `agentmem export` file format (src/portable/jsonl.ts), one record a line.
 * - import: NDJSON body of records in that format (a `database` header line first), one batch per
 *   request (bodies are capped); `?atomic=true` runs the batch in one transaction.
 */
export const DEDICATED_ROUTES = {
	capabilities: { verb: "GET", path: "/v1/capabilities" },
	events: { verb: "GET", path: "/v1/events" },
	export: { verb: "GET", path: "/v1/export" },
	import: { verb: "POST", path: "/v1/import" },
	health: { verb: "GET", path: "/health" },
	ready: { verb: "GET", path: "/ready" },
	metrics: { verb: "GET", path: "/metrics" },
	openapi: { verb: "GET", path: "/openapi.json" },
	docs: { verb: "GET", path: "/docs" },
} as const;
