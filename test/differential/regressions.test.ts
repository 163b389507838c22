/**
 * Divergences the differential test found, each kept as the shrunk sequence that showed it and
 * the outcome every backend must give. (Those named in issues 18 and 19 have their regression
 * tests in the conformance suite, with their fixes.)
 */
import { describe, expect, it } from "vitest";
import type { UUID } from "../../src/core/types.js";
import { backends } from "./backends.js";
import { ACCOUNTS, MEMORIES, ROOMS, T0 } from "./domain.js";
import type { Op } from "./operations.js";
import { runOn } from "./runner.js";

const DIM = 4;
const list = await backends(DIM);
const [A0, A1, A2] = ACCOUNTS as [UUID, UUID, UUID, UUID];
const R0 = ROOMS[0] as UUID;
const [M0, M1] = MEMORIES as [UUID, UUID];

const memory = (id: UUID, userId: UUID, text: string) => ({
	id,
	userId,
	agentId: A1,
	roomId: R0,
	createdAt: T0,
	content: { text },
});

describe.each(list.map((b) => [b.name, b] as const))(
	"differential regressions on %s",
	(_name, backend) => {
		it("createMemories with a type clash and then an unknown user fails with the first item's error, CONFLICT, and writes nothing", async () => {
			// PostgreSQL/PGlite's one-statement batch reported the foreign key (NOT_FOUND) whatever
			// came first; SQLite/SQL.js insert one by one and stopped at the clash (CONFLICT).
			const ops: Op[] = [
				{ m: "createAccount", a: [{ id: A1, name: "user 1", username: "u1" }] },
				{ m: "createAccount", a: [{ id: A2, name: "user 2", username: "u2" }] },
				{ m: "createRoom", a: [R0] },
				{ m: "createMemory", a: [memory(M1, A2, "help"), "messages"] },
				{
					m: "createMemories",
					a: [
						[
							{ memory: memory(M1, A1, "zebra"), tableName: "facts" },
							{ memory: memory(M0, A0, "hello"), tableName: "facts" },
						],
					],
				},
				{ m: "stats", a: [] },
			];
			const run = await runOn(backend, ops);
			expect(run.outcomes[4]).toEqual({ error: "CONFLICT" });
			expect(run.outcomes[5]).toMatchObject({ ok: { memories: 1 } });
		});
	},
);
