-- Q2: per genre, the ratings of its movies (a movie in several genres counts in each), the distinct
-- users who gave them, and their mean; most-rated genre first.
SELECT
  g.name AS genre,
  COUNT(*) AS ratings_count,
  COUNT(DISTINCT r.user_id) AS users,
  AVG(CAST(r.rating AS DOUBLE PRECISION)) AS mean_rating
FROM {{ratings}} AS r
JOIN {{movie_genres}} AS mg ON mg.movie_id = r.movie_id
JOIN {{genres}} AS g ON g.genre_id = mg.genre_id
GROUP BY g.genre_id, g.name
ORDER BY ratings_count DESC, genre ASC
