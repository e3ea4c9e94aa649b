-- Whether the summaries of the most recent ratings load (ratings_by_movie, ratings_users_by_genre)
-- still describe the tables: the fingerprint the load recorded beside them (tasks/load/ratings-summary.ts;
-- each sum mod 2^62) against the ratings as they are now, and, of movie_genres, the fingerprint of
-- the pairs the users per genre were counted against. The ratings are scanned for their fingerprint
-- only when {{ratings_unwritten}} (unwritten.sql on PGlite and PostgreSQL, whose trigger counts the
-- statements that wrote the ratings since the load) gives no row: while it does, they are the rows
-- the load wrote and fingerprinted, and the recorded fingerprint stands for them. One row:
--   row_count      the ratings, counted by the scan (or as the load recorded them, unwritten since);
--   ratings_match  1 when the ratings give the load's row count and sums: the per-movie totals
--                  hold, and so does what the load guarantees of every row it wrote (keys not
--                  NULL, one row per user and movie, ratings 0.5 to 5 in halves), since a row
--                  added, doubled, dropped or changed since changes the sums; else 0;
--   genres_match   1 when movie_genres gives the pairs' count and sums too (the users per genre
--                  hold), else 0;
--   ratings_unwritten  1 when the ratings were not scanned (unwritten since the load), else 0.
-- The scan reads the ratings once with three cheap aggregates (about 2 s for 26M rows on
-- PostgreSQL, where a GROUP BY of the ratings per movie or a DISTINCT of their keys takes 4 to 8 s).
WITH latest AS ({{latest_ratings_load}}),
recorded AS (
  SELECT
    MAX(CASE WHEN s.metric = 'ratings_analysed' THEN s.value END) AS row_count,
    MAX(CASE WHEN s.metric = 'ratings_pair_sum' THEN s.value END) AS pair_sum,
    MAX(CASE WHEN s.metric = 'ratings_movie_halves_sum' THEN s.value END) AS movie_halves_sum,
    MAX(CASE WHEN s.metric = 'movie_genres_rows' THEN s.value END) AS genre_rows,
    MAX(CASE WHEN s.metric = 'movie_genres_movie_id_sum' THEN s.value END) AS genre_movie_id_sum,
    MAX(CASE WHEN s.metric = 'movie_genres_genre_id_sum' THEN s.value END) AS genre_genre_id_sum,
    MAX(CASE WHEN s.metric = 'movie_genres_pair_sum' THEN s.value END) AS genre_pair_sum
  FROM {{load_stats}} AS s
  JOIN latest AS l ON l.run_id = s.run_id
  WHERE s.dataset = 'ratings'
),
unwritten AS ({{ratings_unwritten}}),
scanned AS (
  SELECT r.row_count, r.pair_sum, r.movie_halves_sum, 1 AS unwritten
  FROM recorded AS r
  WHERE EXISTS (SELECT 1 FROM unwritten)
  UNION ALL
  -- Filtered twice: inside, the uncorrelated NOT EXISTS gates the scan (not run when it is false);
  -- outside, it drops the one row an aggregate returns even of nothing.
  SELECT totals.row_count, totals.pair_sum, totals.movie_halves_sum, 0
  FROM (
    SELECT
      COUNT(*) AS row_count,
      MOD(SUM(CAST(user_id AS BIGINT) * movie_id), 4611686018427387904) AS pair_sum,
      -- Movie ids times halves add up exactly in DOUBLE PRECISION while below 2^53 (6e13 here; a
      -- sum beyond would only fail the match, and the ratings would be aggregated).
      SUM(movie_id * rating) * 2 AS movie_halves_sum
    FROM {{ratings}}
    WHERE NOT EXISTS (SELECT 1 FROM unwritten)
  ) AS totals
  WHERE NOT EXISTS (SELECT 1 FROM unwritten)
),
genres AS (
  SELECT
    COUNT(*) AS genre_rows,
    MOD(SUM(CAST(movie_id AS BIGINT)), 4611686018427387904) AS genre_movie_id_sum,
    MOD(SUM(CAST(genre_id AS BIGINT)), 4611686018427387904) AS genre_genre_id_sum,
    MOD(SUM(CAST(movie_id AS BIGINT) * genre_id), 4611686018427387904) AS genre_pair_sum
  FROM {{movie_genres}}
  WHERE movie_id IS NOT NULL AND genre_id IS NOT NULL
)
SELECT
  s.row_count,
  CASE
    WHEN s.row_count = r.row_count AND s.pair_sum = r.pair_sum AND s.movie_halves_sum = r.movie_halves_sum
    THEN 1 ELSE 0
  END AS ratings_match,
  CASE
    WHEN g.genre_rows = r.genre_rows AND g.genre_movie_id_sum = r.genre_movie_id_sum
      AND g.genre_genre_id_sum = r.genre_genre_id_sum AND g.genre_pair_sum = r.genre_pair_sum
    THEN 1 ELSE 0
  END AS genres_match,
  s.unwritten AS ratings_unwritten
FROM scanned AS s
CROSS JOIN genres AS g
CROSS JOIN recorded AS r
