import { expect, it } from "vitest";
import { account, type ConformanceContext, newId } from "./fixtures.js";

export function registerAccountsTests(ctx: ConformanceContext): void {
	it("creates an account and reads every field back", async () => {
		const a = await ctx.makeAdapter();
		const acc = account({
			email: "ada@example.com",
			avatarUrl: "https://example.com/a.png",
			details: { summary: "Mathematician ✨", tags: ["a", "b"], nested: { n: 1.5, ok: true } },
		});
		expect(await a.createAccount(acc)).toBe(true);
		expect(await a.getAccountById(acc.id)).toEqual(acc);
	});

	it("resolves false and leaves the account unchanged when the id exists", async () => {
		const a = await ctx.makeAdapter();
		const acc = account();
		await a.createAccount(acc);
		expect(await a.createAccount({ ...acc, name: "Someone else" })).toBe(false);
		expect((await a.getAccountById(acc.id))?.name).toBe(acc.name);
		expect((await a.stats()).accounts).toBe(1);
	});

	it("returns null for an unknown account", async () => {
		const a = await ctx.makeAdapter();
		expect(await a.getAccountById(newId())).toBeNull();
	});

	it("reports capabilities, stats and a healthy connection", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: 12 });
		expect(await a.testConnection()).toBe(true);
		expect(a.capabilities.embeddingDimension).toBe(12);
		expect(typeof a.capabilities.exactSearch).toBe("boolean");
		const s = await a.stats();
		expect(s).toMatchObject({ accounts: 0, rooms: 0, memories: 0, embeddingDimension: 12 });
	});

	it("closes idempotently", async () => {
		const a = await ctx.makeAdapter();
		await a.close();
		await a.close();
	});
}
