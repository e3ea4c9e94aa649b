-- First statement of every transaction that replaces a dataset's rows: the tables it writes,
-- locked before it reads or writes anything, in ONE order for every load (load_stats, then the
-- one model table). Redshift takes a transaction's snapshot at its first statement after the
-- LOCKs: two loads writing load_stats at once without it fail with serializable isolation error
-- 1023, whose documented remedy is exactly this. The shared order means no two loads can each hold
-- a table the other waits for.
LOCK TABLE {{load_stats}}, {{model}}
