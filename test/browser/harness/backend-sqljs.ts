/**
 * SQL.js in the page, configured as docs/browser.md tells an app to: `locateFile` points sql.js at
 * the WASM file the site serves. (An app imports "agentmem/sqljs"; the harness imports the same
 * module from src so it shares one copy of src/core with the conformance suite.)
 */
import { SqlJsDatabaseAdapter } from "../../../src/backends/sqljs/index.js";
import type { BrowserBackend } from "./backend.js";
import { loadBytes, saveBytes } from "./idb-bytes.js";

export { runPage } from "./runner.js";

const sqlJsConfig = { locateFile: (file: string) => `/assets/${file}` };
const KEY = "agentmem-browser-test";

export const backend: BrowserBackend = {
	name: "sqljs",
	async makeAdapter({ embeddingDimension }) {
		const adapter = new SqlJsDatabaseAdapter({ embeddingDimension, sqlJsConfig });
		await adapter.init();
		return adapter;
	},
	async openPersistent(embeddingDimension) {
		const bytes = await loadBytes(KEY);
		const adapter = new SqlJsDatabaseAdapter({ embeddingDimension, sqlJsConfig, bytes });
		await adapter.init();
		return {
			adapter,
			existed: bytes !== undefined,
			save: async () => saveBytes(KEY, await adapter.export()),
		};
	},
};
