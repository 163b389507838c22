-- Subscribe events of an INSERT are recorded once per statement (issue 17): 006's row trigger ran
-- a PL/pgSQL call, an outbox INSERT … ON CONFLICT and a pg_notify for every row, 6.6 of a
-- 100,000-row load's 9.4 s INSERT. Now one INSERT … SELECT from the statement's transition table
-- writes the same snapshots and one NOTIFY names them all: "<memories oid>:<first>-<last>@<xid>",
-- the events of transaction <xid> with ids in [first, last] (postgres-notify.ts reads exactly
-- those, so a forged range still names only real events, delivered at most once).
-- UPDATE keeps the row trigger: transition tables cannot go with `UPDATE OF content, room_id,
-- created_at`, the column list that leaves updateMemoryEmbedding silent. An upsert's updated rows
-- fire it, its inserted rows the statement trigger; both replace the snapshot of a memory already
-- recorded in the transaction (unique per memory and transaction), so that memory is one event.
-- Both triggers call 006's function, still the one SECURITY DEFINER function (fixed search_path,
-- EXECUTE revoked); its row branch is 006's body unchanged. Retention as in 006, checked once for
-- every multiple of 1000 a statement's ids reach.
CREATE OR REPLACE FUNCTION agentmem_notify_memory() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
DECLARE
  event_id bigint;
  first_id bigint;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    WITH recorded AS (
      INSERT INTO agentmem_memory_events AS e
          (memory_id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at)
        SELECT id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at
          FROM agentmem_new_memories
        ON CONFLICT (memory_id, xid) DO UPDATE SET type = EXCLUDED.type,
          room_id = EXCLUDED.room_id, agent_id = EXCLUDED.agent_id, user_id = EXCLUDED.user_id,
          content = EXCLUDED.content, embedding = EXCLUDED.embedding,
          is_unique = EXCLUDED.is_unique, created_at = EXCLUDED.created_at
        RETURNING e.id)
    SELECT min(id), max(id) INTO first_id, event_id FROM recorded;
    IF first_id IS NULL THEN
      RETURN NULL; -- the statement inserted nothing
    END IF;
    PERFORM pg_notify('agentmem_memories', TG_RELID::text || ':' || first_id::text || '-'
      || event_id::text || '@' || pg_current_xact_id()::text);
    IF event_id / 1000 > (first_id - 1) / 1000 THEN
      DELETE FROM agentmem_memory_events
        WHERE id <= event_id - 10000 AND recorded_at < now() - interval '10 minutes';
    END IF;
    RETURN NULL;
  END IF;
  INSERT INTO agentmem_memory_events AS e
      (memory_id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at)
    VALUES (NEW.id, NEW.type, NEW.room_id, NEW.agent_id, NEW.user_id, NEW.content,
      NEW.embedding, NEW.is_unique, NEW.created_at)
    ON CONFLICT (memory_id, xid) DO UPDATE SET type = EXCLUDED.type, room_id = EXCLUDED.room_id,
      agent_id = EXCLUDED.agent_id, user_id = EXCLUDED.user_id, content = EXCLUDED.content,
      embedding = EXCLUDED.embedding, is_unique = EXCLUDED.is_unique,
      created_at = EXCLUDED.created_at
    RETURNING e.id INTO event_id;
  PERFORM pg_notify('agentmem_memories', TG_RELID::text || ':' || event_id::text);
  IF event_id % 1000 = 0 THEN
    DELETE FROM agentmem_memory_events
      WHERE id <= event_id - 10000 AND recorded_at < now() - interval '10 minutes';
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER memories_notify ON memories;
CREATE TRIGGER memories_notify
  AFTER UPDATE OF content, room_id, created_at ON memories
  FOR EACH ROW EXECUTE FUNCTION agentmem_notify_memory();
CREATE TRIGGER memories_notify_inserts
  AFTER INSERT ON memories REFERENCING NEW TABLE AS agentmem_new_memories
  FOR EACH STATEMENT EXECUTE FUNCTION agentmem_notify_memory();
