/**
 * The data rules (DESIGN.md "Data rules"), on every backend: JSON-valued fields are stored exactly
 * as JSON.stringify writes them (what is not data dropped, holes as null) and always read back;
 * ids are normalised to lower case; a missing id on a lookup is "not found".
 */
import { expect, it } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import type { UUID } from "../../src/core/types.js";
import { MAX_JSON_DEPTH } from "../../src/core/validation.js";
import { nested } from "./bad-input-data-cases.js";
import { account, axis, type ConformanceContext, makeWorld, memory, newId } from "./fixtures.js";

/** What JSON.stringify keeps of `value`, parsed back. */
function asJson(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value));
}

async function exported(a: DatabaseAdapter, kind: string): Promise<PortableRecord[]> {
	const out: PortableRecord[] = [];
	for await (const r of a.exportRecords()) if (r.kind === kind) out.push(r);
	return out;
}

/** Something like an ElizaOS character: plugins hold actions whose handlers are functions. */
function character() {
	const handler = async () => true;
	return {
		name: "Eliza",
		bio: ["helpful"],
		settings: { secrets: {}, voice: undefined, model: "gpt" },
		plugins: [
			{
				name: "bootstrap",
				description: "core",
				actions: [{ name: "CONTINUE", similes: [], handler, validate: handler, examples: [] }],
				providers: [{ get: handler }],
				services: [],
				[Symbol("meta")]: 1,
				sym: Symbol("s"),
			},
		],
		clientConfig: { created: new Date(0) },
		// biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test.
		list: [1, undefined, handler, , 5],
	};
}

