-- The ratings (26M rows) measured for several checks in ONE pass: a scan per check cost more
-- than the checks themselves. Rows are (check_name, subject, value); each check takes its own.
--   tables_not_empty    rows in the table
--   keys_not_null       rows whose user_id or movie_id is NULL
--   ratings_in_range    ratings that are missing or not one of 0.5, 1, ..., 5 (the ten values as
--                       a list: 3x faster than the arithmetic test rating * 2 <> FLOOR(rating * 2))
--   references_resolve  ratings whose movie is not loaded (a NULL movie_id included)
-- No DISTINCT aggregate, so PostgreSQL splits the pass over parallel workers. Duplicate keys need
-- a sort and stay in duplicate-keys.sql.
WITH profile AS (
  SELECT
    COUNT(*) AS row_count,
    COUNT(CASE WHEN r.user_id IS NULL OR r.movie_id IS NULL THEN 1 END) AS null_keys,
    COUNT(CASE WHEN r.rating IN (0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5) THEN NULL ELSE 1 END) AS invalid_ratings,
    COUNT(CASE WHEN m.movie_id IS NULL THEN 1 END) AS orphans
  FROM {{ratings}} AS r
  LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = r.movie_id
),
measures AS (
  -- VARCHAR, not CHAR: Redshift would pad the shorter names of a UNION of literals with blanks.
  SELECT CAST('tables_not_empty' AS VARCHAR(64)) AS check_name, CAST('ratings' AS VARCHAR(64)) AS subject
  UNION ALL SELECT 'keys_not_null', 'ratings'
  UNION ALL SELECT 'ratings_in_range', 'ratings.rating not in 0.5, 1, ..., 5'
  UNION ALL SELECT 'references_resolve', 'ratings.movie_id -> movies'
)
SELECT
  ms.check_name,
  ms.subject,
  CASE ms.check_name
    WHEN 'tables_not_empty' THEN p.row_count
    WHEN 'keys_not_null' THEN p.null_keys
    WHEN 'ratings_in_range' THEN p.invalid_ratings
    ELSE p.orphans
  END AS value
FROM measures AS ms
CROSS JOIN profile AS p
