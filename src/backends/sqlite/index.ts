export { SqliteDatabaseAdapter } from "./sqlite-adapter.js";
export type {
	BetterSqlite3Database,
	SqliteAdapterOptions,
	VectorSearchMode,
} from "./sqlite-options.js";
