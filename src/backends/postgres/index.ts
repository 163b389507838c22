export type { CircuitState } from "../../core/resilience.js";
export type {
	PgClientConfig,
	PgPool,
	PgPoolClient,
	PgPoolConfig,
	PgQueryResult,
} from "./pg-types.js";
export { POOL_QUEUE_DEFAULTS, type PoolQueueOptions } from "./pool-queue.js";
export {
	POOL_DEFAULTS,
	type PostgresAdapterOptions,
	PostgresDatabaseAdapter,
	type PostgresServerInfo,
} from "./postgres-adapter.js";
export { REQUEST_ROLES, type RequestClaims, type RequestRole } from "./rls/as-user.js";
export { type JwtClaims, type JwtKey, type VerifyJwtOptions, verifyJwt } from "./rls/verify-jwt.js";
