-- One row per key (country_code): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{countries}} (country_code, name)
SELECT country_code, name
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY country_code ORDER BY name) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
