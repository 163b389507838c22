-- Re-embedding on a model switch (core/sql/reembed.ts). Each row's vector under the next model is
-- written beside the old one, in these shadow tables (untyped `vector`: the next dimension is not
-- this one); search keeps using `embedding` until every row has its next vector, then one
-- transaction moves them in, rebuilds the index and records the new model and dimension. A row
-- here means "done" (NULL: the row has no text to embed), so the tables are the progress a
-- resumed re-embed continues from. A memory deleted here loses its row (ON DELETE CASCADE); one
-- whose content or vector changes loses it through the trigger the re-embed installs while it runs.
CREATE TABLE memory_embeddings_next (
  memory_id uuid PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
  embedding vector
);

CREATE TABLE knowledge_embeddings_next (
  knowledge_id text COLLATE "C" PRIMARY KEY REFERENCES knowledge(id) ON DELETE CASCADE,
  embedding vector
);

-- The triggers (created by a re-embed, dropped by its switch) call these: a row written or changed
-- after its next vector was made must be embedded again.
CREATE FUNCTION agentmem_reembed_forget_memory() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  DELETE FROM memory_embeddings_next WHERE memory_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE FUNCTION agentmem_reembed_forget_knowledge() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  DELETE FROM knowledge_embeddings_next WHERE knowledge_id = NEW.id;
  RETURN NULL;
END
$$;
