/**
 * Re-embedding on a model switch (core/sql/reembed.ts) on every backend: 384 → 128 dimensions with
 * the hashing embedder. Search answers with the old model before and during (between batches), a
 * query of the new dimension is refused with EmbeddingDimensionError until the switch and the old
 * one after; a memory written during the re-embed is searchable after; an aborted run resumes;
 * a second adapter opened before the switch learns of it at its next search.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { EmbeddingDimensionError } from "../../src/core/errors.js";
import { createHashingEmbedder } from "../../src/embed/hashing.js";
import { abortReembed, reembed, reembedStatus } from "../../src/reembed.js";
import { fixedId } from "../support/every-kind.js";
import {
	AGENT,
	expectFound,
	memoryId,
	ROOM,
	setupRoom,
	storeMemories,
	TYPE,
	USER,
} from "../support/reembed-fixture.js";
import { sharedPGlite } from "./pglite/shared-instance.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import { tempFiles } from "./sqlite/harness.js";

const OLD = createHashingEmbedder({ dimension: 384 });
const NEW = createHashingEmbedder({ dimension: 128 });
const N = 300;
/** Generous: PGlite alone takes tens of seconds to start on a loaded machine. */
const TIMEOUT = 300_000;

interface Backend {
	name: string;
	/** A fresh database's first adapter, and (for databases others can open) a second one on it. */
	open(): Promise<{ adapter: DatabaseAdapter; another?: () => Promise<DatabaseAdapter> }>;
}

const files = tempFiles("reembed");
const pglite = sharedPGlite();
const pg = await setupTestDatabase("reembed on postgres");
let schemas = 0;

const BACKENDS: Backend[] = [
	{
		name: "sqljs",
		open: async () => ({ adapter: await init(new SqlJsDatabaseAdapter(settings())) }),
	},
	...(["vec0", "exact-scan"] as const).map((vectorSearch) => ({
		name: `sqlite (${vectorSearch})`,
		async open() {
			const path = files.file();
			const adapter = await init(new SqliteDatabaseAdapter({ path, vectorSearch, ...settings() }));
			return {
				adapter,
				another: () => init(new SqliteDatabaseAdapter({ path, vectorSearch })),
			};
		},
	})),
	{
		name: "pglite",
		open: async () => ({ adapter: await init(await pglite.adapter(settings())) }),
	},
	...(pg
		? [
				{
					name: "postgres",
					async open() {
						const schema = `reembed_${++schemas}`;
						const adapter = await init(await pg.adapter({ schema, ...settings() }));
						return { adapter, another: async () => init(await pg.adapter({ schema })) };
					},
				},
				{
					// Named prepared statements survive the switch's ALTER TABLE (no statement's result
					// type changes with the dimension).
					name: "postgres (preparedStatements)",
					async open() {
						const schema = `reembed_${++schemas}`;
						const prepared = { schema, preparedStatements: true, poolConfig: { max: 1 } };
						const adapter = await init(await pg.adapter({ ...prepared, ...settings() }));
						return { adapter, another: async () => init(await pg.adapter(prepared)) };
					},
				},
			]
		: []),
];

const opened: DatabaseAdapter[] = [];
afterAll(async () => {
	for (const a of opened) await a.close().catch(() => undefined);
});

function settings() {
	return { embeddingDimension: OLD.dimension, embeddingModel: OLD.model };
}

async function init<A extends DatabaseAdapter>(a: A): Promise<A> {
	opened.push(a);
	await a.init();
	return a;
}

async function dimensionRefused(a: DatabaseAdapter, vector: Float32Array): Promise<Error> {
	const err = await a
		.searchMemoriesByEmbedding(Array.from(vector), { tableName: TYPE, roomId: ROOM })
		.then(
			() => null,
			(e: Error) => e,
		);
	expect(err).toBeInstanceOf(EmbeddingDimensionError);
	return err as Error;
}

