-- References that lead nowhere: ratings of movies that are not loaded, and movie genres that
-- name a genre that is not loaded.
SELECT 'ratings.movie_id -> movies' AS subject, COUNT(*) AS value
FROM {{ratings}} AS r
LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = r.movie_id
WHERE m.movie_id IS NULL
UNION ALL
SELECT 'movie_genres.genre_id -> genres', COUNT(*)
FROM {{movie_genres}} AS mg
LEFT JOIN (SELECT DISTINCT genre_id FROM {{genres}}) AS g ON g.genre_id = mg.genre_id
WHERE g.genre_id IS NULL
