/**
 * The PostgreSQL family's lifecycle statements (see `LifecycleStatements`): PostgreSQL and PGlite
 * run these. Deletes are plain DELETEs (the HNSW index follows; the subscribe outbox records
 * writes, not deletions, as `removeMemory` does). Parameters are cast, as in postgres-statements.ts.
 */
import type { LifecycleStatements } from "../../core/sql/lifecycle-statements.js";

/** The memories the optional filters select (type $1, room $2, agent $3). */
const FILTERS = `($1::text IS NULL OR type = $1::text) AND ($2::uuid IS NULL OR room_id = $2::uuid)
	AND ($3::uuid IS NULL OR agent_id = $3::uuid)`;
const ids = (n: number) => `(SELECT value::uuid FROM jsonb_array_elements_text($${n}::jsonb))`;
/** PostgreSQL plans an unnamed statement with its values, so one form serves with and without ids. */
const DELETE = `DELETE FROM memories WHERE ${FILTERS} AND ($4::uuid IS NULL OR user_id = $4::uuid)
	AND ($5::bigint IS NULL OR created_at < $5::bigint) AND ($6::bigint IS NULL OR created_at > $6::bigint)
	AND ($7::text IS NULL OR id IN ${ids(7)})`;

export const postgresLifecycleStatements: LifecycleStatements = {
	// One pass over the memories grouped by room and type; the rest works on those groups.
	roomsList: `WITH picked AS (
		SELECT r.id, r.name, r.created_at FROM rooms r
		WHERE $1::uuid IS NULL
			OR EXISTS (SELECT 1 FROM participants p WHERE p.room_id = r.id AND p.user_id = $1::uuid)
			OR EXISTS (SELECT 1 FROM memories m WHERE m.room_id = r.id AND m.agent_id = $1::uuid)
	), counts AS (
		SELECT room_id, type, count(*) AS n, min(created_at) AS first_at, max(created_at) AS last_at
		FROM memories WHERE room_id IN (SELECT id FROM picked) AND ($1::uuid IS NULL OR agent_id = $1::uuid)
		GROUP BY room_id, type
	), activity AS (
		SELECT room_id, min(first_at) AS first_activity, max(last_at) AS last_activity,
			jsonb_object_agg(type, n) AS memories
		FROM counts GROUP BY room_id
	), page AS (
		SELECT p.id, p.name, p.created_at, a.first_activity, a.last_activity, a.memories
		FROM picked p LEFT JOIN activity a ON a.room_id = p.id
		ORDER BY a.last_activity DESC NULLS LAST, p.id
		LIMIT $2::integer OFFSET coalesce($3::integer, 0)
	)
	SELECT page.id, page.name, page.created_at, page.first_activity, page.last_activity, page.memories,
		(SELECT count(*) FROM participants pp WHERE pp.room_id = page.id) AS participants
	FROM page ORDER BY page.last_activity DESC NULLS LAST, page.id`,
	roomNameGet: "SELECT name FROM rooms WHERE id = $1::uuid",
	roomNameSet: "UPDATE rooms SET name = $2::text WHERE id = $1::uuid",
	roomNameFill: "UPDATE rooms SET name = $2::text WHERE id = $1::uuid AND name IS NULL",
	memoriesDelete: DELETE,
	memoriesDeleteByIds: DELETE,
	memoriesPruneOlder: `DELETE FROM memories WHERE created_at < $4::bigint AND ${FILTERS}`,
	memoriesPruneKeepLast: `DELETE FROM memories WHERE id IN (
		SELECT id FROM (
			SELECT id, created_at,
				row_number() OVER (PARTITION BY room_id, type ORDER BY created_at DESC, id DESC) AS n
			FROM memories WHERE ${FILTERS}
		) ranked WHERE ranked.n > $5::integer AND ($4::bigint IS NULL OR ranked.created_at < $4::bigint))`,
	cacheSweep: "DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at <= $1::bigint",
};
