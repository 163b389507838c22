/**
 * The summary at the end of `npm test` (test/support/summary-reporter.ts): every group of skipped
 * tests with its reason, what npm test leaves out, and vitest's own summary still last. Runs vitest
 * on a fixture in a child process, as npm test does.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURE = join(ROOT, "test/support/summary-fixture");

it("names each skipped group with its reason before vitest's own summary", async () => {
	// The fixture has a failing test: vitest exits 1, and its output is on the error.
	const run = promisify(execFile)(
		join(ROOT, "node_modules/.bin/vitest"),
		["run", "--config", join(FIXTURE, "vitest.config.ts")],
		{ cwd: ROOT, env: { ...process.env, CI: "", NO_COLOR: "1", FORCE_COLOR: "0" } },
	);
	const { stdout, code } = await run.then(
		(r) => ({ ...r, code: 0 }),
		(err: { stdout: string; code: number }) => err,
	);
	expect(code).toBe(1);
	const lines = stdout.split("\n").map((l) => l.trimEnd());
	const at = (text: string) => lines.findIndex((l) => l.includes(text));

	// After the failure's details, so the summary is on the last screen.
	expect(at(" Skipped:")).toBeGreaterThan(at("Error: the fixture's failure"));
	expect(lines[at(" Skipped:")]).toContain("3 tests");
	expect(lines[at("needs a server: FIXTURE_URL is not set:") + 1]).toContain(
		"skips.fixture.ts › a group needing a server (2)",
	);
	expect(lines[at("static condition") + 1]).toMatch(/skips\.fixture\.ts$/);
	expect(at("npm run test:soak")).toBeGreaterThan(at(" Skipped:"));
	// vitest's summary closes the run.
	expect(at("Test Files")).toBeGreaterThan(at("npm run test:soak"));
	expect(lines.filter(Boolean).at(-1)).toMatch(/Duration/);
	expect(lines.filter((l) => l.includes("Test Files"))).toHaveLength(1);
}, 60_000);
