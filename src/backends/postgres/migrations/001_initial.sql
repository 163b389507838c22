-- The PostgreSQL family's schema (PostgreSQL, Supabase and PGlite). Same tables and columns as the
-- SQLite family: ids are uuid, timestamps BIGINT ms since the epoch, JSON is jsonb, embeddings are
-- pgvector `vector({{dimension}})` (NULL when the memory needs one). Plain SQL + one DO block, so
-- it runs on PGlite too.

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  username text NOT NULL,
  email text,
  avatar_url text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL
);

CREATE TABLE rooms (
  id uuid PRIMARY KEY,
  created_at bigint NOT NULL
);

CREATE TABLE participants (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_state text CHECK (user_state IN ('FOLLOWED', 'MUTED')),
  created_at bigint NOT NULL,
  UNIQUE (user_id, room_id)
);
CREATE INDEX participants_room ON participants (room_id);

CREATE TABLE memories (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  content jsonb NOT NULL,
  embedding vector({{dimension}}),
  is_unique boolean NOT NULL DEFAULT true,
  created_at bigint NOT NULL
);
CREATE INDEX memories_type_room ON memories (type, room_id, created_at);
CREATE INDEX memories_agent ON memories (agent_id);
CREATE INDEX memories_user ON memories (user_id);

CREATE TABLE goals (
  id uuid PRIMARY KEY,
  room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id uuid REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  status text NOT NULL CHECK (status IN ('IN_PROGRESS', 'DONE', 'FAILED')),
  objectives jsonb NOT NULL DEFAULT '[]',
  created_at bigint NOT NULL
);
CREATE INDEX goals_room ON goals (room_id, created_at);

CREATE TABLE relationships (
  id uuid PRIMARY KEY,
  user_a uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_b uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id uuid REFERENCES rooms(id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'FRIENDS',
  created_at bigint NOT NULL,
  UNIQUE (user_a, user_b)
);
CREATE INDEX relationships_user_b ON relationships (user_b);
-- One relationship per pair, whichever way round it was created.
CREATE UNIQUE INDEX relationships_pair ON relationships (least(user_a, user_b), greatest(user_a, user_b));

CREATE TABLE logs (
  id uuid PRIMARY KEY,
  body jsonb NOT NULL,
  user_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  type text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX logs_room ON logs (room_id);

CREATE TABLE cache (
  agent_id uuid NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (agent_id, key)
);

CREATE TABLE knowledge (
  id uuid PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  content jsonb NOT NULL,
  embedding vector({{dimension}}),
  is_main boolean NOT NULL DEFAULT false,
  original_id uuid,
  chunk_index integer,
  is_shared boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL
);
CREATE INDEX knowledge_agent ON knowledge (agent_id, created_at);
CREATE INDEX knowledge_original ON knowledge (original_id);

-- Cosine HNSW indexes. pgvector indexes `vector` up to 2000 dimensions and `halfvec` up to 4000:
-- between the two the index is on a halfvec expression (postgres-vector.ts casts queries the same
-- way so the planner matches it); above 4000 there is no index and search is exact.
DO $$
BEGIN
  IF {{dimension}} <= 2000 THEN
    CREATE INDEX memories_embedding ON memories USING hnsw (embedding vector_cosine_ops);
    CREATE INDEX knowledge_embedding ON knowledge USING hnsw (embedding vector_cosine_ops);
  ELSIF {{dimension}} <= 4000 THEN
    CREATE INDEX memories_embedding ON memories
      USING hnsw ((embedding::halfvec({{dimension}})) halfvec_cosine_ops);
    CREATE INDEX knowledge_embedding ON knowledge
      USING hnsw ((embedding::halfvec({{dimension}})) halfvec_cosine_ops);
  END IF;
END
$$;
