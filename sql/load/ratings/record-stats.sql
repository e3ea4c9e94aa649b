-- Coverage of the run's ratings, committed with them, for the report (DESIGN.md section 5).
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT CAST(:dataset AS VARCHAR(64)), CAST(:run_id AS VARCHAR(100)), counts.metric, counts.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  SELECT 'ratings_total' AS metric, CAST(:ratings_total AS BIGINT) AS value
  UNION ALL SELECT 'ratings_analysed', CAST(:ratings_analysed AS BIGINT)
  UNION ALL SELECT 'ratings_unmapped', CAST(:ratings_unmapped AS BIGINT)
  UNION ALL SELECT 'ratings_duplicates', CAST(:ratings_duplicates AS BIGINT)
  UNION ALL SELECT 'rejected_unparsable', CAST(:rejected_unparsable AS BIGINT)
  UNION ALL SELECT 'rejected_out_of_range', CAST(:rejected_out_of_range AS BIGINT)
  UNION ALL SELECT 'rejected_not_half_step', CAST(:rejected_not_half_step AS BIGINT)
) AS counts
