-- One row per key (language_code): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{languages}} (language_code, name)
SELECT language_code, name
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY language_code ORDER BY name) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
