/**
 * A full disk inside `transaction(fn)` on SQLite, with `fn` catching the StorageFullError: SQLite
 * may end the whole transaction on SQLITE_FULL, and then nothing fn does afterwards may be written
 * (outside a transaction, each statement would commit on its own), nor may the transaction resolve.
 * Runs where a tiny tmpfs can be mounted (root with CAP_SYS_ADMIN), else skips with a notice.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { AgentmemError, StorageFullError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";

const dir = mkdtempSync(join(tmpdir(), "agentmem-full-tx-"));
let mounted = false;
try {
	execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", dir], { stdio: "pipe" });
	mounted = true;
} catch {
	console.warn(
		"\n!!!!!!!! SKIPPING sqlite-full-transaction: cannot mount a tmpfs here (needs CAP_SYS_ADMIN) !!!!!!!!\n",
	);
}
afterAll(() => {
	if (mounted) execFileSync("umount", ["-l", dir]);
	rmSync(dir, { recursive: true, force: true });
});

const user = "00000000-0000-4000-8000-000000000001" as UUID;
const room = "00000000-0000-4000-8000-000000000002" as UUID;
const mem = (text: string) => ({ userId: user, agentId: user, roomId: room, content: { text } });

describe.runIf(mounted)("SQLite: a full disk caught inside transaction()", () => {
	it("the transaction never resolves as committed with part of fn's writes, nor leaves any", async () => {
		const db = new SqliteDatabaseAdapter({ path: join(dir, "full.db"), embeddingDimension: 3 });
		await db.init();
		await db.createAccount({ id: user, name: "U", username: "u" });
		await db.createRoom(room);
		const before = await db.countMemories(room, false, "messages");
		const big = "x".repeat(16 * 1024);
		let full: unknown;
		let written = 0;
		const outcome = await db
			.transaction(async (tx) => {
				for (let i = 0; i < 2000 && !full; i++) {
					try {
						await tx.createMemory(mem(big), "messages");
						written++;
					} catch (err) {
						full = err;
					}
				}
				// fn goes on after catching the failure.
				await tx.createMemory(mem("after"), "messages").then(
					() => written++,
					() => undefined,
				);
				return "ok";
			})
			.then(
				(value) => ({ value }),
				(error: unknown) => ({ error }),
			);
		expect(full).toBeInstanceOf(StorageFullError);
		const after = await db.countMemories(room, false, "messages");
		if ("value" in outcome) {
			// Committed: exactly what succeeded inside it.
			expect(after).toBe(before + written);
		} else {
			expect(outcome.error).toBeInstanceOf(AgentmemError);
			expect((outcome.error as Error).message).toMatch(/rolled back.*nothing in it was written/);
			expect(after).toBe(before);
		}
		await db.close();
	});
});
