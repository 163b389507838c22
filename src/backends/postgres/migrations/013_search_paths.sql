-- Room-filtered searches choose their path (issue 17's scale report). Left to the planner, a
-- search filtered to a room of 1% of a large table walked the HNSW graph (pgvector's cost model
-- ignores the filter): at 1,000,000 rows 61 ms for recall@10 0.66, where reading the room's 10,000
-- rows through the (type, room_id) btree is exact and faster. Now a room-filtered search counts the
-- room's rows of its type (an index-only scan stopped at `exact_below` rows) and, below
-- `exact_below`, runs the exact form: the same candidates (the k nearest by distance, with ties)
-- in an order the HNSW index cannot supply (see agentmem_nearest_sql below). postgres-vector.ts chooses
-- `exact_below` (and ef_search) from the table's size; 0 leaves the plan to PostgreSQL.

-- 005's candidate statement, or with `exact` its exact form: the distances of the rows passing
-- `filter` behind an OFFSET 0 fence (so no index can supply their order: the filter's btree reads
-- them), the k nearest (and ties) cut by distance alone from (id, distance) pairs, then their whole
-- rows joined back by id. Cutting the whole rows instead would build every passing row's output
-- (a 1.5 KB bytea per 384-dim embedding) before the sort: 13 ms instead of 3 for a room of 2,000.
CREATE FUNCTION agentmem_nearest_sql(
  d integer, names text, columns text, source text, filter text, exact boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
  dist text := agentmem_search_distance(d);
BEGIN
  IF NOT exact THEN
    RETURN agentmem_nearest_sql(d, names, columns, source, filter);
  END IF;
  RETURN 'SELECT ' || names || ' FROM (SELECT ' || columns || ', t.distance FROM (SELECT id, distance'
    || ' FROM (SELECT id, ' || dist || ' AS distance FROM ' || source || ' WHERE ' || filter
    || ' OFFSET 0) s ORDER BY distance FETCH FIRST ($3) ROWS WITH TIES) t JOIN ' || source
    || ' USING (id)) c ORDER BY distance, id';
END
$$;

-- 005's memory search statement; `exact` as above. Tests EXPLAIN this text.
CREATE FUNCTION agentmem_memory_search_sql(
  d integer, by_room boolean, by_agent boolean, unique_only boolean, exact boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
  filter text := 'type = $2 AND embedding IS NOT NULL';
BEGIN
  IF by_room THEN filter := filter || ' AND room_id = $4'; END IF;
  IF by_agent THEN filter := filter || ' AND agent_id = $5'; END IF;
  IF unique_only THEN filter := filter || ' AND is_unique'; END IF;
  RETURN agentmem_nearest_sql(d,
    'id, type, room_id, agent_id, user_id, content, embedding, is_unique, created_at',
    'id, type, room_id, agent_id, user_id, content, vector_send(embedding) AS embedding,
    is_unique, created_at', 'memories', filter, exact);
END
$$;

-- True when the room holds fewer than `below` memories of this type: the first `below` entries of
-- memories_type_room, no more.
CREATE FUNCTION agentmem_room_below(memory_type text, room uuid, below integer) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT count(*) < below FROM (
    SELECT 1 FROM memories m WHERE m.type = memory_type AND m.room_id = room LIMIT below) s
$$;

-- 003's memory search with the path chosen as above (`exact_below` > 0 and a room given); each
-- row also says which path it came from (`exact`), so the caller can remember a big room and skip
-- the count next time (pass 0).
CREATE FUNCTION agentmem_search_memories(
  query vector, memory_type text, k integer, room uuid, agent uuid, unique_only boolean,
  ef_search integer, iterative boolean, exact_below integer)
RETURNS TABLE (id uuid, type text, room_id uuid, agent_id uuid, user_id uuid, content jsonb,
  embedding bytea, is_unique boolean, created_at bigint, exact boolean)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  exact boolean := room IS NOT NULL AND exact_below > 0
    AND agentmem_room_below(memory_type, room, exact_below);
BEGIN
  IF NOT exact THEN PERFORM agentmem_hnsw_settings(ef_search, iterative); END IF;
  RETURN QUERY EXECUTE 'SELECT s.*, $6 FROM (' || agentmem_memory_search_sql(
      vector_dims(query), room IS NOT NULL, agent IS NOT NULL, unique_only, exact) || ') s'
    USING query, memory_type, k, room, agent, exact;
END
$$;
