-- PGlite, PostgreSQL: beside the fingerprint, what lets a reader skip the scan that verifies it
-- (sql/ratings-summary/unwritten.sql): no statement has written the ratings since this load
-- (ratings_writes_since_load, counted up by count-writes.sql's trigger from here on), and the
-- ratings table is the one it wrote (ratings_table_oid: a table dropped and made again has
-- another oid, and no trigger until a load makes one).
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT CAST(:dataset AS VARCHAR(64)), CAST(:run_id AS VARCHAR(100)), facts.metric, facts.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  SELECT 'ratings_writes_since_load' AS metric, CAST(0 AS BIGINT) AS value
  UNION ALL SELECT 'ratings_table_oid', CAST(CAST(to_regclass({{ratings_name}}) AS OID) AS BIGINT)
) AS facts
