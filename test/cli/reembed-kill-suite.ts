/**
 * The killed-twice re-embed tests, shared by cli-reembed.test.ts (2,000 memories, npm test) and
 * cli-reembed.soak.test.ts (the 20,000): SQLite (a file) and PostgreSQL (a database of the
 * calling file's own).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { setupTestDatabase } from "../backends/postgres/helpers.js";
import { reembedKilledTwice } from "./reembed-kill.js";
import { tempDir } from "./run.js";

export interface ReembedKillOptions {
	n: number;
	/** Per test, generous: the machine is shared; the run itself takes far less. */
	timeout: number;
	/** Rows per batch: small enough that the child is still running when it is to be killed. */
	sqliteBatch: number;
	postgresBatch: number;
	pg: Awaited<ReturnType<typeof setupTestDatabase>>;
}

export function describeReembedKilledTwice(o: ReembedKillOptions): void {
	const { pg } = o;
	describe(`agentmem reembed 384 → 128 of ${o.n} memories, SIGKILLed at 30% and 60%`, () => {
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
					o.n,
					o.sqliteBatch,
					dir,
					async () => {
						const db = new Database(path, { readonly: true });
						try {
							return (
								db.prepare("SELECT count(*) AS n FROM memory_embeddings_next").get() as {
									n: number;
								}
							).n;
						} finally {
							db.close();
						}
					},
				);
				expect(report.kills).toHaveLength(2);
				console.log("reembed killed twice on SQLite:", JSON.stringify(report));
			},
			o.timeout,
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
					o.n,
					o.postgresBatch,
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
			o.timeout,
		);
	});
}
