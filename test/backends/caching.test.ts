/**
 * The caching wrapper over SQL.js: the whole conformance suite passes through it unchanged, and
 * cached reads are served from the cache yet never stale after a write, a rollback or close.
 */
import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { UUID } from "../../src/core/types.js";
import { createCachingDatabaseAdapter } from "../../src/wrappers/caching.js";
import { registerConformanceSuite } from "../conformance/index.js";

registerConformanceSuite("caching(sqljs)", {
	makeAdapter: async ({ embeddingDimension }) => {
		const adapter = new SqlJsDatabaseAdapter({ embeddingDimension });
		await adapter.init();
		return createCachingDatabaseAdapter(adapter, { maxEntries: 100 });
	},
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as UUID;

async function setup() {
	const inner = new SqlJsDatabaseAdapter({ embeddingDimension: 4 });
	await inner.init();
	const cached = createCachingDatabaseAdapter(inner, { maxEntries: 10, ttlMs: 0 });
	await cached.createAccount({ id: id(1), name: "A", username: "a" });
	return { inner, cached };
}

describe("caching wrapper", () => {
	it("serves repeated reads from the cache (a change behind its back is not seen)", async () => {
		const { inner, cached } = await setup();
		await cached.createRoom(id(2));
		await cached.addParticipant(id(1), id(2));
		expect(await cached.getRoomsForParticipant(id(1))).toEqual([id(2)]);
		expect(cached.cacheSize).toBe(1);
		await inner.removeParticipant(id(1), id(2));
		expect(await cached.getRoomsForParticipant(id(1))).toEqual([id(2)]);
		cached.clearCache();
		expect(await cached.getRoomsForParticipant(id(1))).toEqual([]);
		await cached.close();
	});

	it("reads the key-value cache through, so an entry that expires is never served", async () => {
		const { inner, cached } = await setup();
		await cached.setCache({ agentId: id(1), key: "k", value: "v1", ttlMs: 60_000 });
		expect(await cached.getCache({ agentId: id(1), key: "k" })).toBe("v1");
		expect(cached.cacheSize).toBe(0);
		// Expired behind the wrapper's back (as time passing would): absent at once.
		await inner.setCache({ agentId: id(1), key: "k", value: "v1", expiresAt: Date.now() - 1 });
		expect(await cached.getCache({ agentId: id(1), key: "k" })).toBeUndefined();
		await cached.close();
	});

	it("clears the cache on deleteMemories and pruneMemories, and passes listRooms through", async () => {
		const { cached } = await setup();
		await cached.createRoom(id(2), "r");
		expect(await cached.getRoom(id(2))).toBe(id(2));
		expect(cached.cacheSize).toBe(1);
		expect(await cached.deleteMemories({ roomId: id(2) })).toBe(0);
		expect(cached.cacheSize).toBe(0);
		expect(await cached.getRoom(id(2))).toBe(id(2));
		expect(await cached.pruneMemories({ keepLast: 1 })).toBe(0);
		expect(cached.cacheSize).toBe(0);
		expect((await cached.listRooms()).map((r) => r.name)).toEqual(["r"]);
		expect(cached.cacheSize).toBe(0);
		await cached.close();
	});

	it("returns copies: mutating a result never changes the cache", async () => {
		const { cached } = await setup();
		const a = await cached.getAccountById(id(1));
		if (a) a.name = "mutated";
		expect((await cached.getAccountById(id(1)))?.name).toBe("A");
		await cached.close();
	});

	it("invalidates on every write through the wrapper", async () => {
		const { cached } = await setup();
		expect(await cached.getRoom(id(2))).toBeNull();
		await cached.createRoom(id(2));
		expect(await cached.getRoom(id(2))).toBe(id(2));
		expect(await cached.getParticipantsForRoom(id(2))).toEqual([]);
		await cached.addParticipant(id(1), id(2));
		expect(await cached.getParticipantsForRoom(id(2))).toEqual([id(1)]);
		await cached.removeRoom(id(2));
		expect(await cached.getRoom(id(2))).toBeNull();
		await cached.close();
	});

	it("bypasses the cache inside a transaction and is never stale after a rollback", async () => {
		const { cached } = await setup();
		expect(await cached.getCache({ agentId: id(1), key: "t" })).toBeUndefined();
		await expect(
			cached.transaction(async (tx) => {
				await tx.setCache({ agentId: id(1), key: "t", value: "inside" });
				expect(await tx.getCache({ agentId: id(1), key: "t" })).toBe("inside");
				throw new Error("roll back");
			}),
		).rejects.toThrow("roll back");
		expect(await cached.getCache({ agentId: id(1), key: "t" })).toBeUndefined();
		await cached.transaction(async (tx) => {
			await tx.setCache({ agentId: id(1), key: "t", value: "committed" });
		});
		expect(await cached.getCache({ agentId: id(1), key: "t" })).toBe("committed");
		await cached.close();
	});

	it("refuses bad options", () => {
		const inner = new SqlJsDatabaseAdapter();
		expect(() => createCachingDatabaseAdapter(inner, { maxEntries: 0 })).toThrow(/maxEntries/);
		expect(() => createCachingDatabaseAdapter(inner, { ttlMs: -1 })).toThrow(/ttlMs/);
	});
});
