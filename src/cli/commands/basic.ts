/** `init`, `remember`, `recall` and `stats`. */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { redactUrl } from "../../core/redact.js";
import type { UUID } from "../../core/types.js";
import { parseDatabaseUrl } from "../../create-adapter.js";
import {
	databaseUrl,
	embedder,
	ensureAccount,
	ensureRoom,
	openExisting,
	openFor,
	optionsOf,
	output,
	positiveInt,
	roomName,
	similarity,
	stableId,
	UsageError,
	using,
} from "../context.js";
import { clip, shortTime, table, terminalWidth } from "../format.js";

export function registerBasicCommands(program: Command): void {
	program
		.command("init")
		.description(
			"create the database (or check an existing one) for the configured embedding model",
		)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const provider = await embedder(g);
			const url = databaseUrl(g);
			await using(openFor(url, provider), async (db) => {
				const s = await db.stats();
				output(
					g,
					{
						url: redactUrl(url),
						backend: db.capabilities.backend,
						embeddingDimension: s.embeddingDimension,
						embeddingModel: s.embeddingModel,
					},
					() =>
						`Database ready: ${redactUrl(url)} (${db.capabilities.backend}, ${s.embeddingDimension} dimensions, model ${s.embeddingModel}).`,
				);
			});
		});

	program
		.command("remember")
		.description("store one memory (creates the user, agent and room when needed)")
		.argument("<text>", "what to remember")
		.option("--room <name>", "room name or UUID", "default")
		.option("--user <name>", "who said it (name or UUID)", "user")
		.option("--agent <name>", "the agent it belongs to (name or UUID)", "agent")
		.option("--type <type>", "memory type (tableName)", "messages")
		.action(async (text: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (text.trim() === "") throw new UsageError("remember: <text> must not be empty");
			const provider = await embedder(g);
			await using(openFor(databaseUrl(g), provider), async (db) => {
				const userId = await ensureAccount(db, g.user as string);
				const agentId = await ensureAccount(db, g.agent as string);
				const roomId = await ensureRoom(db, g.room as string, [userId, agentId]);
				const id = crypto.randomUUID() as UUID;
				const embedding = Array.from(await provider.embedOne(text));
				await db.createMemory(
					{ id, userId, agentId, roomId, content: { text }, embedding },
					g.type as string,
					true,
				);
				const stored = await db.getMemoryById(id);
				output(
					g,
					{ id, roomId, userId, agentId, type: g.type, unique: stored?.unique ?? true },
					() =>
						`Remembered ${id} in room "${g.room}" (${g.type})${stored?.unique === false ? ", as a near-duplicate of an existing memory" : ""}.`,
				);
			});
		});

	program
		.command("recall")
		.description("find the memories most similar to a query")
		.argument("<query>", "what to look for")
		.option("--room <name>", "only this room (name or UUID)")
		.option("-k, --count <n>", "how many results", positiveInt, 5)
		.option("--threshold <similarity>", "minimum cosine similarity (-1..1)", similarity)
		.option("--type <type>", "memory type (tableName)", "messages")
		.action(async (query: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (query.trim() === "") throw new UsageError("recall: <query> must not be empty");
			const provider = await embedder(g);
			await using(openFor(databaseUrl(g), provider), async (db) => {
				const { results, ms } = await recall(db, await provider.embedOne(query), {
					room: g.room as string | undefined,
					count: g.count as number,
					threshold: g.threshold as number | undefined,
					type: g.type as string,
				});
				output(g, { query, latencyMs: ms, results }, () => recallTable(results, ms));
			});
		});

	program
		.command("stats")
		.description("counts per table, type and room; dimension, model, backend and size")
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const url = databaseUrl(g);
			await using(openExisting(url), async (db) => {
				const s = await db.stats();
				const bytes = await databaseBytes(url);
				const byRoom = await memoriesByRoom(db);
				const json = {
					url: redactUrl(url),
					backend: db.capabilities.backend,
					sizeBytes: bytes,
					...s,
					memoriesByRoom: byRoom,
				};
				output(g, json, () => {
					const rows = [
						["accounts", s.accounts],
						["rooms", s.rooms],
						["participants", s.participants],
						["memories", s.memories],
						...Object.entries(s.memoriesByType).map(([t, n]) => [`  type ${t}`, n]),
						["  without embedding", s.memoriesMissingEmbedding],
						["goals", s.goals],
						["relationships", s.relationships],
						["logs", s.logs],
						["cache", s.cache],
						["knowledge", s.knowledge],
					].map(([k, v]) => [String(k), String(v)]);
					return [
						`database   ${redactUrl(url)} (${db.capabilities.backend}${bytes === null ? "" : `, ${formatBytes(bytes)}`})`,
						`embeddings ${s.embeddingDimension} dimensions, model ${s.embeddingModel ?? "(not recorded)"}`,
						"",
						table(["table", "count"], rows),
						"",
						table(
							["room", "memories"],
							Object.entries(byRoom)
								.slice(0, SHOWN_ROOMS)
								.map(([room, n]) => [room, String(n)]),
						),
						...(Object.keys(byRoom).length > SHOWN_ROOMS
							? [
									`… and ${Object.keys(byRoom).length - SHOWN_ROOMS} more rooms (all of them with --json)`,
								]
							: []),
					].join("\n");
				});
			});
		});
}

