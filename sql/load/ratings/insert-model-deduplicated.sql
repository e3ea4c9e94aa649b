-- For a ratings file that is not grouped by user, staging may hold one user's rating of one movie
-- more than once: the latest wins, then the greatest, then the one of the greater MovieLens id
-- (the rule tasks/load/ratings-reader.ts applies while streaming a grouped file).
INSERT INTO {{ratings}} (user_id, movie_id, movielens_id, rating, rated_at)
SELECT user_id, movie_id, movielens_id, rating, rated_at
FROM (
  SELECT
    user_id,
    movie_id,
    movielens_id,
    rating,
    rated_at,
    ROW_NUMBER() OVER (
      PARTITION BY user_id, movie_id
      ORDER BY rated_at DESC, rating DESC, movielens_id DESC
    ) AS rating_rank
  FROM {{staging}}
) AS ranked
WHERE rating_rank = 1
