-- A reload of the same run replaces its statistics.
DELETE FROM {{load_stats}}
WHERE dataset = CAST(:dataset AS VARCHAR(64))
  AND run_id = CAST(:run_id AS VARCHAR(100))
