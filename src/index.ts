/** agentmem: the storage layer for AI agents' memory. One DatabaseAdapter, many databases. */
export type { DatabaseAdapter } from "./core/adapter.js";
export * from "./core/errors.js";
export type * from "./core/lifecycle-types.js";
export type * from "./core/portable-types.js";
export { PORTABLE_KINDS } from "./core/portable-types.js";
export { forAgent, forRoom, type Scope, ScopedAdapter, type ScopedMemory } from "./core/scoped.js";
export { DEFAULT_EMBEDDING_DIMENSION, MAX_EMBEDDING_DIMENSION } from "./core/sql/migrate.js";
export type * from "./core/types.js";
export { cosineSimilarity } from "./core/vector.js";
export {
	type CreateAdapterOptions,
	createAdapter,
	DEFAULT_DATABASE_URL,
	defaultDatabaseUrl,
	parseDatabaseUrl,
	URL_FORMS,
} from "./create-adapter.js";
export * from "./embed/index.js";
export type { Diagnostics } from "./portable/export.js";
export * from "./reembed.js";
export {
	type CachingControls,
	type CachingOptions,
	createCachingDatabaseAdapter,
} from "./wrappers/caching.js";
export {
	type AdapterLogger,
	checkHealth,
	createLoggingDatabaseAdapter,
	type HealthReport,
	type LoggingOptions,
} from "./wrappers/logging.js";
