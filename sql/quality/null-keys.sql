-- Rows of one model table whose key (or part of it) is NULL; 0 passes. A template: quality-check
-- renders it once per staged dataset, its key from the contract (tasks/core/staged.ts), and joins
-- the statements with UNION ALL. Ratings: in ratings-profile.sql, in its one statement over the ratings.
SELECT CAST({{subject}} AS VARCHAR(128)) AS subject, COUNT(*) AS value
FROM {{table}}
WHERE {{key_is_null}}
