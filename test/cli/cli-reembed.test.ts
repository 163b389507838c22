/**
 * `agentmem reembed` killed twice midway, then completed (see reembed-kill.ts): the 2,000-memory version in npm test (the 20,000 one: cli-reembed.soak.test.ts).
 * SQLite (a file, vec0) and PostgreSQL (a database of this file's own).
 */
import { join } from "node:path";
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
const BATCH = 10;
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
				BATCH,
				dir,
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
				BATCH,
				tempDir(),
			);
			expect(report.kills).toHaveLength(2);
			console.log("reembed killed twice on PostgreSQL:", JSON.stringify(report));
		},
		TIMEOUT,
	);
});
