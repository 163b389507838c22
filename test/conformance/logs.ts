import { expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { type ConformanceContext, expectRefusedUnchanged, makeWorld, newId } from "./fixtures.js";

export function registerLogsTests(ctx: ConformanceContext): void {
	it("appends log entries", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await a.log({
			body: { action: "REPLY", nested: { ok: true, emoji: "🚀" } },
			userId: w.userId,
			roomId: w.roomId,
			type: "action",
		});
		await a.log({ body: {}, userId: w.agentId, roomId: w.roomId, type: "evaluation" });
		expect((await a.stats()).logs).toBe(2);
	});

	it("refuses a log naming an unknown room or user", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await expectRefusedUnchanged(
			a,
			() => a.log({ body: {}, userId: w.userId, roomId: newId(), type: "t" }),
			NotFoundError,
		);
		await expectRefusedUnchanged(
			a,
			() => a.log({ body: {}, userId: newId(), roomId: w.roomId, type: "t" }),
			NotFoundError,
		);
	});
}
