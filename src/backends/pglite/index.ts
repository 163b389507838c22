export { LockedError } from "../../core/errors.js";
export { type PGliteAdapterOptions, PGliteDatabaseAdapter } from "./pglite-adapter.js";
