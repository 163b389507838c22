-- Ties in the searches' candidate sets (issues 18 and 19). 003 cut candidates with
-- `ORDER BY distance LIMIT k`: among rows at the same distance as the k-th, PostgreSQL kept an
-- arbitrary few, so two backends could return different items. Now the cut keeps every row tied
-- with the last one (FETCH FIRST k ROWS WITH TIES) and the candidates come out by (distance, id).
-- The inner ORDER BY is the distance alone, so the HNSW index still supplies the order (PostgreSQL
-- < 17 uses an index's ordering operator only when it matches the whole ORDER BY); the outer sort
-- only sees the candidates. postgres-vector.ts asks for a few more than `count` and ranks them
-- (similarity descending, id ascending), asking again with a larger k while the cut-off is uncertain.

-- The distance expression the index was built on (see agentmem_order_by_distance in 003).
CREATE FUNCTION agentmem_search_distance(d integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  IF d > 2000 AND d <= 4000 THEN
    RETURN format('embedding::halfvec(%s) <=> $1::halfvec(%s)', d, d);
  END IF;
  RETURN 'embedding <=> $1';
END
$$;

-- `columns` (named `names`) from `source` WHERE `filter`: the k nearest and every row tied with
-- the k-th ($3 is k), by (distance, id).
CREATE FUNCTION agentmem_nearest_sql(
  d integer, names text, columns text, source text, filter text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  RETURN 'SELECT ' || names || ' FROM (SELECT ' || columns || ', '
    || agentmem_search_distance(d) || ' AS distance FROM ' || source || ' WHERE ' || filter
    || ' ORDER BY ' || agentmem_search_distance(d) || ' FETCH FIRST ($3) ROWS WITH TIES) c'
    || ' ORDER BY distance, id';
END
$$;

CREATE OR REPLACE FUNCTION agentmem_memory_search_sql(
  d integer, by_room boolean, by_agent boolean, unique_only boolean) RETURNS text
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
    is_unique, created_at', 'memories', filter);
END
$$;

CREATE OR REPLACE FUNCTION agentmem_knowledge_search_sql(d integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  RETURN agentmem_nearest_sql(d,
    'id, agent_id, content, embedding, is_main, original_id, chunk_index, is_shared, created_at',
    'id, agent_id, content, vector_send(embedding) AS embedding, is_main, original_id,
    chunk_index, is_shared, created_at', 'knowledge',
    'embedding IS NOT NULL AND (agent_id = $2 OR is_shared)');
END
$$;
