/**
 * PGlite in the page. Starting PGlite takes seconds in WASM, so, like the Node conformance run
 * (test/backends/pglite/shared-instance.ts, which imports Node modules and so cannot be bundled
 * here), fresh adapters share one in-memory instance, each in a new empty schema (the previous
 * adapter's is dropped). The persistent database is `idb://`, guarded across tabs by the adapter's
 * Web Lock.
 */
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGliteDatabaseAdapter } from "../../../src/backends/pglite/index.js";
import type { BrowserBackend } from "./backend.js";

export { runPage } from "./runner.js";

const DATA_DIR = "idb://agentmem-browser-test";
const SCHEMA = "agentmem_test";

let shared: Promise<PGlite> | undefined;

function sharedInstance(): Promise<PGlite> {
	shared ??= (async () => {
		const pg = await PGlite.create({ extensions: { vector, fuzzystrmatch } });
		await pg.exec(
			"CREATE EXTENSION IF NOT EXISTS vector SCHEMA public; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public",
		);
		return pg;
	})();
	return shared;
}

export const backend: BrowserBackend = {
	name: "pglite",
	async makeAdapter({ embeddingDimension }) {
		const pg = await sharedInstance();
		await pg.exec(
			`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path TO ${SCHEMA}, public`,
		);
		const adapter = new PGliteDatabaseAdapter({ embeddingDimension, pglite: pg });
		await adapter.init();
		return adapter;
	},
	async openPersistent(embeddingDimension) {
		// `relaxed=1`: relaxedDurability, written back by the explicit flush() (docs/browser.md).
		const relaxed = new URLSearchParams(location.search).get("relaxed") === "1";
		const name = relaxed ? `${DATA_DIR}-relaxed` : DATA_DIR;
		const existed = (await indexedDB.databases()).some((d) =>
			d.name?.endsWith(name.slice("idb://".length)),
		);
		const adapter = new PGliteDatabaseAdapter({
			dataDir: name,
			embeddingDimension,
			pgliteOptions: relaxed ? { relaxedDurability: true } : undefined,
		});
		await adapter.init();
		// Default durability: PGlite writes through to IndexedDB after every statement.
		return { adapter, existed, save: () => (relaxed ? adapter.flush() : Promise.resolve()) };
	},
};
