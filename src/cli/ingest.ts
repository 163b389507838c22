/** Turns source items into memories: accounts, rooms and participants as needed, embedded in batches. */
import type { DatabaseAdapter } from "../core/adapter.js";
import { AgentmemError, ValidationError } from "../core/errors.js";
import { assertStorableText } from "../core/text-check.js";
import type { CreateMemoryItem, UUID } from "../core/types.js";
import type { EmbeddingProvider } from "../embed/provider.js";
import { spoken } from "./commands/basic.js";
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
		// Checked one by one first, so a refusal names the file and line (or chunk) it came from.
		for (const item of batch) {
			try {
				assertStorableText(item.text, "text");
				if (item.speaker) assertStorableText(item.speaker, "speaker");
			} catch (err) {
				throw new ValidationError(place(item), (err as Error).message, { cause: err });
			}
		}
		// The speaker is embedded with the text: "when does Dan arrive" finds "Dan: my flight…".
		const vectors = await withPlace(batch, () =>
			provider.embed(batch.map((b) => spoken(b.speaker, b.text))),
		);
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
		await withPlace(batch, () => db.createMemories(items));
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

/** `notes.md (chunk 3)` or `chat.jsonl:12`: where an item came from. */
function place(item: SourceItem): string {
	const hash = item.key.lastIndexOf("#");
	return hash > 0 && !item.key.endsWith(".jsonl")
		? `${item.source} (chunk ${Number(item.key.slice(hash + 1)) + 1})`
		: `${item.source}:${item.key.slice(item.key.lastIndexOf(":") + 1)}`;
}

/** Runs `work` on a batch; a typed error it throws is told which items the batch held. */
async function withPlace<T>(batch: SourceItem[], work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (!(err instanceof AgentmemError) || batch.length === 0) throw err;
		const first = place(batch[0] as SourceItem);
		const last = place(batch[batch.length - 1] as SourceItem);
		err.message = `${first === last ? first : `${first} … ${last}`}: ${err.message}`;
		throw err;
	}
}
