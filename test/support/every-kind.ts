/**
 * Fills a database with every record kind the portable format carries, through the public API:
 * accounts with and without optional fields, participant states, goals, logs, cache entries, shared
 * and chunked knowledge, and memories of several types with and without embeddings, including
 * near-duplicates (stored with unique = false) and more than one export page.
 */
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import type { UUID } from "../../src/core/types.js";

/** A deterministic UUID from a number, so fixtures are stable across runs. */
export function fixedId(n: number): UUID {
	const hex = n.toString(16).padStart(12, "0");
	return `00000000-0000-4000-8000-${hex}` as UUID;
}

/** A deterministic unit-ish vector from a seed. */
export function seededVector(seed: number, dim: number): number[] {
	let a = seed * 2654435761;
	return Array.from({ length: dim }, () => {
		a = (a * 1103515245 + 12345) % 2147483648;
		return a / 2147483648 - 0.5;
	});
}

export async function populateEveryKind(
	a: DatabaseAdapter,
	dim: number,
	memoryCount = 600,
): Promise<void> {
	const [alice, bob, agent] = [fixedId(1), fixedId(2), fixedId(3)];
	await a.createAccount({
		id: alice,
		name: "Alice",
		username: "alice",
		email: "alice@example.com",
		avatarUrl: "https://example.com/a.png",
		details: { tz: "Europe/Paris", tags: ["ops"] },
	});
	await a.createAccount({ id: bob, name: "Bob", username: "bob" });
	await a.createAccount({ id: agent, name: "Agent", username: "agent", details: {} });
	const rooms = [fixedId(10), fixedId(11), fixedId(12)];
	// One named room (the name travels with it), two without.
	for (const [i, r] of rooms.entries()) await a.createRoom(r, i === 0 ? "launch ✨" : undefined);
	for (const r of rooms) {
		await a.addParticipant(alice, r);
		await a.addParticipant(agent, r);
	}
	await a.addParticipant(bob, rooms[0] as UUID);
	await a.setParticipantUserState(rooms[0] as UUID, alice, "FOLLOWED");
	await a.setParticipantUserState(rooms[1] as UUID, agent, "MUTED");
	await a.createRelationship({ userA: alice, userB: bob });
	await a.createRelationship({ userA: agent, userB: alice });
	await a.createGoal({
		id: fixedId(20),
		roomId: rooms[0] as UUID,
		userId: alice,
		name: "ship v1",
		status: "IN_PROGRESS",
		objectives: [{ id: "o1", description: "write docs", completed: true }],
	});
	await a.createGoal({
		id: fixedId(21),
		roomId: rooms[1] as UUID,
		userId: null as unknown as UUID,
		name: "room goal",
		status: "DONE",
		objectives: [],
	});
	await a.log({
		body: { action: "reply", n: 1 },
		userId: alice,
		roomId: rooms[0] as UUID,
		type: "action",
	});
	await a.setCache({ agentId: agent, key: "summary", value: "short summary" });
	await a.setCache({ agentId: agent, key: "empty", value: "" });
	// An entry that expires (in 2100: never during a test), so its expiry travels too.
	await a.setCache({ agentId: alice, key: "k", value: "v", expiresAt: 4_102_444_800_000 });
	await a.createKnowledge({
		id: fixedId(30),
		agentId: agent,
		content: { text: "the main document", metadata: { isMain: true, source: "doc.md" } },
		embedding: Float32Array.from(seededVector(30, dim)),
		createdAt: 1_700_000_000_000,
	});
	await a.createKnowledge({
		id: fixedId(31),
		agentId: agent,
		content: {
			text: "a chunk",
			metadata: { isChunk: true, originalId: fixedId(30), chunkIndex: 0, isShared: true },
		},
		embedding: Float32Array.from(seededVector(31, dim)),
		createdAt: 1_700_000_000_001,
	});
	const items = Array.from({ length: memoryCount }, (_, i) => ({
		memory: {
			id: fixedId(1000 + i),
			userId: i % 2 ? alice : agent,
			agentId: agent,
			roomId: rooms[i % 3] as UUID,
			createdAt: 1_700_000_000_000 + i * 1000,
			content: { text: `memory number ${i}`, source: "fixture", i },
			...(i % 50 === 7 ? {} : { embedding: seededVector(i, dim) }),
		},
		tableName: i % 10 === 0 ? "facts" : "messages",
		unique: true,
	}));
	await a.createMemories(items);
	// A near-duplicate: stored with unique = false.
	await a.createMemory(
		{
			id: fixedId(900),
			userId: alice,
			agentId: agent,
			roomId: rooms[1] as UUID,
			content: { text: "memory number 1 again" },
			embedding: seededVector(1, dim),
			createdAt: 1_800_000_000_000,
		},
		"messages",
		true,
	);
}

/** Every record of an adapter, with embeddings as plain arrays (for deep equality). */
export async function collectRecords(a: DatabaseAdapter): Promise<unknown[]> {
	const out: unknown[] = [];
	for await (const r of a.exportRecords()) out.push(normalise(r));
	return out;
}

function normalise(r: PortableRecord): unknown {
	if ((r.kind === "memory" || r.kind === "knowledge") && r.embedding) {
		return { ...r, embedding: Array.from(r.embedding) };
	}
	return r;
}
