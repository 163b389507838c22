-- The change log of the memories' vector columns, kept in the file so every connection's writes
-- (any process's, the caller's own statements, cascades) are logged: an in-memory search copy
-- (sqlite-vector-cache.ts) that last saw seq S applies only the ids logged after S, instead of
-- rereading the table after another process commits. The log is transactional (a rolled-back
-- write leaves no entry) and contiguous: seq is max + 1 and only the oldest entries are pruned
-- (every 1,024th entry drops those 100,000 or more behind it, never the newest), so a copy whose
-- next seq is no longer there rereads the table. VACUUM keeps an INTEGER PRIMARY KEY's values.
CREATE TABLE memory_changes (
  seq INTEGER PRIMARY KEY,
  memory_id TEXT NOT NULL
);

CREATE TRIGGER memory_changes_insert AFTER INSERT ON memories BEGIN
  INSERT INTO memory_changes (memory_id) VALUES (new.id);
END;

CREATE TRIGGER memory_changes_update
AFTER UPDATE OF id, type, room_id, agent_id, embedding, is_unique ON memories BEGIN
  INSERT INTO memory_changes (memory_id) VALUES (old.id);
  INSERT INTO memory_changes (memory_id) SELECT new.id WHERE new.id IS NOT old.id;
END;

CREATE TRIGGER memory_changes_delete AFTER DELETE ON memories BEGIN
  INSERT INTO memory_changes (memory_id) VALUES (old.id);
END;

CREATE TRIGGER memory_changes_prune AFTER INSERT ON memory_changes
WHEN new.seq % 1024 = 0 BEGIN
  DELETE FROM memory_changes WHERE seq <= new.seq - 100000;
END;

-- Names this database (not its path): a derived index saved beside the file records it, so one
-- saved for another database is never loaded.
INSERT INTO agentmem_meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
