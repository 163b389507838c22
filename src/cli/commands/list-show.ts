/** `list` (the rooms, or one room's memories newest first, in pages) and `show <id>` (one memory). */
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import type { RoomSummary } from "../../core/lifecycle-types.js";
import type { Memory, UUID } from "../../core/types.js";
import { isUuid } from "../../core/uuid.js";
import { databaseUrl, optionsOf, output, positiveInt, stableId, using } from "../context.js";
import { clip, plural, shortTime, table, terminalWidth } from "../format.js";
import { openExisting } from "../open.js";
import { instant } from "../when.js";
import { resolveRoom, roomLabel } from "./rooms.js";

const nonNegativeInt = (v: string): number => (v === "0" ? 0 : positiveInt(v));

export function registerListShowCommands(program: Command): void {
	program
		.command("list")
		.description("list the rooms (memories per type, last activity), or with --room its memories")
		.option("--room <name|id>", "list this room's memories, newest first")
		.option("--type <type>", "only memories of this type (default: every type)")
		.option("--agent <name|id>", "only rooms the agent is in, and its memories")
		.option("--limit <n>", "at most this many rows", positiveInt, 20)
		.option("--offset <n>", "skip this many rows first (paging)", nonNegativeInt, 0)
		.option("--before <date>", "only memories created before this time (with --room)", instant)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const agentId = g.agent === undefined ? undefined : stableId("user", g.agent as string);
			await using(openExisting(databaseUrl(g), g), async (db) => {
				if (g.room === undefined) {
					const rooms = await db.listRooms({
						agentId,
						limit: g.limit as number,
						offset: g.offset as number,
					});
					output(g, { offset: g.offset, rooms }, () => roomsTable(rooms, g.offset as number));
					return;
				}
				const room = await resolveRoom(db, g.room as string);
				const page = await roomPage(db, room, {
					type: g.type as string | undefined,
					agentId,
					limit: g.limit as number,
					offset: g.offset as number,
					before: g.before as number | undefined,
				});
				output(g, { room: { id: room.id, name: room.name }, ...page }, () =>
					memoriesTable(room, page),
				);
			});
		});

	program
		.command("show")
		.description("show one memory: its text, metadata, room, type, author and time")
		.argument("<id>", "the memory's UUID (from list or recall)")
		.action(async (id: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (!isUuid(id)) throw new ValidationError("id", `${JSON.stringify(id)} is not a UUID`);
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const m = await db.getMemoryById(id.toLowerCase() as UUID);
				if (!m) throw new NotFoundError(`No memory ${id} in this database.`);
				const [room] = (await db.listRooms()).filter((r) => r.id === m.roomId);
				const type = room ? await typeOf(db, m, Object.keys(room.memories)) : null;
				const [user, agent] = [
					await db.getAccountById(m.userId),
					await db.getAccountById(m.agentId),
				];
				const { embedding, ...rest } = m;
				const json = {
					...rest,
					type,
					roomName: room?.name ?? null,
					userName: user?.name ?? null,
					agentName: agent?.name ?? null,
					embeddingDimension: embedding?.length ?? null,
				};
				output(g, json, () => {
					const { text, ...metadata } = m.content;
					return [
						text ?? "(no text)",
						"",
						`id         ${m.id}`,
						`type       ${type ?? "(unknown)"}`,
						`room       ${room ? roomLabel(room) : m.roomId}`,
						`user       ${user ? `${user.name} (${m.userId})` : m.userId}`,
						`agent      ${agent ? `${agent.name} (${m.agentId})` : m.agentId}`,
						`created    ${shortTime(m.createdAt)} UTC`,
						`unique     ${m.unique === false ? "no (a near-duplicate of an earlier memory)" : "yes"}`,
						`embedding  ${embedding ? `${embedding.length} dimensions` : "none (never returned by search)"}`,
						`metadata   ${Object.keys(metadata).length ? JSON.stringify(metadata) : "{}"}`,
					].join("\n");
				});
			});
		});
}

/** The memory's type: the contract's reads take a type, so each of the room's types is tried. */
async function typeOf(db: DatabaseAdapter, m: Memory, types: string[]): Promise<string | null> {
	for (const t of types) if ((await db.getMemoriesByIds([m.id as UUID], t)).length > 0) return t;
	return null;
}

interface Page {
	total: number;
	offset: number;
	memories: (Omit<Memory, "embedding"> & { type: string })[];
}

/**
 * One page of the room's memories, newest first across its types. The contract pages by time,
 * not offset: each type's newest `offset + limit` are read and merged.
 */
async function roomPage(
	db: DatabaseAdapter,
	room: RoomSummary,
	o: { type?: string; agentId?: UUID; limit: number; offset: number; before?: number },
): Promise<Page> {
	const types = o.type ? [o.type] : Object.keys(room.memories).sort();
	const all: Page["memories"] = [];
	for (const type of types) {
		const found = await db.getMemories({
			roomId: room.id,
			tableName: type,
			agentId: o.agentId,
			count: o.offset + o.limit,
			end: o.before === undefined ? undefined : o.before - 1,
		});
		for (const { embedding: _, ...m } of found) all.push({ ...m, type });
	}
	all.sort(
		(a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || String(b.id).localeCompare(String(a.id)),
	);
	const total =
		o.before === undefined && o.agentId === undefined
			? types.reduce((n, t) => n + (room.memories[t] ?? 0), 0)
			: all.length;
	return { total, offset: o.offset, memories: all.slice(o.offset, o.offset + o.limit) };
}

function roomsTable(rooms: RoomSummary[], offset: number): string {
	if (rooms.length === 0) return offset ? "No more rooms." : "No rooms yet.";
	const rows = rooms.map((r) => [
		r.id,
		r.name ?? "",
		Object.entries(r.memories)
			.map(([t, n]) => `${t} ${n}`)
			.join(", ") || "none",
		r.lastActivity === null ? "" : shortTime(r.lastActivity),
	]);
	return [
		table(["room", "name", "memories", "last activity (UTC)"], rows),
		`(${plural(rooms.length, "room")}${offset ? ` from offset ${offset}` : ""})`,
	].join("\n");
}

function memoriesTable(room: RoomSummary, page: Page): string {
	if (page.memories.length === 0)
		return `No memories in room ${roomLabel(room)}${page.offset ? ` past offset ${page.offset}` : ""}.`;
	const textWidth = Math.max(50, terminalWidth() - 66);
	const rows = page.memories.map((m) => [
		String(m.id),
		shortTime(m.createdAt),
		m.type,
		clip(
			typeof m.content.name === "string"
				? `${m.content.name}: ${m.content.text ?? ""}`
				: (m.content.text ?? ""),
			textWidth,
		),
	]);
	const last = page.offset + page.memories.length;
	const more = last < page.total ? `; next page: --offset ${last}` : "";
	return [
		`room ${roomLabel(room)}`,
		table(["id", "time (UTC)", "type", "text"], rows),
		`(${page.offset + 1}–${last} of ${plural(page.total, "memory", "memories")}${more})`,
	].join("\n");
}
