-- How many ratings the model will take from staging: one per user and movie.
SELECT COUNT(*) AS ratings_analysed
FROM (SELECT DISTINCT user_id, movie_id FROM {{staging}}) AS pairs
