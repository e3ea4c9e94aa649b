-- One row per key (month): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{cpi}} (month, value)
SELECT month, value
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY month ORDER BY value) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
