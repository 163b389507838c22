import { expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import type { Goal } from "../../src/core/types.js";
import {
	type ConformanceContext,
	expectError,
	makeWorld,
	newId,
	sleep,
	type World,
} from "./fixtures.js";

function goal(
	w: World,
	name: string,
	fields: Partial<Goal> = {},
): Goal & { id: NonNullable<Goal["id"]> } {
	return {
		id: newId(),
		roomId: w.roomId,
		userId: w.userId,
		name,
		status: "IN_PROGRESS",
		objectives: [
			{ id: "o1", description: "first step ✓", completed: true },
			{ description: "second step", completed: false },
		],
		...fields,
	} as Goal & { id: NonNullable<Goal["id"]> };
}

export function registerGoalsTests(ctx: ConformanceContext): void {
	it("creates goals and lists them oldest first with filters and count", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const goals = [
			goal(w, "g1"),
			goal(w, "g2", { status: "DONE" }),
			goal(w, "g3", { userId: w.agentId }),
			goal(w, "g4", { status: "FAILED" }),
		];
		for (const g of goals) {
			await a.createGoal(g);
			await sleep(2); // distinct creation times, so "oldest first" is well defined
		}
		await a.createGoal(goal(w, "elsewhere", { roomId: w.otherRoomId }));
		const names = (gs: Goal[]) => gs.map((g) => g.name);

		const all = await a.getGoals({ roomId: w.roomId });
		expect(names(all)).toEqual(["g1", "g2", "g3", "g4"]);
		expect(all[0]).toEqual(goals[0]);
		expect(names(await a.getGoals({ roomId: w.roomId, onlyInProgress: true }))).toEqual([
			"g1",
			"g3",
		]);
		expect(names(await a.getGoals({ roomId: w.roomId, userId: w.userId }))).toEqual([
			"g1",
			"g2",
			"g4",
		]);
		expect(names(await a.getGoals({ roomId: w.roomId, userId: null }))).toEqual([
			"g1",
			"g2",
			"g3",
			"g4",
		]);
		expect(names(await a.getGoals({ roomId: w.roomId, count: 2 }))).toEqual(["g1", "g2"]);
		expect(await a.getGoals({ roomId: newId() })).toEqual([]);
	});

	it("generates an id when absent", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const { id: _id, ...noId } = goal(w, "anonymous");
		await a.createGoal(noId);
		const [g] = await a.getGoals({ roomId: w.roomId });
		expect(g?.id).toMatch(/^[0-9a-f-]{36}$/i);
		expect(g?.name).toBe("anonymous");
	});

	it("updates, updates status, and removes goals", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const g = goal(w, "before");
		const other = goal(w, "other");
		await a.createGoal(g);
		await a.createGoal(other);
		const updated: Goal = {
			...g,
			name: "after",
			status: "DONE",
			objectives: [{ description: "only", completed: true }],
		};
		await a.updateGoal(updated);
		expect((await a.getGoals({ roomId: w.roomId })).find((x) => x.id === g.id)).toEqual(updated);
		await a.updateGoalStatus({ goalId: g.id, status: "FAILED" });
		expect((await a.getGoals({ roomId: w.roomId })).find((x) => x.id === g.id)?.status).toBe(
			"FAILED",
		);
		await expectError(() => a.updateGoal(goal(w, "ghost")), NotFoundError);
		await expectError(() => a.updateGoalStatus({ goalId: newId(), status: "DONE" }), NotFoundError);

		await a.removeGoal(g.id);
		await a.removeGoal(newId());
		expect((await a.getGoals({ roomId: w.roomId })).map((x) => x.id)).toEqual([other.id]);
		await a.createGoal(goal(w, "elsewhere", { roomId: w.otherRoomId }));
		await a.removeAllGoals(w.roomId);
		expect(await a.getGoals({ roomId: w.roomId })).toEqual([]);
		expect(await a.getGoals({ roomId: w.otherRoomId })).toHaveLength(1);
	});

	it("refuses goals naming an unknown room or user", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await expectError(() => a.createGoal(goal(w, "x", { roomId: newId() })), NotFoundError);
		await expectError(() => a.createGoal(goal(w, "x", { userId: newId() })), NotFoundError);
		expect((await a.stats()).goals).toBe(0);
	});
}
