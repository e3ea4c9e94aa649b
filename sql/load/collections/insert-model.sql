-- One row per key (collection_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{collections}} (collection_id, name, poster_path, backdrop_path)
SELECT collection_id, name, poster_path, backdrop_path
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY collection_id ORDER BY name, poster_path, backdrop_path) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
