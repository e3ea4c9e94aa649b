-- Whether the model table holds any row: a first load into an empty table skips the DELETE.
SELECT COUNT(*) AS row_count
FROM (SELECT 1 AS present FROM {{model}} LIMIT 1) AS probe
