/**
 * The persistence check: a dataset with fixed ids is written once, then the page is reloaded and
 * the database reopened from browser storage. Both loads report a snapshot (every record with all
 * its columns, plus search results); the test asserts the two are equal.
 */
import type { DatabaseAdapter } from "../../../src/core/adapter.js";
import type { UUID } from "../../../src/core/types.js";
import { account, randomVector, seededRng } from "../../conformance/fixtures.js";

export const DIM = 8;
// Above COPY_MIN_ROWS (core/sql/memories-bulk.ts): on PGlite the batch loads by binary COPY through
// its /dev/blob device, so the reload proves that path reaches IndexedDB too.
export const MEMORIES = 600;
const KNOWLEDGE = 12;

/** A fixed, valid v4-shaped UUID per small integer, so both page loads know the ids. */
const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}` as UUID;
const AGENT = id(1);
const USER = id(2);
const ROOMS = [id(10), id(11)];

export async function writeDataset(a: DatabaseAdapter): Promise<void> {
	const rng = seededRng(7);
	await a.createAccount(account({ id: AGENT }));
	await a.createAccount(account({ id: USER }));
	for (const room of ROOMS) {
		await a.createRoom(room);
		await a.addParticipant(AGENT, room);
	}
	await a.createMemories(
		Array.from({ length: MEMORIES }, (_, i) => ({
			memory: {
				id: id(100 + i),
				agentId: AGENT,
				userId: USER,
				roomId: ROOMS[i % 2] as UUID,
				content: { text: `memory ${i}` },
				embedding: randomVector(rng, DIM),
				createdAt: 1_700_000_000_000 + i,
			},
			tableName: "messages",
		})),
	);
	for (let i = 0; i < KNOWLEDGE; i++) {
		await a.createKnowledge({
			id: id(1000 + i),
			agentId: AGENT,
			content: { text: `fact ${i}` },
			embedding: Float32Array.from(randomVector(rng, DIM)),
		});
	}
	await a.setCache({ agentId: AGENT, key: "persisted", value: "yes" });
	await a.createGoal({
		roomId: ROOMS[0] as UUID,
		userId: USER,
		name: "remember",
		status: "IN_PROGRESS",
		objectives: [{ description: "survive a reload", completed: false }],
	});
}

/** Everything the database holds, and what searching it returns. */
export async function snapshot(a: DatabaseAdapter): Promise<unknown> {
	const records: unknown[] = [];
	for await (const record of a.exportRecords()) records.push(record);
	const query = randomVector(seededRng(99), DIM);
	const search = await a.searchMemoriesByEmbedding(query, {
		tableName: "messages",
		roomId: ROOMS[1] as UUID,
		count: 5,
	});
	const knowledge = await a.searchKnowledge({
		agentId: AGENT,
		embedding: query,
		match_threshold: -1,
		match_count: 5,
	});
	return {
		stats: await a.stats(),
		records,
		search: search.map((m) => ({ id: m.id, similarity: m.similarity })),
		knowledge: knowledge.map((k) => ({ id: k.id, similarity: k.similarity })),
		cache: await a.getCache({ agentId: AGENT, key: "persisted" }),
	};
}
