import { registerConformanceSuite } from "../conformance/index.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

const shared = sharedPGlite();

registerConformanceSuite("pglite:memory", {
	makeAdapter: ({ embeddingDimension }) => shared.adapter({ embeddingDimension }),
});
