-- PGlite, PostgreSQL: one row when nothing has written the ratings since the most recent load
-- (`latest`, of verified.sql, which embeds this as {{ratings_unwritten}}): its
-- ratings_writes_since_load is still 0, the ratings table is the one it wrote (same oid), and the
-- trigger that counts the writes (sql/load/ratings/summary/count-writes.sql) is there and not
-- disabled. No row otherwise: verified.sql then scans the ratings for the fingerprint.
-- What this cannot see: a session that turned triggers off (session_replication_role = replica)
-- or a superuser's edit of the files; the fingerprint has a like limit (an edit that keeps its sums).
SELECT 1 AS unwritten
FROM {{load_stats}} AS writes
JOIN {{load_stats}} AS table_oid ON table_oid.run_id = writes.run_id AND table_oid.dataset = writes.dataset
-- Fires in a session as it normally is: 'O' (origin), 'A' (always); not 'D' (disabled) nor 'R' (replica only).
JOIN pg_trigger AS t ON t.tgrelid = to_regclass({{ratings_name}}) AND t.tgname = 'ratings_written' AND t.tgenabled IN ('O', 'A')
WHERE writes.run_id = (SELECT run_id FROM latest)
  AND writes.dataset = 'ratings'
  AND writes.metric = 'ratings_writes_since_load'
  AND writes.value = 0
  AND table_oid.metric = 'ratings_table_oid'
  AND table_oid.value = CAST(CAST(to_regclass({{ratings_name}}) AS OID) AS BIGINT)
