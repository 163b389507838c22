/**
 * Migration 101: the row-level security policies as they stand, replacing migration 100's (which
 * let a user move their participant row into any room, let `anon` read every account, and let any
 * user write knowledge). Idempotent: every policy it creates or replaced is dropped by name first,
 * so a database upgraded from 100 and a new one end up the same. Policies of your own (other
 * names) are left alone.
 *
 * The rules, for `authenticated` (`service_role` bypasses them; `anon` is granted nothing):
 * - A room's rows (memories, goals, logs) are read by its participants. A user writes (inserts,
 *   edits, deletes) only rows in their own name (`user_id` = `auth.uid()`; goals may have none) in
 *   rooms they participate in; an agent writes any row of its rooms. No row moves out of those.
 * - Joining a room is not a user's decision: participant rows are inserted by `service_role` (the
 *   server or agent runtime on the owner connection: `addParticipant`). A user may leave (delete
 *   their row) and set their `user_state`, the only column they may update.
 * - A user sees the participants of their rooms, their own account and the accounts of those who
 *   share a room with them.
 * - Relationships are written and read by their parties; a relationship's room must be one of the
 *   writer's rooms.
 * - Knowledge is read by its agent and, when `is_shared`, by every signed-in user; it is written
 *   only by agents (their own items) and `service_role`. The cache belongs to `agent_id` = `auth.uid()`.
 *
 * An agent is a token whose `sub` is the agent's account id and whose `app_metadata.agentmem_agent`
 * is `true`. On Supabase `app_metadata` is set only through the admin API (users cannot change it,
 * unlike `user_metadata`); elsewhere, whoever signs tokens decides.
 *
 * PostgreSQL refuses a policy that reads its own table, and functions stay SECURITY INVOKER, so who
 * shares a room with whom is read through one view, `agentmem_room_members`: like every view it
 * reads `participants` with its owner's rights, and it shows the caller only the memberships of
 * rooms the caller belongs to (a security barrier, so no caller predicate runs before that filter).
 */
import type { Migration } from "../../../core/sql/family.js";

const uid = "auth.uid()";
const IS_AGENT = "agentmem_is_agent()";
const memberOf = (roomColumn: string) =>
	`EXISTS (SELECT 1 FROM participants p WHERE p.room_id = ${roomColumn} AND p.user_id = ${uid})`;

/** Tables of a room whose rows carry their author in `user_id`. */
const ROOM_TABLES: { table: string; author: string }[] = [
	{ table: "memories", author: `(memories.user_id = ${uid} OR ${IS_AGENT})` },
	{ table: "logs", author: `(logs.user_id = ${uid} OR ${IS_AGENT})` },
	{ table: "goals", author: `(goals.user_id IS NULL OR goals.user_id = ${uid} OR ${IS_AGENT})` },
];

/** Every policy name migrations 100 and 101 ever created, per table. */
const POLICIES: Record<string, string[]> = {
	accounts: ["accounts_read", "accounts_insert_own", "accounts_update_own"],
	rooms: ["rooms_read", "rooms_create"],
	participants: [
		"participants_own_read",
		"participants_own_update",
		"participants_own_leave",
		"participants_read",
	],
	memories: ["memories_room_members", "memories_read", "memories_write"],
	goals: ["goals_room_members", "goals_read", "goals_write"],
	logs: ["logs_room_members", "logs_read", "logs_write"],
	relationships: ["relationships_either_party"],
	knowledge: ["knowledge_agent_read", "knowledge_agent_write"],
	cache: ["cache_agent"],
};

const roomTablePolicies = ROOM_TABLES.map(({ table, author }) => {
	const scope = `${memberOf(`${table}.room_id`)} AND ${author}`;
	return `CREATE POLICY ${table}_read ON ${table} FOR SELECT TO authenticated USING (${memberOf(`${table}.room_id`)});
CREATE POLICY ${table}_write ON ${table} FOR ALL TO authenticated USING (${scope}) WITH CHECK (${scope});`;
}).join("\n");

