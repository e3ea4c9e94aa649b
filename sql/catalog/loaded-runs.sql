-- The pipeline runs whose loads the warehouse holds, latest first: what row counts describe.
SELECT run_id, MAX(recorded_at) AS last_recorded_at
FROM {{load_stats}}
GROUP BY run_id
ORDER BY last_recorded_at DESC, run_id
