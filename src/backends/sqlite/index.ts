export {
	type BetterSqlite3Database,
	type SqliteAdapterOptions,
	SqliteDatabaseAdapter,
} from "./sqlite-adapter.js";
