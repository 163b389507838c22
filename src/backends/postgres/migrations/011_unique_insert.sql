-- createMemory(…, unique) as one function call (postgres-unique-insert.ts): the near-duplicate
-- check of 009's agentmem_unique_check and the insert, both static PL/pgSQL statements, so the
-- client's statement is a short function call whose planning costs little, and the parse of both is
-- kept for the session. SECURITY INVOKER (the default): the check reads and the insert writes as
-- the caller, under the caller's row-level security; the memories trigger writes the outbox row.
-- plan_cache_mode = force_custom_plan, as 009: the check is planned for each call's own room and
-- agent (a generic plan chosen for large rooms would walk the HNSW graph for a room of a few rows);
-- the insert's plan is as cheap as a plain INSERT's. Between 2000 and 4000 dimensions the index is
-- on a halfvec expression whose dimension must be in the statement's text: there the statement
-- stays inline (postgres-unique-insert.ts).
-- Returns the stored row's is_unique (NOT dup: a candidate's similarity is at least `threshold`),
-- or NULL when nothing was written: a candidate within `margin` of the threshold (the caller then
-- checks in JavaScript), or `new_id` belongs to a memory of another type.
CREATE FUNCTION agentmem_insert_unique_memory(
  new_id uuid, memory_type text, room uuid, agent uuid, author uuid, body jsonb, query vector,
  created bigint, k integer, ef_search integer, iterative boolean, threshold float8,
  margin float8, OUT stored_unique boolean)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  dup boolean;
  too_close boolean;
BEGIN
  PERFORM agentmem_hnsw_settings(ef_search, iterative);
  SELECT coalesce(bool_or(c.sim >= threshold AND c.sim <> 'NaN'), false),
      coalesce(bool_or(abs(c.sim - threshold) < margin), false)
    INTO dup, too_close
    FROM (SELECT 1 - (m.embedding <=> query) AS sim FROM memories m
      WHERE m.type = memory_type AND m.room_id = room AND m.agent_id = agent
        AND m.embedding IS NOT NULL AND m.id <> new_id
      ORDER BY m.embedding <=> query LIMIT k) c;
  IF too_close THEN
    RETURN;
  END IF;
  INSERT INTO memories AS m
      (id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at)
    VALUES (new_id, memory_type, room, agent, author, body, query, NOT dup, created)
    ON CONFLICT (id) DO UPDATE SET room_id = EXCLUDED.room_id, agent_id = EXCLUDED.agent_id,
      user_id = EXCLUDED.user_id, content = EXCLUDED.content, embedding = EXCLUDED.embedding,
      is_unique = EXCLUDED.is_unique, created_at = EXCLUDED.created_at
    WHERE m.type = EXCLUDED.type
    RETURNING m.is_unique INTO stored_unique;
END
$$;
