export {
	type BetterSqlite3Database,
	type SqliteAdapterOptions,
	SqliteDatabaseAdapter,
	type VectorSearchMode,
} from "./sqlite-adapter.js";
