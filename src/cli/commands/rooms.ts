/** `rooms rename`, and finding a room by its name or id (for list, forget, prune). */
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { NotFoundError } from "../../core/errors.js";
import type { RoomSummary } from "../../core/lifecycle-types.js";
import type { UUID } from "../../core/types.js";
import { isUuid } from "../../core/uuid.js";
import { databaseUrl, optionsOf, output, stableId, UsageError, using } from "../context.js";
import { openExisting } from "../open.js";

/**
 * The room a `--room` value names: a UUID as it is; else the room with that name (its display
 * name, or the name the CLI created it under). Unknown or ambiguous names are errors.
 */
export async function resolveRoom(db: DatabaseAdapter, value: string): Promise<RoomSummary> {
	const rooms = await db.listRooms();
	const wanted = isUuid(value) ? value.toLowerCase() : undefined;
	const byName = rooms.filter((r) => r.name === value);
	if (!wanted && byName.length > 1)
		throw new UsageError(
			`${byName.length} rooms are named "${value}": give one of their ids (${byName.map((r) => r.id).join(", ")})`,
		);
	const id = wanted ?? byName[0]?.id ?? stableId("room", value);
	const room = rooms.find((r) => r.id === id);
	if (!room)
		throw new NotFoundError(
			`No room ${wanted ? value : `named "${value}"`} in this database (\`agentmem list\` shows the rooms).`,
		);
	return room;
}

/** `ops (406a47bf-…)`, or the id alone for a room without a name. */
export function roomLabel(room: { id: UUID; name: string | null }): string {
	return room.name ? `"${room.name}" (${room.id})` : room.id;
}

export function registerRoomsCommands(program: Command): void {
	const rooms = program.command("rooms").description("manage rooms (see `list` to list them)");
	rooms
		.command("rename")
		.description("give a room a new display name")
		.argument("<room>", "the room's name or UUID")
		.argument("<name>", "its new name (1 to 256 characters)")
		.action(async (value: string, name: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const room = await resolveRoom(db, value);
				await db.setRoomName(room.id, name);
				output(
					g,
					{ id: room.id, previousName: room.name, name },
					() => `Renamed room ${roomLabel(room)} to "${name}".`,
				);
			});
		});
}
