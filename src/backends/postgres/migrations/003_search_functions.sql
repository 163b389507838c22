-- Nearest-neighbour search in one statement. pgvector reads `hnsw.ef_search` and
-- `hnsw.iterative_scan` when a scan starts, and setting them for one search only (set_config with
-- is_local) needs a transaction: from the client that is four round trips (BEGIN, set_config,
-- SELECT, COMMIT); a function call is its own transaction, so it is one. postgres-vector.ts
-- chooses the settings (ef_search; iterative scans only on pgvector >= 0.8, which has them).
-- SECURITY INVOKER (the default): the caller's privileges and row-level security apply.

-- The statement a memory search runs, for `d` dimensions and the filters given: $1 query vector,
-- $2 type, $3 k, $4 room, $5 agent. Every filter is in the WHERE clause, so it applies before
-- top-k (iterative index scans keep reading until k rows pass). The ORDER BY matches the index
-- 001 built: a halfvec expression between 2000 and 4000 dimensions. Tests EXPLAIN this text.
CREATE FUNCTION agentmem_memory_search_sql(
  d integer, by_room boolean, by_agent boolean, unique_only boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
  sql text := 'SELECT id, type, room_id, agent_id, user_id, content,
    vector_send(embedding) AS embedding, is_unique, created_at
    FROM memories WHERE type = $2 AND embedding IS NOT NULL';
BEGIN
  IF by_room THEN sql := sql || ' AND room_id = $4'; END IF;
  IF by_agent THEN sql := sql || ' AND agent_id = $5'; END IF;
  IF unique_only THEN sql := sql || ' AND is_unique'; END IF;
  RETURN sql || agentmem_order_by_distance(d) || ' LIMIT $3';
END
$$;

-- The knowledge search's statement: $1 query vector, $2 agent (its own items and shared ones), $3 k.
CREATE FUNCTION agentmem_knowledge_search_sql(d integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  RETURN 'SELECT id, agent_id, content, vector_send(embedding) AS embedding, is_main,
    original_id, chunk_index, is_shared, created_at FROM knowledge
    WHERE embedding IS NOT NULL AND (agent_id = $2 OR is_shared)'
    || agentmem_order_by_distance(d) || ' LIMIT $3';
END
$$;

CREATE FUNCTION agentmem_order_by_distance(d integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  IF d > 2000 AND d <= 4000 THEN
    RETURN format(' ORDER BY embedding::halfvec(%s) <=> $1::halfvec(%s)', d, d);
  END IF;
  RETURN ' ORDER BY embedding <=> $1';
END
$$;

-- Sets the HNSW search settings until the end of the current transaction.
CREATE FUNCTION agentmem_hnsw_settings(ef_search integer, iterative boolean) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  IF ef_search IS NOT NULL THEN
    PERFORM set_config('hnsw.ef_search', ef_search::text, true);
  END IF;
  IF iterative THEN
    PERFORM set_config('hnsw.iterative_scan', 'strict_order', true);
  END IF;
END
$$;

-- The searches. Every value is bound with USING, never spliced into the statement's text, and the
-- statement is planned for the actual values, as a client's unnamed statement is.
CREATE FUNCTION agentmem_search_memories(
  query vector, memory_type text, k integer, room uuid, agent uuid, unique_only boolean,
  ef_search integer, iterative boolean)
RETURNS TABLE (id uuid, type text, room_id uuid, agent_id uuid, user_id uuid, content jsonb,
  embedding bytea, is_unique boolean, created_at bigint)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM agentmem_hnsw_settings(ef_search, iterative);
  RETURN QUERY EXECUTE agentmem_memory_search_sql(
      vector_dims(query), room IS NOT NULL, agent IS NOT NULL, unique_only)
    USING query, memory_type, k, room, agent;
END
$$;

CREATE FUNCTION agentmem_search_knowledge(
  query vector, agent uuid, k integer, ef_search integer, iterative boolean)
RETURNS TABLE (id uuid, agent_id uuid, content jsonb, embedding bytea, is_main boolean,
  original_id uuid, chunk_index integer, is_shared boolean, created_at bigint)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM agentmem_hnsw_settings(ef_search, iterative);
  RETURN QUERY EXECUTE agentmem_knowledge_search_sql(vector_dims(query))
    USING query, agent, k;
END
$$;
