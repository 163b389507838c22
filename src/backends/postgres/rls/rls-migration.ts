/**
 * Supabase-compatible row-level security, applied as migrations 100 and up when the adapter is
 * created with `rowLevelSecurity: true` (family migrations keep 1..99). Migration 100 (here, as first
 * released) creates the roles, `auth.uid()`, the grants and the first policies; 101
 * (rls-policies.ts) replaces those policies with the current ones. Roles and `auth.uid()` are created only
 * where absent, so on Supabase its own are used. The adapter's own connection (the tables' owner)
 * is not subject to these policies; `asUser` views switch to `anon` / `authenticated` /
 * `service_role` per transaction, as Supabase's API does.
 *
 * No policy reads its own table (PostgreSQL refuses recursive policies) and no function is
 * SECURITY DEFINER. This file's SQL stays as released (databases record it as applied); change the
 * policies in a new migration.
 */
import type { Migration } from "../../../core/sql/family.js";
import {
	memoryEventsPolicyMigration,
	roomNamesCheckedMigration,
	roomNamesPolicyMigration,
	scopedWritesMigration,
} from "./rls-policies.js";

/** Tables readable and writable by the participants of their room. */
const ROOM_TABLES = ["memories", "goals", "logs"];
const MEMBER = (table: string) =>
	`EXISTS (SELECT 1 FROM participants p WHERE p.room_id = ${table}.room_id AND p.user_id = auth.uid())`;

const sql = `
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT%s', r,
          CASE WHEN r = 'service_role' THEN ' BYPASSRLS' ELSE '' END);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- another database of this cluster created it meanwhile
      END;
    END IF;
    -- SET ROLE needs membership (superusers have it implicitly; Supabase's postgres has it).
    IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r, current_user);
    END IF;
  END LOOP;
END
$$;

CREATE SCHEMA IF NOT EXISTS auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
-- The tables' schema (the adapter's \`schema\` option, else public).
DO $$ BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO anon, authenticated, service_role', current_schema());
END $$;
DO $$
BEGIN
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE SECURITY INVOKER
      AS $f$ SELECT nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')::uuid $f$;
  END IF;
END
$$;

-- Supabase's default privileges grant ALL (TRUNCATE, which ignores row-level security, included)
-- on new tables to these roles: narrow them to what the policies govern.
REVOKE ALL ON accounts, rooms, participants, memories, goals, relationships, logs, cache, knowledge
  FROM anon, authenticated;
GRANT SELECT ON accounts TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE
  ON accounts, rooms, participants, memories, goals, relationships, logs, cache, knowledge
  TO authenticated, service_role;
-- Settings (schema version, dimension, model): readable for exportRecords' first record, never
-- writable through the API.
REVOKE ALL ON agentmem_migrations, agentmem_meta FROM anon, authenticated, service_role;
GRANT SELECT ON agentmem_migrations, agentmem_meta TO authenticated, service_role;

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_read ON accounts FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY accounts_insert_own ON accounts FOR INSERT TO authenticated WITH CHECK (id = auth.uid());
CREATE POLICY accounts_update_own ON accounts FOR UPDATE TO authenticated
  USING (id = auth.uid()) WITH CHECK (id = auth.uid());

-- Rooms: anyone signed in may create one; only its participants see it; removal (which cascades to
-- everything in the room) is left to service_role.
ALTER TABLE rooms ENABLE ROW LEVEL SECURITY;
CREATE POLICY rooms_read ON rooms FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM participants p WHERE p.room_id = rooms.id AND p.user_id = auth.uid()));
CREATE POLICY rooms_create ON rooms FOR INSERT TO authenticated WITH CHECK (true);

-- Participants: a user sees and updates (user_state) or deletes (leaves) their own rows. Joining a
-- room is service_role's decision: a self-join would open any room's memories.
ALTER TABLE participants ENABLE ROW LEVEL SECURITY;
CREATE POLICY participants_own_read ON participants FOR SELECT TO authenticated USING (user_id = auth.uid());
CREATE POLICY participants_own_update ON participants FOR UPDATE TO authenticated
  USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());
CREATE POLICY participants_own_leave ON participants FOR DELETE TO authenticated USING (user_id = auth.uid());

${ROOM_TABLES.map(
	(t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${t}_room_members ON ${t} FOR ALL TO authenticated USING (${MEMBER(t)}) WITH CHECK (${MEMBER(t)});`,
).join("\n")}

ALTER TABLE relationships ENABLE ROW LEVEL SECURITY;
CREATE POLICY relationships_either_party ON relationships FOR ALL TO authenticated
  USING (auth.uid() IN (user_a, user_b)) WITH CHECK (auth.uid() IN (user_a, user_b));

-- Knowledge and the cache belong to an agent: the agent's token (sub = agentId) reads its own items
-- and shared ones, and writes only its own.
ALTER TABLE knowledge ENABLE ROW LEVEL SECURITY;
CREATE POLICY knowledge_agent_read ON knowledge FOR SELECT TO authenticated
  USING (agent_id = auth.uid() OR is_shared);
CREATE POLICY knowledge_agent_write ON knowledge FOR ALL TO authenticated
  USING (agent_id = auth.uid()) WITH CHECK (agent_id = auth.uid());
ALTER TABLE cache ENABLE ROW LEVEL SECURITY;
CREATE POLICY cache_agent ON cache FOR ALL TO authenticated
  USING (agent_id = auth.uid()) WITH CHECK (agent_id = auth.uid());
`;

export const rowLevelSecurityMigration: Migration = {
	version: 100,
	name: "row_level_security",
	sql,
};

/** Every row-level security migration, in order (the adapter's `extraMigrations`). */
export const rowLevelSecurityMigrations: readonly Migration[] = [
	rowLevelSecurityMigration,
	scopedWritesMigration,
	memoryEventsPolicyMigration,
	roomNamesPolicyMigration,
	roomNamesCheckedMigration,
];
