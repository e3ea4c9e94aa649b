-- The ratings measured from the most recent ratings load's summaries, when they still describe the
-- ratings ({{verified}}: sql/ratings-summary/verified.sql, which scans the ratings only if
-- something may have written them since the load); no row otherwise,
-- and quality-check measures them with ratings-profile-scanned.sql instead. One row as that
-- file's: row_count from verified.sql; orphans from the ratings per movie (the movies the ratings
-- name, each with its count: 45k rows, not 26M), against the movies loaded now; NULL keys,
-- duplicates and ratings out of range 0: a load that writes summaries writes none (its reader
-- refuses them, one row per user and movie), and the count of writes since (or else the matching
-- fingerprint) shows no row was added, doubled, dropped or changed since. Any of those makes the
-- fingerprint differ, and the ratings are then measured row by row.
SELECT
  v.row_count,
  0 AS null_keys,
  0 AS invalid_ratings,
  (
    SELECT COALESCE(SUM(b.ratings_count), 0)
    FROM {{ratings_by_movie}} AS b
    LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = b.movie_id
    WHERE m.movie_id IS NULL
  ) AS orphans,
  0 AS duplicates
FROM ({{verified}}) AS v
WHERE v.ratings_match = 1
