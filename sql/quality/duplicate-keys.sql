-- Keys held by more than one row in one model table (loads keep one row per key); 0 passes.
-- A template: quality-check renders it once per staged dataset, its key from the contract
-- (tasks/core/staged.ts), and joins the statements with UNION ALL. Ratings: ratings-profile.sql.
SELECT CAST({{subject}} AS VARCHAR(128)) AS subject, COUNT(*) AS value
FROM (SELECT {{key_columns}} FROM {{table}} GROUP BY {{key_columns}} HAVING COUNT(*) > 1) AS repeated
