import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		// Real databases, child processes and a browser: generous limits, and no retries that would
		// hide a flaky test.
		testTimeout: 120_000,
		hookTimeout: 120_000,
		retry: 0,
		reporters: ["default"],
	},
});
