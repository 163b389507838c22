-- Ids are lower case on every backend (PostgreSQL's uuid type prints them so). Before, SQLite and
-- SQL.js kept an id as given, so a database may hold upper-case ids that lower-case lookups no longer
-- find. They are lower-cased here; on a fresh database every statement matches no row.
--
-- Parents first, then the columns that point at them, then the children's own ids. OR IGNORE skips
-- a row whose lower-case form already exists (a duplicate the old behaviour let in): that row stays
-- as it was. A reference is lowered only where its lower-case target exists or is being created, so
-- foreign keys (checked at commit) still hold: a reference to an upper-case twin that was kept is
-- only changed when the lower-case row exists.
PRAGMA defer_foreign_keys = ON;

-- The vec0 index (SQLite) keys memories by id and room: rebuild it from the table at open.
UPDATE agentmem_meta SET value = 'stale'
  WHERE key = 'vec_memories_state'
    AND EXISTS (SELECT 1 FROM memories
      WHERE id <> lower(id) OR room_id <> lower(room_id) OR agent_id <> lower(agent_id));

UPDATE OR IGNORE accounts SET id = lower(id) WHERE id <> lower(id);
UPDATE OR IGNORE rooms SET id = lower(id) WHERE id <> lower(id);

UPDATE OR IGNORE participants SET user_id = lower(user_id), room_id = lower(room_id)
  WHERE (user_id <> lower(user_id) OR room_id <> lower(room_id))
    AND lower(user_id) IN (SELECT id FROM accounts) AND lower(room_id) IN (SELECT id FROM rooms);
UPDATE OR IGNORE participants SET id = lower(id) WHERE id <> lower(id);

UPDATE memories SET room_id = lower(room_id)
  WHERE room_id <> lower(room_id) AND lower(room_id) IN (SELECT id FROM rooms);
UPDATE memories SET agent_id = lower(agent_id)
  WHERE agent_id <> lower(agent_id) AND lower(agent_id) IN (SELECT id FROM accounts);
UPDATE memories SET user_id = lower(user_id)
  WHERE user_id <> lower(user_id) AND lower(user_id) IN (SELECT id FROM accounts);
UPDATE OR IGNORE memories SET id = lower(id) WHERE id <> lower(id);

UPDATE goals SET room_id = lower(room_id)
  WHERE room_id <> lower(room_id) AND lower(room_id) IN (SELECT id FROM rooms);
UPDATE goals SET user_id = lower(user_id)
  WHERE user_id <> lower(user_id) AND lower(user_id) IN (SELECT id FROM accounts);
UPDATE OR IGNORE goals SET id = lower(id) WHERE id <> lower(id);

UPDATE OR IGNORE relationships SET user_a = lower(user_a), user_b = lower(user_b)
  WHERE (user_a <> lower(user_a) OR user_b <> lower(user_b))
    AND lower(user_a) IN (SELECT id FROM accounts) AND lower(user_b) IN (SELECT id FROM accounts);
UPDATE relationships SET user_id = lower(user_id)
  WHERE user_id <> lower(user_id) AND lower(user_id) IN (SELECT id FROM accounts);
UPDATE relationships SET room_id = lower(room_id)
  WHERE room_id <> lower(room_id) AND lower(room_id) IN (SELECT id FROM rooms);
UPDATE OR IGNORE relationships SET id = lower(id) WHERE id <> lower(id);

UPDATE logs SET room_id = lower(room_id)
  WHERE room_id <> lower(room_id) AND lower(room_id) IN (SELECT id FROM rooms);
UPDATE logs SET user_id = lower(user_id)
  WHERE user_id <> lower(user_id) AND lower(user_id) IN (SELECT id FROM accounts);
UPDATE OR IGNORE logs SET id = lower(id) WHERE id <> lower(id);

UPDATE OR IGNORE cache SET agent_id = lower(agent_id) WHERE agent_id <> lower(agent_id);

UPDATE knowledge SET agent_id = lower(agent_id)
  WHERE agent_id <> lower(agent_id) AND lower(agent_id) IN (SELECT id FROM accounts);
UPDATE knowledge SET original_id = lower(original_id) WHERE original_id <> lower(original_id);
UPDATE OR IGNORE knowledge SET id = lower(id) WHERE id <> lower(id);
