import type {
	DeleteMemoriesFilter,
	ListRoomsParams,
	PruneMemoriesParams,
	RoomSummary,
} from "../lifecycle-types.js";
import type { UUID } from "../types.js";

/**
 * Memory over its lifetime (beyond ElizaOS 0.1): rooms listed and named, memories forgotten by
 * filter or by a retention rule (see DatabaseAdapter for the rules every call follows; cache
 * expiry is `setCache`'s `ttlMs` / `expiresAt`; docs/lifecycle.md).
 */
export interface LifecycleCalls {
	// ---- rooms over their lifetime ----

	/**
	 * Every room (with `agentId`: those the agent participates in or has memories in), each with
	 * its name, participant count, memories per type and first/last activity (the `createdAt` of
	 * its oldest and newest memory; with `agentId`, counts and activity are the agent's memories
	 * only). Ordered by last activity, newest first (rooms without memories last), then by id;
	 * `limit` / `offset` page through that order. Under row-level security, only rooms the caller
	 * may read.
	 */
	listRooms(params?: ListRoomsParams): Promise<RoomSummary[]>;
	/** The room's name; `null` when the room has none or does not exist. */
	getRoomName(roomId: UUID): Promise<string | null>;
	/**
	 * Sets (or with `null` clears) the room's display name: text of 1 to 256 characters, not only
	 * spaces, without control characters (it is shown in terminals). Throws `NotFoundError` when
	 * the room does not exist (or, under row-level security, the caller is not a participant).
	 */
	setRoomName(roomId: UUID, name: string | null): Promise<void>;

	// ---- forgetting ----

	/**
	 * Deletes the memories matching every criterion of `filter` (type, room, agent, user, a time
	 * range with exclusive bounds, ids), in one transaction, and resolves to how many were deleted.
	 * At least one criterion is required: `{}` is a `ValidationError` (never "delete everything").
	 * Search, reads, counts and the vector indexes stop seeing them at once. Under row-level
	 * security only rows the caller may delete are deleted (and counted).
	 */
	deleteMemories(filter: DeleteMemoriesFilter): Promise<number>;
	/**
	 * Retention: deletes, in one transaction, the memories (of this type, room and agent, when
	 * given) that are older than `olderThan` ms (or created before `before`) and are not among
	 * the newest `keepLast` of their room and type. Each rule given narrows what is deleted: with
	 * only `keepLast`, all but the newest `keepLast` of each room and type go; with only
	 * `olderThan`, every older memory goes; with both, old memories go except the newest
	 * `keepLast` of each room and type. At least one of `olderThan`, `before`, `keepLast` is
	 * required. Resolves to how many were deleted.
	 */
	pruneMemories(params: PruneMemoriesParams): Promise<number>;
}