export function registerDataRulesTests(ctx: ConformanceContext): void {
	it("stores sparse arrays as JSON.stringify does ([1,null,3]) and reads them back everywhere", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		// biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test.
		const content = { text: "hi", a: [1, , 3] };
		const m = memory(w, { content, embedding: axis(8, 0) });
		await a.createMemory(m, "messages");
		const expected = { text: "hi", a: [1, null, 3] };
		expect((await a.getMemoryById(m.id))?.content).toEqual(expected);
		expect((await a.getMemories({ roomId: w.roomId, tableName: "messages" }))[0]?.content).toEqual(
			expected,
		);
		const found = await a.searchMemoriesByEmbedding(axis(8, 0), { tableName: "messages" });
		expect(found[0]?.content).toEqual(expected);
		const [record] = await exported(a, "memory");
		expect((record as { content?: unknown }).content).toEqual(expected);
	});

	it("stores an ElizaOS character (plugins with functions) as account details, as JSON.stringify would", async () => {
		const a = await ctx.makeAdapter();
		const details = character();
		const agent = account({ details });
		expect(await a.createAccount(agent)).toBe(true);
		const stored = await a.getAccountById(agent.id);
		expect(stored?.details).toEqual(asJson(details));
		expect(stored?.details?.list).toEqual([1, null, null, null, 5]);
		expect(stored?.details?.clientConfig).toEqual({ created: new Date(0).toISOString() });
	});

	it("applies the same rule to content, goal objectives, log bodies and knowledge", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const f = () => 1;
		// biome-ignore lint/suspicious/noSparseArray: holes become null.
		const extra = { f, u: undefined, arr: [f, undefined, , Symbol("x")], at: new Date(5) };
		const m = memory(w, { content: { text: "t", ...extra } });
		await a.createMemory(m, "messages");
		expect((await a.getMemoryById(m.id))?.content).toEqual(asJson({ text: "t", ...extra }));
		await a.createGoal({
			roomId: w.roomId,
			userId: w.userId,
			name: "g",
			status: "IN_PROGRESS",
			objectives: [{ description: "o", completed: false, ...extra }],
		});
		const [goal] = await a.getGoals({ roomId: w.roomId });
		expect(goal?.objectives).toEqual(asJson([{ description: "o", completed: false, ...extra }]));
		await a.log({ body: { ...extra }, userId: w.userId, roomId: w.roomId, type: "t" });
		const [log] = await exported(a, "log");
		expect((log as { body?: unknown }).body).toEqual(asJson(extra));
		const k = { id: newId(), agentId: w.agentId, content: { text: "k", metadata: { ...extra } } };
		await a.createKnowledge(k);
		const [item] = await a.getKnowledge({ agentId: w.agentId, id: k.id });
		expect(item?.content).toEqual(asJson(k.content));
	});

	it("accepts JSON nested to the limit and reads it back", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const content = { text: "deep", ...nested(MAX_JSON_DEPTH) };
		const m = memory(w, { content });
		await a.createMemory(m, "messages");
		expect((await a.getMemoryById(m.id))?.content).toEqual(content);
	});

	it("keeps unicode (emoji, surrogate pairs, RTL, combining marks) exactly", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const text = "héllo 👋🏽 𝄞 עברית e\u0301 \uFFFF";
		const m = memory(w, { content: { text, "🔑": text } });
		await a.createMemory(m, "messages");
		expect((await a.getMemoryById(m.id))?.content).toEqual({ text, "🔑": text });
		const user = account({ name: text });
		await a.createAccount(user);
		expect((await a.getAccountById(user.id))?.name).toBe(text);
	});

	it("normalises ids to lower case: created upper-case, found lower-case, never duplicated", async () => {
		const a = await ctx.makeAdapter();
		const up = (id: UUID) => id.toUpperCase() as UUID;
		const userId = newId();
		const agentId = newId();
		const roomId = newId();
		expect(await a.createAccount(account({ id: up(userId) }))).toBe(true);
		expect(await a.createAccount(account({ id: userId }))).toBe(false);
		expect(await a.createAccount(account({ id: agentId }))).toBe(true);
		expect((await a.getAccountById(userId))?.id).toBe(userId);
		expect((await a.getAccountById(up(userId)))?.id).toBe(userId);
		expect(await a.createRoom(up(roomId))).toBe(roomId);
		expect(await a.getRoom(roomId)).toBe(roomId);
		expect(await a.getRoom(up(roomId))).toBe(roomId);
		await a.addParticipant(up(userId), roomId);
		await a.addParticipant(userId, up(roomId));
		expect(await a.getParticipantsForRoom(up(roomId))).toEqual([userId]);
		expect(await a.getRoomsForParticipant(up(userId))).toEqual([roomId]);
		expect(await a.getRoomsForParticipants([up(userId)])).toEqual([roomId]);
		await a.setParticipantUserState(up(roomId), up(userId), "FOLLOWED");
		expect(await a.getParticipantUserState(roomId, userId)).toBe("FOLLOWED");

		const memId = newId();
		const w = {
			userId,
			agentId,
			roomId,
			otherAgentId: agentId,
			otherUserId: userId,
			otherRoomId: roomId,
		};
		await a.createMemory(
			memory(w, { id: up(memId), userId: up(userId), agentId: up(agentId), roomId: up(roomId) }),
			"messages",
		);
		const byId = await a.getMemoryById(memId);
		expect(byId).toMatchObject({ id: memId, userId, agentId, roomId });
		expect((await a.getMemoryById(up(memId)))?.id).toBe(memId);
		expect(await a.getMemoriesByIds([up(memId)])).toHaveLength(1);
		expect(
			await a.getMemories({ roomId, tableName: "messages", agentId: up(agentId) }),
		).toHaveLength(1);
		expect(await a.countMemories(up(roomId), true, "messages")).toBe(1);
		await a.createMemory(memory(w, { id: memId, text: "again" }), "messages");
		expect(await a.countMemories(roomId, true, "messages")).toBe(1);

		const goalId = newId();
		await a.createGoal({
			id: up(goalId),
			roomId: up(roomId),
			userId: up(userId),
			name: "g",
			status: "IN_PROGRESS",
			objectives: [],
		});
		await a.updateGoalStatus({ goalId: goalId, status: "DONE" });
		const [goal] = await a.getGoals({ roomId: up(roomId), userId: up(userId) });
		expect(goal).toMatchObject({ id: goalId, roomId, userId, status: "DONE" });

		await a.createRelationship({ userA: up(userId), userB: up(agentId) });
		expect(await a.getRelationship({ userA: userId, userB: agentId })).toMatchObject({
			userA: userId,
			userB: agentId,
		});

		await a.setCache({ agentId: up(agentId), key: "k", value: "v" });
		expect(await a.getCache({ agentId, key: "k" })).toBe("v");

		const kId = newId();
		await a.createKnowledge({ id: up(kId), agentId: up(agentId), content: { text: "k" } });
		expect((await a.getKnowledge({ agentId, id: kId }))[0]?.id).toBe(kId);
		await a.removeKnowledge(up(kId));
		expect(await a.getKnowledge({ agentId, id: kId })).toEqual([]);

		await a.removeMemory(up(memId), "messages");
		expect(await a.getMemoryById(memId)).toBeNull();
		await a.removeRoom(up(roomId));
		expect(await a.getRoom(roomId)).toBeNull();
	});

	it("imports records with upper-case ids as lower-case ones", async () => {
		const source = await ctx.makeAdapter();
		const w = await makeWorld(source);
		const m = memory(w, { embedding: axis(8, 1) });
		await source.createMemory(m, "messages");
		await source.createGoal({
			roomId: w.roomId,
			userId: w.userId,
			name: "g",
			status: "DONE",
			objectives: [],
		});
		await source.log({ body: { a: 1 }, userId: w.userId, roomId: w.roomId, type: "t" });
		await source.setCache({ agentId: w.agentId, key: "k", value: "v" });
		const upper = (r: PortableRecord) => {
			const out: Record<string, unknown> = { ...r };
			for (const f of ["id", "userId", "roomId", "agentId", "userA", "userB"]) {
				if (typeof out[f] === "string") out[f] = (out[f] as string).toUpperCase();
			}
			return out as unknown as PortableRecord;
		};
		const records: PortableRecord[] = [];
		for await (const r of source.exportRecords()) records.push(upper(r));
		const target = await ctx.makeAdapter();
		await target.importRecords(records);
		expect((await target.getAccountById(w.userId))?.id).toBe(w.userId);
		expect(await target.getRoom(w.roomId)).toBe(w.roomId);
		expect(await target.getParticipantsForRoom(w.roomId)).toHaveLength(2);
		expect((await target.getMemoryById(m.id))?.roomId).toBe(w.roomId);
		expect((await target.getGoals({ roomId: w.roomId }))[0]?.userId).toBe(w.userId);
		expect(await target.getCache({ agentId: w.agentId, key: "k" })).toBe("v");
		// Importing the lower-case export again replaces, never duplicates.
		const before = await target.stats();
		await target.importRecords(source.exportRecords());
		expect(await target.stats()).toEqual(before);
	});

	it("treats a missing id on a lookup as not found", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		const none = undefined as unknown as UUID;
		expect(await a.getMemoryById(none)).toBeNull();
		expect(await a.getMemoryById(null as unknown as UUID)).toBeNull();
		expect(await a.getAccountById(none)).toBeNull();
		expect(await a.getAccountById(null as unknown as UUID)).toBeNull();
		expect(await a.getRoom(none)).toBeNull();
		await a.createKnowledge({ id: newId(), agentId: w.agentId, content: { text: "k" } });
		expect(await a.getKnowledge({ agentId: w.agentId, id: undefined })).toHaveLength(1);
		expect(await a.getKnowledge({ agentId: w.agentId, id: null as unknown as UUID })).toHaveLength(
			1,
		);
	});
}
