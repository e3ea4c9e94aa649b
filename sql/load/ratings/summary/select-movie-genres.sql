-- The genres of the movies, for the users per genre the ratings load counts on its way
-- (tasks/load/ratings-summary.ts), as ONE row: `pairs` and their text `movie:genre,movie:genre,…`.
-- 94k rows as row objects grew the task's heap by 30 MB on PGlite at full scale, where its peak must
-- stay under 256 MiB; one string of 1 MB does not. PGlite and PostgreSQL only (string_agg): only
-- the streaming load writes summaries. A pair with a NULL side names no genre of a movie: left out
-- here and in the fingerprint that sql/ratings-summary/verified.sql computes again.
SELECT
  COUNT(*) AS pairs,
  COALESCE(string_agg(CAST(movie_id AS VARCHAR(11)) || ':' || CAST(genre_id AS VARCHAR(11)), ','), '') AS pairs_text
FROM {{movie_genres}}
WHERE movie_id IS NOT NULL AND genre_id IS NOT NULL
