/**
 * Interactive transactions held by the service (src/service/transactions.ts), beyond what the
 * conformance suite checks: a transaction left idle is rolled back and its id refused afterwards;
 * a `tx` used after its transaction ended is refused on the client; shutting the service down
 * rolls back what nobody committed (and releases SQLite's one writer).
 */
import { afterEach, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { ClosedError, NotFoundError } from "../../src/core/errors.js";
import { tempFiles } from "../backends/sqlite/harness.js";
import { type Served, serve } from "./harness.js";

const files = tempFiles("remote-transactions");
const open: Served[] = [];
afterEach(async () => {
	for (const s of open.splice(0)) await s.close();
});

async function served(idleTimeoutMs = 30_000): Promise<{ s: Served; path: string }> {
	const path = files.file();
	const backend = new SqliteDatabaseAdapter({ path, embeddingDimension: 4 });
	await backend.init();
	const s = await serve(backend, { transactions: { idleTimeoutMs } });
	open.push(s);
	return { s, path };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("remote transactions", () => {
	it("rolls back a transaction left idle, and refuses its id afterwards", async () => {
		const { s } = await served(150);
		let first: string | undefined;
		const outcome = await s.remote
			.transaction(async (tx) => {
				first = await tx.createRoom();
				await sleep(600); // the client went quiet for longer than the idle timeout
				await tx.createRoom();
			})
			.catch((e: unknown) => e);
		expect(outcome).toBeInstanceOf(NotFoundError);
		expect((outcome as Error).message).toMatch(/is not open/);
		expect(first).toBeDefined();
		expect(await s.remote.getRoom(first as never)).toBeNull();
		expect((await s.remote.stats()).rooms).toBe(0);
	});

	it("refuses a tx used after its transaction ended", async () => {
		const { s } = await served();
		let kept: DatabaseAdapter | undefined;
		await s.remote.transaction(async (tx) => {
			kept = tx;
			await tx.createRoom();
		});
		await expect(kept?.createRoom()).rejects.toBeInstanceOf(ClosedError);
		expect((await s.remote.stats()).rooms).toBe(1);
	});

	it("rolls back open transactions when the service shuts down", async () => {
		const { s, path } = await served();
		let began!: () => void;
		const begun = new Promise<void>((r) => {
			began = r;
		});
		let release!: () => void;
		const hold = new Promise<void>((r) => {
			release = r;
		});
		const pending = s.remote
			.transaction(async (tx) => {
				await tx.createRoom();
				began();
				await hold;
			})
			.catch((e: unknown) => e);
		await begun;
		await s.close(); // the service closes: the transaction was never committed
		release();
		expect(await pending).toBeInstanceOf(Error);
		const after = new SqliteDatabaseAdapter({ path });
		await after.init();
		expect((await after.stats()).rooms).toBe(0);
		await after.close();
	});
});
