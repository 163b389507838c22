/** `init`, `remember` and `stats` (`recall` is in recall.ts). */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { redactUrl } from "../../core/redact.js";
import type { UUID } from "../../core/types.js";
import { parseDatabaseUrl } from "../../create-adapter.js";
import {
	databaseUrl,
	ensureAccount,
	ensureRoom,
	optionsOf,
	output,
	UsageError,
	using,
} from "../context.js";
import { table } from "../format.js";
import { openExisting, openWritable } from "../open.js";

export function registerBasicCommands(program: Command): void {
	program
		.command("init")
		.description(
			"create the database (or check an existing one) for the configured embedding model",
		)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const url = databaseUrl(g);
			const { db } = await openWritable(g);
			await using(Promise.resolve(db), async (db) => {
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
			const { db: opened, provider } = await openWritable(g);
			await using(Promise.resolve(opened), async (db) => {
				const userId = await ensureAccount(db, g.user as string);
				const agentId = await ensureAccount(db, g.agent as string);
				const roomId = await ensureRoom(db, g.room as string, [userId, agentId]);
				const id = crypto.randomUUID() as UUID;
				// A named speaker is embedded with the text, as ingest does ("Dan: my flight…").
				const speaker = g.sources.user === "default" ? undefined : (g.user as string);
				const content = speaker ? { text, name: speaker } : { text };
				const embedding = Array.from(await provider.embedOne(spoken(speaker, text)));
				await db.createMemory(
					{ id, userId, agentId, roomId, content, embedding },
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
		.command("stats")
		.description("counts per table, type and room; dimension, model, backend and size")
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const url = databaseUrl(g);
			await using(openExisting(url, g), async (db) => {
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

const SHOWN_ROOMS = 20;

/** Memories per room (every type), most first: `name (id)`, or the id of a room without a name. */
async function memoriesByRoom(db: DatabaseAdapter): Promise<Record<string, number>> {
	const counts = (await db.listRooms()).map((r): [string, number] => [
		r.name ? `${r.name} (${r.id})` : r.id,
		Object.values(r.memories).reduce((a, b) => a + b, 0),
	]);
	return Object.fromEntries(counts.sort((a, b) => b[1] - a[1]));
}

/** What is embedded for a memory: the speaker's name with the text, so a name finds what they said. */
export function spoken(speaker: string | undefined, text: string): string {
	return speaker ? `${speaker}: ${text}` : text;
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
