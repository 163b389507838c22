/** Types of the contract's lifecycle calls (contract/lifecycle.ts): rooms listed, memories forgotten. */
import type { UUID } from "./types.js";

/** What `listRooms` reports of one room. Timestamps are ms since the epoch. */
export interface RoomSummary {
	id: UUID;
	/** The room's display name, or `null` when it has none. */
	name: string | null;
	createdAt: number;
	/** How many accounts participate in the room. */
	participants: number;
	/** Memories per type (`tableName`), e.g. `{ messages: 12, facts: 3 }`; `{}` when none. */
	memories: Record<string, number>;
	/** `createdAt` of the room's oldest memory; `null` when it has none. */
	firstActivity: number | null;
	/** `createdAt` of the room's newest memory; `null` when it has none. */
	lastActivity: number | null;
}

export interface ListRoomsParams {
	/**
	 * Only rooms the agent participates in or has memories in; counts and activity are then the
	 * agent's memories only.
	 */
	agentId?: UUID;
	/** At most this many rooms (default: all). */
	limit?: number;
	/** Rooms skipped first, for paging (default 0). */
	offset?: number;
}

/**
 * Which memories `deleteMemories` removes: those matching every criterion given. At least one is
 * required (an empty filter is a ValidationError, never "everything").
 */
export interface DeleteMemoriesFilter {
	/** The memory type. */
	tableName?: string;
	roomId?: UUID;
	agentId?: UUID;
	userId?: UUID;
	/** Only memories created strictly before this time (ms since the epoch). */
	before?: number;
	/** Only memories created strictly after this time (ms since the epoch). */
	after?: number;
	/** Only memories with these ids (an empty list matches nothing). */
	ids?: UUID[];
}

/**
 * A retention rule for `pruneMemories`. At least one of `olderThan`, `before` and `keepLast` is
 * required; each one given narrows what is deleted (see `pruneMemories`).
 */
export interface PruneMemoriesParams {
	/** Delete memories older than this many milliseconds (created before now - olderThan). */
	olderThan?: number;
	/** Delete memories created strictly before this time (ms since the epoch). */
	before?: number;
	/** Keep the newest `keepLast` memories (at least 1) of each room and type. */
	keepLast?: number;
	tableName?: string;
	roomId?: UUID;
	agentId?: UUID;
}

/** `setCache`'s parameters: ElizaOS's `{ agentId, key, value }`, plus an optional expiry. */
export interface SetCacheParams {
	agentId: UUID;
	key: string;
	value: string;
	/** The entry expires this many milliseconds from now (a positive integer). */
	ttlMs?: number;
	/** The entry expires at this time (ms since the epoch). Not together with `ttlMs`. */
	expiresAt?: number;
}
