// Runs the fixture next to it with the suite's summary reporter (test/unit/summary-reporter.test.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		root: import.meta.dirname,
		include: ["*.fixture.ts"],
		reporters: ["../summary-reporter.ts"],
	},
});
