/**
 * `agentmem reembed` killed twice midway, then completed (see reembed-kill.ts): the 2,000-memory version in npm test (the 20,000 one: cli-reembed.soak.test.ts).
 * SQLite (a file, vec0) and PostgreSQL (a database of this file's own).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { reembedKilledTwice } from "./reembed-kill.js";
import { assertBuilt, tempDir } from "./run.js";

beforeAll(assertBuilt);

const N = 2000;
/** Generous: the machine is shared; the run itself takes far less. */
const TIMEOUT = 300_000;
/** Rows per batch: small on SQLite (fast), so the child is still running when it is to be killed. */
const SQLITE_BATCH = 2;
const POSTGRES_BATCH = 10;
const pg = await setupTestDatabase("agentmem reembed killed twice, on PostgreSQL");

describe("agentmem reembed 384 → 128 of 2000 memories, SIGKILLed at 30% and 60%", () => {
	it(
		"on SQLite: completes, every memory searchable under the new model, search right throughout",
		async () => {
			const dir = tempDir();
			const path = join(dir, "agent.db");
			const report = await reembedKilledTwice(
				`sqlite:${path}`,
				async (settings) => {
					const a = new SqliteDatabaseAdapter({ path, ...settings });
					await a.init();
					return a;
				},
				N,
				SQLITE_BATCH,
				dir,
				async () => {
					const db = new Database(path, { readonly: true });
					try {
						return (
							db.prepare("SELECT count(*) AS n FROM memory_embeddings_next").get() as { n: number }
						).n;
					} finally {
						db.close();
					}
				},
			);
			expect(report.kills).toHaveLength(2);
			console.log("reembed killed twice on SQLite:", JSON.stringify(report));
		},
		TIMEOUT,
	);

	it.runIf(pg !== null)(
		"on PostgreSQL: the same",
		async () => {
			const url = pg?.url as string;
			const report = await reembedKilledTwice(
				url,
				async (settings) => {
					const a = new PostgresDatabaseAdapter({ connectionString: url, ...settings });
					await a.init();
					return a;
				},
				N,
				POSTGRES_BATCH,
				tempDir(),
				async () => {
					const [row] = (await pg?.sql<{ n: string }>(
						"SELECT count(*) AS n FROM public.memory_embeddings_next",
					)) ?? [{ n: "0" }];
					return Number(row?.n);
				},
			);
			expect(report.kills).toHaveLength(2);
			console.log("reembed killed twice on PostgreSQL:", JSON.stringify(report));
		},
		TIMEOUT,
	);
});
