-- Subscribe events from an outbox: the memories trigger records each committed memory as it was
-- written (a snapshot), in the writing transaction, and NOTIFY carries only the event's id. A
-- listener reads the event row, so an event is delivered even when the memory is removed before
-- the listener runs, nothing is recorded for rolled-back work, and a forged notification can only
-- name an event that really exists (which the listener delivers at most once).
-- A memory written twice in one transaction (a createMemories batch that repeats an id) is one
-- event: the second write replaces the snapshot of the first (unique per transaction and memory).
CREATE TABLE agentmem_memory_events (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  memory_id uuid NOT NULL,
  type text NOT NULL,
  room_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  user_id uuid NOT NULL,
  content jsonb NOT NULL,
  embedding vector,
  is_unique boolean NOT NULL,
  created_at bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (memory_id, xid)
);

-- SECURITY DEFINER: the event is written with the owner's rights, so no caller needs (or gets) a
-- privilege on the outbox beyond reading it; search_path is fixed to the migration's (no hijack).
-- Retention: every 1000th event deletes events that are both more than 10 minutes old and more
-- than 10,000 events behind (a range of the primary key), so pruning costs little per write.
CREATE OR REPLACE FUNCTION agentmem_notify_memory() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
DECLARE
  event_id bigint;
BEGIN
  INSERT INTO agentmem_memory_events AS e
      (memory_id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at)
    VALUES (NEW.id, NEW.type, NEW.room_id, NEW.agent_id, NEW.user_id, NEW.content,
      NEW.embedding, NEW.is_unique, NEW.created_at)
    ON CONFLICT (memory_id, xid) DO UPDATE SET type = EXCLUDED.type, room_id = EXCLUDED.room_id,
      agent_id = EXCLUDED.agent_id, user_id = EXCLUDED.user_id, content = EXCLUDED.content,
      embedding = EXCLUDED.embedding, is_unique = EXCLUDED.is_unique,
      created_at = EXCLUDED.created_at
    RETURNING e.id INTO event_id;
  -- "<memories table oid>:<event id>": schemas of one database share the channel. Identical
  -- payloads in one transaction are sent once, so a replaced snapshot is not announced again.
  PERFORM pg_notify('agentmem_memories', TG_RELID::text || ':' || event_id::text);
  IF event_id % 1000 = 0 THEN
    DELETE FROM agentmem_memory_events
      WHERE id <= event_id - 10000 AND recorded_at < now() - interval '10 minutes';
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON agentmem_memory_events FROM PUBLIC;
REVOKE ALL ON FUNCTION agentmem_notify_memory() FROM PUBLIC;
