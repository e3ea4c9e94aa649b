-- The ratings (26M rows) measured for every check that reads them, in ONE statement: a scan per
-- check cost more than the checks themselves. Rows are (check_name, subject, value); each check
-- takes its own.
--   tables_not_empty         rows in the table
--   keys_not_null            rows whose user_id or movie_id is NULL
--   keys_unique              rows beyond the first per (user, movie)
--   references_resolve       ratings whose movie is not loaded (a NULL movie_id included)
--   ratings_in_range         ratings that are missing or not one of 0.5, 1, ..., 5 (the ten values
--                            as a list: 3x faster than the arithmetic test rating * 2 <> FLOOR(rating * 2))
--   ratings_ledger_balances  the most recent ratings load's ledger (DESIGN.md section 5): the rows
--                            read minus its five buckets (rejected, unmapped, not loaded and
--                            superseded as the load recorded them; analysed as the model holds
--                            them): 0 when every row read is accounted for once; a rating lost
--                            from the model after the load, or counted twice, makes it non-zero.
--                            No row when no ratings load recorded a ledger.
-- {{ratings_profile}} measures the ratings as one row (row_count, null_keys, invalid_ratings,
-- orphans, duplicates): from the load's verified summaries (ratings-profile-from-load.sql, no
-- scan, or one cheap one) or, without them, by aggregating the ratings (ratings-profile-scanned.sql).
WITH profile AS ({{ratings_profile}}),
latest AS ({{latest_ratings_load}}),
recorded AS (
  SELECT
    SUM(CASE WHEN s.metric = 'ratings_total' THEN s.value ELSE 0 END) AS total,
    -- Rejects by reason (their sum is ratings_rejected), and a load recorded before the ledger had
    -- five buckets: its superseded ratings as ratings_duplicates, no ratings_not_loaded.
    SUM(CASE WHEN s.metric IN (
      'rejected_unparsable', 'rejected_out_of_range', 'rejected_not_half_step',
      'ratings_unmapped', 'ratings_not_loaded', 'ratings_superseded', 'ratings_duplicates'
    ) THEN s.value ELSE 0 END) AS left_out
  FROM {{load_stats}} AS s
  JOIN latest AS l ON l.run_id = s.run_id
  WHERE s.dataset = 'ratings'
),
measures AS (
  -- VARCHAR, not CHAR: Redshift would pad the shorter names of a UNION of literals with blanks.
  SELECT CAST('tables_not_empty' AS VARCHAR(64)) AS check_name, CAST('ratings' AS VARCHAR(128)) AS subject
  UNION ALL SELECT 'keys_not_null', 'ratings'
  UNION ALL SELECT 'keys_unique', 'ratings'
  UNION ALL SELECT 'ratings_in_range', 'ratings.rating not in 0.5, 1, ..., 5'
  UNION ALL SELECT 'references_resolve', 'ratings.movie_id -> movies'
)
SELECT
  ms.check_name,
  ms.subject,
  CAST(CASE ms.check_name
    WHEN 'tables_not_empty' THEN p.row_count
    WHEN 'keys_not_null' THEN p.null_keys
    WHEN 'keys_unique' THEN p.duplicates
    WHEN 'ratings_in_range' THEN p.invalid_ratings
    ELSE p.orphans
  END AS BIGINT) AS value
FROM measures AS ms
CROSS JOIN profile AS p
UNION ALL
SELECT
  CAST('ratings_ledger_balances' AS VARCHAR(64)),
  CAST('ratings: rows read - (rejected + unmapped + not loaded + superseded + analysed)' AS VARCHAR(128)),
  CAST(r.total - r.left_out - p.row_count AS BIGINT)
FROM recorded AS r
CROSS JOIN profile AS p
WHERE EXISTS (SELECT 1 FROM latest)
