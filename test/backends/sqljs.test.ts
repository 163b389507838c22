import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import { registerConformanceSuite } from "../conformance/index.js";

registerConformanceSuite("sqljs", {
	makeAdapter: async ({ embeddingDimension }) => {
		const adapter = new SqlJsDatabaseAdapter({ embeddingDimension });
		await adapter.init();
		return adapter;
	},
});
