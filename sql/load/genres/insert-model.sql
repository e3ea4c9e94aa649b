-- One row per key (genre_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{genres}} (genre_id, name)
SELECT genre_id, name
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY genre_id ORDER BY name) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
