import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { registerConformanceSuite } from "../conformance/index.js";
import { tempFiles } from "./sqlite/harness.js";

const files = tempFiles("sqlite-conformance");

// "quantized, always approximate": exactSearchBelow 0 sends every search through the binary codes.
const MODES = [
	["vec0", { vectorSearch: "vec0" }],
	["exact-scan", { vectorSearch: "exact-scan" }],
	["quantized", { vectorSearch: "quantized" }],
	["quantized, always approximate", { vectorSearch: "quantized", exactSearchBelow: 0 }],
] as const;

for (const [name, mode] of MODES) {
	registerConformanceSuite(`sqlite (${name})`, {
		makeAdapter: async ({ embeddingDimension }) => {
			const adapter = new SqliteDatabaseAdapter({
				path: files.file(),
				embeddingDimension,
				...mode,
			});
			await adapter.init();
			return adapter;
		},
	});
}
