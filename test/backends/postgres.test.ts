import { registerConformanceSuite } from "../conformance/index.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres conformance");

if (db) {
	registerConformanceSuite("postgres", {
		makeAdapter: ({ embeddingDimension }) => db.adapter({ embeddingDimension }),
	});
}