describe.each(BACKENDS)("reembed on $name", (backend) => {
	it(
		"switches 384 → 128 online: search right before, during and after; writes during it kept",
		async () => {
			const { adapter: a, another } = await backend.open();
			await setupRoom(a);
			await storeMemories(a, OLD, 0, N);
			// A memory without text loses its vector; a knowledge item is re-embedded too.
			await a.createMemory(
				{
					id: fixedId(77),
					agentId: AGENT,
					userId: USER,
					roomId: ROOM,
					content: { text: "" },
					embedding: Array.from(await OLD.embedOne("no text")),
				},
				TYPE,
			);
			const knowledgeId = fixedId(88);
			await a.createKnowledge({
				id: knowledgeId,
				agentId: AGENT,
				content: { text: "the knowledge about boxes" },
				embedding: await OLD.embedOne("the knowledge about boxes"),
			});
			const reader = another ? await another() : undefined;
			if (reader) opened.push(reader);
			await expectFound(a, OLD, 5);
			if (reader) await expectFound(reader, OLD, 5);

			const phases: string[] = [];
			let wrote = false;
			const result = await reembed(a, {
				embedder: NEW,
				batchSize: 50,
				async onProgress(p) {
					phases.push(p.phase);
					if (p.phase !== "embedding" || p.done === 0 || p.done >= p.total) return;
					// Between batches: the old model answers, the new dimension is refused and says why.
					await expectFound(a, OLD, 1 + ((p.done * 7) % (N - 1)));
					if (reader) await expectFound(reader, OLD, 1 + ((p.done * 3) % (N - 1)));
					const err = await dimensionRefused(a, await NEW.embedOne("x"));
					expect(err.message).toContain("re-embed to 128 dimensions");
					expect((await reembedStatus(a)).target).toEqual({ dimension: 128, model: NEW.model });
					if (!wrote && p.done >= 150) {
						wrote = true;
						await storeMemories(a, OLD, N, N + 1);
						// An already re-embedded memory changed: its next vector must be made again.
						await a.createMemory(
							{
								id: memoryId(0),
								agentId: AGENT,
								userId: USER,
								roomId: ROOM,
								content: { text: "changed text zero" },
								embedding: Array.from(await OLD.embedOne("changed text zero")),
							},
							TYPE,
						);
					}
				},
			});
			expect(wrote).toBe(true);
			expect(phases.at(-1)).toBe("switched");
			expect(phases).toContain("switching");
			expect(result.to).toEqual({ dimension: 128, model: NEW.model });
			expect(result.from.dimension).toBe(384);
			expect(result.withoutText).toBe(1);
			expect(result.memories).toBe(N + 1);
			expect(result.knowledge).toBe(1);

			expect(a.capabilities.embeddingDimension).toBe(128);
			for (const i of [1, 5, 42, 150, 299, N]) await expectFound(a, NEW, i);
			const [changed] = await a.searchMemoriesByEmbedding(
				Array.from(await NEW.embedOne("changed text zero")),
				{ tableName: TYPE, roomId: ROOM, count: 1 },
			);
			expect(changed?.id).toBe(memoryId(0));
			expect(changed?.similarity).toBeCloseTo(1, 5);
			await dimensionRefused(a, await OLD.embedOne("x"));
			const [k] = await a.searchKnowledge({
				agentId: AGENT,
				embedding: await NEW.embedOne("the knowledge about boxes"),
				match_threshold: 0.5,
				match_count: 1,
			});
			expect(k?.id).toBe(knowledgeId);
			expect((await a.getMemoryById(fixedId(77)))?.embedding ?? []).toHaveLength(0);
			expect(await a.countMemories(ROOM, false, TYPE)).toBe(N + 2);
			expect(await reembedStatus(a)).toMatchObject({
				dimension: 128,
				model: NEW.model,
				target: null,
			});
			// A new memory under the new model.
			await a.createMemory(
				{
					id: fixedId(99),
					agentId: AGENT,
					userId: USER,
					roomId: ROOM,
					content: { text: "after" },
					embedding: Array.from(await NEW.embedOne("after")),
				},
				TYPE,
			);
			if (reader) {
				// Opened before the switch: its next search reads the new settings.
				await dimensionRefused(reader, await OLD.embedOne("fact 3"));
				await expectFound(reader, NEW, 3);
				expect(reader.capabilities.embeddingDimension).toBe(128);
				const fresh = await another?.();
				if (fresh) {
					opened.push(fresh);
					expect(fresh.capabilities.embeddingDimension).toBe(128);
					await expectFound(fresh, NEW, 7);
				}
			}
		},
		TIMEOUT,
	);

	it(
		"resumes an interrupted re-embed where it stopped, or abandons it",
		async () => {
			const { adapter: a } = await backend.open();
			await setupRoom(a);
			await storeMemories(a, OLD, 0, 200);
			const stop = new AbortController();
			const err = await reembed(a, {
				embedder: NEW,
				batchSize: 40,
				signal: stop.signal,
				onProgress: (p) => {
					if (p.done >= 80) stop.abort();
				},
			}).catch((e: Error) => e);
			expect(err).toBeInstanceOf(Error);
			expect((err as Error).name).toBe("AbortError");
			const status = await reembedStatus(a);
			expect(status).toMatchObject({ dimension: 384, target: { dimension: 128 }, total: 200 });
			expect(status.done).toBe(80);
			await expectFound(a, OLD, 150);
			// Another model cannot take over a re-embed in progress.
			await expect(
				reembed(a, { embedder: createHashingEmbedder({ dimension: 64 }) }),
			).rejects.toThrow(/in progress/);
			// Abandoned, then started again: it resumes from nothing; resumed after an abort, from 80.
			expect(await abortReembed(a)).toBe(true);
			expect((await reembedStatus(a)).target).toBeNull();
			const stop2 = new AbortController();
			await reembed(a, {
				embedder: NEW,
				batchSize: 40,
				signal: stop2.signal,
				onProgress: (p) => {
					if (p.done >= 80) stop2.abort();
				},
			}).catch(() => undefined);
			const result = await reembed(a, { embedder: NEW, batchSize: 40 });
			expect(result.resumed).toBe(80);
			expect(result.embedded).toBe(120);
			expect(result.memories).toBe(200);
			for (const i of [0, 79, 80, 199]) await expectFound(a, NEW, i);
		},
		TIMEOUT,
	);
});
