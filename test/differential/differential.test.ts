/**
 * The differential test (issue 18): generated sequences of contract calls run on SQL.js, SQLite,
 * PGlite and PostgreSQL (when AGENTMEM_TEST_POSTGRES_URL reaches a server; required under CI=true)
 * side by side; every call's outcome and the final state must be equal. On a divergence
 * fast-check shrinks the sequence and the failure prints the smallest one as runnable code.
 *
 * `npm test` runs a fixed seed with a small budget; `npm run test:differential -- --runs 5000
 * --seed 42` (scripts/differential.mjs) runs longer ones through the same file via these variables.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { backends } from "./backends.js";
import { PRELUDE } from "./domain.js";
import { minimise } from "./minimise.js";
import { type Op, sequence } from "./operations.js";
import { debugSummary, findDivergence } from "./runner.js";

const env = (name: string, fallback: number) => {
	const v = process.env[`AGENTMEM_DIFF_${name}`];
	return v === undefined || v === "" ? fallback : Number(v);
};

const RUNS = env("RUNS", 60);
const SEED = env("SEED", 20261130);
const LENGTH = env("LENGTH", 30);
const DIM = env("DIM", 4);
const TIME_LIMIT_MS = env("TIME_LIMIT_MS", 0);
const REPORT = process.env.AGENTMEM_DIFF_REPORT === "1";

const list = await backends(DIM);

describe(`differential: ${list.map((b) => b.name).join(", ")} (dimension ${DIM})`, () => {
	it(`${RUNS} sequences of ${LENGTH} operations (after an 8-call prelude) (seed ${SEED}) behave alike`, {
		timeout: 0,
	}, async () => {
		let done = 0;
		const started = performance.now();
		await fc.assert(
			fc.asyncProperty(
				sequence({ dim: DIM, float32Edges: true, catchInTransactions: true, depth: 2 }, LENGTH),
				async (generated) => {
					const ops: Op[] = [...PRELUDE, ...generated];
					if ((await findDivergence(list, ops, DIM)) === null) {
						done++;
						if (REPORT && done % 250 === 0) {
							const s = Math.round((performance.now() - started) / 1000);
							console.log(`differential: ${done} sequences in ${s} s`);
						}
						return;
					}
					const smallest = await minimise(
						ops,
						async (o) => (await findDivergence(list, o, DIM)) !== null,
					);
					throw new Error(
						(await findDivergence(list, smallest, DIM)) ?? "the divergence went away",
					);
				},
			),
			{
				numRuns: RUNS,
				seed: SEED,
				// minimise() has shrunk the sequence already; values come from small domains.
				endOnFailure: true,
				...(TIME_LIMIT_MS > 0 ? { interruptAfterTimeLimit: TIME_LIMIT_MS } : {}),
			},
		);
		if (REPORT) console.log(`differential: ${done} sequences passed`);
		if (process.env.AGENTMEM_DIFF_DEBUG === "1") console.log(debugSummary());
	});
});
