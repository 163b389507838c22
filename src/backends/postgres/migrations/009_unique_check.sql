-- createMemory(…, unique)'s near-duplicate check (postgres-unique-insert.ts) as a PL/pgSQL
-- function with a static query, so its parse is kept for the session instead of repeated on every
-- insert. The filter is agentmem_memory_search_sql's (005: type, room, agent, embedding present)
-- plus `id <> self`, the candidates ordered by `embedding <=> query` (the vector index of 001; the
-- halfvec expression index between 2000 and 4000 dimensions needs the dimension in the statement's
-- text, so the check stays inline there). The HNSW settings are set before the query starts, for
-- the transaction, by 003's agentmem_hnsw_settings. plan_cache_mode = force_custom_plan: every call is planned for its own room and
-- agent (a generic plan could walk the HNSW graph for a room of a few rows), as EXECUTE did.
-- dup: a candidate's similarity is at least `threshold`; close: one is within `margin` of it.
CREATE FUNCTION agentmem_unique_check(
  query vector, memory_type text, room uuid, agent uuid, self uuid, k integer,
  ef_search integer, iterative boolean, threshold float8, margin float8,
  OUT dup boolean, OUT close boolean)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
  PERFORM agentmem_hnsw_settings(ef_search, iterative);
  SELECT coalesce(bool_or(c.sim >= threshold AND c.sim <> 'NaN'), false),
      coalesce(bool_or(abs(c.sim - threshold) < margin), false)
    INTO dup, close
    FROM (SELECT 1 - (m.embedding <=> query) AS sim FROM memories m
      WHERE m.type = memory_type AND m.room_id = room AND m.agent_id = agent
        AND m.embedding IS NOT NULL AND m.id <> self
      ORDER BY m.embedding <=> query LIMIT k) c;
END
$$;
