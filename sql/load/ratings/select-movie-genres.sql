-- The genres of the movies, for the users per genre the ratings load counts on its way
-- (tasks/load/ratings-summary.ts). A pair with a NULL side names no genre of a movie: left out
-- here and in the fingerprint that sql/fragments/ratings-summary-verified.sql computes again.
SELECT movie_id, genre_id
FROM {{movie_genres}}
WHERE movie_id IS NOT NULL AND genre_id IS NOT NULL
