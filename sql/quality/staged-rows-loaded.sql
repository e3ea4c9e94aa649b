-- Rows each load of this run COPYed from the staged objects, to compare with the row counts the
-- transforms wrote in their manifests.
SELECT dataset AS subject, value
FROM {{load_stats}}
WHERE run_id = CAST(:run_id AS VARCHAR(100))
  AND metric = 'rows_staged'
