-- Room names as data, and an expiry on cache entries (issue 16).
--
-- Rooms get an optional display name. Before, the `agentmem` command kept the names it was given
-- in the cache, as `room-name:<room id>` under its own agent (stableId("agent", "agentmem-cli") =
-- 101f5ea5-a150-5302-ab21-212c9a4e599f): they move into rooms.name and those cache rows go.
ALTER TABLE rooms ADD COLUMN name text;

UPDATE rooms SET name = c.value FROM cache c
  WHERE rooms.name IS NULL
    AND c.agent_id = '101f5ea5-a150-5302-ab21-212c9a4e599f'
    AND c.key = 'room-name:' || rooms.id::text;
DELETE FROM cache
  WHERE agent_id = '101f5ea5-a150-5302-ab21-212c9a4e599f' AND left(key, 10) = 'room-name:';

-- A cache entry with expires_at (ms since the epoch) reads as absent from then on; expired rows
-- are deleted by the next setCache, found through this index of the entries that can expire.
ALTER TABLE cache ADD COLUMN expires_at bigint;
CREATE INDEX cache_expires ON cache (expires_at) WHERE expires_at IS NOT NULL;
