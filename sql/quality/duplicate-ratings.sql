-- Ratings held by more than one row per key (the other model tables: duplicate-keys.sql).
-- Ratings (26M rows): rows beyond the first per (user, movie), counted as non-NULL pairs minus
-- distinct pairs, each pair packed into one BIGINT (injective for any two INTEGERs): one sort of
-- one column, 5x faster than grouping 26M two-column keys. Users are split in two halves (a pair
-- never spans both) so that PostgreSQL sorts them in two processes at once (a Parallel Append; a
-- DISTINCT aggregate is never split otherwise); the `< 1` / `>= 1` tests keep the planner's
-- estimates of the halves equal, which it needs to choose that plan. Rows with a NULL key part
-- are left to the ratings profile (ratings-profile.sql).
SELECT CAST('ratings' AS VARCHAR(128)) AS subject, CAST(SUM(keyed - distinct_pairs) AS BIGINT) AS value
FROM (
  SELECT COUNT(pair) AS keyed, COUNT(DISTINCT pair) AS distinct_pairs
  FROM (SELECT CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair FROM {{ratings}} WHERE user_id % 2 < 1) AS half_a
  UNION ALL SELECT COUNT(pair), COUNT(DISTINCT pair)
  FROM (SELECT CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair FROM {{ratings}} WHERE user_id % 2 >= 1) AS half_b
) AS halves
