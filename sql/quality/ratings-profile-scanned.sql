-- The ratings measured by aggregating them (a load left no summaries, or they no longer match the
-- ratings): one row of row_count, null_keys, invalid_ratings, orphans (ratings of no loaded movie,
-- a NULL movie_id included) and duplicates (rows beyond the first per user and movie), for
-- ratings-profile.sql.
--
-- Duplicates: non-NULL pairs minus distinct pairs, each pair packed into one BIGINT (injective for
-- any two INTEGERs): one sort of one column, 5x faster than grouping 26M two-column keys. Users are
-- split in two halves (a pair never spans both) so that PostgreSQL sorts them in two processes at
-- once (a Parallel Append; a DISTINCT aggregate is never split otherwise); the `< 1` / `>= 1` tests
-- of one expression keep the planner's estimates of the halves equal, which it needs to choose that
-- plan. A NULL user_id falls in the second half (COALESCE), so both halves together count every row.
SELECT
  SUM(row_count) AS row_count,
  SUM(null_keys) AS null_keys,
  SUM(invalid_ratings) AS invalid_ratings,
  SUM(orphans) AS orphans,
  SUM(keyed - distinct_pairs) AS duplicates
FROM (
  SELECT
    COUNT(*) AS row_count,
    COUNT(CASE WHEN r.user_id IS NULL OR r.movie_id IS NULL THEN 1 END) AS null_keys,
    COUNT(CASE WHEN r.rating IN (0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5) THEN NULL ELSE 1 END) AS invalid_ratings,
    COUNT(CASE WHEN m.movie_id IS NULL THEN 1 END) AS orphans,
    COUNT(r.pair) AS keyed,
    COUNT(DISTINCT r.pair) AS distinct_pairs
  FROM (
    SELECT user_id, movie_id, rating, CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair
    FROM {{ratings}} WHERE COALESCE(user_id, 1) % 2 < 1
  ) AS r
  LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = r.movie_id
  UNION ALL
  SELECT
    COUNT(*),
    COUNT(CASE WHEN r.user_id IS NULL OR r.movie_id IS NULL THEN 1 END),
    COUNT(CASE WHEN r.rating IN (0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5) THEN NULL ELSE 1 END),
    COUNT(CASE WHEN m.movie_id IS NULL THEN 1 END),
    COUNT(r.pair),
    COUNT(DISTINCT r.pair)
  FROM (
    SELECT user_id, movie_id, rating, CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair
    FROM {{ratings}} WHERE COALESCE(user_id, 1) % 2 >= 1
  ) AS r
  LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = r.movie_id
) AS halves
