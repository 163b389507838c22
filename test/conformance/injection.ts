import { expect, it } from "vitest";
import { account, axis, type ConformanceContext, makeWorld, memory, newId } from "./fixtures.js";

const DIM = 8;
const EVIL = [
	"'); DROP TABLE memories;--",
	'"; DROP TABLE accounts; --',
	"' OR '1'='1",
	"%",
	"_",
	"\\",
	"$1",
	"?",
	"*/ SELECT 1; /*",
];

export function registerInjectionTests(ctx: ConformanceContext): void {
	it("stores SQL-looking text in every field literally", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		for (const [i, evil] of EVIL.entries()) {
			const acc = account({
				name: evil,
				username: evil,
				email: evil,
				avatarUrl: evil,
				details: { [evil]: evil },
			});
			await a.createAccount(acc);
			expect(await a.getAccountById(acc.id)).toEqual(acc);
			const content = { text: evil, [evil]: [evil], source: evil };
			const m = memory(w, { content, embedding: axis(DIM, i % DIM) });
			await a.createMemory(m, "messages", true);
			expect((await a.getMemoryById(m.id))?.content).toEqual(content);
			await a.createGoal({
				roomId: w.roomId,
				userId: w.userId,
				name: evil,
				status: "DONE",
				objectives: [{ description: evil, completed: false }],
			});
			await a.log({ body: { [evil]: evil }, userId: w.userId, roomId: w.roomId, type: evil });
			await a.setCache({ agentId: w.agentId, key: evil, value: evil });
			await a.createKnowledge({
				id: newId(),
				agentId: w.agentId,
				content: { text: evil, metadata: { source: evil } },
			});
		}
		const goals = await a.getGoals({ roomId: w.roomId });
		expect(goals.map((g) => g.name).sort()).toEqual([...EVIL].sort());
		expect(goals.map((g) => g.objectives[0]?.description).sort()).toEqual([...EVIL].sort());
		for (const evil of EVIL) expect(await a.getCache({ agentId: w.agentId, key: evil })).toBe(evil);
		const s = await a.stats();
		expect(s).toMatchObject({
			accounts: 4 + EVIL.length,
			memories: EVIL.length,
			goals: EVIL.length,
			logs: EVIL.length,
			cache: EVIL.length,
			knowledge: EVIL.length,
		});
		const texts = (await a.getMemories({ roomId: w.roomId, tableName: "messages" })).map(
			(m) => m.content.text,
		);
		expect(texts.sort()).toEqual([...EVIL].sort());
		const knowledge = (await a.getKnowledge({ agentId: w.agentId })).map((k) => k.content.text);
		expect(knowledge.sort()).toEqual([...EVIL].sort());
	});

	it("compares cache keys literally: no wildcard or quote matches", async () => {
		const a = await ctx.makeAdapter();
		const w = await makeWorld(a);
		await a.setCache({ agentId: w.agentId, key: "abc", value: "v" });
		for (const probe of ["%", "a%", "a_c", "' OR '1'='1", "abc' --", "ABC"]) {
			expect(await a.getCache({ agentId: w.agentId, key: probe })).toBeUndefined();
			expect(await a.deleteCache({ agentId: w.agentId, key: probe })).toBe(false);
		}
		expect(await a.getCache({ agentId: w.agentId, key: "abc" })).toBe("v");
	});

	it("compares the embedding-cache query literally", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const evil = EVIL[0] as string;
		await a.createMemory(memory(w, { text: evil, embedding: axis(DIM, 0) }), "messages");
		await a.createMemory(memory(w, { text: "plain", embedding: axis(DIM, 1) }), "messages");
		const base = {
			query_table_name: "messages",
			query_field_name: "content",
			query_field_sub_name: "text",
			query_match_count: 10,
		};
		expect(await a.getCachedEmbeddings({ ...base, query_input: evil, query_threshold: 0 })).toEqual(
			[{ embedding: axis(DIM, 0), levenshtein_score: 0 }],
		);
		expect(
			await a.getCachedEmbeddings({ ...base, query_input: "' OR '1'='1", query_threshold: 0 }),
		).toEqual([]);
		expect((await a.stats()).memories).toBe(2);
	});
}
