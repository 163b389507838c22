/**
 * `agentmem reembed` killed twice midway, then completed (see reembed-kill.ts and
 * reembed-kill-suite.ts): the 2,000-memory version in npm test (the 20,000:
 * cli-reembed.soak.test.ts).
 */
import { beforeAll } from "vitest";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { describeReembedKilledTwice } from "./reembed-kill-suite.js";
import { assertBuilt } from "./run.js";

beforeAll(assertBuilt);

describeReembedKilledTwice({
	n: 2000,
	timeout: 300_000,
	sqliteBatch: 2,
	postgresBatch: 10,
	pg: await setupTestDatabase("agentmem reembed killed twice, on PostgreSQL"),
});
