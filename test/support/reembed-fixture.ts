/**
 * Memories for the re-embedding tests: distinct texts (each its own best match under the hashing
 * embedder), stored with their vectors under one model, and checks that a text's vector under the
 * current model finds its memory first.
 */
import { expect } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import type { EmbeddingProvider } from "../../src/embed/provider.js";
import { fixedId } from "./every-kind.js";

export const AGENT = fixedId(900_001);
export const USER = fixedId(900_002);
export const ROOM = fixedId(900_003);
export const TYPE = "facts";

export const memoryId = (i: number): UUID => fixedId(1_000_000 + i);
export const memoryText = (i: number): string =>
	`fact ${i}: the ${["red", "blue", "green", "grey"][i % 4]} box number ${i} holds item x${i * 7919}`;

export async function setupRoom(a: DatabaseAdapter): Promise<void> {
	await a.createAccount({ id: AGENT, name: "Agent", username: "agent" });
	await a.createAccount({ id: USER, name: "User", username: "user" });
	await a.createRoom(ROOM);
}

/** Stores memories `from` … `to - 1` with their `embedder` vectors, in bulk batches. */
export async function storeMemories(
	a: DatabaseAdapter,
	embedder: EmbeddingProvider,
	from: number,
	to: number,
): Promise<void> {
	for (let start = from; start < to; start += 1000) {
		const ids = Array.from({ length: Math.min(1000, to - start) }, (_, k) => start + k);
		const vectors = await embedder.embed(ids.map(memoryText));
		await a.createMemories(
			ids.map((i, k) => ({
				memory: {
					id: memoryId(i),
					agentId: AGENT,
					userId: USER,
					roomId: ROOM,
					content: { text: memoryText(i) },
					embedding: Array.from(vectors[k] as Float32Array),
				},
				tableName: TYPE,
			})),
		);
	}
}

/** The best match for memory `i`'s text under `embedder`, expected to be memory `i` itself. */
export async function expectFound(
	a: DatabaseAdapter,
	embedder: EmbeddingProvider,
	i: number,
): Promise<void> {
	const [hit] = await a.searchMemoriesByEmbedding(
		Array.from(await embedder.embedOne(memoryText(i))),
		{ tableName: TYPE, roomId: ROOM, count: 3 },
	);
	expect(hit?.id).toBe(memoryId(i));
	expect(hit?.similarity).toBeCloseTo(1, 5);
}
