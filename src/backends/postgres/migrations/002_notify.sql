-- Real-time subscribe: every new (or replaced, by createMemory's upsert) memory is announced on the
-- channel `agentmem_memories` when its transaction commits; nothing is sent for rolled-back work.
-- The payload stays far below NOTIFY's 8000-byte limit (id, type, room_id); listeners read the
-- memory by id. `UPDATE OF content, room_id, created_at` leaves updateMemoryEmbedding silent.
-- Plain PL/pgSQL, SECURITY INVOKER: valid on PostgreSQL, Supabase and PGlite.
CREATE FUNCTION agentmem_notify_memory() RETURNS trigger
  LANGUAGE plpgsql SECURITY INVOKER
  AS $$
BEGIN
  PERFORM pg_notify('agentmem_memories',
    json_build_object('id', NEW.id, 'type', NEW.type, 'room_id', NEW.room_id)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER memories_notify
  AFTER INSERT OR UPDATE OF content, room_id, created_at ON memories
  FOR EACH ROW EXECUTE FUNCTION agentmem_notify_memory();
