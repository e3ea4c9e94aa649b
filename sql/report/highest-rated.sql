-- Q1: the highest-rated movies with at least :min_ratings ratings, by mean rating, then ratings
-- count, then movie id; with the Bayesian weighted rating v/(v+m)·R + m/(v+m)·C, where m is
-- :min_ratings and C the mean of all analysed ratings.
WITH overall AS (
  SELECT AVG(CAST(rating AS DOUBLE PRECISION)) AS mean_rating FROM {{ratings}}
),
per_movie AS (
  SELECT movie_id, AVG(CAST(rating AS DOUBLE PRECISION)) AS mean_rating, COUNT(*) AS ratings_count
  FROM {{ratings}}
  GROUP BY movie_id
  HAVING COUNT(*) >= CAST(:min_ratings AS INTEGER)
)
SELECT
  p.movie_id,
  m.title,
  p.mean_rating,
  p.ratings_count,
  CAST(p.ratings_count AS DOUBLE PRECISION) / (p.ratings_count + CAST(:min_ratings AS INTEGER))
    * p.mean_rating
    + CAST(:min_ratings AS DOUBLE PRECISION) / (p.ratings_count + CAST(:min_ratings AS INTEGER)) * o.mean_rating
    AS weighted_rating
FROM per_movie AS p
JOIN {{movies}} AS m ON m.movie_id = p.movie_id
CROSS JOIN overall AS o
ORDER BY p.mean_rating DESC, p.ratings_count DESC, p.movie_id ASC
LIMIT 10
