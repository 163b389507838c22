/**
 * `agentmem/service`: the memory service as a library. `createServer({ adapter, apiKey, jwt })`
 * resolves to a Fastify instance; `listen({ host, port })` it, `close()` it to shut down gracefully
 * (docs/service.md). The API table and its codec are exported for clients in other runtimes.
 */
export {
	API_METHODS,
	API_TABLE,
	type ApiMethod,
	type ArgSpec,
	DEDICATED_ROUTES,
	LIFECYCLE_METHODS,
	type Route,
	routeOf,
} from "./api-table.js";
export { type AuthOptions, assertSafeBinding, type Caller, isLoopback } from "./auth.js";
export { decodeCall, decodeResult, type EncodedCall, encodeCall, encodeResult } from "./codec.js";
export { STATUS_OF_CODE } from "./errors.js";
export {
	createServer,
	DEFAULT_BODY_LIMIT,
	DEFAULT_MAX_RESULTS,
	type ServiceOptions,
} from "./server.js";
export { TRANSACTION_HEADER } from "./transactions.js";
export { decodeVector, encodeVector } from "./wire.js";