export interface RecallRow {
	rank: number;
	similarity: number;
	createdAt: number | undefined;
	id: string | undefined;
	roomId: string;
	userId: string;
	speaker: string | undefined;
	text: string;
}

export async function recall(
	db: DatabaseAdapter,
	query: Float32Array,
	o: { room?: string; count: number; threshold?: number; type: string },
): Promise<{ results: RecallRow[]; ms: number }> {
	const started = performance.now();
	const found = await db.searchMemoriesByEmbedding(query, {
		tableName: o.type,
		count: o.count,
		match_threshold: o.threshold,
		roomId: o.room === undefined ? undefined : stableId("room", o.room),
	});
	const ms = Math.round((performance.now() - started) * 100) / 100;
	const results = found.map((m, i) => ({
		rank: i + 1,
		similarity: m.similarity ?? 0,
		createdAt: m.createdAt,
		id: m.id,
		roomId: m.roomId,
		userId: m.userId,
		speaker: typeof m.content.name === "string" ? m.content.name : undefined,
		text: m.content.text ?? "",
	}));
	return { results, ms };
}

export function recallTable(results: RecallRow[], ms: number): string {
	if (results.length === 0) return `No memories matched (${ms} ms).`;
	const textWidth = Math.max(20, terminalWidth() - 36);
	const rows = results.map((r) => [
		String(r.rank),
		r.similarity.toFixed(3),
		shortTime(r.createdAt),
		clip(r.speaker ? `${r.speaker}: ${r.text}` : r.text, textWidth),
	]);
	return `${table(["#", "sim", "time (UTC)", "text"], rows)}\n(${results.length} results in ${ms} ms)`;
}

const SHOWN_ROOMS = 20;

/**
 * Memories per room, most first. The contract has no room listing: rooms are read from the start
 * of the export stream (they come right after accounts), then counted one by one.
 */
async function memoriesByRoom(db: DatabaseAdapter): Promise<Record<string, number>> {
	const rooms: UUID[] = [];
	for await (const r of db.exportRecords()) {
		if (r.kind === "room") rooms.push(r.id);
		else if (r.kind !== "database" && r.kind !== "account") break;
	}
	const counts: [string, number][] = [];
	for (const room of rooms) {
		const name = await roomName(db, room);
		counts.push([name ? `${name} (${room})` : room, await db.countMemories(room, false)]);
	}
	return Object.fromEntries(counts.sort((a, b) => b[1] - a[1]));
}

/** The database's size on disk: the SQLite file (with its WAL) or the PGlite directory; null otherwise. */
async function databaseBytes(url: string): Promise<number | null> {
	const parsed = parseDatabaseUrl(url);
	const size = async (p: string) => (await stat(p).catch(() => null))?.size ?? 0;
	if (parsed.backend === "sqlite" && parsed.path !== ":memory:") {
		return (await size(parsed.path)) + (await size(`${parsed.path}-wal`));
	}
	if (parsed.backend === "pglite" && parsed.dataDir) {
		const entries = await readdir(parsed.dataDir, { recursive: true }).catch(() => []);
		let total = 0;
		for (const e of entries) total += await size(join(parsed.dataDir, e));
		return total;
	}
	return null;
}

function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
