/** Baseline (a) for PostgreSQL: hand-written pgvector SQL through one `pg` client. */

import pg from "pg";
import type { Workload } from "../workload.js";
import type { Contender } from "./contender.js";
import { dropDatabase, freshDatabase } from "./pg-admin.js";
import { pgvectorContender } from "./pgvector-sql.js";

export async function rawPostgresContender(w: Workload): Promise<Contender> {
	const inner = pgvectorContender(w, { name: "raw-pgvector", engine: "postgres" }, async () => {
		const client = new pg.Client({ connectionString: await freshDatabase("raw") });
		await client.connect();
		return { query: (sql, params) => client.query(sql, params), close: () => client.end() };
	});
	return {
		...inner,
		async close() {
			await inner.close();
			await dropDatabase("raw");
		},
	};
}
