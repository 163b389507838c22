import { registerConformanceSuite } from "../conformance/index.js";
import { sharedPGlite, tempDir } from "./pglite/shared-instance.js";

const shared = sharedPGlite(tempDir("pglite-conformance"));

registerConformanceSuite("pglite:<directory>", {
	makeAdapter: ({ embeddingDimension }) => shared.adapter({ embeddingDimension }),
});
