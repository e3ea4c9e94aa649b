-- One dataset's counts, a part of record-stats.sql: {{n}} is the dataset's place in the load, so
-- each dataset brings its own parameters (:dataset_1, :rows_staged_1, :rows_loaded_1, …).
SELECT CAST(:dataset_{{n}} AS VARCHAR(64)) AS dataset, 'rows_staged' AS metric, CAST(:rows_staged_{{n}} AS BIGINT) AS value
UNION ALL
SELECT CAST(:dataset_{{n}} AS VARCHAR(64)), 'rows_loaded', CAST(:rows_loaded_{{n}} AS BIGINT)
