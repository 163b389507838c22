import { expect, it } from "vitest";
import { type ConformanceContext, makeWorld } from "./fixtures.js";

export function registerCacheTests(ctx: ConformanceContext): void {
	it("gets, sets, replaces and deletes cached strings per agent", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const key = { agentId: w.agentId, key: "profile/ü/🔑" };
		expect(await a.getCache(key)).toBeUndefined();
		expect(await a.setCache({ ...key, value: '{"a":1}' })).toBe(true);
		expect(await a.getCache(key)).toBe('{"a":1}');
		expect(await a.setCache({ ...key, value: "second ✨" })).toBe(true);
		expect(await a.getCache(key)).toBe("second ✨");
		expect(await a.getCache({ agentId: w.otherAgentId, key: key.key })).toBeUndefined();
		expect(await a.getCache({ agentId: w.agentId, key: "profile" })).toBeUndefined();
		expect((await a.stats()).cache).toBe(1);

		expect(await a.deleteCache(key)).toBe(true);
		expect(await a.deleteCache(key)).toBe(false);
		expect(await a.getCache(key)).toBeUndefined();
	});

	it("stores empty and large values exactly", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const big = "x🙂".repeat(300_000);
		await a.setCache({ agentId: w.agentId, key: "empty", value: "" });
		await a.setCache({ agentId: w.agentId, key: "big", value: big });
		expect(await a.getCache({ agentId: w.agentId, key: "empty" })).toBe("");
		expect(await a.getCache({ agentId: w.agentId, key: "big" })).toBe(big);
	});
}
