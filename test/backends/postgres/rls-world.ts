/**
 * The world of the row-level security tests: users A and B in rooms of their own with an agent,
 * B's rows carrying a canary string, and every read method of the contract aimed at B's side.
 */
import { randomUUID } from "node:crypto";
import type { DatabaseAdapter } from "../../../src/core/adapter.js";
import type { Memory, UUID } from "../../../src/core/types.js";

export const CANARY = `CANARY-B-${randomUUID()}`;
export const id = () => randomUUID() as UUID;
export const A = id();
export const B = id();
export const AGENT = id();
export const ROOM_A = id();
export const ROOM_B = id();
export const MEM_A = id();
export const MEM_B = id();
export const GOAL_B = id();
export const VEC_A = [1, 0, 0, 0];
export const VEC_B = [0, 1, 0, 0];

export function mem(
	memId: UUID,
	roomId: UUID,
	userId: UUID,
	text: string,
	embedding: number[],
): Memory {
	return { id: memId, roomId, userId, agentId: AGENT, content: { text }, embedding };
}

export async function populate(owner: DatabaseAdapter): Promise<void> {
	for (const [who, name] of [
		[A, "alice"],
		[B, "bob"],
		[AGENT, "agent"],
	] as const) {
		await owner.createAccount({ id: who, name, username: name, details: {} });
	}
	for (const [room, user] of [
		[ROOM_A, A],
		[ROOM_B, B],
	] as const) {
		await owner.createRoom(room);
		await owner.addParticipant(user, room);
		await owner.addParticipant(AGENT, room);
	}
	await owner.createMemory(mem(MEM_A, ROOM_A, A, "alpha from A", VEC_A), "messages");
	await owner.createMemory(mem(MEM_B, ROOM_B, B, `${CANARY} from B`, VEC_B), "messages");
	await owner.createMemory(
		{ ...mem(id(), ROOM_B, B, `${CANARY} unembedded`, []), embedding: undefined },
		"messages",
	);
	await owner.createGoal({
		id: GOAL_B,
		roomId: ROOM_B,
		userId: B,
		name: CANARY,
		status: "IN_PROGRESS",
		objectives: [],
	});
	await owner.log({ body: { canary: CANARY }, userId: B, roomId: ROOM_B, type: "debug" });
	await owner.createRelationship({ userA: B, userB: AGENT });
	await owner.createKnowledge({ id: id(), agentId: B, content: { text: CANARY } });
	await owner.setCache({ agentId: B, key: "k", value: CANARY });
}

/** Everything user A can read about B's side through the read methods. */
export async function readEverything(v: DatabaseAdapter): Promise<unknown[]> {
	const out: unknown[] = [
		await v.getMemories({ roomId: ROOM_B, tableName: "messages" }),
		await v.getMemoryById(MEM_B),
		await v.getMemoriesByIds([MEM_A, MEM_B]),
		await v.getMemoriesByRoomIds({ roomIds: [ROOM_A, ROOM_B], tableName: "messages" }),
		await v.countMemories(ROOM_B, false),
		await v.searchMemoriesByEmbedding(VEC_B, { tableName: "messages", count: 10 }),
		await v.searchMemories({
			tableName: "messages",
			roomId: ROOM_B,
			embedding: VEC_B,
			match_count: 10,
			match_threshold: -1,
			unique: false,
		}),
		await v.getCachedEmbeddings({
			query_table_name: "messages",
			query_threshold: 200,
			query_input: `${CANARY} from B`,
			query_field_name: "content",
			query_field_sub_name: "text",
			query_match_count: 10,
		}),
		await v.getMemoriesMissingEmbeddings({ tableName: "messages" }),
		await v.getParticipantsForRoom(ROOM_B),
		await v.getParticipantsForAccount(B),
		await v.getRoomsForParticipant(B),
		await v.getRoomsForParticipants([A, B]),
		await v.getParticipantUserState(ROOM_B, B),
		await v.getActorDetails({ roomId: ROOM_B }),
		await v.getRoom(ROOM_B),
		await v.getGoals({ roomId: ROOM_B }),
		await v.getRelationships({ userId: B }),
		await v.getRelationship({ userA: B, userB: AGENT }),
		await v.getKnowledge({ agentId: B }),
		await v.searchKnowledge({ agentId: B, embedding: VEC_B, match_threshold: -1, match_count: 10 }),
		await v.getCache({ agentId: B, key: "k" }),
	];
	for await (const record of v.exportRecords()) out.push(record);
	return out;
}
