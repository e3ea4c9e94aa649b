-- One row per key (company_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{companies}} (company_id, name)
SELECT company_id, name
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY name) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