const sql = `
${Object.entries(POLICIES)
	.flatMap(([table, names]) => names.map((n) => `DROP POLICY IF EXISTS ${n} ON ${table};`))
	.join("\n")}

-- An agent's token: app_metadata.agentmem_agent = true (see rls-policies.ts).
CREATE OR REPLACE FUNCTION agentmem_is_agent() RETURNS boolean
  LANGUAGE sql STABLE SECURITY INVOKER
  AS $f$ SELECT coalesce(
    nullif(current_setting('request.jwt.claims', true), '')::jsonb -> 'app_metadata' ->> 'agentmem_agent' = 'true',
    false) $f$;

-- The memberships of the caller's rooms (the owner's rights, filtered to the caller).
CREATE OR REPLACE VIEW agentmem_room_members WITH (security_barrier = true) AS
  SELECT p.room_id, p.user_id FROM participants p
  WHERE p.room_id IN (SELECT mine.room_id FROM participants mine WHERE mine.user_id = ${uid});
REVOKE ALL ON agentmem_room_members FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON agentmem_room_members TO authenticated, service_role;

-- anon reads nothing unless you add a policy (and a grant) for it.
REVOKE ALL ON accounts FROM anon;
CREATE POLICY accounts_read ON accounts FOR SELECT TO authenticated
  USING (id = ${uid} OR EXISTS (SELECT 1 FROM agentmem_room_members m WHERE m.user_id = accounts.id));
CREATE POLICY accounts_insert_own ON accounts FOR INSERT TO authenticated WITH CHECK (id = ${uid});
CREATE POLICY accounts_update_own ON accounts FOR UPDATE TO authenticated
  USING (id = ${uid}) WITH CHECK (id = ${uid});

-- Anyone signed in may create a room; only its participants see it; removal is service_role's.
CREATE POLICY rooms_read ON rooms FOR SELECT TO authenticated USING (${memberOf("rooms.id")});
CREATE POLICY rooms_create ON rooms FOR INSERT TO authenticated WITH CHECK (true);

-- Participants: no INSERT (joining is service_role's), UPDATE of user_state only (a WITH CHECK
-- cannot compare with the old row, so the column privilege is what keeps room_id/user_id fixed).
REVOKE INSERT, UPDATE ON participants FROM authenticated;
GRANT UPDATE (user_state) ON participants TO authenticated;
CREATE POLICY participants_read ON participants FOR SELECT TO authenticated
  USING (user_id = ${uid} OR EXISTS (SELECT 1 FROM agentmem_room_members m WHERE m.room_id = participants.room_id));
CREATE POLICY participants_own_update ON participants FOR UPDATE TO authenticated
  USING (user_id = ${uid}) WITH CHECK (user_id = ${uid});
CREATE POLICY participants_own_leave ON participants FOR DELETE TO authenticated USING (user_id = ${uid});

${roomTablePolicies}

CREATE POLICY relationships_either_party ON relationships FOR ALL TO authenticated
  USING (${uid} IN (user_a, user_b))
  WITH CHECK (${uid} IN (user_a, user_b) AND (room_id IS NULL OR ${memberOf("relationships.room_id")}));

CREATE POLICY knowledge_agent_read ON knowledge FOR SELECT TO authenticated
  USING (agent_id = ${uid} OR is_shared);
CREATE POLICY knowledge_agent_write ON knowledge FOR ALL TO authenticated
  USING (${IS_AGENT} AND agent_id = ${uid}) WITH CHECK (${IS_AGENT} AND agent_id = ${uid});

CREATE POLICY cache_agent ON cache FOR ALL TO authenticated
  USING (agent_id = ${uid}) WITH CHECK (agent_id = ${uid});
`;

export const scopedWritesMigration: Migration = {
	version: 101,
	name: "row_level_security_scoped_writes",
	sql,
};

