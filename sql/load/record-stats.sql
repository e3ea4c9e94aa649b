-- The load's counts, committed with the rows they describe.
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT CAST(:dataset AS VARCHAR(64)), CAST(:run_id AS VARCHAR(100)), counts.metric, counts.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  SELECT 'rows_staged' AS metric, CAST(:rows_staged AS BIGINT) AS value
  UNION ALL
  SELECT 'rows_loaded', CAST(:rows_loaded AS BIGINT)
) AS counts
