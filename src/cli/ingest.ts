/** Turns source items into memories: accounts, rooms and participants as needed, embedded in batches. */
import type { DatabaseAdapter } from "../core/adapter.js";
import type { CreateMemoryItem, UUID } from "../core/types.js";
import type { EmbeddingProvider } from "../embed/provider.js";
import { ensureAccount, ensureRoom, stableId } from "./context.js";
import { progress } from "./progress.js";
import { readSource, type SourceItem } from "./sources.js";

const BATCH = 64;

export interface IngestOptions {
	/** Put every item in this room instead of the file's (or chat line's) room. */
	room?: string;
	/** The author of document chunks and of chat lines without a speaker. */
	user: string;
	agent: string;
	type: string;
	/** Draw a progress bar on stderr (when it is a terminal). */
	showProgress: boolean;
}

export interface IngestResult {
	files: number;
	memories: number;
	rooms: string[];
	/** Memories stored as near-duplicates of an existing one (unique = false). */
	duplicates: number;
}

export async function ingestFiles(
	db: DatabaseAdapter,
	provider: EmbeddingProvider,
	files: string[],
	o: IngestOptions,
): Promise<IngestResult> {
	let total = 0;
	for (const file of files) for await (const _ of readSource(file)) total++;
	const bar = progress("ingesting", total, o.showProgress);
	const agentId = await ensureAccount(db, o.agent);
	const users = new Map<string, UUID>();
	const rooms = new Map<string, UUID>();
	const userId = async (name: string) => {
		let id = users.get(name);
		if (!id) {
			id = await ensureAccount(db, name);
			users.set(name, id);
		}
		return id;
	};
	const joined = new Set<string>();
	const roomId = async (name: string, user: UUID) => {
		const id = rooms.get(name) ?? (await ensureRoom(db, name, [agentId]));
		rooms.set(name, id);
		if (!joined.has(`${id}/${user}`)) await db.addParticipant(user, id);
		joined.add(`${id}/${user}`);
		return id;
	};
	let done = 0;
	let batch: SourceItem[] = [];
	const ids: UUID[] = [];
	const flush = async () => {
		const vectors = await provider.embed(batch.map((b) => b.text));
		const items: CreateMemoryItem[] = [];
		for (const [i, item] of batch.entries()) {
			const speaker = item.speaker ?? o.user;
			const user = await userId(speaker);
			const id = stableId("memory", item.key);
			ids.push(id);
			items.push({
				tableName: o.type,
				unique: true,
				memory: {
					id,
					userId: user,
					agentId,
					roomId: await roomId(o.room ?? item.room, user),
					createdAt: item.createdAt,
					content: {
						text: item.text,
						source: item.source,
						...(item.speaker ? { name: item.speaker } : {}),
					},
					embedding: Array.from(vectors[i] as Float32Array),
				},
			});
		}
		await db.createMemories(items);
		done += batch.length;
		bar.update(done);
		batch = [];
	};
	for (const file of files) {
		for await (const item of readSource(file)) {
			batch.push(item);
			if (batch.length >= BATCH) await flush();
		}
	}
	if (batch.length > 0) await flush();
	bar.finish();
	let duplicates = 0;
	for (let i = 0; i < ids.length; i += 500) {
		const found = await db.getMemoriesByIds(ids.slice(i, i + 500), o.type);
		duplicates += found.filter((m) => m.unique === false).length;
	}
	return { files: files.length, memories: done, rooms: [...rooms.keys()], duplicates };
}
