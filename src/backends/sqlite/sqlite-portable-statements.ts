/**
 * The SQLite family's export/import and diagnostics statements (see `PortableStatements`).
 * Pages are keyset pages by primary key, so each page is an index range scan.
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
import { KNOWLEDGE_COLUMNS, MEMORY_COLUMNS } from "./sqlite-statements.js";

const page = (table: string, columns: string) =>
	`SELECT ${columns} FROM ${table} WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2`;

export const sqlitePortableStatements: PortableStatements = {
	schemaVersion: "SELECT coalesce(max(version), 0) AS v FROM agentmem_migrations",
	accountsPage: page("accounts", ACCOUNT_COLUMNS),
	roomsPage: page("rooms", ROOM_COLUMNS),
	participantsPage: page("participants", PARTICIPANT_COLUMNS),
	relationshipsPage: page("relationships", RELATIONSHIP_COLUMNS),
	goalsPage: page("goals", GOAL_COLUMNS),
	logsPage: page("logs", LOG_COLUMNS),
	cachePage: `SELECT agent_id, key, value, created_at, expires_at FROM cache
		WHERE ?1 IS NULL OR agent_id > ?1 OR (agent_id = ?1 AND key > ?2)
		ORDER BY agent_id, key LIMIT ?3`,
	knowledgePage: page("knowledge", KNOWLEDGE_COLUMNS),
	memoriesPage: page("memories", MEMORY_COLUMNS),

	accountUpsert: `INSERT INTO accounts (id, name, username, email, avatar_url, details, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET name = excluded.name,
		username = excluded.username, email = excluded.email, avatar_url = excluded.avatar_url,
		details = excluded.details, created_at = excluded.created_at`,
	roomUpsert: `INSERT INTO rooms (id, created_at, name) VALUES (?1, ?2, ?3)
		ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, name = excluded.name`,
	participantUpsert: `INSERT INTO participants (id, user_id, room_id, user_state, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, room_id) DO UPDATE SET
		user_state = excluded.user_state, created_at = excluded.created_at`,
	relationshipImport: `INSERT INTO relationships (id, user_a, user_b, user_id, room_id, status, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING`,
	goalUpsert: `INSERT INTO goals (id, room_id, user_id, name, status, objectives, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET room_id = excluded.room_id,
		user_id = excluded.user_id, name = excluded.name, status = excluded.status,
		objectives = excluded.objectives, created_at = excluded.created_at`,
	logUpsert: `INSERT INTO logs (id, body, user_id, room_id, type, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET body = excluded.body,
		user_id = excluded.user_id, room_id = excluded.room_id, type = excluded.type,
		created_at = excluded.created_at`,
	indexNames:
		"SELECT name FROM sqlite_master WHERE (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') OR (type = 'index' AND name NOT LIKE 'sqlite_%') ORDER BY name",
	vectorExtensionVersion: "SELECT vec_version() AS v",
};
