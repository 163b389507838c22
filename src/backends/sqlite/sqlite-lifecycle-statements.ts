/**
 * The SQLite family's lifecycle statements (see `LifecycleStatements`): SQLite and SQL.js run
 * these. Deletes are plain DELETEs: the vec0 index follows through its triggers and SQL.js's
 * vector copy through the connection's change counter, in the same statement.
 */
import type { LifecycleStatements } from "../../core/sql/lifecycle-statements.js";

/** The memories the optional filters select (type ?1, room ?2, agent ?3). */
const FILTERS =
	"(?1 IS NULL OR type = ?1) AND (?2 IS NULL OR room_id = ?2) AND (?3 IS NULL OR agent_id = ?3)";
/** deleteMemories' criteria after the ids: user ?4, before ?5, after ?6. */
const DELETE_WHERE = `${FILTERS} AND (?4 IS NULL OR user_id = ?4)
	AND (?5 IS NULL OR created_at < ?5) AND (?6 IS NULL OR created_at > ?6)`;

export const sqliteLifecycleStatements: LifecycleStatements = {
	// One pass over the memories grouped by room and type; the rest works on those groups.
	roomsList: `WITH picked AS (
		SELECT r.id, r.name, r.created_at FROM rooms r
		WHERE ?1 IS NULL
			OR EXISTS (SELECT 1 FROM participants p WHERE p.room_id = r.id AND p.user_id = ?1)
			OR EXISTS (SELECT 1 FROM memories m WHERE m.room_id = r.id AND m.agent_id = ?1)
	), counts AS (
		SELECT room_id, type, count(*) AS n, min(created_at) AS first_at, max(created_at) AS last_at
		FROM memories WHERE room_id IN (SELECT id FROM picked) AND (?1 IS NULL OR agent_id = ?1)
		GROUP BY room_id, type
	), activity AS (
		SELECT room_id, min(first_at) AS first_activity, max(last_at) AS last_activity,
			json_group_object(type, n) AS memories
		FROM counts GROUP BY room_id
	), page AS (
		SELECT p.id, p.name, p.created_at, a.first_activity, a.last_activity, a.memories
		FROM picked p LEFT JOIN activity a ON a.room_id = p.id
		ORDER BY a.last_activity DESC NULLS LAST, p.id
		LIMIT coalesce(?2, -1) OFFSET coalesce(?3, 0)
	)
	SELECT page.id, page.name, page.created_at, page.first_activity, page.last_activity, page.memories,
		(SELECT count(*) FROM participants pp WHERE pp.room_id = page.id) AS participants
	FROM page ORDER BY page.last_activity DESC NULLS LAST, page.id`,
	roomNameGet: "SELECT name FROM rooms WHERE id = ?1",
	roomNameSet: "UPDATE rooms SET name = ?2 WHERE id = ?1",
	roomNameFill: "UPDATE rooms SET name = ?2 WHERE id = ?1 AND name IS NULL",
	// SQLite plans before it sees values: the ids form reads only those rows by primary key.
	memoriesDelete: `DELETE FROM memories WHERE ${DELETE_WHERE}
		AND (?7 IS NULL OR id IN (SELECT value FROM json_each(?7)))`,
	memoriesDeleteByIds: `DELETE FROM memories WHERE id IN (SELECT value FROM json_each(?7))
		AND ${DELETE_WHERE}`,
	memoriesPruneOlder: `DELETE FROM memories WHERE created_at < ?4 AND ${FILTERS}`,
	memoriesPruneKeepLast: `DELETE FROM memories WHERE id IN (
		SELECT id FROM (
			SELECT id, created_at,
				row_number() OVER (PARTITION BY room_id, type ORDER BY created_at DESC, id DESC) AS n
			FROM memories WHERE ${FILTERS}
		) ranked WHERE ranked.n > ?5 AND (?4 IS NULL OR ranked.created_at < ?4))`,
	cacheSweep: "DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at <= ?1",
};
