import { expect, it } from "vitest";
import { UnsupportedFeatureError } from "../../src/core/errors.js";
import type { KnowledgeItem, UUID } from "../../src/core/types.js";
import { axis, type ConformanceContext, expectError, makeWorld, newId, vec } from "./fixtures.js";

const DIM = 8;

function item(agentId: UUID, text: string, fields: Partial<KnowledgeItem> = {}): KnowledgeItem {
	return { id: newId(), agentId, content: { text }, ...fields };
}

const texts = (ks: KnowledgeItem[]) => ks.map((k) => k.content.text);

export function registerKnowledgeTests(ctx: ConformanceContext): void {
	it("stores items and lists the agent's own and shared ones, newest first", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const own = item(w.agentId, "own", {
			content: { text: "own", metadata: { source: "doc.md", isMain: true, extra: { n: 1 } } },
			embedding: Float32Array.from(vec(DIM, 1, 2)),
			createdAt: 1000,
		});
		const shared = item(w.otherAgentId, "shared", {
			content: { text: "shared", metadata: { isShared: true } },
			createdAt: 2000,
		});
		const foreign = item(w.otherAgentId, "foreign", { createdAt: 3000 });
		for (const k of [own, shared, foreign]) await a.createKnowledge(k);

		const mine = await a.getKnowledge({ agentId: w.agentId });
		expect(texts(mine)).toEqual(["shared", "own"]);
		const got = mine[1];
		expect(got?.content).toEqual(own.content);
		expect(got?.createdAt).toBe(1000);
		expect(got?.embedding).toBeInstanceOf(Float32Array);
		expect(Array.from(got?.embedding ?? [])).toEqual(vec(DIM, 1, 2));
		expect(texts(await a.getKnowledge({ agentId: w.agentId, limit: 1 }))).toEqual(["shared"]);
		expect(texts(await a.getKnowledge({ agentId: w.agentId, id: own.id }))).toEqual(["own"]);
		expect(await a.getKnowledge({ agentId: w.agentId, id: foreign.id })).toEqual([]);
		expect(texts(await a.getKnowledge({ agentId: w.otherAgentId, id: foreign.id }))).toEqual([
			"foreign",
		]);
		expect(await a.getKnowledge({ agentId: w.agentId, id: newId() })).toEqual([]);
	});

	it("searches by cosine similarity over the agent's own and shared items", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.createKnowledge(
			item(w.agentId, "same", { embedding: Float32Array.from(axis(DIM, 0)) }),
		);
		await a.createKnowledge(
			item(w.agentId, "half", { embedding: Float32Array.from(vec(DIM, 1, 1, 1, 1)) }),
		);
		await a.createKnowledge(
			item(w.agentId, "orthogonal", { embedding: Float32Array.from(axis(DIM, 1)) }),
		);
		await a.createKnowledge(item(w.agentId, "no embedding"));
		await a.createKnowledge(
			item(w.otherAgentId, "shared", {
				content: { text: "shared", metadata: { isShared: true } },
				embedding: Float32Array.from(vec(DIM, 3, 4)),
			}),
		);
		await a.createKnowledge(
			item(w.otherAgentId, "foreign", { embedding: Float32Array.from(axis(DIM, 0)) }),
		);

		const res = await a.searchKnowledge({
			agentId: w.agentId,
			embedding: axis(DIM, 0),
			match_threshold: 0.5,
			match_count: 10,
		});
		expect(texts(res)).toEqual(["same", "shared", "half"]);
		expect(res.map((k) => k.similarity)).toEqual([
			expect.closeTo(1, 6),
			expect.closeTo(0.6, 6),
			expect.closeTo(0.5, 6),
		]);
		expect(res[0]?.embedding).toBeInstanceOf(Float32Array);
		const top1 = await a.searchKnowledge({
			agentId: w.agentId,
			embedding: Float32Array.from(axis(DIM, 0)),
			match_threshold: -1,
			match_count: 1,
		});
		expect(texts(top1)).toEqual(["same"]);
		const other = await a.searchKnowledge({
			agentId: w.otherAgentId,
			embedding: axis(DIM, 0),
			match_threshold: 0,
			match_count: 10,
		});
		expect(texts(other)).toEqual(["foreign", "shared"]);
	});

	it("replaces an item stored again with the same id", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const k = item(w.agentId, "v1");
		await a.createKnowledge(k);
		await a.createKnowledge({ ...k, content: { text: "v2" } });
		expect(texts(await a.getKnowledge({ agentId: w.agentId }))).toEqual(["v2"]);
		expect((await a.stats()).knowledge).toBe(1);
	});

	it("removes an item with its chunks, and clears an agent's items", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const main = item(w.agentId, "main", { content: { text: "main", metadata: { isMain: true } } });
		const chunks = [0, 1].map((i) =>
			item(w.agentId, `chunk ${i}`, {
				content: {
					text: `chunk ${i}`,
					metadata: { isChunk: true, originalId: main.id, chunkIndex: i },
				},
			}),
		);
		const keep = item(w.agentId, "keep");
		for (const k of [main, ...chunks, keep]) await a.createKnowledge(k);
		await a.removeKnowledge(main.id);
		await a.removeKnowledge(newId());
		expect(texts(await a.getKnowledge({ agentId: w.agentId }))).toEqual(["keep"]);

		const sharedOwn = item(w.agentId, "shared own", {
			content: { text: "shared own", metadata: { isShared: true } },
		});
		const otherAgent = item(w.otherAgentId, "other agent");
		await a.createKnowledge(sharedOwn);
		await a.createKnowledge(otherAgent);
		await a.clearKnowledge(w.agentId);
		expect(texts(await a.getKnowledge({ agentId: w.agentId }))).toEqual(["shared own"]);
		await a.clearKnowledge(w.agentId, true);
		expect(await a.getKnowledge({ agentId: w.agentId })).toEqual([]);
		expect(texts(await a.getKnowledge({ agentId: w.otherAgentId }))).toEqual(["other agent"]);
	});

	it("refuses a text query in getKnowledge rather than ignoring it", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		await a.createKnowledge(item(w.agentId, "k"));
		await expectError(
			() => a.getKnowledge({ agentId: w.agentId, query: "k" }),
			UnsupportedFeatureError,
		);
		await expectError(
			() =>
				a.getKnowledge({ agentId: w.agentId, conversationContext: "'); DROP TABLE knowledge;--" }),
			UnsupportedFeatureError,
		);
		expect((await a.stats()).knowledge).toBe(1);
	});
}
