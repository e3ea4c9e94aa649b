-- Movie genres that name a genre that is not loaded. (Ratings of movies that are not loaded are
-- measured in ratings-profile.sql, in its one pass over the ratings.)
SELECT 'movie_genres.genre_id -> genres' AS subject, COUNT(*) AS value
FROM {{movie_genres}} AS mg
LEFT JOIN (SELECT DISTINCT genre_id FROM {{genres}}) AS g ON g.genre_id = mg.genre_id
WHERE g.genre_id IS NULL
