-- The SQLite family's schema (SQLite and SQL.js). Timestamps are ms since the epoch; JSON is TEXT;
-- embeddings are little-endian Float32 BLOBs (NULL when the memory needs one). The plain tables are
-- the source of truth: any vector index (sqlite-vec) is derived from them.

CREATE TABLE accounts (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  username TEXT NOT NULL,
  email TEXT,
  avatar_url TEXT,
  details TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);

CREATE TABLE rooms (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE participants (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_state TEXT CHECK (user_state IN ('FOLLOWED', 'MUTED')),
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, room_id)
);
CREATE INDEX participants_room ON participants (room_id);

CREATE TABLE memories (
  id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  embedding BLOB,
  is_unique INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX memories_type_room ON memories (type, room_id, created_at);
CREATE INDEX memories_agent ON memories (agent_id);
CREATE INDEX memories_user ON memories (user_id);

CREATE TABLE goals (
  id TEXT PRIMARY KEY NOT NULL,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('IN_PROGRESS', 'DONE', 'FAILED')),
  objectives TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE INDEX goals_room ON goals (room_id, created_at);

CREATE TABLE relationships (
  id TEXT PRIMARY KEY NOT NULL,
  user_a TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_b TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id TEXT REFERENCES rooms(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'FRIENDS',
  created_at INTEGER NOT NULL,
  UNIQUE (user_a, user_b)
);
CREATE INDEX relationships_user_b ON relationships (user_b);
-- One relationship per pair, whichever way round it was created.
CREATE UNIQUE INDEX relationships_pair ON relationships (min(user_a, user_b), max(user_a, user_b));

CREATE TABLE logs (
  id TEXT PRIMARY KEY NOT NULL,
  body TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX logs_room ON logs (room_id);

CREATE TABLE cache (
  agent_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, key)
);

CREATE TABLE knowledge (
  id TEXT PRIMARY KEY NOT NULL,
  agent_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  embedding BLOB,
  is_main INTEGER NOT NULL DEFAULT 0,
  original_id TEXT,
  chunk_index INTEGER,
  is_shared INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX knowledge_agent ON knowledge (agent_id, created_at);
CREATE INDEX knowledge_original ON knowledge (original_id);
