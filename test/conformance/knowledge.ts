import { describe, expect, it } from "vitest";
import { UnsupportedFeatureError, ValidationError } from "../../src/core/errors.js";
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

	describe("ElizaOS RAG chunk ids", () => registerKnowledgeChunkIdTests(ctx));
}

/** ElizaOS 0.1.9's RAG ids: `processFile` stores a file's chunks as `<file uuid>-chunk-<n>`. */
function registerKnowledgeChunkIdTests(ctx: ConformanceContext): void {
	const chunk = (agentId: UUID, fileId: UUID, n: number): KnowledgeItem => ({
		id: `${fileId}-chunk-${n}` as UUID,
		agentId,
		content: {
			text: `${fileId.slice(0, 4)} chunk ${n}`,
			metadata: { isChunk: true, originalId: fileId, chunkIndex: n, source: "doc.md" },
		},
		embedding: Float32Array.from(vec(DIM, 1, n + 1)),
		createdAt: 1000 + n,
	});

	it("stores, reads, searches and removes <uuid>-chunk-<n> ids as given", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const file = newId();
		const main = item(w.agentId, "main", {
			id: file,
			content: { text: "main", metadata: { source: "doc.md" } },
		});
		await a.createKnowledge(main);
		for (const n of [0, 1, 2]) await a.createKnowledge(chunk(w.agentId, file, n));

		const byId = await a.getKnowledge({ agentId: w.agentId, id: `${file}-chunk-1` as UUID });
		expect(byId.map((k) => k.id)).toEqual([`${file}-chunk-1`]);
		expect(byId[0]?.content).toEqual(chunk(w.agentId, file, 1).content);
		const all = await a.getKnowledge({ agentId: w.agentId });
		expect(all.map((k) => k.id).sort()).toEqual(
			[file, `${file}-chunk-0`, `${file}-chunk-1`, `${file}-chunk-2`].sort(),
		);
		const found = await a.searchKnowledge({
			agentId: w.agentId,
			embedding: vec(DIM, 1, 3),
			match_threshold: 0.99,
			match_count: 1,
		});
		expect(found.map((k) => k.id)).toEqual([`${file}-chunk-2`]);

		// Stored again (a re-processed file): replaced, not duplicated.
		await a.createKnowledge({ ...chunk(w.agentId, file, 1), content: { text: "v2" } });
		expect((await a.stats()).knowledge).toBe(4);
		await a.removeKnowledge(`${file}-chunk-0` as UUID);
		expect((await a.getKnowledge({ agentId: w.agentId })).map((k) => k.content.text)).toEqual([
			"main",
			`${file.slice(0, 4)} chunk 2`,
			"v2",
		]);
	});

	it("normalises a chunk id's uuid to lower case", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const file = newId();
		const upper = { ...chunk(w.agentId, file, 7), id: `${file.toUpperCase()}-CHUNK-7` as UUID };
		await a.createKnowledge(upper);
		await a.createKnowledge(chunk(w.agentId, file, 7));
		expect((await a.stats()).knowledge).toBe(1);
		const got = await a.getKnowledge({ agentId: w.agentId, id: upper.id });
		expect(got.map((k) => k.id)).toEqual([`${file}-chunk-7`]);
	});

	it("removes exactly one file's chunks with <uuid>-chunk-*", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const file = newId();
		const other = newId();
		await a.createKnowledge(item(w.agentId, "main", { id: file }));
		await a.createKnowledge(item(w.agentId, "other main", { id: other }));
		// 12 chunks: "-chunk-1" must not stop at 1 (10 and 11 go too), and nothing else goes.
		for (let n = 0; n < 12; n++) await a.createKnowledge(chunk(w.agentId, file, n));
		for (const n of [0, 1]) await a.createKnowledge(chunk(w.agentId, other, n));
		await a.createKnowledge(chunk(w.otherAgentId, other, 5));
		expect((await a.stats()).knowledge).toBe(17);

		await a.removeKnowledge(`${file}-chunk-*` as UUID);
		const left = (await a.getKnowledge({ agentId: w.agentId })).map((k) => k.id).sort();
		expect(left).toEqual([file, other, `${other}-chunk-0`, `${other}-chunk-1`].sort());
		expect((await a.stats()).knowledge).toBe(5);
		// Upper case is the same file; a file without chunks is a no-op.
		await a.removeKnowledge(`${other.toUpperCase()}-chunk-*` as UUID);
		await a.removeKnowledge(`${newId()}-chunk-*` as UUID);
		expect((await a.getKnowledge({ agentId: w.agentId })).map((k) => k.id).sort()).toEqual(
			[file, other].sort(),
		);
		expect((await a.stats()).knowledge).toBe(2);
	});

	it("refuses other id shapes and pattern characters, writing and deleting nothing", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const file = newId();
		await a.createKnowledge(item(w.agentId, "main", { id: file }));
		for (const n of [0, 1]) await a.createKnowledge(chunk(w.agentId, file, n));
		const bad = [
			`${file}-chunk-`,
			`${file}-chunk-x`,
			`${file}-chunk--1`,
			`${file}-chunk-1.5`,
			`${file}-chunk-1-chunk-2`,
			`${file}-chunk-%`,
			`${file}-chunk-_`,
			`${file}-chunk-1*`,
			`${file}-chunk-0 `,
			`${file.slice(0, 35)}%-chunk-*`,
			`${file.slice(0, 35)}_-chunk-*`,
			"%-chunk-*",
			"*",
			`${file}*`,
			`${file}-*`,
			`${file}%`,
			`${file}-chunk-99999999999999999999`,
		];
		for (const id of bad) {
			await expectError(
				() => a.createKnowledge({ ...chunk(w.agentId, file, 3), id: id as UUID }),
				ValidationError,
			);
			await expectError(() => a.removeKnowledge(id as UUID), ValidationError);
		}
		// A wildcard is a removal pattern, never an id to store or read.
		await expectError(
			() => a.createKnowledge({ ...chunk(w.agentId, file, 3), id: `${file}-chunk-*` as UUID }),
			ValidationError,
		);
		await expectError(
			() => a.getKnowledge({ agentId: w.agentId, id: `${file}-chunk-*` as UUID }),
			ValidationError,
		);
		expect((await a.stats()).knowledge).toBe(3);
	});

	it("exports and imports chunk ids unchanged", async () => {
		const a = await ctx.makeAdapter({ embeddingDimension: DIM });
		const w = await makeWorld(a);
		const file = newId();
		await a.createKnowledge(item(w.agentId, "main", { id: file, createdAt: 999 }));
		for (const n of [0, 1]) await a.createKnowledge(chunk(w.agentId, file, n));
		const records = [];
		for await (const r of a.exportRecords()) records.push(r);
		const b = await ctx.makeAdapter({ embeddingDimension: DIM });
		await b.importRecords(records);
		const copied = await b.getKnowledge({ agentId: w.agentId });
		expect(copied.map((k) => k.id)).toEqual([`${file}-chunk-1`, `${file}-chunk-0`, file]);
		expect(copied[0]?.content).toEqual(chunk(w.agentId, file, 1).content);
		expect(Array.from(copied[0]?.embedding ?? [])).toEqual(vec(DIM, 1, 2));
		await b.removeKnowledge(`${file}-chunk-*` as UUID);
		expect((await b.getKnowledge({ agentId: w.agentId })).map((k) => k.id)).toEqual([file]);
	});
}
