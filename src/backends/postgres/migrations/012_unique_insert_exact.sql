-- createMemory(…, unique)'s function without a planning cost on every call (issue 17, target 5).
-- 011 ran the check as `ORDER BY distance LIMIT k` under `SET plan_cache_mode =
-- force_custom_plan` (a generic plan chosen for large rooms could walk the HNSW graph for a room
-- of a few rows and miss its duplicates): planning the check on every call, and saving and
-- restoring the setting around every call, cost ~0.25 ms of a ~2.2 ms write (bench/analysis-pg.md).
-- Now, for a room whose (type, room) holds at most 1000 rows (counted through the (type, room_id,
-- created_at) btree, stopping at 1001), the check is a filter, `distance <= 1 - threshold +
-- margin`, with no ORDER BY: pgvector's HNSW index serves only ORDER BY, so no plan of it, generic
-- or custom, can use that index. It is exact (every row of the room within reach is compared), and
-- its plan is kept for the session like the INSERT's. Above 1000 rows an exact scan costs more than
-- the HNSW walk (1.6 ms at 1000 rows, 6.4 ms at 5000, 25 ms at 20,000, against ~1.6 ms), so there
-- the check is 011's top-k by distance, with the HNSW settings, run by EXECUTE: planned for each
-- call's own values (the index when the room is large, the btree when the agent's rows are few).
-- A candidate at or above threshold + margin decides alone (a duplicate whatever the rounding);
-- otherwise one within `margin` of the threshold writes nothing (the caller checks in JavaScript).
-- The signature, the result and SECURITY INVOKER are 011's (row-level security applies to the
-- count, the check and the insert, as the caller).
CREATE OR REPLACE FUNCTION agentmem_insert_unique_memory(
  new_id uuid, memory_type text, room uuid, agent uuid, author uuid, body jsonb, query vector,
  created bigint, k integer, ef_search integer, iterative boolean, threshold float8,
  margin float8, OUT stored_unique boolean)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  dup boolean;
  clear_dup boolean;
  too_close boolean;
BEGIN
  IF (SELECT count(*) FROM (SELECT 1 FROM memories m
      WHERE m.type = memory_type AND m.room_id = room LIMIT 1001) r) <= 1000 THEN
    SELECT coalesce(bool_or(c.sim >= threshold), false),
        coalesce(bool_or(c.sim >= threshold + margin), false),
        coalesce(bool_or(abs(c.sim - threshold) < margin), false)
      INTO dup, clear_dup, too_close
      FROM (SELECT 1 - (m.embedding <=> query) AS sim FROM memories m
        WHERE m.type = memory_type AND m.room_id = room AND m.agent_id = agent
          AND m.embedding IS NOT NULL AND m.id <> new_id
          AND (m.embedding <=> query) <= 1 - threshold + margin) c;
  ELSE
    PERFORM agentmem_hnsw_settings(ef_search, iterative);
    EXECUTE 'SELECT coalesce(bool_or(c.sim >= $6 AND c.sim <> ''NaN''), false),
        coalesce(bool_or(c.sim >= $6 + $7 AND c.sim <> ''NaN''), false),
        coalesce(bool_or(abs(c.sim - $6) < $7), false)
      FROM (SELECT 1 - (m.embedding <=> $5) AS sim FROM memories m
        WHERE m.type = $1 AND m.room_id = $2 AND m.agent_id = $3
          AND m.embedding IS NOT NULL AND m.id <> $4
        ORDER BY m.embedding <=> $5 LIMIT $8) c'
      INTO dup, clear_dup, too_close
      USING memory_type, room, agent, new_id, query, threshold, margin, k;
  END IF;
  IF too_close AND NOT clear_dup THEN
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
