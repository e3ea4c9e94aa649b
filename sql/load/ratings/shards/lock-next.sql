-- First statement of a ratings shard's transaction (PGlite, PostgreSQL): shards of one run take
-- turns creating the run's next ratings table ({{next}}), so two never race on its CREATE. The lock
-- is released at commit; the COPYs of concurrent shards run at once after it.
SELECT pg_advisory_xact_lock(hashtext(CAST(:next_table AS VARCHAR(300)))) AS locked
