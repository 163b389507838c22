/**
 * PGlite's bulk path (postgres-bulk.ts: binary COPY from PGlite's `/dev/blob` into the staging
 * table, JSON chunks for a role that may not read server files), the vector index built after a large load, the one-statement unique insert, and `flush()` with
 * `relaxedDurability`: what it resolved for is there after a reopen.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { ConflictError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { axis, makeWorld, memory, randomVector, seededRng } from "../conformance/fixtures.js";
import { sharedPGlite, tempDir } from "./pglite/shared-instance.js";

const DIM = 8;
const shared = sharedPGlite();

async function indexed(): Promise<boolean> {
	const pg = await shared.pglite();
	const { rows } = await pg.query<{ present: boolean }>(
		"SELECT to_regclass('memories_embedding') IS NOT NULL AS present",
	);
	return rows[0]?.present === true;
}

it("createMemories of 600: stored through the staging table, the index built after, a clash refused", async () => {
	const a = await shared.adapter({ embeddingDimension: DIM });
	const w = await makeWorld(a);
	const rng = seededRng(3);
	const items = Array.from({ length: 600 }, (_, i) => ({
		memory: memory(w, { text: `m${i} \\ "q"`, embedding: randomVector(rng, DIM) }),
		tableName: "messages",
	}));
	await a.createMemories(items);
	expect(await a.countMemories(w.roomId, false, "messages")).toBe(600);
	expect(await indexed()).toBe(true);
	const first = items[0]?.memory;
	expect((await a.getMemoryById(first?.id as UUID))?.content).toEqual(first?.content);
	const taken = memory(w, { embedding: axis(DIM, 0) });
	await a.createMemory(taken, "documents");
	const clash = items.map((it, i) =>
		i === 300 ? { ...it, memory: { ...it.memory, id: taken.id } } : it,
	);
	await expect(a.createMemories(clash)).rejects.toBeInstanceOf(ConflictError);
	expect(await a.countMemories(w.roomId, false, "messages")).toBe(600);
	await a.close();
}, 240_000);

it("createMemories as a role that may not COPY from a file: the JSON chunks store the same rows", async () => {
	const a = await shared.adapter({ embeddingDimension: DIM });
	const w = await makeWorld(a);
	const pg = await shared.pglite();
	await pg.exec(`DO $$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agentmem_bulk_writer') THEN
			CREATE ROLE agentmem_bulk_writer;
		END IF; END $$;
		GRANT USAGE ON SCHEMA agentmem_test TO agentmem_bulk_writer;
		GRANT ALL ON ALL TABLES IN SCHEMA agentmem_test TO agentmem_bulk_writer;
		GRANT ALL ON ALL SEQUENCES IN SCHEMA agentmem_test TO agentmem_bulk_writer;
		SET ROLE agentmem_bulk_writer`);
	try {
		const { rows } = await pg.query<{ ok: boolean }>(
			"SELECT pg_has_role('pg_read_server_files', 'MEMBER') AS ok",
		);
		expect(rows[0]?.ok).toBe(false);
		const rng = seededRng(4);
		const items = Array.from({ length: 600 }, (_, i) => ({
			memory: memory(w, {
				text: `m${i} \\ "q" ✓`,
				embedding: i % 7 === 0 ? undefined : randomVector(rng, DIM),
			}),
			tableName: "messages",
		}));
		await a.createMemories(items);
		expect(await a.countMemories(w.roomId, false, "messages")).toBe(600);
		for (const i of [0, 1, 599]) {
			const want = items[i]?.memory;
			const got = await a.getMemoryById(want?.id as UUID);
			expect(got?.content).toEqual(want?.content);
			expect(got?.embedding === undefined).toBe(want?.embedding === undefined);
		}
	} finally {
		await pg.exec("RESET ROLE");
		await a.close();
	}
}, 240_000);

it("createMemory(unique) in one statement: a near-duplicate is flagged, a distinct memory is not", async () => {
	const a = await shared.adapter({ embeddingDimension: DIM });
	const w = await makeWorld(a);
	const base = randomVector(seededRng(5), DIM);
	const first = memory(w, { embedding: base });
	const near = memory(w, { embedding: base.map((x) => x * 1.001) });
	const far = memory(w, { embedding: axis(DIM, 1) });
	for (const m of [first, near, far]) await a.createMemory(m, "messages", true);
	expect((await a.getMemoryById(first.id))?.unique).toBe(true);
	expect((await a.getMemoryById(near.id))?.unique).toBe(false);
	expect((await a.getMemoryById(far.id))?.unique).toBe(true);
	await a.close();
}, 120_000);

it("relaxedDurability: what flush() resolved for is there after close and reopen", async () => {
	const dir = join(tempDir("pglite-flush"), "db");
	const a = new PGliteDatabaseAdapter({
		dataDir: dir,
		embeddingDimension: DIM,
		pgliteOptions: { relaxedDurability: true },
	});
	await a.init();
	const w = await makeWorld(a);
	const m = memory(w, { embedding: axis(DIM, 3) });
	await a.createMemory(m, "messages", true);
	await a.flush();
	await a.close();
	const b = new PGliteDatabaseAdapter({ dataDir: dir });
	await b.init();
	expect((await b.getMemoryById(m.id))?.content).toEqual(m.content);
	await b.close();
}, 240_000);
