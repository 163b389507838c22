/**
 * `agentmem copy` to and from a service, through the built binary: every record of a SQLite file
 * copied to `http://…` (the key from AGENTMEM_API_KEY) lands in the database behind the service
 * and verifies; copied back from the service into a new file, it equals the original.
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { assertBuilt, run, tempDir } from "../cli/run.js";
import { collectRecords, populateEveryKind } from "../support/every-kind.js";
import { type Served, serve, TEST_KEY } from "./harness.js";

beforeAll(assertBuilt);

const DIM = 8;
const MODEL = "fixture-model";
const open: Served[] = [];
afterEach(async () => {
	for (const s of open.splice(0)) await s.close();
});

async function sqlite(path: string): Promise<DatabaseAdapter> {
	const a = new SqliteDatabaseAdapter({ path, embeddingDimension: DIM, embeddingModel: MODEL });
	await a.init();
	return a;
}

describe("agentmem copy with a service", () => {
	it("copies sqlite → http:// → sqlite, verified, every record equal", async () => {
		const dir = tempDir();
		const source = await sqlite(join(dir, "source.db"));
		await populateEveryKind(source, DIM, 120);
		const served = await serve(await sqlite(join(dir, "served.db")));
		open.push(served);
		const env = { AGENTMEM_API_KEY: TEST_KEY };

		const to = await run(
			["copy", "--from", "sqlite:./source.db", "--to", served.url, "--json"],
			dir,
			env,
		);
		expect(to.code, to.stderr).toBe(0);
		expect(JSON.parse(to.stdout)).toMatchObject({
			ok: true,
			check: { countsEqual: true, queriesEqual: true },
		});
		expect(await collectRecords(served.remote)).toEqual(await collectRecords(source));

		const back = await run(
			["copy", "--from", served.url, "--to", "sqlite:./back.db", "--json"],
			dir,
			env,
		);
		expect(back.code, back.stderr).toBe(0);
		const copy = await sqlite(join(dir, "back.db"));
		expect(await collectRecords(copy)).toEqual(await collectRecords(source));
		await copy.close();
		await source.close();
	});

	it("refuses a service whose database stores another dimension, writing nothing", async () => {
		const dir = tempDir();
		const source = await sqlite(join(dir, "source.db"));
		await populateEveryKind(source, DIM, 10);
		await source.close();
		const other = new SqliteDatabaseAdapter({
			path: join(dir, "served.db"),
			embeddingDimension: 4,
		});
		await other.init();
		const served = await serve(other);
		open.push(served);
		const r = await run(["copy", "--from", "sqlite:./source.db", "--to", served.url], dir, {
			AGENTMEM_API_KEY: TEST_KEY,
		});
		expect(r.code).not.toBe(0);
		expect(r.stderr).toMatch(/stores 4-dimensional embeddings, not 8/);
		expect((await served.remote.stats()).accounts).toBe(0);
	});

	it("refuses without the service's key, writing nothing", async () => {
		const dir = tempDir();
		const source = await sqlite(join(dir, "source.db"));
		await populateEveryKind(source, DIM, 10);
		await source.close();
		const served = await serve(await sqlite(join(dir, "served.db")));
		open.push(served);
		const r = await run(["copy", "--from", "sqlite:./source.db", "--to", served.url], dir, {
			AGENTMEM_API_KEY: "not-the-key",
		});
		expect(r.code).not.toBe(0);
		expect(r.stderr).toMatch(/UNAUTHORIZED|key|token/i);
		expect(r.stderr).not.toContain("not-the-key");
		expect((await served.remote.stats()).memories).toBe(0);
	});
});
