-- How ratings reach movies (DESIGN.md section 5): each MovieLens id with a TMDB id that is a
-- loaded movie. Two MovieLens ids may share one TMDB id; the load keeps one rating per user and movie.
SELECT DISTINCT l.movielens_id, l.tmdb_id
FROM {{links}} AS l
JOIN {{movies}} AS m ON m.movie_id = l.tmdb_id
