/** What the browser harness needs from a backend: fresh adapters, and one persistent database. */
import type { DatabaseAdapter } from "../../../src/core/adapter.js";

export interface PersistentDatabase {
	adapter: DatabaseAdapter;
	/** True when the database was found in browser storage (a reload), false when created. */
	existed: boolean;
	/** Makes everything written so far survive a page reload. */
	save(): Promise<void>;
}

export interface BrowserBackend {
	name: string;
	/** A fresh, initialised, empty adapter (the conformance suite's factory). */
	makeAdapter(opts: { embeddingDimension: number }): Promise<DatabaseAdapter>;
	/** Opens (or creates) the backend's database in browser storage. */
	openPersistent(embeddingDimension: number): Promise<PersistentDatabase>;
}
