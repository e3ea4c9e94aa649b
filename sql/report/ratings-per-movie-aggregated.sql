-- The ratings per movie, aggregated from the ratings (rated-movies-and-genres.sql's
-- {{ratings_per_movie}} when no verified load summary holds them): a NULL movie_id is a group of
-- its own, so the counts add up to every rating the model holds.
SELECT movie_id, COUNT(*) AS ratings_count, SUM(rating) AS rating_sum
FROM {{ratings}}
GROUP BY movie_id
