import { expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { type ConformanceContext, expectError, makeWorld, newId, sleep } from "./fixtures.js";

export function registerRelationshipsTests(ctx: ConformanceContext): void {
	it("creates a relationship once and finds it in either direction", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const before = Date.now();
		expect(await a.createRelationship({ userA: w.userId, userB: w.agentId })).toBe(true);
		expect(await a.createRelationship({ userA: w.userId, userB: w.agentId })).toBe(true);
		expect(await a.createRelationship({ userA: w.agentId, userB: w.userId })).toBe(true);
		const r = await a.getRelationship({ userA: w.userId, userB: w.agentId });
		expect(r).toMatchObject({ userA: w.userId, userB: w.agentId, userId: w.userId });
		expect(typeof r?.status).toBe("string");
		expect(r?.id).toMatch(/^[0-9a-f-]{36}$/i);
		expect(r?.createdAt).toBeGreaterThanOrEqual(before);
		expect(await a.getRelationship({ userA: w.agentId, userB: w.userId })).toEqual(r);
		expect(await a.getRelationships({ userId: w.userId })).toEqual([r]);
		expect((await a.stats()).relationships).toBe(1);
	});

	it("lists a user's relationships oldest first; null and [] when none", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await a.createRelationship({ userA: w.userId, userB: w.agentId });
		await sleep(2);
		await a.createRelationship({ userA: w.otherUserId, userB: w.userId });
		await a.createRelationship({ userA: w.otherUserId, userB: w.agentId });
		const rels = await a.getRelationships({ userId: w.userId });
		expect(rels.map((r) => [r.userA, r.userB])).toEqual([
			[w.userId, w.agentId],
			[w.otherUserId, w.userId],
		]);
		expect(await a.getRelationship({ userA: w.userId, userB: w.otherAgentId })).toBeNull();
		expect(await a.getRelationships({ userId: newId() })).toEqual([]);
	});

	it("refuses a relationship with an unknown account", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await expectError(
			() => a.createRelationship({ userA: w.userId, userB: newId() }),
			NotFoundError,
		);
		await expectError(
			() => a.createRelationship({ userA: newId(), userB: w.userId }),
			NotFoundError,
		);
		expect((await a.stats()).relationships).toBe(0);
	});
}
