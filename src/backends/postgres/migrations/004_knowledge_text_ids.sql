-- Knowledge ids become text: ElizaOS 0.1.9's RAG stores a file's chunks as `<file uuid>-chunk-<n>`
-- and finds, compares and removes them by that id, so it is kept as given (core validates the
-- shape). COLLATE "C" orders the key byte-wise, so "every chunk of one file" is an exact range
-- scan of the primary key rather than a LIKE pattern. Existing uuid ids convert to their text form.
ALTER TABLE knowledge ALTER COLUMN id TYPE text COLLATE "C" USING id::text;

-- The knowledge search function returns the id, so it is recreated with a text id.
DROP FUNCTION agentmem_search_knowledge(vector, uuid, integer, integer, boolean);
CREATE FUNCTION agentmem_search_knowledge(
  query vector, agent uuid, k integer, ef_search integer, iterative boolean)
RETURNS TABLE (id text, agent_id uuid, content jsonb, embedding bytea, is_main boolean,
  original_id uuid, chunk_index integer, is_shared boolean, created_at bigint)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM agentmem_hnsw_settings(ef_search, iterative);
  RETURN QUERY EXECUTE agentmem_knowledge_search_sql(vector_dims(query))
    USING query, agent, k;
END
$$;
