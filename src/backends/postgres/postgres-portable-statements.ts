/**
 * The PostgreSQL family's export/import and diagnostics statements (see `PortableStatements`),
 * shared by PostgreSQL and PGlite. Pages are keyset pages by primary key.
 */
import {
	ACCOUNT_COLUMNS,
	GOAL_COLUMNS,
	LOG_COLUMNS,
	PARTICIPANT_COLUMNS,
	RELATIONSHIP_COLUMNS,
	ROOM_COLUMNS,
} from "../../core/sql/columns.js";
import type { PortableStatements } from "../../core/sql/family.js";
import { KNOWLEDGE_COLUMNS, MEMORY_COLUMNS } from "./postgres-statements.js";

const page = (table: string, columns: string) =>
	`SELECT ${columns} FROM ${table} WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2::integer`;

export const postgresPortableStatements: PortableStatements = {
	schemaVersion: "SELECT coalesce(max(version), 0) AS v FROM agentmem_migrations",
	accountsPage: page("accounts", ACCOUNT_COLUMNS),
	roomsPage: page("rooms", ROOM_COLUMNS),
	participantsPage: page("participants", PARTICIPANT_COLUMNS),
	relationshipsPage: page("relationships", RELATIONSHIP_COLUMNS),
	goalsPage: page("goals", GOAL_COLUMNS),
	logsPage: page("logs", LOG_COLUMNS),
	cachePage: `SELECT agent_id, key, value, created_at, expires_at FROM cache
		WHERE $1::uuid IS NULL OR agent_id > $1::uuid OR (agent_id = $1::uuid AND key > $2::text)
		ORDER BY agent_id, key LIMIT $3::integer`,
	// Knowledge ids are text (ElizaOS chunk ids, migration 004).
	knowledgePage: `SELECT ${KNOWLEDGE_COLUMNS} FROM knowledge WHERE ($1::text IS NULL OR id > $1::text)
		ORDER BY id LIMIT $2::integer`,
	memoriesPage: page("memories", MEMORY_COLUMNS),

	accountUpsert: `INSERT INTO accounts (id, name, username, email, avatar_url, details, created_at)
		VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::jsonb, $7::bigint)
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, username = EXCLUDED.username,
		email = EXCLUDED.email, avatar_url = EXCLUDED.avatar_url, details = EXCLUDED.details,
		created_at = EXCLUDED.created_at`,
	roomUpsert: `INSERT INTO rooms (id, created_at, name) VALUES ($1::uuid, $2::bigint, $3::text)
		ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, name = EXCLUDED.name`,
	participantUpsert: `INSERT INTO participants (id, user_id, room_id, user_state, created_at)
		VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::bigint) ON CONFLICT (user_id, room_id)
		DO UPDATE SET user_state = EXCLUDED.user_state, created_at = EXCLUDED.created_at`,
	relationshipImport: `INSERT INTO relationships (id, user_a, user_b, user_id, room_id, status, created_at)
		VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::text, $7::bigint) ON CONFLICT DO NOTHING`,
	goalUpsert: `INSERT INTO goals (id, room_id, user_id, name, status, objectives, created_at)
		VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::jsonb, $7::bigint)
		ON CONFLICT (id) DO UPDATE SET room_id = EXCLUDED.room_id, user_id = EXCLUDED.user_id,
		name = EXCLUDED.name, status = EXCLUDED.status, objectives = EXCLUDED.objectives,
		created_at = EXCLUDED.created_at`,
	logUpsert: `INSERT INTO logs (id, body, user_id, room_id, type, created_at)
		VALUES ($1::uuid, $2::jsonb, $3::uuid, $4::uuid, $5::text, $6::bigint)
		ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, user_id = EXCLUDED.user_id,
		room_id = EXCLUDED.room_id, type = EXCLUDED.type, created_at = EXCLUDED.created_at`,
	indexNames:
		"SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname",
	vectorExtensionVersion: "SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'",
};
