export {
	type SqlJsAdapterOptions,
	type SqlJsDatabase,
	SqlJsDatabaseAdapter,
	type SqlJsInitConfig,
	type SqlJsModule,
} from "./sqljs-adapter.js";
