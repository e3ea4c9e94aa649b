-- One row per key (keyword_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{keywords}} (keyword_id, name)
SELECT keyword_id, name
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY keyword_id ORDER BY name) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
