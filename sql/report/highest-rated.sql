-- Q1: the highest-rated movies with at least :min_ratings ratings, by mean rating, then ratings
-- count, then movie id; with the Bayesian weighted rating v/(v+m)·R + m/(v+m)·C, where m is
-- :min_ratings and C the mean of all analysed ratings.
--
-- One pass over the ratings: C comes from the per-movie counts and sums (exact NUMERIC sums)
-- rather than from a second scan of every rating.
WITH per_movie AS (
  SELECT movie_id, COUNT(*) AS ratings_count, SUM(rating) AS rating_sum
  FROM {{ratings}}
  GROUP BY movie_id
),
overall AS (
  SELECT CAST(SUM(rating_sum) AS DOUBLE PRECISION) / SUM(ratings_count) AS mean_rating FROM per_movie
),
qualified AS (
  SELECT movie_id, ratings_count, CAST(rating_sum AS DOUBLE PRECISION) / ratings_count AS mean_rating
  FROM per_movie
  WHERE ratings_count >= CAST(:min_ratings AS INTEGER)
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
FROM qualified AS p
JOIN {{movies}} AS m ON m.movie_id = p.movie_id
CROSS JOIN overall AS o
ORDER BY p.mean_rating DESC, p.ratings_count DESC, p.movie_id ASC
LIMIT 10
