-- The ratings per movie as the most recent ratings load counted them (rated-movies-and-genres.sql's
-- {{ratings_per_movie}}, used only while one scan shows they still describe the ratings).
SELECT movie_id, ratings_count, rating_sum
FROM {{ratings_by_movie}}
