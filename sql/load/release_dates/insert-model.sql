-- One row per key (release_date): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{release_dates}} (release_date, year, quarter, month, day, day_of_week)
SELECT release_date, year, quarter, month, day, day_of_week
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY release_date ORDER BY year, quarter, month, day, day_of_week) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
