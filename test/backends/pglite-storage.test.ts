/**
 * PGlite-only behaviour of the adapter: persistence across close/reopen, the recorded dimension,
 * the lock within one process, capabilities, and what it does with a caller's instance.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { LockedError, PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import {
	ConfigurationError,
	ValidationError,
	VectorExtensionUnavailableError,
} from "../../src/core/errors.js";
import { axis, makeWorld, memory } from "../conformance/fixtures.js";
import { sharedPGlite, tempDir } from "./pglite/shared-instance.js";

const DIM = 8;
const root = tempDir("pglite-storage");
const shared = sharedPGlite();

describe("pglite storage", () => {
	it("keeps every record across close and reopen, locks the directory while open, and refuses another dimension", async () => {
		const dataDir = join(root, "db");
		const a = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: DIM, embeddingModel: "m1" });
		await a.init();
		expect(a.capabilities).toMatchObject({
			backend: "pglite",
			persistent: true,
			multipleConnections: false,
			crossProcessSubscribe: false,
			rowLevelSecurity: false,
			vectorSearch: "hnsw",
			embeddingDimension: DIM,
		});
		expect(existsSync(join(dataDir, ".agentmem.lock"))).toBe(true);

		// A second adapter in the same process is refused too: PGlite would corrupt the directory.
		const twin = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: DIM });
		const refused = await twin.init().then(
			() => null,
			(err: unknown) => err,
		);
		expect(refused).toBeInstanceOf(LockedError);
		expect((refused as LockedError).message).toContain("this process");

		const w = await makeWorld(a);
		const m = memory(w, { embedding: axis(DIM, 1), text: "kept" });
		await a.createMemory(m, "messages");
		await a.setCache({ agentId: w.agentId, key: "k", value: "v" });
		await a.close();
		expect(existsSync(join(dataDir, ".agentmem.lock"))).toBe(false);

		const wrong = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: DIM * 2 });
		await expect(wrong.init()).rejects.toThrow(ConfigurationError);
		await expect(wrong.init()).rejects.toThrow(/stores 8-dimensional embeddings/);
		expect(existsSync(join(dataDir, ".agentmem.lock"))).toBe(false);

		const b = new PGliteDatabaseAdapter({ dataDir });
		await b.init();
		try {
			expect(b.embeddingDimension).toBe(DIM);
			const [found] = await b.searchMemoriesByEmbedding(axis(DIM, 1), {
				tableName: "messages",
				roomId: w.roomId,
				count: 1,
			});
			expect(found?.id).toBe(m.id);
			expect(found?.content.text).toBe("kept");
			expect(await b.getCache({ agentId: w.agentId, key: "k" })).toBe("v");
			expect((await b.stats()).embeddingModel).toBe("m1");
		} finally {
			await b.close();
		}
	});

	it("is in memory by default, and never closes a caller's instance", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		expect(a.capabilities.persistent).toBe(false);
		expect(a.capabilities.backend).toBe("pglite");
		await a.close();
		const pg = await shared.pglite();
		expect(pg.closed).toBe(false);
		expect((await pg.query<{ ok: number }>("SELECT 1 AS ok")).rows[0]?.ok).toBe(1);
	});

	it("refuses subscribe inside a transaction (one connection: it would wait for itself)", async () => {
		const a = await shared.adapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const err = await a
			.transaction((tx) => tx.subscribe({}, () => undefined))
			.then(
				() => null,
				(e: unknown) => e,
			);
		expect(err).toBeInstanceOf(ValidationError);
		// Outside, it works and sees the next committed memory.
		const seen: string[] = [];
		const stop = await a.subscribe({ roomId: w.roomId }, (e) => seen.push(e.memory.id as string));
		const m = memory(w, { embedding: axis(DIM, 2) });
		await a.transaction((tx) => tx.createMemory(m, "messages"));
		await expect.poll(() => seen).toEqual([m.id]);
		await stop();
		await a.close();
	});

	it("refuses both an instance and a dataDir", () => {
		expect(() => new PGliteDatabaseAdapter({ dataDir: "memory", pglite: {} as never })).toThrow(
			ConfigurationError,
		);
	});

	it("says pgvector is missing from a caller's instance created without it", async () => {
		const bare = await PGlite.create();
		try {
			const a = new PGliteDatabaseAdapter({ pglite: bare });
			await expect(a.init()).rejects.toThrow(VectorExtensionUnavailableError);
			expect(bare.closed).toBe(false);
		} finally {
			await bare.close();
		}
	});
});
