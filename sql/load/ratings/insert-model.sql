-- Staging already holds one rating per user and movie.
INSERT INTO {{ratings}} (user_id, movie_id, movielens_id, rating, rated_at)
SELECT user_id, movie_id, movielens_id, rating, rated_at
FROM {{staging}}
