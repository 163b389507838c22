/**
 * The statements of the lifecycle calls (core/sql/room-list.ts, forget.ts, cache.ts), one set per
 * family: sqlite-lifecycle-statements.ts, postgres-lifecycle-statements.ts. Parameters in order;
 * optional filters are NULL, id lists one JSON array text (see family.ts).
 */
export interface LifecycleStatements {
	/**
	 * (agentId?, limit?, offset?) → id, name, created_at, participants, memories (a JSON object of
	 * type → count; NULL for a room without memories), first_activity, last_activity; by last
	 * activity (nulls last), then id. One statement for the whole page, whatever its size, reading
	 * the memories once (grouped by room and type), not once per room.
	 */
	roomsList: string;
	/** (id) → name */
	roomNameGet: string;
	/** (id, name?) → rows changed (0: no such room) */
	roomNameSet: string;
	/** (id, name) names the room when it has no name yet */
	roomNameFill: string;
	/** (type?, roomId?, agentId?, userId?, before?, after?, idsJson?) → rows changed */
	memoriesDelete: string;
	/** `memoriesDelete` with idsJson given: written so the primary key finds the rows */
	memoriesDeleteByIds: string;
	/** (type?, roomId?, agentId?, cutoff) deletes memories created before cutoff → rows changed */
	memoriesPruneOlder: string;
	/**
	 * (type?, roomId?, agentId?, cutoff?, keepLast) deletes all but the newest keepLast memories
	 * (ties by id) of each room and type among those the filters select, only those created before
	 * cutoff when given → rows changed
	 */
	memoriesPruneKeepLast: string;
	/** (now) deletes expired cache entries */
	cacheSweep: string;
}
