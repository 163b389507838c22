#!/usr/bin/env node
// The long differential run (issue 18), for before a release: generated sequences of contract
// calls on SQL.js, SQLite, PGlite and PostgreSQL side by side (PostgreSQL when
// AGENTMEM_TEST_POSTGRES_URL is set), through test/differential/differential.test.ts.
//
//   npm run test:differential -- --runs 5000 --seed 42 [--length 40] [--dim 4] [--minutes 60]
//
// Without --seed a random one is drawn and printed, so a failing run can be repeated.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
	options: {
		runs: { type: "string", default: "2000" },
		seed: { type: "string" },
		length: { type: "string", default: "40" },
		dim: { type: "string", default: "4" },
		minutes: { type: "string" },
	},
});
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
for (const [name, v] of Object.entries({
	runs: values.runs,
	seed,
	length: values.length,
	dim: values.dim,
})) {
	if (!/^\d+$/.test(v)) {
		console.error(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
		process.exit(2);
	}
}
const dim = Number(values.dim);
if (dim < 2) {
	console.error("--dim must be at least 2");
	process.exit(2);
}
console.log(
	`differential: ${values.runs} sequences of ${values.length} operations, dimension ${dim}, seed ${seed}` +
		(values.minutes ? `, at most ${values.minutes} min` : ""),
);
const env = {
	...process.env,
	AGENTMEM_DIFF_RUNS: values.runs,
	AGENTMEM_DIFF_SEED: seed,
	AGENTMEM_DIFF_LENGTH: values.length,
	AGENTMEM_DIFF_DIM: values.dim,
	AGENTMEM_DIFF_TIME_LIMIT_MS: values.minutes
		? String(Math.round(Number(values.minutes) * 60_000))
		: "",
	AGENTMEM_DIFF_REPORT: "1",
};
const r = spawnSync("npx", ["vitest", "run", "test/differential/differential.test.ts"], {
	stdio: "inherit",
	env,
});
process.exit(r.status ?? 1);
