-- A reload of the same run replaces its statistics: those of every dataset of the load
-- ({{dataset_parameters}}: the parameters :dataset_1, :dataset_2, … that name them).
DELETE FROM {{load_stats}}
WHERE run_id = CAST(:run_id AS VARCHAR(100))
  AND dataset IN ({{dataset_parameters}})
