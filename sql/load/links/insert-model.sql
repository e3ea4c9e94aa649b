-- One row per key (movielens_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{links}} (movielens_id, imdb_id, tmdb_id)
SELECT movielens_id, imdb_id, tmdb_id
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY movielens_id ORDER BY imdb_id, tmdb_id) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
