export { type SqlJsAdapterOptions, SqlJsDatabaseAdapter } from "./sqljs-adapter.js";
