export { type SqliteAdapterOptions, SqliteDatabaseAdapter } from "./sqlite-adapter.js";