/**
 * Migration 102: the subscribe outbox (migration 006, `agentmem_memory_events`) is read like the
 * memories it records: a room's events by its participants (memories' read policy, on the event's
 * room). Nobody but the owner writes it (the trigger is SECURITY DEFINER).
 */
export const memoryEventsPolicyMigration: Migration = {
	version: 102,
	name: "row_level_security_memory_events",
	sql: `
REVOKE ALL ON agentmem_memory_events FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON agentmem_memory_events TO authenticated, service_role;
ALTER TABLE agentmem_memory_events ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS memory_events_read ON agentmem_memory_events;
CREATE POLICY memory_events_read ON agentmem_memory_events FOR SELECT TO authenticated
  USING (${memberOf("agentmem_memory_events.room_id")});
`,
};

/**
 * Migration 103: room names (migration 007). A room's participants may rename it; nobody else can
 * (a user's UPDATE of another room matches no row, so `setRoomName` says the room does not exist
 * for them). `name` is the only column a user may update: the column privilege keeps ids and
 * timestamps fixed, as for participants' `user_state`.
 */
export const roomNamesPolicyMigration: Migration = {
	version: 103,
	name: "row_level_security_room_names",
	sql: `
REVOKE UPDATE ON rooms FROM authenticated;
GRANT UPDATE (name) ON rooms TO authenticated;
DROP POLICY IF EXISTS rooms_rename ON rooms;
CREATE POLICY rooms_rename ON rooms FOR UPDATE TO authenticated
  USING (${memberOf("rooms.id")}) WITH CHECK (${memberOf("rooms.id")});
`,
};

/**
 * setRoomName's rules for a name (assertRoomName, src/core/sql/rooms.ts) in SQL: 1 to 256 UTF-16
 * code units (code points, plus one more for each beyond U+FFFF), not only JavaScript white space
 * (what `trim()` removes), no control characters (C0, DEL, C1; PostgreSQL text holds no NUL).
 */
const VALID_ROOM_NAME = String.raw`(char_length(name)
    + char_length(regexp_replace(name, '[^\U00010000-\U0010FFFF]', '', 'g')) <= 256
  AND name !~ '^[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$'
  AND name !~ '[\x01-\x1f\x7f-\x9f]')`;

/**
 * Migration 104: room names stay their participants' to give, and keep setRoomName's rules when
 * written by SQL. Migration 103 left two ways around that, open to any signed-in user:
 * - Creating a room with a name. A new room has no participants (none can precede it), so its
 *   name was chosen by someone who is not in it. The CLI's rooms have predictable ids
 *   (`stableId("room", name)`) and createRoom keeps an existing name, so a user creating such a
 *   room first named the room others were later added to; a room named like another made
 *   `--room <name>` ambiguous. A user now creates rooms without a name (`service_role` still
 *   names them; participants name them once in). An INSERT naming one of the caller's rooms
 *   still passes (PostgreSQL checks the INSERT policy on the proposed row of an upsert too): it
 *   can only conflict with that room, and its ON CONFLICT DO UPDATE is held to the rename policy.
 * - Renaming through SQL skipped assertRoomName: a participant could store control characters
 *   (escape sequences, printed in the operator's terminal by `agentmem list`), an empty or a
 *   megabyte-long name. The rename policy now checks the new name (NULL, no name, stays allowed).
 */
export const roomNamesCheckedMigration: Migration = {
	version: 104,
	name: "row_level_security_room_names_checked",
	sql: `
DROP POLICY IF EXISTS rooms_create ON rooms;
CREATE POLICY rooms_create ON rooms FOR INSERT TO authenticated
  WITH CHECK (name IS NULL OR ${memberOf("rooms.id")});
DROP POLICY IF EXISTS rooms_rename ON rooms;
CREATE POLICY rooms_rename ON rooms FOR UPDATE TO authenticated
  USING (${memberOf("rooms.id")})
  WITH CHECK (${memberOf("rooms.id")} AND (name IS NULL OR ${VALID_ROOM_NAME}));
`,
};
