-- Valid ratings mapped from MovieLens ids to TMDB ids through links, keeping only movies that are
-- loaded (DESIGN.md section 5). Two MovieLens ids can map to one TMDB id: when a user rated both,
-- the latest rating wins, then the greatest (then the greater MovieLens id, so reruns agree).
INSERT INTO {{staging}} (user_id, movie_id, movielens_id, rating, rated_at)
SELECT
  user_id,
  movie_id,
  movielens_id,
  CAST(rating AS NUMERIC(2, 1)),
  TIMESTAMP 'epoch' + rated_at_epoch * INTERVAL '1 second'
FROM (
  SELECT
    c.user_id,
    l.tmdb_id AS movie_id,
    c.movielens_id,
    c.rating,
    c.rated_at_epoch,
    ROW_NUMBER() OVER (
      PARTITION BY c.user_id, l.tmdb_id
      ORDER BY c.rated_at_epoch DESC, c.rating DESC, c.movielens_id DESC
    ) AS rating_rank
  FROM {{checked}} AS c
  JOIN {{links}} AS l ON l.movielens_id = c.movielens_id
  JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m ON m.movie_id = l.tmdb_id
  WHERE c.reject_reason IS NULL
) AS mapped
WHERE rating_rank = 1
