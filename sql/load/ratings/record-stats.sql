-- The ratings ledger of the run (DESIGN.md section 5), committed with the ratings, for the report
-- and the quality check ratings_ledger_balances: every line read in one bucket, by the first rule
-- that applies (rejected, unmapped, not loaded, superseded, analysed), with the rejects by reason.
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT CAST(:dataset AS VARCHAR(64)), CAST(:run_id AS VARCHAR(100)), counts.metric, counts.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  SELECT 'ratings_total' AS metric, CAST(:ratings_total AS BIGINT) AS value
  UNION ALL SELECT 'ratings_rejected', CAST(:ratings_rejected AS BIGINT)
  UNION ALL SELECT 'ratings_unmapped', CAST(:ratings_unmapped AS BIGINT)
  UNION ALL SELECT 'ratings_not_loaded', CAST(:ratings_not_loaded AS BIGINT)
  UNION ALL SELECT 'ratings_superseded', CAST(:ratings_superseded AS BIGINT)
  UNION ALL SELECT 'ratings_analysed', CAST(:ratings_analysed AS BIGINT)
  UNION ALL SELECT 'rejected_unparsable', CAST(:rejected_unparsable AS BIGINT)
  UNION ALL SELECT 'rejected_out_of_range', CAST(:rejected_out_of_range AS BIGINT)
  UNION ALL SELECT 'rejected_not_half_step', CAST(:rejected_not_half_step AS BIGINT)
) AS counts
