/**
 * One process per data directory, across real processes running the built dist/: a second process
 * fails fast naming the holder while the holder keeps writing, and after the holder is SIGKILLed a
 * new opener takes the stale lock over and finds every acknowledged write.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { makeWorld } from "../conformance/fixtures.js";
import { startChild } from "./pglite/child.js";
import { tempDir } from "./pglite/shared-instance.js";

const DIM = 8;
const root = tempDir("pglite-processes");

describe("pglite data directory across processes", () => {
	it("refuses a second process while the first keeps working; after SIGKILL every acknowledged write is there", async () => {
		const dataDir = join(root, "db");
		const setup = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: DIM });
		await setup.init();
		const w = await makeWorld(setup);
		await setup.close();
		const job = { dimension: DIM, agentId: w.agentId, userId: w.userId, roomId: w.roomId };

		const holder = startChild("write", dataDir, job);
		await holder.waitForAcks(5);
		const lock = JSON.parse(readFileSync(join(dataDir, ".agentmem.lock"), "utf8"));
		expect(lock.pid).toBe(holder.child.pid);

		const second = startChild("open", dataDir, job);
		expect(await second.exited).toBe(3);
		const refusal = second.lines.find((l) => l.startsWith("error ")) ?? "";
		expect(refusal).toContain("error LOCKED");
		expect(refusal).toContain(`process ${holder.child.pid}`);
		expect(second.lines).not.toContain("opened");

		// The holder was not disturbed: it keeps acknowledging writes.
		const before = holder.acked.length;
		await holder.waitForAcks(before + 5);

		holder.child.kill("SIGKILL");
		expect(await holder.exited).toBe("SIGKILL");
		const acked = [...holder.acked];
		expect(existsSync(join(dataDir, ".agentmem.lock"))).toBe(true); // left behind by the crash

		const after = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: DIM });
		await after.init();
		try {
			const found = await after.getMemoriesByIds(acked as never[], "messages");
			expect(new Set(found.map((m) => m.id))).toEqual(new Set(acked));
			const taken = JSON.parse(readFileSync(join(dataDir, ".agentmem.lock"), "utf8"));
			expect(taken.pid).toBe(process.pid);
		} finally {
			await after.close();
		}
		expect(existsSync(join(dataDir, ".agentmem.lock"))).toBe(false);
	});
});
