/**
 * `agentmem reembed` killed twice midway, then completed (see reembed-kill.ts and
 * reembed-kill-suite.ts): the 20,000 memories (npm run
 * test:soak; a 2,000 version runs in npm test).
 */
import { beforeAll } from "vitest";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { describeReembedKilledTwice } from "./reembed-kill-suite.js";
import { assertBuilt } from "./run.js";

beforeAll(assertBuilt);

describeReembedKilledTwice({
	n: 20000,
	timeout: 1_200_000,
	sqliteBatch: 5,
	postgresBatch: 50,
	pg: await setupTestDatabase("agentmem reembed killed twice, on PostgreSQL"),
});
