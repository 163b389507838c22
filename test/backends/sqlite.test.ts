import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { registerConformanceSuite } from "../conformance/index.js";
import { tempFiles } from "./sqlite/harness.js";

const files = tempFiles("sqlite-conformance");

for (const vectorSearch of ["vec0", "exact-scan"] as const) {
	registerConformanceSuite(`sqlite (${vectorSearch})`, {
		makeAdapter: async ({ embeddingDimension }) => {
			const adapter = new SqliteDatabaseAdapter({
				path: files.file(),
				embeddingDimension,
				vectorSearch,
			});
			await adapter.init();
			return adapter;
		},
	});
}
