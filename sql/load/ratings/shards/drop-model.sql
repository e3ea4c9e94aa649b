-- The commit of a sharded load (PGlite, PostgreSQL), under the load's locks: the old ratings go
-- whole (O(1), no row visited), and rename-next.sql puts the shards' table in their place.
DROP TABLE {{ratings}}
