/**
 * `forget` (memories by id, or a room's before a time) and `prune` (retention). Both delete in one
 * transaction, print how many went, and ask first (see confirm.ts).
 */
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import type { DeleteMemoriesFilter } from "../../core/lifecycle-types.js";
import type { UUID } from "../../core/types.js";
import { isUuid } from "../../core/uuid.js";
import { confirm } from "../confirm.js";
import {
	databaseUrl,
	optionsOf,
	output,
	positiveInt,
	stableId,
	UsageError,
	using,
} from "../context.js";
import { plural, shortTime } from "../format.js";
import { openExisting } from "../open.js";
import { duration, formatDuration, instant } from "../when.js";
import { resolveRoom, roomLabel } from "./rooms.js";

export function registerForgetPruneCommands(program: Command): void {
	program
		.command("forget")
		.description("delete memories: by id, or a room's (--room) before a time (--before)")
		.argument("[ids...]", "memory UUIDs")
		.option("--room <name|id>", "only this room's memories")
		.option("--before <date>", "only memories created before this time", instant)
		.option("--type <type>", "only memories of this type")
		.option("--user <name|id>", "only memories by this user")
		.option("-y, --yes", "do not ask for confirmation")
		.addHelpText(
			"after",
			"\nExamples:\n  agentmem forget 3f1c…-…  2a9e…-…\n  agentmem forget --room ops --before 2024-05-01 --yes",
		)
		.action(async (ids: string[], _o, cmd: Command) => {
			const g = optionsOf(cmd);
			for (const id of ids)
				if (!isUuid(id)) throw new ValidationError("id", `${JSON.stringify(id)} is not a UUID`);
			if (ids.length === 0 && g.room === undefined && g.before === undefined)
				throw new UsageError("forget: give memory ids, or --room and/or --before");
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const room = g.room === undefined ? undefined : await resolveRoom(db, g.room as string);
				const filter: DeleteMemoriesFilter = {
					...(ids.length ? { ids: ids.map((i) => i.toLowerCase() as UUID) } : {}),
					...(room ? { roomId: room.id } : {}),
					...(g.before === undefined ? {} : { before: g.before as number }),
					...(g.type === undefined ? {} : { tableName: g.type as string }),
					...(g.user === undefined ? {} : { userId: stableId("user", g.user as string) }),
				};
				const what = [
					ids.length ? plural(ids.length, "memory", "memories") : "the memories",
					room ? `of room ${roomLabel(room)}` : "",
					g.type === undefined ? "" : `of type ${g.type}`,
					g.before === undefined ? "" : `created before ${shortTime(g.before as number)} UTC`,
				]
					.filter(Boolean)
					.join(" ");
				await confirm(g, "forget", `Forget ${what}?`);
				const deleted = await db.deleteMemories(filter);
				const missing = ids.length && deleted < ids.length ? ids.length - deleted : 0;
				output(
					g,
					{ deleted },
					() =>
						`Forgot ${plural(deleted, "memory", "memories")}${missing ? ` (${plural(missing, "id")} matched nothing)` : ""}.`,
				);
			});
		});

	program
		.command("prune")
		.description("retention: delete old memories, keeping the newest of each room and type")
		.option("--older-than <duration>", "delete memories older than this (30d, 12h, 2w)", duration)
		.option("--keep-last <n>", "keep the newest n of each room and type", positiveInt)
		.option("--room <name|id>", "only this room")
		.option("--type <type>", "only this memory type")
		.option("--agent <name|id>", "only this agent's memories")
		.option("-y, --yes", "do not ask for confirmation")
		.addHelpText(
			"after",
			"\nExamples:\n  agentmem prune --older-than 30d --keep-last 100 --yes\n  agentmem prune --keep-last 50 --room support --type messages",
		)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (g.olderThan === undefined && g.keepLast === undefined)
				throw new UsageError("prune: give --older-than and/or --keep-last");
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const room = g.room === undefined ? undefined : await resolveRoom(db, g.room as string);
				const rule = [
					g.olderThan === undefined ? "" : `older than ${formatDuration(g.olderThan as number)}`,
					g.keepLast === undefined ? "" : `except the newest ${g.keepLast} of each room and type`,
					room ? `in room ${roomLabel(room)}` : "",
					g.type === undefined ? "" : `of type ${g.type}`,
				]
					.filter(Boolean)
					.join(" ");
				await confirm(g, "prune", `Delete the memories ${rule}?`);
				const deleted = await db.pruneMemories({
					olderThan: g.olderThan as number | undefined,
					keepLast: g.keepLast as number | undefined,
					roomId: room?.id,
					tableName: g.type as string | undefined,
					agentId: g.agent === undefined ? undefined : stableId("user", g.agent as string),
				});
				output(g, { deleted }, () => `Pruned ${plural(deleted, "memory", "memories")}.`);
			});
		});
}
