-- Re-embedding on a model switch (core/sql/reembed.ts). Each row's vector under the next model is
-- written beside the old one, in these shadow tables; search keeps using `embedding` until every
-- row has its next vector, then one transaction moves them in, rebuilds the vec0 index and records
-- the new model and dimension. A row here means "done" (NULL: the row has no text to embed), so
-- the tables are the progress a resumed re-embed continues from. While a re-embed runs it installs
-- triggers (in the file, so every connection's writes fire them) that forget the next vector of a
-- row deleted or changed after it was made.
CREATE TABLE memory_embeddings_next (
  memory_id TEXT PRIMARY KEY NOT NULL,
  embedding BLOB
);

CREATE TABLE knowledge_embeddings_next (
  knowledge_id TEXT PRIMARY KEY NOT NULL,
  embedding BLOB
);
