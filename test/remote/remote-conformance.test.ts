/**
 * The conformance suite, unchanged, against RemoteDatabaseAdapter: the real service (src/service/)
 * in process on an ephemeral port, in front of SQLite (a temp file per adapter) and of PostgreSQL
 * (a schema per adapter in this file's own database; skipped loudly without
 * AGENTMEM_TEST_POSTGRES_URL, failing under CI).
 */
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { tempFiles } from "../backends/sqlite/harness.js";
import { registerConformanceSuite } from "../conformance/index.js";
import { serve } from "./harness.js";

const files = tempFiles("remote-conformance");

registerConformanceSuite("remote → sqlite", {
	makeAdapter: async ({ embeddingDimension }) => {
		const backend = new SqliteDatabaseAdapter({ path: files.file(), embeddingDimension });
		await backend.init();
		return (await serve(backend)).remote;
	},
});

const db = await setupTestDatabase("remote → postgres conformance");
if (db) {
	registerConformanceSuite("remote → postgres", {
		makeAdapter: async ({ embeddingDimension }) =>
			(await serve(await db.adapter({ embeddingDimension }))).remote,
	});
}
