/** Baseline (a) for PGlite: the same hand-written pgvector SQL in an in-process PGlite. */

import { rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { Workload } from "../workload.js";
import type { Contender } from "./contender.js";
import { pgvectorContender } from "./pgvector-sql.js";

export async function rawPgliteContender(w: Workload, scratchDir: string): Promise<Contender> {
	const dataDir = join(scratchDir, "raw-pglite");
	return pgvectorContender(w, { name: "raw-pglite", engine: "pglite" }, async () => {
		rmSync(dataDir, { recursive: true, force: true });
		const db = await PGlite.create({ dataDir, extensions: { vector } });
		return {
			query: (sql, params) => db.query(sql, params),
			close: async () => {
				await db.close();
				rmSync(dataDir, { recursive: true, force: true });
			},
		};
	});
}
