import { configDefaults, defineConfig } from "vitest/config";
import { SOAK_FILES } from "./test/support/opt-in.js";

// `npm run test:soak` sets this: only the long soaks, which `npm test` never runs.
const soak = process.env.AGENTMEM_TEST_SOAK === "1";

export default defineConfig({
	test: {
		include: soak ? SOAK_FILES : ["test/**/*.test.ts"],
		exclude: soak ? configDefaults.exclude : [...configDefaults.exclude, ...SOAK_FILES],
		// Vitest's default on 2 cores is 1 worker (cores - 1), one file after another; most files
		// wait on another process (PostgreSQL, Chromium, npm, child Node processes), so two files at
		// a time keep both cores busy. AGENTMEM_TEST_WORKERS overrides it on bigger machines.
		maxWorkers: Number(process.env.AGENTMEM_TEST_WORKERS) || 2,
		// Real databases, child processes and a browser: generous limits, and no retries that would
		// hide a flaky test.
		testTimeout: 120_000,
		hookTimeout: 120_000,
		retry: 0,
		// vitest's default reporter plus a summary of skipped groups just before its closing counts.
		reporters: ["./test/support/summary-reporter.ts"],
	},
});
