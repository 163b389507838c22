/**
 * The test suite touches only PostgreSQL servers it was given (AGENTMEM_TEST_POSTGRES_URL) or
 * started itself: no default URL, and no test drives the machine's clusters (pg_ctlcluster,
 * systemctl); restarts happen in a throwaway cluster (test/backends/postgres/throwaway-cluster.ts).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const TEST_DIR = join(import.meta.dirname, "..");

async function sources(dir: string): Promise<string[]> {
	const out: string[] = [];
	for (const e of await readdir(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		if (e.isDirectory()) out.push(...(await sources(p)));
		else if (/\.(ts|mjs|js)$/.test(e.name)) out.push(p);
	}
	return out;
}

describe("the test harness and the shared PostgreSQL", () => {
	afterEach(() => {
		vi.unstubAllEnvs();
		vi.resetModules();
	});

	it("has no default server: without AGENTMEM_TEST_POSTGRES_URL there is no admin URL", async () => {
		vi.stubEnv("AGENTMEM_TEST_POSTGRES_URL", undefined);
		vi.resetModules();
		const helpers = await import("../backends/postgres/helpers.js");
		expect(helpers.ADMIN_URL).toBeUndefined();
	});

	it("uses the URL it is given", async () => {
		vi.stubEnv("AGENTMEM_TEST_POSTGRES_URL", "postgres://u@db.test:6543/x");
		vi.resetModules();
		const helpers = await import("../backends/postgres/helpers.js");
		expect(helpers.ADMIN_URL).toBe("postgres://u@db.test:6543/x");
	});

	it("no test stops, starts or restarts a cluster it did not create, nor names this machine's default server", async () => {
		const offenders: string[] = [];
		for (const file of await sources(TEST_DIR)) {
			if (file === import.meta.filename) continue;
			const text = await readFile(file, "utf8");
			for (const pattern of [/pg_ctlcluster/, /systemctl/, /@(127\.0\.0\.1|localhost):5432\//]) {
				if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
			}
		}
		expect(offenders).toEqual([]);
	});
});
